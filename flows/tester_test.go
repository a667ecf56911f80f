package flows_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"paydesk/flows"
	"paydesk/locales"
)

// TestLocaleTesterTools: a tester (and nobody else) gets the pseudo-locale
// and the IDs mode from /language, and /fix replying to a bot message
// stores the suggestion with that message's IDs.
func TestLocaleTesterTools(t *testing.T) {
	h := newHarness(t, flows.WithLocaleTesters([]int64{chat}))
	bundle, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}

	// Someone else's picker has the three languages and the menu only.
	other := h.do(flows.Event{Kind: flows.EventCommand, Command: "language", ChatID: 777, UserID: 777})
	if n := len(other.Replies[0].Screen.Inline); n != len(locales.Languages)+1 {
		t.Errorf("a customer's picker has %d rows", n)
	}
	if out := h.do(flows.Event{Kind: flows.EventCommand, Command: "fix", Args: "x", ChatID: 777, UserID: 777}); ids(out)[0] != "common.unknown_command" {
		t.Errorf("/fix of a customer: %v", ids(out))
	}

	picker := h.do(flows.Event{Kind: flows.EventCommand, Command: "language"})
	out := h.do(flows.Event{Kind: flows.EventAction, Data: button(t, picker, "tester.pseudo")})
	if r := out.Replies[0]; r.Lang != locales.Pseudo || h.session().Language != locales.Pseudo {
		t.Fatalf("after choosing the pseudo-locale: reply in %q, session %q", r.Lang, h.session().Language)
	}
	out = h.do(flows.Event{Kind: flows.EventAction, Data: button(t, h.do(flows.Event{Kind: flows.EventCommand, Command: "language"}), "tester.ids_on_button")})
	if !out.Replies[0].ShowIDs || !h.session().Tester.ShowIDs {
		t.Fatalf("IDs mode not on: %+v", out.Replies[0])
	}

	// The menu, as Telegram would quote it back: plain text.
	menu := h.do(flows.Event{Kind: flows.EventCommand, Command: "help"})
	r := menu.Replies[0]
	if !r.ShowIDs || r.Lang != locales.Pseudo {
		t.Fatalf("help reply %+v", r)
	}
	html := r.Screen.HTML(bundle.For(r.Lang), r.ShowIDs)
	if !strings.Contains(html, flows.IDsPrefix+"<code>help.text</code>") {
		t.Errorf("no IDs line in %q", html)
	}
	seen := locales.PlainText(html)
	h.do(flows.Event{Kind: flows.EventCommand, Command: "menu"}) // another message in between

	fix := h.do(flows.Event{Kind: flows.EventCommand, Command: "fix", Args: "ru Что я умею", FromMessageID: 41,
		ReplyTo: &flows.Quote{MessageID: 40, Text: seen}})
	wantIDs(t, fix, "tester.fix_saved")
	// A redelivered update adds nothing.
	h.do(flows.Event{Kind: flows.EventCommand, Command: "fix", Args: "ru Что я умею", FromMessageID: 41, ReplyTo: &flows.Quote{MessageID: 40, Text: seen}})
	// Not a reply: kept anyway, and the tester is told what was missing.
	wantIDs(t, h.do(flows.Event{Kind: flows.EventCommand, Command: "fix", Args: "Better", FromMessageID: 43}), "tester.fix_saved_unknown")
	wantIDs(t, h.do(flows.Event{Kind: flows.EventCommand, Command: "fix", FromMessageID: 44}), "tester.fix_usage")

	list, err := h.db.Suggestions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("%d suggestions stored, want 2: %+v", len(list), list)
	}
	got := list[0]
	if !slices.Equal(got.MessageIDs, []string{"help.text", "common.menu_button"}) || got.Lang != "ru" || got.Text != "Что я умею" ||
		got.Seen != seen || got.UserID != chat || got.ChatID != chat || !got.CreatedAt.Equal(t0) {
		t.Errorf("stored %+v", got)
	}
	if list[1].Lang != "en" || len(list[1].MessageIDs) != 0 {
		t.Errorf("a fix in the pseudo-locale is for English: %+v", list[1])
	}

	// A quote of a message the session forgot still names its IDs by the IDs line.
	h.do(flows.Event{Kind: flows.EventCommand, Command: "fix", Args: "cs Lepší", FromMessageID: 45,
		ReplyTo: &flows.Quote{Text: "old text\n\n🆔 menu.title common.back"}})
	list, _ = h.db.Suggestions(context.Background())
	if last := list[len(list)-1]; !slices.Equal(last.MessageIDs, []string{"menu.title", "common.back"}) {
		t.Errorf("IDs from the quoted IDs line: %+v", last)
	}
}

// TestTesterRemovedFromConfig: a chat left in the pseudo-locale by someone
// who is no tester any more gets the ordinary language again.
func TestTesterRemovedFromConfig(t *testing.T) {
	db := newHarness(t, flows.WithLocaleTesters([]int64{chat}))
	picker := db.do(flows.Event{Kind: flows.EventCommand, Command: "language"})
	db.do(flows.Event{Kind: flows.EventAction, Data: button(t, picker, "tester.pseudo")})

	later := flows.New(db.db, db.db, flows.WithSecret([]byte("flows-test-secret-0123456789abcdef")))
	out, err := later.Handle(context.Background(), flows.Event{Kind: flows.EventCommand, Command: "help", ChatID: chat, UserID: chat, LanguageCode: "cs"})
	if err != nil {
		t.Fatal(err)
	}
	if r := out.Replies[0]; r.Lang != "cs" || r.ShowIDs {
		t.Errorf("reply to a former tester: %+v", r)
	}
}
