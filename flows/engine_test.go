package flows_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"paydesk/flows"
	"paydesk/store"
	"paydesk/store/sqlite"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// harness is an engine over a real SQLite file with the demo ledger, at a
// clock the test moves.
type harness struct {
	t      *testing.T
	db     *sqlite.DB
	engine *flows.Engine
	now    time.Time
}

// newHarness opens a seeded SQLite file and an engine on it; opts come after
// the harness's own (secret, clock), so a test can add routes or limits.
func newHarness(t *testing.T, opts ...flows.Option) *harness {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "flows.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.SeedDemo(ctx, t0); err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, db: db, now: t0}
	h.engine = flows.New(db, db, append([]flows.Option{
		flows.WithSecret([]byte("flows-test-secret-0123456789abcdef")),
		flows.WithClock(func() time.Time { return h.now }),
	}, opts...)...)
	return h
}

const chat = 555

func (h *harness) do(ev flows.Event) flows.Outcome {
	h.t.Helper()
	if ev.ChatID == 0 {
		ev.ChatID, ev.UserID = chat, chat
	}
	if ev.LanguageCode == "" {
		ev.LanguageCode = "en"
	}
	out, err := h.engine.Handle(context.Background(), ev)
	if err == nil {
		err = h.engine.Settle(context.Background(), &out)
	}
	if err != nil {
		h.t.Fatalf("%s event: %v", ev.Kind, err)
	}
	return out
}

