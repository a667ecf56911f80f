package locales

import (
	"slices"
	"strings"
	"testing"
)

// TestLocalesLint is the gate of `paydesk locales check`: no error except
// the known ones of lint-allow.toml.
func TestLocalesLint(t *testing.T) {
	cfg, err := DefaultLintConfig()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range bundle(t).Lint(cfg) {
		if !p.Warn && !p.Allowed {
			t.Errorf("%s: %s", p.Kind, p)
		}
	}
}

// TestLintFindsEachKind feeds Lint one defect of each kind and expects
// exactly the problems listed (kind, then the problem).
func TestLintFindsEachKind(t *testing.T) {
	cfg := LintConfig{
		SameAsEnglish: []string{"same.*"},
		Buttons:       []string{"btn.*"},
		Terms: []Term{{Concept: "dispute", EN: []string{"dispute"}, RU: []string{"спор"}, CS: []string{"odvol"},
			AvoidRU: []string{"обращени"}, AvoidUnlessEN: []string{"ticket"}}},
	}
	long := strings.Repeat("{{.A}}", 17) // 17 values of 256 characters: past 4096
	tests := []struct {
		name       string
		en, ru, cs string
		want       []string
	}{
		{"all good", `a = "Hello"`, `a = "Привет"`, `a = "Ahoj"`, nil},
		{"untranslated", `a = "Hello {{.N}}"`, `a = "Hello {{.N}}"`, `a = "Ahoj {{.N}}"`,
			[]string{"untranslated ru a: same text as English (translate it, or list the ID in lint.toml same_as_english)"}},
		{"the same on purpose, or no words", "same.x = \"OK\"\nb = \"{{.N}} · {{.M}}\"", "same.x = \"OK\"\nb = \"{{.N}} · {{.M}}\"", "same.x = \"OK\"\nb = \"{{.N}} · {{.M}}\"", nil},
		{"glossary term missing", `a = "Your dispute is sent"`, `a = "Ваш спор отправлен"`, `a = "Žádost odeslána"`,
			[]string{"glossary cs a: English says \"dispute\": the glossary's cs term is «odvol» (dispute)"}},
		{"glossary: a word that names something else", `a = "Your dispute is sent"`, `a = "Ваше обращение по спору отправлено"`, `a = "Odvolání odesláno"`,
			[]string{"glossary ru a: «обращени…» where English says \"dispute\": the glossary's term is «спор» (dispute)"}},
		{"glossary: the other concept is named too", `a = "Ticket 5 about your dispute"`, `a = "Обращение 5 по спору"`, `a = "Požadavek 5 k odvolání"`, nil},
		{"glossary: inflected and prefixed forms count", `a = "Dispute the refusal"`, `a = "Оспорить отказ"`, `a = "Odvolat se"`, nil},
		{"html not well formed after rendering", `a = "<b>{{.X}}<i>y</b></i>"`, `a = "<b>{{.X}}</b>"`, `a = "<b>{{.X}}</b>"`,
			[]string{"html en a: Telegram would refuse the rendered HTML: end tag \"b\" does not match start tag \"i\" at byte offset 519"}},
		{"a tag Telegram does not know", `a = "<b>x</b>"`, `a = "<span class=\"big\">x</span>"`, `a = "<i>x</i>"`,
			[]string{"html ru a: Telegram would refuse the rendered HTML: tag \"span\" needs class=\"tg-spoiler\", got \"big\" at byte offset 0",
				"structure ru a: raw \"<span class=…\" is not a Telegram tag (write &lt;)"}},
		{"too long with long values", "a = \"" + long + "\"", "a = \"x" + long + "\"", "a = \"y{{.A}}\"",
			[]string{
				"length en a: 4352 characters with 256-character values, Telegram takes 4096",
				"length ru a: 4353 characters with 256-character values, Telegram takes 4096",
			}},
		{"button labels", "btn.ok = \"Back\"\nbtn.warn = \"Twenty-five characters ok\"\nbtn.bad = \"{{.Amount}} and a label that is far too long\"",
			"btn.ok = \"Назад\"\nbtn.warn = \"Двадцать пять символов ок\"\nbtn.bad = \"{{.Amount}} и надпись длиннее сорока символов\"",
			"btn.ok = \"Zpět\"\nbtn.warn = \"Zpět\"\nbtn.bad = \"{{.Amount}} krátce\"",
			[]string{
				"button en btn.bad: button label of 43 characters (with 10-character values): every phone cuts it past 40",
				"button ru btn.bad: button label of 44 characters (with 10-character values): every phone cuts it past 40",
				"button en btn.warn: button label of 25 characters (with 10-character values): narrow phones cut it past 24 (warning)",
				"button ru btn.warn: button label of 25 characters (with 10-character values): narrow phones cut it past 24 (warning)",
			}},
		{"a literal N", `a = "Waiting more than N days?"`, `a = "Ожидание более N дней?"`, `a = "Čekáte déle než N dní?"`,
			[]string{
				"literal-n cs a: a literal N: show the number itself",
				"literal-n en a: a literal N: show the number itself",
				"literal-n ru a: a literal N: show the number itself",
			}},
		{"raw keys", "a = \"Topic withdrawal:201\"\nb = \"See a\"", "a = \"Тема withdrawal:201\"\nb = \"См. b\"", "a = \"Téma č. 201\"\nb = \"Viz a.b\"",
			[]string{
				"raw-key en a: raw key \"withdrawal:201\" in the text: give it a localized name",
				"raw-key ru a: raw key \"withdrawal:201\" in the text: give it a localized name",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := newBundle(mapFS(tt.en, tt.ru, tt.cs))
			if err != nil {
				t.Fatalf("newBundle: %v", err)
			}
			var got []string
			for _, p := range b.Lint(cfg) {
				s := p.Kind + " " + p.String()
				if p.Warn {
					s += " (warning)"
				}
				got = append(got, s)
			}
			want := tt.want
			if !slices.Equal(got, want) {
				t.Errorf("Lint() =\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
			}
		})
	}
}

// TestLintAllowlist: a listed problem is kept but marked, and an entry that
// matches nothing is a warning, so the list only shrinks.
func TestLintAllowlist(t *testing.T) {
	b, err := newBundle(mapFS(`a = "N days"`, `a = "N дней"`, `a = "{{.X}} dní"`))
	if err != nil {
		t.Fatal(err)
	}
	cfg := LintConfig{Allow: []string{"literal-n ru a", "literal-n cs a"}}
	var got []string
	for _, p := range b.Lint(cfg) {
		got = append(got, p.Kind+" "+p.String()+map[bool]string{true: " allowed"}[p.Allowed]+map[bool]string{true: " warning"}[p.Warn])
	}
	for _, w := range []string{"literal-n ru a: a literal N: show the number itself allowed", "literal-n en a: a literal N: show the number itself"} {
		if !slices.Contains(got, w) {
			t.Errorf("Lint() = %q, want it to contain %q", got, w)
		}
	}
	if !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "allowlist") && strings.HasSuffix(s, "warning") }) {
		t.Errorf("Lint() = %q: no warning about the stale allowlist entry", got)
	}
}
