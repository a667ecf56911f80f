package locales

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// The fake files: "only_en" has no Russian or Czech translation, "waiting"
// lacks its Russian "few" form.
const (
	fakeEN = `
greet = "Hello, <b>{{.Name}}</b>"
wrap = "[{{.Inner}}]"
paid = "Paid {{.Amount}} on {{.When}}, {{.N}} items"
only_en = "English only"
[waiting]
one = "{{.Count}} day"
other = "{{.Count}} days"
`
	fakeRU = `
greet = "Здравствуйте, <b>{{.Name}}</b>"
wrap = "[{{.Inner}}]"
paid = "Оплачено {{.Amount}} {{.When}}, {{.N}} шт."
[waiting]
one = "{{.Count}} день"
many = "{{.Count}} дней"
other = "{{.Count}} дня"
`
	fakeCS = `
greet = "Dobrý den, <b>{{.Name}}</b>"
wrap = "[{{.Inner}}]"
paid = "Zaplaceno {{.Amount}} {{.When}}, {{.N}} ks"
[waiting]
one = "{{.Count}} den"
few = "{{.Count}} dny"
many = "{{.Count}} dne"
other = "{{.Count}} dní"
`
)

func TestRenderFormatsArguments(t *testing.T) {
	b := fakeBundle(t, fakeEN, fakeRU, fakeCS)
	when := time.Date(2026, 11, 23, 9, 5, 0, 0, time.UTC)
	tests := []struct {
		lang string
		m    Msg
		want string
	}{
		{"en", M("greet", "Name", "<b>&"), "Hello, <b>&lt;b&gt;&amp;</b>"},
		{"ru", M("greet", "Name", `"Иван" & Co`), "Здравствуйте, <b>&#34;Иван&#34; &amp; Co</b>"},
		{"cs", M("greet", "Name", Raw("<i>Jana</i>")), "Dobrý den, <b><i>Jana</i></b>"},
		// A nested message is HTML already: its tags stay, its arguments are escaped once.
		{"en", M("wrap", "Inner", M("greet", "Name", "<x>")), "[Hello, <b>&lt;x&gt;</b>]"},
		{"cs", M("wrap", "Inner", M("waiting").N(5)), "[5 dní]"},
		{"en", M("wrap", "Inner", 1234567), "[1,234,567]"},
		{"en", M("wrap", "Inner", struct{ A string }{"<"}), "[{&lt;}]"},
		{"ru", M("paid", "Amount", Money{500000, "KZT"}, "When", DateTime{when, nil}, "N", int64(12000)),
			"Оплачено 5\u00a0000\u00a0₸ 23 ноября, 9:05, 12\u00a0000 шт."},
		{"cs", M("paid", "Amount", Money{123450, "CZK"}, "When", Date{when, nil}, "N", 3),
			"Zaplaceno 1\u00a0234,50\u00a0Kč 23. listopadu, 3 ks"},
		{"en", M("paid", "Amount", Money{1250, "EUR"}, "When", Date{when, nil}, "N", 1),
			"Paid €12.50 on 23 November, 1 items"},
		{"ru", M("waiting").N("1.5"), "1,5 дня"},
		{"cs", M("waiting").N("1.5"), "1,5 dne"},
	}
	for _, tt := range tests {
		got, err := b.For(tt.lang).Render(tt.m)
		if err != nil || got != tt.want {
			t.Errorf("%s Render(%+v) = %q, %v; want %q", tt.lang, tt.m, got, err, tt.want)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	b := fakeBundle(t, fakeEN, fakeRU, fakeCS)
	tests := []struct {
		name     string
		lang     string
		m        Msg
		notFound bool // the error is an *i18n.MessageNotFoundErr
	}{
		{"unknown ID", "en", M("nope"), true},
		{"unknown ID in ru", "ru", M("nope"), true},
		{"missing translation", "ru", M("only_en"), true},
		{"missing translation, nested", "cs", M("wrap", "Inner", M("only_en")), true},
		{"missing plural form", "ru", M("waiting").N(2), false},
		{"missing argument", "en", M("greet"), false},
		{"float count", "en", M("waiting").N(1.5), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := b.For(tt.lang).Render(tt.m)
			if err == nil {
				t.Fatalf("Render(%+v) = %q, want an error", tt.m, got)
			}
			if got != "" {
				t.Errorf("Render returned text %q with its error", got)
			}
			if !strings.Contains(err.Error(), tt.m.ID) {
				t.Errorf("error %q does not name the message %q", err, tt.m.ID)
			}
			var nf *i18n.MessageNotFoundErr
			if errors.As(err, &nf) != tt.notFound {
				t.Errorf("errors.As(%v, *i18n.MessageNotFoundErr) = %v, want %v", err, !tt.notFound, tt.notFound)
			}
		})
	}
}

// TestGoI18nMissingTranslation pins the go-i18n v2.7.0 behaviour Render
// relies on: a missing translation gives the English text together with a
// *MessageNotFoundErr, which Render must not pass off as success.
func TestGoI18nMissingTranslation(t *testing.T) {
	b := fakeBundle(t, fakeEN, fakeRU, fakeCS)
	text, err := i18n.NewLocalizer(b.i18n, "ru").Localize(&i18n.LocalizeConfig{MessageID: "only_en"})
	var nf *i18n.MessageNotFoundErr
	if !errors.As(err, &nf) || nf.MessageID != "only_en" {
		t.Fatalf("Localize error = %#v, want *i18n.MessageNotFoundErr for only_en", err)
	}
	if text != "English only" {
		t.Errorf("Localize text = %q, want the English text", text)
	}
}

func TestTextFallsBack(t *testing.T) {
	b := fakeBundle(t, fakeEN, fakeRU, fakeCS)
	tests := []struct {
		lang string
		m    Msg
		want string
	}{
		{"ru", M("greet", "Name", "Анна"), "Здравствуйте, <b>Анна</b>"},
		{"ru", M("only_en"), "English only"},
		{"ru", M("waiting").N(3), "3 days"},
		{"cs", M("wrap", "Inner", M("only_en")), "[English only]"},
		{"en", M("no.such <id>"), "no.such &lt;id&gt;"},
		{"ru", M("greet"), "greet"},
		{"xx", M("greet", "Name", "Ann"), "Hello, <b>Ann</b>"},
	}
	for _, tt := range tests {
		if got := b.For(tt.lang).Text(tt.m); got != tt.want {
			t.Errorf("%s Text(%+v) = %q, want %q", tt.lang, tt.m, got, tt.want)
		}
	}
}

func TestFor(t *testing.T) {
	b := bundle(t)
	for lang, want := range map[string]string{"ru": "ru", "cs": "cs", "en": "en", "": "en", "sk": "en", "ru-RU": "en"} {
		if got := b.For(lang).Lang(); got != want {
			t.Errorf("For(%q).Lang() = %q, want %q", lang, got, want)
		}
	}
	for _, lang := range Languages {
		names := []string{}
		for _, other := range Languages {
			names = append(names, b.For(lang).Text(M("lang."+other)))
		}
		if got := strings.Join(names, " "); got != "Русский Čeština English" {
			t.Errorf("%s language names = %q", lang, got)
		}
	}
}

func TestNewFailsOnBrokenFile(t *testing.T) {
	for name, files := range map[string][3]string{
		"bad TOML":   {fakeEN, "greet = ", fakeCS},
		"mixed keys": {fakeEN, fakeRU, "[x]\none = \"a\"\nfoo = \"b\"\n"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := newBundle(mapFS(files[0], files[1], files[2]))
			if err == nil {
				t.Fatal("newBundle succeeded, want an error")
			}
		})
	}
	if _, err := newBundle(mapFS(fakeEN, fakeRU, fakeCS)); err != nil {
		t.Fatalf("newBundle on good files: %v", err)
	}
}