func (h *harness) session() store.Session {
	h.t.Helper()
	s, err := h.db.Session(context.Background(), chat)
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

// ids lists the message IDs of every paragraph of every reply to chat.
func ids(out flows.Outcome) []string {
	var got []string
	for _, r := range out.Replies {
		for _, m := range r.Screen.Body {
			got = append(got, m.ID)
		}
	}
	return got
}

// button finds the data of the button labelled with message id in the replies.
func button(t *testing.T, out flows.Outcome, label string) string {
	t.Helper()
	for _, r := range out.Replies {
		for _, row := range r.Screen.Inline {
			for _, b := range row {
				if b.Label.ID == label {
					return b.Data
				}
			}
		}
	}
	t.Fatalf("no button %q in %v", label, ids(out))
	return ""
}

func wantIDs(t *testing.T, out flows.Outcome, want ...string) {
	t.Helper()
	if got := ids(out); !slices.Equal(got, want) {
		t.Fatalf("screens %v, want %v", got, want)
	}
}

func contact(phone string, owner int64) flows.Event {
	return flows.Event{Kind: flows.EventContact, Contact: &flows.Contact{Phone: phone, UserID: owner}}
}

func TestStartGreetsInTelegramLanguage(t *testing.T) {
	h := newHarness(t)
	for code, want := range map[string]string{"ru-RU": "ru", "kk": "ru", "uk": "ru", "cs": "cs", "sk": "cs", "de": "en", "": "en"} {
		out := h.do(flows.Event{Kind: flows.EventStart, Command: "start", LanguageCode: code})
		if out.Replies[0].Lang != want {
			t.Errorf("language_code %q: replies in %q, want %q", code, out.Replies[0].Lang, want)
		}
	}
	out := h.do(flows.Event{Kind: flows.EventStart, Command: "start"})
	wantIDs(t, out, "menu.greeting", "menu.title")
}

func TestLinkByContact(t *testing.T) {
	cases := []struct {
		name     string
		ev       flows.Event
		want     []string
		customer store.CustomerID
	}{
		{"own known number", contact("+7 701 000 00 01", chat), []string{"link.done", "menu.title"}, 1},
		{"own number without plus", contact("420601000001", chat), []string{"link.done", "menu.title"}, 2},
		{"somebody else's contact", contact("+77010000001", chat+1), []string{"link.not_own_contact"}, 0},
		{"contact of no Telegram user", contact("+77010000001", 0), []string{"link.not_own_contact"}, 0},
		{"unknown number", contact("+10000000000", chat), []string{"link.not_found", "menu.title"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			wantIDs(t, h.do(tc.ev), tc.want...)
			if got := h.session().CustomerID; got != tc.customer {
				t.Fatalf("linked to customer %d, want %d", got, tc.customer)
			}
		})
	}
}

func TestLinkByDeepLink(t *testing.T) {
	h := newHarness(t)
	tok := h.engine.LinkToken(3, time.Hour)
	wantIDs(t, h.do(flows.Event{Kind: flows.EventStart, Command: "start", Args: flows.LinkPrefix + tok}), "link.done", "menu.title")
	if got := h.session().CustomerID; got != 3 {
		t.Fatalf("linked to %d, want 3", got)
	}

	h2 := newHarness(t)
	h2.now = t0.Add(time.Hour) // the harness clock issues at t0; the token expires at t0+1h
	tok = flows.IssueLinkToken([]byte("flows-test-secret-0123456789abcdef"), 3, t0.Add(time.Hour))
	wantIDs(t, h2.do(flows.Event{Kind: flows.EventStart, Command: "start", Args: flows.LinkPrefix + tok}), "link.token_expired", "menu.title")
	wantIDs(t, h2.do(flows.Event{Kind: flows.EventStart, Command: "start", Args: "link-forged-token-abc"}), "link.token_invalid", "menu.title")
	if got := h2.session().CustomerID; got != 0 {
		t.Fatalf("a refused token linked customer %d", got)
	}
}

func TestMoneyEntryAsksToLinkThenResumes(t *testing.T) {
	h := newHarness(t)
	menu := h.do(flows.Event{Kind: flows.EventStart, Command: "start"})
	press := flows.Event{Kind: flows.EventAction, Data: button(t, menu, "menu.withdrawals")}
	out := h.do(press)
	wantIDs(t, out, "link.required")
	if out.Replies[0].Screen.Reply == nil || !out.Replies[0].Screen.Reply.Rows[0][0].RequestContact {
		t.Fatal("no share-phone keyboard under link.required")
	}
	wantIDs(t, h.do(flows.Event{Kind: flows.EventText, Text: "+77010000001"}), "link.press_button")

	out = h.do(contact("+77010000001", chat))
	if got := ids(out); len(got) < 2 || got[0] != "link.done" || got[1] == "menu.title" {
		t.Fatalf("after linking: %v, want link.done and then the withdrawal screen", got)
	}
	if !out.Replies[0].Screen.RemoveReply {
		t.Fatal("the share-phone keyboard stays after linking")
	}
}

func TestLanguageChoiceIsRemembered(t *testing.T) {
	h := newHarness(t)
	picker := h.do(flows.Event{Kind: flows.EventCommand, Command: "language"})
	out := h.do(flows.Event{Kind: flows.EventAction, Data: button(t, picker, "lang.cs")})
	if out.Replies[0].Lang != "cs" {
		t.Fatalf("after choosing Čeština the reply is in %q", out.Replies[0].Lang)
	}
	if got := h.session().Language; got != "cs" {
		t.Fatalf("stored language %q", got)
	}
	// Telegram still says "en"; the stored choice wins.
	if out := h.do(flows.Event{Kind: flows.EventCommand, Command: "help"}); out.Replies[0].Lang != "cs" {
		t.Fatalf("later replies in %q", out.Replies[0].Lang)
	}
}

func TestForgedAndForeignButtonsAreRefused(t *testing.T) {
	h := newHarness(t)
	menu := h.do(flows.Event{Kind: flows.EventStart, Command: "start"})
	data := button(t, menu, "menu.help")
	for name, ev := range map[string]flows.Event{
		"forged":       {Kind: flows.EventAction, Data: "help|AAAAAAAAAAAA"},
		"garbage":      {Kind: flows.EventAction, Data: "\x00\xff"},
		"another chat": {Kind: flows.EventAction, Data: data, ChatID: chat + 1, UserID: chat + 1},
	} {
		out := h.do(ev)
		if out.Toast.ID != "common.button_invalid" || ids(out)[0] != "common.button_invalid" {
			t.Errorf("%s: %v (toast %q)", name, ids(out), out.Toast.ID)
		}
	}
	wantIDs(t, h.do(flows.Event{Kind: flows.EventAction, Data: data}), "help.text")
}

func TestExpiredStepStartsOver(t *testing.T) {
	h := newHarness(t)
	menu := h.do(flows.Event{Kind: flows.EventStart, Command: "start"})
	h.do(flows.Event{Kind: flows.EventAction, Data: button(t, menu, "menu.withdrawals")}) // now waits for a contact
	h.now = h.now.Add(flows.DefaultSessionTTL + time.Second)
	wantIDs(t, h.do(flows.Event{Kind: flows.EventText, Text: "hello?"}), "common.expired", "menu.title")
	if s := h.session(); s.Flow != "" {
		t.Fatalf("expired step kept: %+v", s)
	}
	// Within the TTL the step still answers.
	h.do(flows.Event{Kind: flows.EventAction, Data: button(t, menu, "menu.withdrawals")})
	h.now = h.now.Add(flows.DefaultSessionTTL - time.Second)
	wantIDs(t, h.do(flows.Event{Kind: flows.EventText, Text: "hello?"}), "link.press_button")
}

func TestUnknownInputOffersMenu(t *testing.T) {
	h := newHarness(t)
	wantIDs(t, h.do(flows.Event{Kind: flows.EventText, Text: "<b>hi</b>"}), "common.not_understood", "menu.title")
	wantIDs(t, h.do(flows.Event{Kind: flows.EventCommand, Command: "nope"}), "common.unknown_command", "menu.title")
	wantIDs(t, h.do(flows.Event{Kind: flows.EventCommand, Command: "cancel"}), "common.cancelled", "menu.title")
}

func TestLangOfFallsBackFromChoiceToClientToAccount(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	aigerim, _ := h.db.Customer(ctx, 1) // account language ru
	if got := flows.LangOf(ctx, h.db, chat, aigerim); got != "ru" {
		t.Fatalf("unknown chat: %q, want the account's ru", got)
	}
	h.do(flows.Event{Kind: flows.EventStart, Command: "start", LanguageCode: "cs-CZ"})
	if got := flows.LangOf(ctx, h.db, chat, aigerim); got != "cs" {
		t.Fatalf("client reports cs: %q", got)
	}
	picker := h.do(flows.Event{Kind: flows.EventCommand, Command: "language"})
	h.do(flows.Event{Kind: flows.EventAction, Data: button(t, picker, "lang.en")})
	if got := flows.LangOf(ctx, h.db, chat, aigerim); got != "en" {
		t.Fatalf("chosen en: %q", got)
	}
}

// wantHandoff checks that a flow's own screens (before) are followed by the
// handoff to support; what support says after that is support's to test.
func wantHandoff(t *testing.T, out flows.Outcome, before ...string) {
	t.Helper()
	got := ids(out)
	want := append(before, "support.handed_off")
	if len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
		t.Fatalf("screens %v, want %v and then support's", got, want)
	}
}

