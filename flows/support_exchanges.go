package flows

import (
	"strings"

	"paydesk/locales"
	"paydesk/store"
)

// The recent conversation of each chat, so a case card can show agents
// what the customer and the bot said before the handoff. Bot screens are
// recorded as the customer read them, in the customer's language.

// recordExchanges appends the event and the screens it produced to the
// chat's conversation. Failing to record costs the agents some context,
// not the customer their answer, so it is logged and not returned.
func (e *Engine) recordExchanges(c *Conv) {
	if c.unrecorded {
		return
	}
	var lines []store.Exchange
	if !c.eventRecorded {
		lines = append(lines, eventLine(c)...)
	}
	for _, r := range c.out.Replies {
		if r.ChatID != c.Event.ChatID {
			continue
		}
		loc := e.bundle.For(r.Lang)
		parts := make([]string, 0, len(r.Screen.Body))
		for _, m := range r.Screen.Body {
			parts = append(parts, locales.PlainText(loc.Text(m)))
		}
		lines = append(lines, store.Exchange{At: c.Now, Bot: true, Kind: "text", Text: shorten(strings.Join(parts, " "))})
	}
	if err := e.state.AddExchanges(c.ctx, c.Event.ChatID, lines, exchangesKept); err != nil {
		e.log.Warn("record exchanges", "chat", c.Event.ChatID, "err", err)
	}
}

// recordEvent records the event at once, before its screens: a handoff
// shows the agents the press or command that led to it.
func (e *Engine) recordEvent(c *Conv) {
	if c.eventRecorded || c.unrecorded {
		return
	}
	c.eventRecorded = true
	if err := e.state.AddExchanges(c.ctx, c.Event.ChatID, eventLine(c), exchangesKept); err != nil {
		e.log.Warn("record exchanges", "chat", c.Event.ChatID, "err", err)
	}
}

func eventLine(c *Conv) []store.Exchange {
	if kind, text, ok := exchangeOf(c.Event); ok {
		return []store.Exchange{{At: c.Now, Kind: kind, Text: shorten(text)}}
	}
	return nil
}

// exchangeOf is how an event reads in the conversation. A deep link's
// token is left out: it is a credential.
func exchangeOf(ev Event) (kind, text string, ok bool) {
	switch ev.Kind {
	case EventStart:
		return "command", "/start", true
	case EventCommand:
		return "command", strings.TrimSpace("/" + ev.Command + " " + ev.Args), true
	case EventText:
		return "text", ev.Text, true
	case EventPhoto:
		return "photo", ev.Text, true
	case EventDocument:
		return "document", ev.Text, true
	case EventContact:
		return "contact", "", true
	case EventAction:
		return "button", ev.Label, true
	case EventOther:
		return "other", ev.Text, true
	}
	return "", "", false
}

// shorten puts text on one line and cuts it to exchangeRunes.
func shorten(s string) string { return clip(s, exchangeRunes) }

// clip puts text on one line and, if it is longer than max characters,
// cuts it to fit with "…", after the last whole word when there is one in
// the second half: "Беспроводные наушники…", not "Беспроводные наушни…".
func clip(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	whole := r[max-1] == ' ' // the cut falls between words
	r = r[:max-1]
	if i := lastSpace(r); !whole && i >= max/2 {
		r = r[:i]
	}
	return strings.TrimRight(string(r), " ,.;:·-–—") + "…"
}

func lastSpace(r []rune) int {
	for i := len(r) - 1; i >= 0; i-- {
		if r[i] == ' ' {
			return i
		}
	}
	return -1
}
