package transcript_test

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"

	"paydesk/flows/console/scenario"
	"paydesk/flows/console/transcript"
	"paydesk/locales"
	"paydesk/locales/tghtml"
)

// literal is what a text quotes for the reader to type, not prose: code
// and commands.
var literal = regexp.MustCompile(`(?s)<code>.*?</code>|(^|[\s(>])/[a-z_]+`)

// rawKey is a key of the code shown as text ("withdrawal:201").
var rawKey = regexp.MustCompile(`\b[a-z]+(_[a-z]+)*:[0-9]+\b`)

// TestPseudoLocaleCoversEveryScreen plays every scenario and renders every
// screen, button, notice and topic name in the pseudo-locale, where every
// letter of localized text is accented. A word left plain is either data
// (the demo ledger's names, items and numbers, or what the script typed) or
// text that does not come from the locale files: a hard-coded string. A
// raw key ("withdrawal:201") on any screen fails it too, and so does a
// message Telegram would refuse once it is 40 % longer.
func TestPseudoLocaleCoversEveryScreen(t *testing.T) {
	bundle, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	data := map[string]bool{}
	for _, lang := range locales.Languages {
		data[locales.PlainText(bundle.For("en").Text(locales.M("lang."+lang)))] = true // each language's own name
	}
	for _, code := range []string{"KZT", "CZK", "EUR", "USD", "RUB"} {
		data[bundle.For("en").Text(locales.M("currency."+code))] = true // symbols are kept as they are
	}
	data["UTC"] = true // a zone is named the same in every language (locales.ZoneName): "Europe/Prague (UTC+1)"
	var rawKeys []string
	for _, sc := range scenario.All {
		t.Run(sc.Name, func(t *testing.T) {
			// What the scenario stored is data too: the demo ledger, and
			// the exchanges a case card quotes.
			path := filepath.Join(t.TempDir(), "scenario.db")
			_, p, err := scenario.Play(context.Background(), scenario.SQLiteFile(path), sc, "en")
			if err != nil {
				t.Fatal(err)
			}
			data := maps.Clone(data)
			maps.Copy(data, dbWords(t, path))
			for _, st := range p.Steps {
				for _, w := range words(st.Input) {
					data[w] = true
				}
			}
			bad := map[string]string{}
			for i, st := range p.Steps {
				for _, r := range st.Out.Relays {
					for _, m := range r.Note {
						quoted(m, false, data)
					}
				}
				for _, b := range transcript.Bubbles(p.Bundle, st, locales.Pseudo) {
					if b.Kind == "agent" {
						continue // the agent's own words
					}
					if visible, err := tghtml.Parse(b.HTML); err != nil {
						t.Errorf("step %d (%q), %v: Telegram would refuse the pseudo-localized HTML: %v", i, st.Input, b.IDs, err)
					} else if n := len(utf16.Encode([]rune(visible))); n > locales.MaxText {
						t.Errorf("step %d (%q), %v: %d characters in the pseudo-locale, Telegram takes %d", i, st.Input, b.IDs, n, locales.MaxText)
					}
					texts := []string{locales.PlainText(literal.ReplaceAllString(b.HTML, " ")), b.Topic}
					for _, row := range append(slices.Clone(b.Buttons), b.Keyboard...) {
						texts = append(texts, row...)
					}
					for _, text := range texts {
						rawKeys = append(rawKeys, rawKey.FindAllString(text, -1)...)
						for _, w := range words(text) {
							switch {
							case len([]rune(w)) == 1: // an initial ("Айгуль С.")
							case pseudo(w) || data[w] || data[strings.ToLower(w)]:
							default:
								bad[w] = fmt.Sprintf("step %d (%q), %v: %q", i, st.Input, b.IDs, text)
							}
						}
					}
				}
			}
			for w, where := range bad {
				t.Errorf("%q is not pseudo-localized (hard-coded?) at %s", w, where)
			}
		})
	}
	if len(rawKeys) > 0 {
		t.Errorf("raw keys shown as text (give them a localized name): %q", slices.Compact(slices.Sorted(slices.Values(rawKeys))))
	}
}

// quoted adds to data the words of the stored texts a case card quotes
// (the last exchanges: what the bot and the customer said, as said).
func quoted(m locales.Msg, inLine bool, data map[string]bool) {
	inLine = inLine || strings.HasPrefix(m.ID, "support.card.line_") || strings.HasPrefix(m.ID, "support.card.kind_")
	for _, v := range m.Args {
		switch v := v.(type) {
		case locales.Msg:
			quoted(v, inLine, data)
		case string:
			if inLine {
				for _, w := range words(v) {
					data[w] = true
				}
			}
		}
	}
}

// pseudo: the word has a letter of the pseudo-locale.
func pseudo(w string) bool { return strings.IndexFunc(w, locales.IsPseudo) >= 0 }

// words are the runs of letters of s.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
}

// dbWords are the words of every text value in a SQLite file but the
// bot's own texts.
func dbWords(t *testing.T, path string) map[string]bool {
	t.Helper()
	ctx := context.Background()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	tables, err := raw.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		tables.Scan(&n)
		names = append(names, n)
	}
	tables.Close()
	out := map[string]bool{}
	for _, table := range names {
		if table == "exchanges" || table == "deliveries" {
			continue // the bot's own rendered texts: they would excuse any word (quoted takes the case card's)
		}
		rows, err := raw.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if s, ok := v.(string); ok {
					for _, w := range words(s) {
						out[w], out[strings.ToLower(w)] = true, true
					}
				}
			}
		}
		rows.Close()
	}
	return out
}
