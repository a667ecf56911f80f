package locales

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/language"
)

// TestLocalesAreComplete is the gate for every edit of the locale files.
func TestLocalesAreComplete(t *testing.T) {
	for _, p := range bundle(t).Check() {
		t.Errorf("%s", p)
	}
}

func TestPluralFormsFromCLDR(t *testing.T) {
	for lang, want := range map[string][]string{
		"ru": {"one", "few", "many", "other"},
		"cs": {"one", "few", "many", "other"},
		"en": {"one", "other"},
	} {
		if got := pluralForms(language.Make(lang)); !slices.Equal(got, want) {
			t.Errorf("pluralForms(%s) = %v, want %v", lang, got, want)
		}
	}
}

// TestCheckFindsProblems feeds Check one defect at a time and expects exactly
// the problems listed.
func TestCheckFindsProblems(t *testing.T) {
	const (
		okEN = "[w]\none = \"{{.Count}} day\"\nother = \"{{.Count}} days\"\n"
		okRU = "[w]\none = \"{{.Count}} день\"\nfew = \"{{.Count}} дня\"\nmany = \"{{.Count}} дней\"\nother = \"{{.Count}} дня\"\n"
		okCS = "[w]\none = \"{{.Count}} den\"\nfew = \"{{.Count}} dny\"\nmany = \"{{.Count}} dne\"\nother = \"{{.Count}} dní\"\n"
	)
	tests := []struct {
		name       string
		en, ru, cs string
		want       []string
	}{
		{"all good", okEN, okRU, okCS, nil},
		{"missing in two languages", "only = \"x\"\n" + okEN, okRU, okCS,
			[]string{"cs only: missing", "ru only: missing"}},
		{"present only in ru", okEN, "extra = \"x\"\n" + okRU, okCS,
			[]string{"cs extra: missing", "en extra: missing"}},
		{"missing plural form", okEN, strings.Replace(okRU, "few = \"{{.Count}} дня\"\n", "", 1), okCS,
			[]string{"ru w [few]: plural form missing (ru uses one, few, many, other)"}},
		{"plain string where plurals are needed", okEN, "w = \"{{.Count}} дн.\"\n", okCS,
			[]string{
				"ru w [few]: plural form missing (ru uses one, few, many, other)",
				"ru w [many]: plural form missing (ru uses one, few, many, other)",
				"ru w [one]: plural form missing (ru uses one, few, many, other)",
			}},
		{"form the language never uses", strings.Replace(okEN, "[w]\n", "[w]\nfew = \"{{.Count}} days\"\n", 1), okRU, okCS,
			[]string{"en w [few]: plural form never used in en (it uses one, other)"}},
		{"placeholder differs", okEN, strings.Replace(okRU, "many = \"{{.Count}} дней\"", "many = \"{{.N}} дней\"", 1), okCS,
			[]string{"ru w [many]: placeholders {{{.N}}}, English \"other\" has {{{.Count}}}"}},
		{"placeholder dropped in one form", okEN, okRU, strings.Replace(okCS, "one = \"{{.Count}} den\"", "one = \"jeden den\"", 1),
			[]string{"cs w [one]: placeholders {}, English \"other\" has {{{.Count}}}"}},
		{"placeholders inside if and function calls count",
			"a = \"{{if .X}}{{.Y}}{{end}} {{printf \\\"%s\\\" .Z}}\"\n" + okEN,
			"a = \"{{with .X}}{{$.Y}}{{.Inner}}{{end}} {{range .Z}}{{.}}{{end}}\"\n" + okRU,
			"a = \"{{.X}}{{.Y}} {{.Z | print}}\"\n" + okCS, nil},
		{"template does not parse", "a = \"{{.X}}\"\n" + okEN, "a = \"{{.X}\"\n" + okRU, "a = \"{{.X}}\"\n" + okCS,
			[]string{"ru a: template does not parse: template: a:1: bad character U+007D '}'"}},
		{"empty message", "a = \"\"\n" + okEN, "a = \"x\"\n" + okRU, "a = \" \"\n" + okCS,
			[]string{"cs a: empty text", "en a: empty message"}},
		{"raw less-than", "a = \"1 < 2\"\n" + okEN, "a = \"<b>x</b> <tg-spoiler>y</tg-spoiler> <a href=\\\"{{.U}}\\\">z</a>\"\n" + okRU,
			"a = \"<pre><code class=\\\"language-go\\\">x</code></pre> <blockquote expandable>q</blockquote>\"\n" + okCS,
			[]string{"en a: raw \"< 2\" is not a Telegram tag (write &lt;)",
				"ru a: placeholders {{{.U}}}, English \"other\" has {}"}},
		{"unknown tag", "a = \"<br>\"\n" + okEN, "a = \"<b>x</b>\"\n" + okRU, "a = \"&lt;br&gt; &#8381; &#x20BD; &amp; &quot;\"\n" + okCS,
			[]string{"en a: raw \"<br>\" is not a Telegram tag (write &lt;)"}},
		{"raw ampersand and greater-than", "a = \"Q&A\"\n" + okEN, "a = \"Меню > История\"\n" + okRU, "a = \"&nbsp;\"\n" + okCS,
			[]string{"cs a: raw \"&nbsp;\" is not an HTML entity Telegram knows (write &amp;)",
				"en a: raw \"&A\" is not an HTML entity Telegram knows (write &amp;)",
				"ru a: raw \"> История\" outside a tag (write &gt;)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := newBundle(mapFS(tt.en, tt.ru, tt.cs))
			if err != nil {
				t.Fatalf("newBundle: %v", err)
			}
			var got []string
			for _, p := range b.Check() {
				got = append(got, p.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Check() =\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}
