package locales

import (
	"strings"
	"testing"
)

func TestPseudoLocale(t *testing.T) {
	b := fakeBundle(t,
		"[p]\nhtml = \"<b>Hi {{.Name}}</b> &amp; bye\"\n[p.days]\none = \"{{.Count}} day\"\nother = \"{{.Count}} days\"\n",
		"[p]\nhtml = \"x {{.Name}}\"\n[p.days]\none = \"{{.Count}} д\"\nfew = \"{{.Count}} д\"\nmany = \"{{.Count}} д\"\nother = \"{{.Count}} д\"\n",
		"[p]\nhtml = \"x {{.Name}}\"\n[p.days]\none = \"{{.Count}} d\"\nfew = \"{{.Count}} d\"\nmany = \"{{.Count}} d\"\nother = \"{{.Count}} d\"\n")
	l := b.For(Pseudo)
	got, err := l.Render(M("p.html", "Name", "Bob <3"))
	if err != nil {
		t.Fatal(err)
	}
	// Tags, entities and the value untouched; letters accented; padded; bracketed.
	if !strings.HasPrefix(got, "[<b>Ḣɨ Bob &lt;3</b> &amp; ƀẏȩ ") || !strings.HasSuffix(got, "]") {
		t.Errorf("pseudo html = %q", got)
	}
	plain := PlainText(got)
	if n, orig := len([]rune(plain)), len([]rune("Hi Bob <3 & bye")); n < orig*13/10 {
		t.Errorf("pseudo %q is %d characters, want about 40 %% more than %d", plain, n, orig)
	}
	one, _ := l.Render(M("p.days").N(1))
	many, _ := l.Render(M("p.days").N(5))
	if !strings.HasPrefix(one, "[1 ḋȧẏ") || !strings.HasPrefix(many, "[5 ḋȧẏṡ") {
		t.Errorf("plural forms lost: %q, %q", one, many)
	}
	cmd, _ := b.For(Pseudo).Render(M("help.text"))
	if !strings.Contains(cmd, "/menu — ") || !strings.Contains(cmd, "/language — ") {
		t.Errorf("commands accented: %q", cmd)
	}
	// Money and dates keep their shape: no brackets inside a number.
	if m := l.Money(Money{Minor: 123450, Currency: "EUR"}); m != b.For("en").Money(Money{Minor: 123450, Currency: "EUR"}) {
		t.Errorf("pseudo money = %q", m)
	}
	for _, r := range "ȧƀċḋȩḟġḣɨĵķŀṁṅȯṗʠṙṡṫʉṿẇẋẏżȦƁĊḊȨḞĠḢİĴĶĿṀṄȮṖɊṘṠṪɄṼẆẊẎŻ" {
		if strings.ContainsRune(realFile(t, "ru")+realFile(t, "cs"), r) {
			t.Errorf("pseudo letter %q occurs in the Russian or Czech copy: IsPseudo cannot tell them apart", r)
		}
	}
}
