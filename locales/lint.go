package locales

import (
	"bytes"
	"cmp"
	_ "embed"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf16"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"

	"paydesk/locales/tghtml"
)

// Kinds of problems Lint reports.
const (
	KindStructure    = "structure"    // what Check finds: missing, plural forms, placeholders, template, HTML
	KindUntranslated = "untranslated" // ru or cs text identical to English
	KindGlossary     = "glossary"     // a term of the glossary not used, or its forbidden synonym used
	KindHTML         = "html"         // the rendered text is not HTML Telegram accepts
	KindLength       = "length"       // the rendered text is past Telegram's 4096 characters
	KindButton       = "button"       // a button label phones cut (warning past 24, error past 40)
	KindLiteralN     = "literal-n"    // a literal "N" where a number belongs
	KindRawKey       = "raw-key"      // a key such as "withdrawal:201" or a message ID shown as text
	KindAllowlist    = "allowlist"    // an allowlist entry that matches nothing any more
)

// Limits of what Telegram shows, as Lint applies them.
const (
	MaxText        = 4096 // a message's text after entity parsing, in UTF-16 code units
	ButtonWarnLen  = 24   // a label longer than this is cut on narrow phones
	ButtonErrorLen = 40   // and longer than this on every phone
	longSampleLen  = 256  // characters of each sample value when a text is measured
	buttonSample   = "0123456789"
)

// LintConfig is what Lint knows beyond the locale files: see lint.toml,
// glossary.toml and lint-allow.toml next to them.
type LintConfig struct {
	SameAsEnglish []string `toml:"same_as_english"`
	Buttons       []string `toml:"buttons"`
	Terms         []Term   `toml:"term"`
	// Allow lists known problems as "kind lang id": they are reported with
	// Allowed set and do not fail the check.
	Allow []string `toml:"allow"`
}

// Term is one concept of the glossary (see glossary.toml).
type Term struct {
	Concept       string   `toml:"concept"`
	EN            []string `toml:"en"`
	RU            []string `toml:"ru"`
	CS            []string `toml:"cs"`
	AvoidRU       []string `toml:"avoid_ru"`
	AvoidCS       []string `toml:"avoid_cs"`
	AvoidUnlessEN []string `toml:"avoid_unless_en"`
}

func (t Term) stems(lang string) (want, avoid []string) {
	switch lang {
	case "ru":
		return t.RU, t.AvoidRU
	case "cs":
		return t.CS, t.AvoidCS
	}
	return nil, nil
}

var (
	//go:embed lint.toml
	lintFile []byte
	//go:embed glossary.toml
	glossaryFile []byte
	//go:embed lint-allow.toml
	allowFile []byte
)

// DefaultLintConfig reads the embedded lint.toml, glossary.toml and
// lint-allow.toml.
func DefaultLintConfig() (LintConfig, error) {
	var cfg LintConfig
	for name, data := range map[string][]byte{"lint.toml": lintFile, "glossary.toml": glossaryFile, "lint-allow.toml": allowFile} {
		if _, err := toml.Decode(string(data), &cfg); err != nil {
			return LintConfig{}, fmt.Errorf("locales/%s: %w", name, err)
		}
	}
	return cfg, nil
}

// IsButton reports whether id is a button label by cfg.Buttons.
func (cfg LintConfig) IsButton(id string) bool { return matchAny(cfg.Buttons, id) }

func matchAny(patterns []string, id string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, id); ok {
			return true
		}
	}
	return false
}

