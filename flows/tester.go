package flows

import (
	"fmt"
	"slices"
	"strings"

	"paydesk/locales"
	"paydesk/store"
)

// Locale testers are Telegram users named in the configuration
// (PAYDESK_LOCALE_TESTERS). In their own chat, and only there, /language
// also offers the pseudo-locale and the IDs mode, and /fix stores a better
// wording for the message they reply to. Everyone else sees none of it.

const (
	actTesterIDs = "tids"
	// recentScreens is how many of a tester's latest messages the session
	// remembers, so a /fix replying to one of them can name its IDs.
	recentScreens = 30
)

// WithLocaleTesters names the Telegram user ids of the locale testers.
func WithLocaleTesters(userIDs []int64) Option {
	return func(e *Engine) { e.testers = slices.Clone(userIDs) }
}

// Tester reports whether the event comes from a locale tester.
func (c *Conv) Tester() bool {
	return c.Event.UserID != 0 && slices.Contains(c.e.testers, c.Event.UserID)
}

func registerTester(r *Router) {
	r.Command("fix", fix)
	r.Action(actTesterIDs, func(c *Conv, _ Action) error {
		if !c.Tester() {
			return refuseButton(c)
		}
		c.Session.Tester.ShowIDs = !c.Session.Tester.ShowIDs
		c.showIDs = c.Session.Tester.ShowIDs
		id := "tester.ids_off"
		if c.showIDs {
			id = "tester.ids_on"
		}
		s := withMenu(c, Text(id))
		s.Replace = true
		c.Show(s)
		return nil
	})
}

// testerView applies a tester's choices to the conversation: the
// pseudo-locale and the IDs mode. A chat whose user is no tester (any
// more) gets the languages everyone gets.
func (c *Conv) testerView() {
	if !c.Tester() {
		if c.Session.Language == locales.Pseudo {
			c.Session.Language = ""
			c.setLang()
		}
		c.Session.Tester = store.TesterState{}
		return
	}
	c.showIDs = c.Session.Tester.ShowIDs
}

// testerLanguageRows are the picker's rows only testers get.
func testerLanguageRows(c *Conv) [][]Button {
	if !c.Tester() {
		return nil
	}
	ids := "tester.ids_on_button"
	if c.Session.Tester.ShowIDs {
		ids = "tester.ids_off_button"
	}
	return [][]Button{
		{c.Button(locales.M("tester.pseudo"), actSetLanguage, int64(len(locales.Languages)))},
		{c.Button(locales.M(ids), actTesterIDs)},
	}
}

// rememberShown keeps, for a tester, the sum and IDs of each message this
// event shows in their chat, the newest last and at most recentScreens.
func (e *Engine) rememberShown(c *Conv) {
	if !c.Tester() {
		return
	}
	rec := &c.Session.Tester.Recent
	for _, r := range c.out.Replies {
		if r.ChatID != c.Event.ChatID {
			continue
		}
		html := r.Screen.HTML(e.bundle.For(r.Lang), r.ShowIDs)
		*rec = append(*rec, store.ShownScreen{Sum: ShownSumHTML(html), Lang: r.Lang, IDs: r.Screen.IDs()})
	}
	if n := len(*rec); n > recentScreens {
		*rec = slices.Clone((*rec)[n-recentScreens:])
	}
}

// fix stores a tester's suggestion: "/fix better text" or "/fix ru better
// text", sent as a reply to the bot message it improves.
func fix(c *Conv) error {
	if !c.Tester() {
		c.Show(withMenu(c, Text("common.unknown_command")))
		return nil
	}
	lang, text := c.Lang, strings.TrimSpace(c.Event.Args)
	if first, rest, _ := strings.Cut(text, " "); slices.Contains(locales.Languages, strings.ToLower(first)) {
		lang, text = strings.ToLower(first), strings.TrimSpace(rest)
	}
	if lang == locales.Pseudo {
		lang = "en" // the pseudo-locale is made from the English text
	}
	if text == "" {
		c.Show(Text("tester.fix_usage"))
		return nil
	}
	s := store.Suggestion{Lang: lang, Text: text, UserID: c.Event.UserID, ChatID: c.Event.ChatID, CreatedAt: c.Now}
	if q := c.Event.ReplyTo; q != nil {
		s.Seen = q.Text
		s.MessageIDs = c.shownIDs(q.Text)
	}
	s.Key = fmt.Sprintf("%d:%d", c.Event.ChatID, c.Event.FromMessageID)
	if c.Event.FromMessageID == 0 {
		s.Key = fmt.Sprintf("%d:t%d", c.Event.ChatID, c.Now.UnixNano()) // no message id (the console): one per moment
	}
	if _, err := c.State().AddSuggestion(c.ctx, &s); err != nil {
		return fmt.Errorf("store the suggestion of chat %d: %w", c.Event.ChatID, err)
	}
	if len(s.MessageIDs) == 0 {
		c.Show(Text("tester.fix_saved_unknown", "Lang", lang))
		return nil
	}
	c.Show(Text("tester.fix_saved", "IDs", locales.Raw(IDsCode(s.MessageIDs)), "Lang", lang))
	return nil
}

// IDsCode shows message IDs in running text.
func IDsCode(ids []string) string {
	return "<code>" + strings.Join(ids, "</code>, <code>") + "</code>"
}

// shownIDs finds the IDs of the message whose text a tester quoted: one of
// the messages the session remembers, else the IDs line the message ends
// with in the IDs mode.
func (c *Conv) shownIDs(quoted string) []string {
	sum := ShownSum(quoted)
	rec := c.Session.Tester.Recent
	for i := len(rec) - 1; i >= 0; i-- {
		if rec[i].Sum == sum {
			return slices.Clone(rec[i].IDs)
		}
	}
	if i := strings.LastIndex(quoted, strings.TrimSpace(IDsPrefix)); i >= 0 {
		ids := strings.Fields(quoted[i+len(strings.TrimSpace(IDsPrefix)):])
		if len(ids) > 0 && !slices.ContainsFunc(ids, func(s string) bool { return !isMessageID(s) }) {
			return ids
		}
	}
	return nil
}

// isMessageID: lower-case words joined by dots ("menu.title").
func isMessageID(s string) bool {
	if !strings.Contains(s, ".") {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.')
	}) < 0
}