// TestConcurrentUse lets the race detector watch Localizers shared by many
// goroutines, as the bot's chat workers share them.
func TestConcurrentUse(t *testing.T) {
	b := bundle(t)
	done := make(chan string)
	for i := range 8 {
		go func() {
			l := b.For(Languages[i%len(Languages)])
			done <- l.Text(M("duration.days").N(i)) + l.Money(Money{int64(i) * 150, "CZK"}) + l.Duration(time.Duration(i)*time.Hour)
		}()
	}
	for range 8 {
		if s := <-done; s == "" {
			t.Error("empty result")
		}
	}
}

// TestRenderRemembersOnlyFixedTexts checks the cache of texts without
// arguments: it must never answer for a message rendered with arguments or
// a count, nor keep a failed render.
func TestRenderRemembersOnlyFixedTexts(t *testing.T) {
	l := fakeBundle(t, fakeEN, fakeRU, fakeCS).For("en")
	if _, err := l.Render(Msg{ID: "greet"}); err == nil {
		t.Fatal(`"greet" without its argument rendered`)
	}
	for _, name := range []string{"Ann", "Bob"} {
		if got, _ := l.Render(M("greet", "Name", name)); !strings.Contains(got, name) {
			t.Errorf("greet %s rendered %q", name, got)
		}
	}
	for n, want := range map[int]string{1: "1 day", 5: "5 days"} {
		if got, _ := l.Render(Msg{ID: "waiting", Count: n}); got != want {
			t.Errorf("waiting %d rendered %q, want %q", n, got, want)
		}
	}
	first, err1 := l.Render(Msg{ID: "only_en"})
	again, err2 := l.Render(Msg{ID: "only_en"})
	if err1 != nil || err2 != nil || first != "English only" || again != first {
		t.Errorf("only_en rendered %q (%v), then %q (%v)", first, err1, again, err2)
	}
}