// Lint is Check plus what makes copy fit for a customer's screen:
//   - ru or cs text identical to English (untranslated), unless SameAsEnglish;
//   - the glossary's terms (KindGlossary);
//   - every form rendered with long sample values is HTML Telegram accepts
//     and at most 4096 characters;
//   - button labels (Buttons) rendered with short sample values: a warning
//     past 24 characters, an error past 40;
//   - a literal "N" standing for a number, and a raw key ("withdrawal:201")
//     or another message's ID in the text.
//
// Problems matching cfg.Allow are kept, with Allowed set, so they stay
// visible; an Allow entry that matches nothing is a warning.
func (b *Bundle) Lint(cfg LintConfig) []Problem {
	problems := b.Check()
	for i := range problems {
		problems[i].Kind = KindStructure
	}
	en := map[string]*i18n.Message{}
	ids := map[string]bool{}
	for _, m := range b.messages["en"] {
		en[m.ID] = m
		ids[m.ID] = true
	}
	for _, lang := range Languages {
		for _, m := range b.messages[lang] {
			problems = append(problems, lintMessage(cfg, lang, m, en[m.ID], ids)...)
		}
	}
	used := map[string]bool{}
	for i, p := range problems {
		key := p.Kind + " " + p.Lang + " " + p.ID
		if slices.Contains(cfg.Allow, key) {
			problems[i].Allowed = true
			used[key] = true
		}
	}
	for _, a := range cfg.Allow {
		if !used[a] {
			problems = append(problems, Problem{Kind: KindAllowlist, ID: a, Warn: true,
				Detail: "lint-allow.toml lists this but it is fixed: remove the entry"})
		}
	}
	slices.SortStableFunc(problems, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Lang, b.Lang), cmp.Compare(a.Form, b.Form), cmp.Compare(a.Kind, b.Kind))
	})
	return problems
}

var (
	literalN = regexp.MustCompile(`(^|[^\p{L}\p{N}_])N([^\p{L}\p{N}_]|$)`)
	rawKey   = regexp.MustCompile(`\b[a-z]+(_[a-z]+)*:[0-9]+\b`)
	idLike   = regexp.MustCompile(`\b[a-z_0-9]+(\.[a-z_0-9]+)+\b`)
)

// lintMessage applies Lint's own checks to one message of one language; en
// is the English message of the same ID, nil if there is none.
func lintMessage(cfg LintConfig, lang string, m, en *i18n.Message, ids map[string]bool) []Problem {
	var problems []Problem
	texts := forms(m)
	plural := len(texts) > 1
	add := func(kind, form string, warn bool, format string, args ...any) {
		if !plural {
			form = ""
		}
		problems = append(problems, Problem{Kind: kind, Lang: lang, ID: m.ID, Form: form, Warn: warn, Detail: fmt.Sprintf(format, args...)})
	}
	var enTexts map[string]string
	if en != nil {
		enTexts = forms(en)
	}
	for _, form := range slices.Sorted(maps.Keys(texts)) {
		text := texts[form]
		fields, err := placeholders(m, text)
		if err != nil {
			continue // Check reports it
		}
		words := visibleWords(m, text)
		enText := cmp.Or(enTexts[form], enTexts["other"])

		if lang != "en" && en != nil && text == enText && hasLetters(words) && !matchAny(cfg.SameAsEnglish, m.ID) {
			add(KindUntranslated, form, false, "same text as English (translate it, or list the ID in lint.toml same_as_english)")
		}
		if lang != "en" && en != nil {
			enWords := strings.ToLower(visibleWords(en, enText))
			low := strings.ToLower(words)
			for _, t := range cfg.Terms {
				if !namesTerm(enWords, t.EN) {
					continue
				}
				want, avoid := t.stems(lang)
				if len(want) > 0 && !containsAny(low, want) {
					add(KindGlossary, form, false, "English says %q: the glossary's %s term is «%s» (%s)", strings.Join(t.EN, "/"), lang, strings.Join(want, "/"), t.Concept)
				}
				if bad := firstContained(low, avoid); bad != "" && !namesTerm(enWords, t.AvoidUnlessEN) {
					add(KindGlossary, form, false, "«%s…» where English says %q: the glossary's term is «%s» (%s)", bad, strings.Join(t.EN, "/"), strings.Join(want, "/"), t.Concept)
				}
			}
		}
		if literalN.MatchString(words) {
			add(KindLiteralN, form, false, "a literal N: show the number itself")
		}
		if k := rawKey.FindString(words); k != "" {
			add(KindRawKey, form, false, "raw key %q in the text: give it a localized name", k)
		}
		for _, w := range idLike.FindAllString(words, -1) {
			if ids[w] {
				add(KindRawKey, form, false, "the message ID %q in the text", w)
			}
		}

		if out, err := execute(m, text, fields, strings.Repeat("Ш", longSampleLen)); err != nil {
			add(KindHTML, form, false, "does not render with sample values: %v", err)
		} else if visible, err := tghtml.Parse(out); err != nil {
			add(KindHTML, form, false, "Telegram would refuse the rendered HTML: %v", err)
		} else if n := len(utf16.Encode([]rune(visible))); n > MaxText {
			add(KindLength, form, false, "%d characters with %d-character values, Telegram takes %d", n, longSampleLen, MaxText)
		}
		if cfg.IsButton(m.ID) {
			if out, err := execute(m, text, fields, buttonSample); err == nil {
				label := []rune(PlainText(out))
				switch n := len(label); {
				case n > ButtonErrorLen:
					add(KindButton, form, false, "button label of %d characters (with %d-character values): every phone cuts it past %d", n, len(buttonSample), ButtonErrorLen)
				case n > ButtonWarnLen:
					add(KindButton, form, true, "button label of %d characters (with %d-character values): narrow phones cut it past %d", n, len(buttonSample), ButtonWarnLen)
				}
			}
		}
	}
	return problems
}

