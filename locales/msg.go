// Package locales holds every user-visible string of paydesk (active.*.toml,
// embedded) and turns language-neutral messages into HTML text in Russian,
// Czech or English: plurals, money, dates and escaping.
//
// Flows build Msg values; renderers (Telegram, terminal, transcripts) ask a
// Localizer to render them. Nothing outside this package formats a number,
// an amount or a date for people.
package locales

import "time"

// Msg is a localizable message: an ID in the locale files, the values for its
// template, and an optional plural count.
//
// Argument values are formatted by the Localizer according to their type:
//   - string: user or ledger text, HTML-escaped;
//   - Msg: rendered in the same language (already HTML);
//   - Money, Date, DateTime: formatted per locale;
//   - int, int64: a number formatted per locale;
//   - Raw: trusted HTML, inserted as is (use sparingly).
type Msg struct {
	ID    string
	Args  map[string]any
	Count any // int, int64 or a decimal string such as "1.5"; nil if the message has no plural forms
}

// M builds a message from an ID and key/value pairs: M("menu.hello", "Name", n).
func M(id string, kv ...any) Msg {
	m := Msg{ID: id}
	if len(kv) > 0 {
		m.Args = make(map[string]any, len(kv)/2+1)
		for i := 0; i+1 < len(kv); i += 2 {
			key, _ := kv[i].(string)
			m.Args[key] = kv[i+1]
		}
	}
	return m
}

// N sets the plural count; the template sees it as {{.Count}}.
func (m Msg) N(count any) Msg {
	args := make(map[string]any, len(m.Args)+1)
	for k, v := range m.Args {
		args[k] = v
	}
	args["Count"] = count
	m.Args, m.Count = args, count
	return m
}

// IsZero reports whether m is the empty message.
func (m Msg) IsZero() bool { return m.ID == "" }

// Money is an amount in minor units of an ISO 4217 currency.
type Money struct {
	Minor    int64
	Currency string
}

// Date is a calendar date shown with the month name: "23 ноября".
type Date struct {
	T   time.Time
	Loc *time.Location // the customer's zone; UTC if nil
}

// DateTime is a date with the time of day: "23 ноября, 14:05".
type DateTime struct {
	T   time.Time
	Loc *time.Location
}

// Raw is trusted HTML put into a template unescaped.
type Raw string
