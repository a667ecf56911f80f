package flows

import (
	"hash/fnv"
	"maps"
	"slices"
	"strings"

	"paydesk/locales"
)

// HTML is the screen's text as Telegram gets it: the paragraphs rendered in
// loc's language, separated by a blank line, and, for a tester in the IDs
// mode, a last line with the message IDs the screen is made of. Every
// renderer uses it, so what a tester sees is what the bot remembers having
// shown (see ShownSum).
func (s Screen) HTML(loc *locales.Localizer, showIDs bool) string {
	parts := make([]string, 0, len(s.Body)+1)
	for _, m := range s.Body {
		parts = append(parts, loc.Text(m))
	}
	if showIDs {
		parts = append(parts, IDsLine(s.IDs()))
	}
	return strings.Join(parts, "\n\n")
}

// IDsPrefix starts the line of message IDs in the IDs mode.
const IDsPrefix = "🆔 "

// IDsLine is the line of message IDs under a tester's message: IDs, not
// words, so it needs no translation.
func IDsLine(ids []string) string {
	return IDsPrefix + "<code>" + strings.Join(ids, "</code> <code>") + "</code>"
}

// IDs are the message IDs the screen is made of, each once, in the order a
// reader meets them: the paragraphs (and the messages inside them), then
// the buttons.
func (s Screen) IDs() []string {
	var ids []string
	seen := map[string]bool{}
	var add func(m locales.Msg)
	add = func(m locales.Msg) {
		if m.IsZero() {
			return
		}
		if !seen[m.ID] {
			seen[m.ID] = true
			ids = append(ids, m.ID)
		}
		for _, k := range slices.Sorted(maps.Keys(m.Args)) {
			if inner, ok := m.Args[k].(locales.Msg); ok {
				add(inner)
			}
		}
	}
	for _, m := range s.Body {
		add(m)
	}
	for _, row := range s.Inline {
		for _, b := range row {
			add(b.Label)
		}
	}
	if s.Reply != nil {
		for _, row := range s.Reply.Rows {
			for _, b := range row {
				add(b.Label)
			}
		}
	}
	return ids
}

// ShownSum identifies a message by the text a reader sees, tags gone and
// white space folded, so the HTML the bot sent and the plain text Telegram
// quotes back in a reply give the same sum.
func ShownSum(text string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(strings.Join(strings.Fields(text), " ")))
	return h.Sum64()
}

// ShownSumHTML is ShownSum of rendered HTML.
func ShownSumHTML(html string) uint64 { return ShownSum(locales.PlainText(html)) }