// TestAccountLanguageWithoutLanguageCode: Telegram does not always send a
// language_code; a linked customer is then answered in the account's
// language, not English, from the link on.
func TestAccountLanguageWithoutLanguageCode(t *testing.T) {
	h := newHarness(t)
	handle := func(chat int64, ev flows.Event) flows.Outcome {
		t.Helper()
		ev.ChatID, ev.UserID = chat, chat
		out, err := h.engine.Handle(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, tc := range []struct {
		chat        int64
		phone, want string
	}{{901, "+77010000001", "ru"}, {902, "+420601000001", "cs"}, {903, "+447700900001", "en"}} {
		chat := tc.chat
		if out := handle(chat, flows.Event{Kind: flows.EventStart, Command: "start"}); out.Lang != "en" {
			t.Errorf("unlinked, no language_code: %q, want en", out.Lang)
		}
		out := handle(chat, contact(tc.phone, chat))
		if out.Replies[0].Lang != tc.want {
			t.Errorf("%s: linked in %q, want the account's %q", tc.phone, out.Replies[0].Lang, tc.want)
		}
		if out := handle(chat, flows.Event{Kind: flows.EventStart, Command: "start"}); out.Replies[0].Lang != tc.want {
			t.Errorf("%s: answered in %q, want the account's %q", tc.phone, out.Replies[0].Lang, tc.want)
		}
		// What the client reports still wins over the account.
		if out := handle(chat, flows.Event{Kind: flows.EventStart, Command: "start", LanguageCode: "de"}); out.Replies[0].Lang != "en" {
			t.Errorf("%s: with language_code de answered in %q, want en", tc.phone, out.Replies[0].Lang)
		}
	}
}