// codeSpan and command are what a text quotes rather than says: commands
// and their arguments ("/handback withdrawal|transfer"), code.
var (
	codeSpan = regexp.MustCompile(`(?s)<code>.*?</code>`)
	command  = regexp.MustCompile(`/[a-z_]+( [a-z_|]+\|[a-z_|]+)?`)
)

// visibleWords is the prose a reader sees of a template: actions, tags,
// code and commands removed, entities decoded.
func visibleWords(m *i18n.Message, text string) string {
	left, right := cmp.Or(m.LeftDelim, "{{"), cmp.Or(m.RightDelim, "}}")
	actions := regexp.MustCompile(`(?s)` + regexp.QuoteMeta(left) + `.*?` + regexp.QuoteMeta(right))
	s := codeSpan.ReplaceAllString(actions.ReplaceAllString(text, " "), " ")
	return command.ReplaceAllString(PlainText(s), " ")
}

// execute renders one form of a message with every placeholder set to
// sample (and the count to 5), as go-i18n would, strictly.
func execute(m *i18n.Message, text string, fields map[string]bool, sample string) (string, error) {
	data := make(map[string]any, len(fields))
	for f := range fields {
		data[f] = sample
	}
	if fields["Count"] {
		data["Count"] = "5"
	}
	t, err := template.New(m.ID).Delims(m.LeftDelim, m.RightDelim).Option("missingkey=error").Parse(text)
	if err != nil {
		return "", err
	}
	var out bytes.Buffer
	if err := t.Execute(&out, data); err != nil {
		return "", err
	}
	return out.String(), nil
}

// namesTerm: lower-case English text has a word starting with one of terms.
func namesTerm(text string, terms []string) bool {
	for _, t := range terms {
		for i := 0; ; {
			j := strings.Index(text[i:], strings.ToLower(t))
			if j < 0 {
				break
			}
			at := i + j
			if at == 0 || !isWordByte(text[at-1]) {
				return true
			}
			i = at + 1
		}
	}
	return false
}

func isWordByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' }

func containsAny(text string, stems []string) bool { return firstContained(text, stems) != "" }

func firstContained(text string, stems []string) string {
	for _, s := range stems {
		if strings.Contains(text, strings.ToLower(s)) {
			return s
		}
	}
	return ""
}

func hasLetters(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}
