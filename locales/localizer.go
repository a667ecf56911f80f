package locales

import (
	"fmt"
	"html"
	"strings"
	"sync"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// strictParser makes a template that uses an argument the flow did not pass
// fail instead of printing "<no value>" to a customer. go-i18n caches a
// parsed template on first use, so every call must use this same parser.
var strictParser = &template.TextParser{Option: "missingkey=error"}

// Localizer renders messages, numbers, money and dates in one language.
type Localizer struct {
	lang    string
	i18n    *i18n.Localizer
	printer *message.Printer
	en      *Localizer // the fallback of Text; itself for English

	// Taken from x/text (CLDR) once, so numbers with fractions that x/text
	// cannot take without floats still use the locale's symbols.
	decimalSep string
	minusSign  string

	// fixed keeps the text of each message rendered without arguments (most
	// button labels and titles): the bundle is read-only, so it never
	// changes, and go-i18n's lookup and template cost more than the text.
	fixed sync.Map // message ID -> string
}

func newLocalizer(b *Bundle, lang string) *Localizer {
	tag := language.Make(lang)
	p := message.NewPrinter(tag)
	return &Localizer{
		lang:       lang,
		i18n:       i18n.NewLocalizer(b.i18n, lang),
		printer:    p,
		decimalSep: strings.TrimSuffix(strings.TrimPrefix(p.Sprint(number.Decimal(1.5)), "1"), "5"),
		minusSign:  strings.TrimSuffix(p.Sprint(number.Decimal(-1)), "1"),
	}
}

// Lang is the language code of l: "ru", "cs" or "en".
func (l *Localizer) Lang() string { return l.lang }

// Render renders m as HTML in l's language. It is strict, for tests and the
// locale tools: a message or plural form missing in this language, or an
// argument the template uses but m lacks, is an error (wrapping go-i18n's,
// e.g. *i18n.MessageNotFoundErr) rather than a silent English fallback.
func (l *Localizer) Render(m Msg) (string, error) {
	if len(m.Args) == 0 && m.Count == nil {
		if s, ok := l.fixed.Load(m.ID); ok {
			return s.(string), nil
		}
	}
	data := make(map[string]any, len(m.Args)+1)
	for k, v := range m.Args {
		s, err := l.arg(v)
		if err != nil {
			return "", fmt.Errorf("render %q argument %s in %s: %w", m.ID, k, l.lang, err)
		}
		data[k] = s
	}
	if m.Count != nil {
		data["Count"] = l.Number(m.Count)
	}
	text, err := l.i18n.Localize(&i18n.LocalizeConfig{
		MessageID:      m.ID,
		TemplateData:   data,
		PluralCount:    m.Count,
		TemplateParser: strictParser,
	})
	if err != nil {
		return "", fmt.Errorf("render %q in %s: %w", m.ID, l.lang, err)
	}
	if len(m.Args) == 0 && m.Count == nil {
		l.fixed.Store(m.ID, text)
	}
	return text, nil
}

// Text renders m for a customer: if it cannot be rendered in l's language it
// falls back to English, then to the message ID, and never fails, so a gap in
// a translation costs a customer one English line, not the whole screen.
func (l *Localizer) Text(m Msg) string {
	if s, ok := l.lookup(m); ok {
		return s
	}
	return html.EscapeString(m.ID)
}

// lookup renders m in l's language or else in English.
func (l *Localizer) lookup(m Msg) (string, bool) {
	if s, err := l.Render(m); err == nil {
		return s, true
	}
	if l.en != nil && l.en != l {
		if s, err := l.en.Render(m); err == nil {
			return s, true
		}
	}
	return "", false
}

// arg formats one template argument as HTML according to its type (see Msg).
func (l *Localizer) arg(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return html.EscapeString(v), nil
	case Raw:
		return string(v), nil
	case Msg:
		return l.Render(v)
	case Money:
		return l.Money(v), nil
	case Date:
		return l.Date(v.T, v.Loc), nil
	case DateTime:
		return l.DateTime(v.T, v.Loc), nil
	case Duration:
		return l.Duration(time.Duration(v)), nil
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return l.Number(v), nil
	default:
		return html.EscapeString(fmt.Sprint(v)), nil
	}
}
