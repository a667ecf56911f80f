package flows_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"paydesk/flows"
	"paydesk/locales"
	"paydesk/store"
)

// newSupportHarness is newHarness with a command /escalate <kind> <id> that
// calls flows.Handoff the way the withdrawal, transfer and dispute flows
// do, and the chat linked to the demo customer 1.
func newSupportHarness(t *testing.T, opts ...flows.Option) *harness {
	t.Helper()
	h := newHarness(t, append([]flows.Option{
		flows.WithRoutes(func(r *flows.Router) {
			r.Command("escalate", func(c *flows.Conv) error {
				kind, id, _ := strings.Cut(c.Event.Args, " ")
				n := int64(0)
				for _, d := range id {
					n = n*10 + int64(d-'0')
				}
				_, _, err := flows.Handoff(c, flows.Subject(kind, n), flows.ReasonCommand)
				return err
			})
		}),
	}, opts...)...)
	h.do(contact("+77010000001", chat))
	return h
}

func (h *harness) agent(ticket int64, cmd, args string, from ...flows.Agent) flows.Outcome {
	h.t.Helper()
	a := flows.Agent{UserID: 9001, Name: "@anna", Member: true}
	if len(from) > 0 {
		a = from[0]
	}
	out, err := h.engine.Agent(context.Background(), flows.AgentEvent{TicketID: ticket, From: a, Command: cmd, Args: args})
	if err != nil {
		h.t.Fatalf("agent /%s: %v", cmd, err)
	}
	return out
}

func (h *harness) ticket(id int64) store.Ticket {
	h.t.Helper()
	tk, err := h.db.Ticket(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return tk
}

// relays lists the relays of an outcome as "kind:first note id".
func relays(out flows.Outcome) []string {
	names := map[flows.RelayKind]string{
		flows.RelayCard: "card", flows.RelayNote: "note", flows.RelayToTopic: "to-topic", flows.RelayToCustomer: "to-customer",
		flows.RelayTopicClosed: "closed", flows.RelayTopicReopened: "reopened", flows.RelayTopicRenamed: "renamed",
	}
	var got []string
	for _, r := range out.Relays {
		s := names[r.Kind]
		if len(r.Note) > 0 {
			s += ":" + r.Note[0].ID
		}
		got = append(got, s)
	}
	return got
}

func wantRelays(t *testing.T, out flows.Outcome, want ...string) {
	t.Helper()
	if got := relays(out); !slices.Equal(got, want) {
		t.Fatalf("relays %v, want %v", got, want)
	}
}

// title renders a topic name in English as Telegram gets it.
func title(t *testing.T, name locales.Msg) string {
	t.Helper()
	b, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	return flows.TopicTitle(b.For("en"), name)
}

// render renders every paragraph of a relay's note in English.
func render(t *testing.T, msgs []locales.Msg) string {
	t.Helper()
	b, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, m := range msgs {
		s, err := b.For("en").Render(m)
		if err != nil {
			t.Fatalf("render %s: %v", m.ID, err)
		}
		parts = append(parts, locales.PlainText(s))
	}
	return strings.Join(parts, "\n")
}

func TestTalkToSupportHandsOffAndRelays(t *testing.T) {
	h := newSupportHarness(t)
	menu := h.do(flows.Event{Kind: flows.EventStart, Command: "start"})
	out := h.do(flows.Event{Kind: flows.EventAction, Data: button(t, menu, "menu.support"), Label: "Talk to support"})
	wantIDs(t, out, "support.handed_off", "support.wait", "support.relay_hint")
	if kb := out.Replies[0].Screen.Reply; kb == nil || kb.Rows[0][0].Label.ID != "support.back_button" {
		t.Fatal("no Back to the bot keyboard")
	}
	wantRelays(t, out, "card:support.card.title")
	card := out.Relays[0]
	if got := title(t, card.TopicName); got != "#1 · EN · General question" {
		t.Errorf("topic name %q", got)
	}
	text := render(t, card.Note)
	for _, want := range []string{"Ticket #1 · General question", "Customer: Айгерим Садыкова", "Account: #1", "Language: English",
		"Times on this card are in the customer's time zone, Asia/Almaty (UTC+5).",
		"Why the bot handed off: the customer chose “Talk to support”",
		"customer: /start", "bot: Hello, Айгерим!", "customer: [button] Talk to support"} {
		if !strings.Contains(text, want) {
			t.Errorf("card lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "About:") {
		t.Errorf("a general question has no object to be about, and the title names it:\n%s", text)
	}
	tk := h.ticket(1)
	if tk.Subject != "support" || tk.Reason != flows.ReasonMenu || tk.Status != store.TicketOpen || tk.ChatID != chat {
		t.Fatalf("ticket %+v", tk)
	}

	// Everything the customer sends now goes to the topic, commands too.
	for _, ev := range []flows.Event{
		{Kind: flows.EventText, Text: "where is my money?"},
		{Kind: flows.EventPhoto, FileID: "p1"},
		{Kind: flows.EventDocument, FileID: "d1"},
		{Kind: flows.EventOther},
		{Kind: flows.EventCommand, Command: "start"},
		{Kind: flows.EventCommand, Command: "close"},
	} {
		out := h.do(ev)
		wantIDs(t, out)
		wantRelays(t, out, "to-topic")
	}
	wantRelays(t, h.do(flows.Event{Kind: flows.EventText, Text: "fixed", Edited: true}), "note:support.agent.edited", "to-topic")

	// The menu's buttons wait; the handoff names the ticket.
	out = h.do(flows.Event{Kind: flows.EventAction, Data: button(t, menu, "menu.withdrawals")})
	wantIDs(t, out, "support.in_queue")
	if out.Toast.ID != "support.in_queue_toast" || len(out.Relays) != 0 {
		t.Fatalf("press while in the queue: toast %q relays %v", out.Toast.ID, relays(out))
	}

	out = h.do(flows.Event{Kind: flows.EventText, Text: "Back to the bot"})
	wantIDs(t, out, "support.left", "menu.title")
	wantRelays(t, out, "note:support.agent.customer_left", "closed")
	if tk := h.ticket(1); tk.Status != store.TicketClosed {
		t.Fatalf("ticket %+v after leaving", tk)
	}
	// Left by the customer: a message goes to the bot again.
	wantIDs(t, h.do(flows.Event{Kind: flows.EventText, Text: "hello"}), "common.not_understood", "menu.title")
}

func TestBackButtonInAnyLanguageAndInline(t *testing.T) {
	h := newSupportHarness(t)
	h.do(flows.Event{Kind: flows.EventCommand, Command: "support"})
	out := h.do(flows.Event{Kind: flows.EventText, Text: "Вернуться к боту"})
	wantIDs(t, out, "support.left", "menu.title")

	h.now = h.now.Add(25 * time.Hour) // past the reopen window: a new ticket
	h.do(flows.Event{Kind: flows.EventCommand, Command: "support"})
	out = h.do(flows.Event{Kind: flows.EventAction, Data: "tr|AAAAAAAAAAAA"})
	wantIDs(t, out, "support.in_queue")
	out = h.do(flows.Event{Kind: flows.EventAction, Data: button(t, out, "support.back_button")})
	wantIDs(t, out, "support.left", "menu.title")
	if tk := h.ticket(2); tk.Status != store.TicketClosed || tk.Reason != flows.ReasonCommand {
		t.Fatalf("second ticket %+v", tk)
	}
}

// Someone who cannot link most needs a person: /support and "Talk to
// support" hand an unlinked chat off, and the card says it is not verified.
func TestSupportWorksUnlinked(t *testing.T) {
	h := newHarness(t)
	out := h.do(flows.Event{Kind: flows.EventCommand, Command: "support"})
	wantIDs(t, out, "support.handed_off", "support.wait", "support.relay_hint")
	wantRelays(t, out, "card:support.card.title")
	text := render(t, out.Relays[0].Note)
	for _, want := range []string{"Customer: not linked (chat 555)", "Not verified", "the customer sent /support"} {
		if !strings.Contains(text, want) {
			t.Errorf("card lacks %q:\n%s", want, text)
		}
	}
	if tk := h.ticket(1); tk.CustomerID != 0 || tk.ChatID != chat || tk.Status != store.TicketOpen {
		t.Fatalf("ticket %+v", tk)
	}
	// What the person writes goes to the agents, not to the phone-number step.
	out = h.do(flows.Event{Kind: flows.EventText, Text: "hello"})
	wantIDs(t, out)
	wantRelays(t, out, "to-topic")

	// From the menu button of another unlinked chat: its own ticket.
	other := int64(556)
	menu := h.do(flows.Event{Kind: flows.EventStart, Command: "start", ChatID: other, UserID: other})
	out = h.do(flows.Event{Kind: flows.EventAction, ChatID: other, UserID: other, Data: button(t, menu, "menu.support")})
	wantIDs(t, out, "support.handed_off", "support.wait", "support.relay_hint")
	if tk := h.ticket(2); tk.ChatID != other || tk.Reason != flows.ReasonMenu {
		t.Fatalf("second chat's ticket %+v", tk)
	}
}

func TestHandoffFromFlowsDescribesTheObject(t *testing.T) {
	cases := []struct {
		kind, id, subject string
		want              []string
	}{
		{"withdrawal", "201", "Withdrawal #201", []string{"Withdrawal #201: ₸15,000 to Kaspi Gold *4417 via Kaspi Bank", "Stage: Awaiting approval since 16 November, 10:00 (7 days 4 hours)",
			"Limit: 2 business days, ran out on 18 November, 10:00. Over by: 5 days 4 hours"}},
		{"withdrawal", "203", "Withdrawal #203", []string{"Stage: Awaiting approval since 23 November, 12:00 (2 hours)", "Limit: 2 business days, until 25 November, 12:00, time left: 1 day 22 hours"}},
		{"withdrawal", "202", "Withdrawal #202", []string{"Stage: Processing", "Limit: 3 business days, ran out on"}},
		{"withdrawal", "205", "Withdrawal #205", []string{"Stage: Received since"}},
		{"transfer", "101", "Transfer #101", []string{"Transfer #101: ₸5,000 to Нурлан А., 23 November, 12:00", "Cancellation window: open until 23 December, 12:00, time left: 29 days 22 hours"}},
		{"transfer", "108", "Transfer #108", []string{"Cancellation window: closed on"}},
		{"return", "301", "Return request #301", []string{"Return request #301, order KZ-458812", "Status: The seller refused", "Dispute deadline: 25 November, 14:00, time left: 2 days"}},
		{"return", "302", "Return request #302", []string{"Dispute deadline: passed on 22 November, 14:00"}},
		{"withdrawal", "207", "Withdrawal #207", []string{"About: Withdrawal #207 (not found among the customer's data)"}}, // customer 2's
	}
	for _, tc := range cases {
		t.Run(tc.kind+tc.id, func(t *testing.T) {
			h := newSupportHarness(t)
			out := h.do(flows.Event{Kind: flows.EventCommand, Command: "escalate", Args: tc.kind + " " + tc.id})
			wantIDs(t, out, "support.handed_off", "support.wait", "support.relay_hint")
			wantRelays(t, out, "card:support.card.title")
			text := render(t, out.Relays[0].Note)
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("card lacks %q:\n%s", w, text)
				}
			}
			if got := title(t, out.Relays[0].TopicName); got != "#1 · EN · "+tc.subject {
				t.Errorf("topic name %q", got)
			}
			if !strings.HasPrefix(text, "Ticket #1 · "+tc.subject+"\n") {
				t.Errorf("card title is not the subject's name:\n%s", text)
			}
		})
	}
}

func TestAgentCloseRateAndReopen(t *testing.T) {
	h := newSupportHarness(t)
	h.do(flows.Event{Kind: flows.EventCommand, Command: "escalate", Args: "withdrawal 201"})

	wantRelays(t, h.agent(1, "", ""), "to-customer")
	out := h.agent(1, "close", "")
	wantRelays(t, out, "note:support.agent.closed", "closed")
	wantIDs(t, out, "support.closed", "support.rate_ask")
	if !out.Replies[0].Screen.RemoveReply || out.Replies[0].ChatID != chat || out.Replies[0].Lang != "en" {
		t.Fatalf("closing screen %+v", out.Replies[0])
	}
	wantRelays(t, h.agent(1, "done", ""), "note:support.agent.already_closed")
	wantRelays(t, h.agent(1, "", ""), "note:support.agent.closed_not_sent")

	// The customer rates the help with a button of the closing screen.
	rating := out.Replies[1].Screen.Inline[0][3].Data // "4"
	got := h.do(flows.Event{Kind: flows.EventAction, Data: rating})
	wantIDs(t, got, "support.rate_thanks")
	wantRelays(t, got, "note:support.agent.rated")
	if tk := h.ticket(1); tk.Rating != 4 || tk.Status != store.TicketClosed {
		t.Fatalf("rated ticket %+v", tk)
	}
	// A button is valid in its own chat only.
	if got := h.do(flows.Event{Kind: flows.EventAction, Data: rating, ChatID: chat + 1, UserID: chat + 1}); got.Toast.ID != "common.button_invalid" {
		t.Fatalf("foreign rating: %v", ids(got))
	}

	// A message within a day reopens the same ticket and topic.
	h.now = h.now.Add(7 * time.Hour)
	out = h.do(flows.Event{Kind: flows.EventPhoto, FileID: "receipt"})
	wantIDs(t, out, "support.reopened", "support.wait", "support.relay_hint")
	wantRelays(t, out, "reopened", "note:support.agent.reopened_message", "to-topic")
	if tk := h.ticket(1); tk.Status != store.TicketOpen {
		t.Fatalf("ticket %+v after the customer wrote again", tk)
	}
	h.agent(1, "close", "")

	// Commands and buttons are for the bot, and after a day so is text.
	wantIDs(t, h.do(flows.Event{Kind: flows.EventCommand, Command: "help"}), "help.text")
	h.now = h.now.Add(24*time.Hour + time.Minute)
	wantIDs(t, h.do(flows.Event{Kind: flows.EventText, Text: "thanks"}), "common.not_understood", "menu.title")

	// Asking again about the same thing reopens the ticket only within the window.
	out = h.do(flows.Event{Kind: flows.EventCommand, Command: "escalate", Args: "withdrawal 201"})
	if tk, _ := h.db.OpenTicketOfChat(context.Background(), chat); tk.ID != 2 {
		t.Fatalf("after the window a new ticket, got %d", tk.ID)
	}
	h.agent(2, "close", "")
	out = h.do(flows.Event{Kind: flows.EventCommand, Command: "escalate", Args: "withdrawal 201"})
	wantIDs(t, out, "support.reopened", "support.wait", "support.relay_hint")
	wantRelays(t, out, "reopened", "note:support.agent.reopened_handoff", "card:support.card.title")
	if tk, _ := h.db.OpenTicketOfChat(context.Background(), chat); tk.ID != 2 {
		t.Fatalf("reopened ticket %d, want 2", tk.ID)
	}
}

func TestAgentCommands(t *testing.T) {
	h := newSupportHarness(t)
	h.do(flows.Event{Kind: flows.EventCommand, Command: "support"})

	// Outside the support group nothing happens.
	stranger := flows.Agent{UserID: 666, Name: "@eve", Member: false}
	for _, cmd := range []string{"", "close", "handback", "assign", "canned", "card"} {
		out := h.agent(1, cmd, "withdrawal", stranger)
		wantRelays(t, out, "note:support.agent.not_member")
		wantIDs(t, out)
	}
	if tk := h.ticket(1); tk.Status != store.TicketOpen {
		t.Fatal("a stranger changed the ticket")
	}

	wantRelays(t, h.agent(1, "note", "customer sounds upset"))
	wantRelays(t, h.agent(1, "whatever", ""), "note:support.agent.help")
	wantRelays(t, h.agent(1, "card", ""), "note:support.card.title")

	out := h.agent(1, "canned", "")
	wantRelays(t, out, "note:support.agent.canned_list")
	if n := len(out.Relays[0].Note); n != 6 {
		t.Fatalf("canned list has %d paragraphs", n)
	}
	wantRelays(t, h.agent(1, "canned", "nope"), "note:support.agent.canned_unknown")
	out = h.agent(1, "canned", "greeting")
	wantIDs(t, out, "support.canned.greeting")
	wantRelays(t, out, "note:support.agent.canned_sent")

	out = h.agent(1, "assign", "")
	wantRelays(t, out, "note:support.agent.took", "renamed")
	if got := title(t, out.Relays[1].TopicName); got != "#1 · EN · General question · @anna" {
		t.Fatalf("renamed to %q", got)
	}
	wantIDs(t, out) // the first to take it: nobody to hand over from
	wantIDs(t, h.agent(1, "assign", ""))
	boris := flows.Agent{UserID: 9002, Name: "@boris", Member: true}
	ev := flows.AgentEvent{TicketID: 1, From: flows.Agent{UserID: 9001, Name: "@anna", Member: true}, Command: "assign", ReplyTo: &boris}
	out, err := h.engine.Agent(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, out, "support.taken_over")
	if a, _ := h.db.TicketAssignee(context.Background(), 1); a != (store.Assignee{UserID: 9002, Name: "@boris"}) {
		t.Fatalf("assignee %+v", a)
	}
	ev.ReplyTo = &stranger
	out, _ = h.engine.Agent(context.Background(), ev)
	wantRelays(t, out, "note:support.agent.assign_not_member")
	wantRelays(t, h.agent(1, "assign", "@vera"), "note:support.agent.assigned", "renamed")
	wantRelays(t, h.agent(1, "assign", "vera please"), "note:support.agent.assign_usage")

	wantRelays(t, h.agent(1, "handback", "somewhere"), "note:support.agent.handback_usage")
	out = h.agent(1, "handback", "withdrawal")
	wantRelays(t, out, "note:support.agent.handed_back", "closed")
	if got := ids(out); len(got) < 2 || got[0] != "support.handed_back" {
		t.Fatalf("handback screens %v", got)
	}
	for _, r := range out.Replies {
		if r.Screen.Replace || r.ChatID != chat {
			t.Fatalf("handback screen %+v", r)
		}
	}
	if tk := h.ticket(1); tk.Status != store.TicketClosed {
		t.Fatal("handback left the ticket open")
	}
	// Handed back, the chat is the bot's: text is no reopening, and the
	// screen it was handed back to is shown again.
	out = h.do(flows.Event{Kind: flows.EventText, Text: "ok"})
	wantIDs(t, out, "common.not_understood", "withdrawal.list_title")
	wantRelays(t, out)
}

func TestSupportHours(t *testing.T) {
	almaty, _ := time.LoadLocation("Asia/Almaty")
	h, err := flows.ParseSupportHours("Mon-Fri 09:00-18:00", almaty, 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, almaty)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		now, next string // next "" means open now
	}{
		{"2026-11-23 09:00", ""},                 // Monday, opening minute
		{"2026-11-23 17:59", ""},                 //
		{"2026-11-23 18:00", "2026-11-24 09:00"}, // closing time: tomorrow
		{"2026-11-23 08:00", "2026-11-23 09:00"}, // before opening
		{"2026-11-27 19:00", "2026-11-30 09:00"}, // Friday evening: Monday
		{"2026-11-28 12:00", "2026-11-30 09:00"}, // Saturday
	}
	for _, tc := range cases {
		open, next := h.NextOpen(at(tc.now))
		if open != (tc.next == "") || (tc.next != "" && !next.Equal(at(tc.next))) {
			t.Errorf("at %s: open=%v next=%v, want next %q", tc.now, open, next, tc.next)
		}
	}
	for _, bad := range []string{"", "Mon-Fri", "Mon-Xyz 09:00-18:00", "Mon 18:00-09:00", "Mon 09:00-25:00"} {
		if _, err := flows.ParseSupportHours(bad, almaty, 0); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	weekend, err := flows.ParseSupportHours("Sat,Sun 10:00-24:00", almaty, 0)
	if err != nil || !weekend.Days[time.Saturday] || weekend.Days[time.Monday] {
		t.Fatalf("Sat,Sun: %+v %v", weekend, err)
	}

	// Outside the hours the customer hears when support is back, in their zone.
	hs := newSupportHarness(t, flows.WithSupportHours(h))
	hs.now = at("2026-11-23 19:00")
	out := hs.do(flows.Event{Kind: flows.EventCommand, Command: "support"})
	wantIDs(t, out, "support.handed_off", "support.offline", "support.scale.place", "support.relay_hint")
	if got := render(t, out.Replies[0].Screen.Body[1:2]); !strings.Contains(got, "24 November, 9:00") {
		t.Fatalf("offline line %q", got)
	}
}

// TestTopicTitleFitsTelegram: a topic name is cut to Telegram's 128 UTF-16
// code units, never inside a character.
func TestTopicTitleFitsTelegram(t *testing.T) {
	long := locales.M("support.card.topic_assigned", "Ticket", "12", "Lang", "RU",
		"Subject", locales.M("support.subject.withdrawal", "ID", "201"), "Agent", strings.Repeat("😀", 100))
	got := title(t, long)
	if n := len(utf16.Encode([]rune(got))); n > 128 || n < 127 {
		t.Errorf("%d UTF-16 units, want 127 or 128: %q", n, got)
	}
	if !utf8.ValidString(got) || !strings.HasPrefix(got, "#12 · RU · Withdrawal #201 · 😀") {
		t.Errorf("title %q", got)
	}
}

// TestCancelInSupportAsksBeforeLeaving: /cancel while a ticket is open is
// meant for the bot: it is not relayed to the agents, it asks, and only
// "Yes" leaves the queue.
func TestCancelInSupportAsksBeforeLeaving(t *testing.T) {
	h := newSupportHarness(t)
	h.do(flows.Event{Kind: flows.EventCommand, Command: "support"})
	ask := h.do(flows.Event{Kind: flows.EventCommand, Command: "cancel"})
	wantIDs(t, ask, "support.cancel.ask")
	wantRelays(t, ask)
	stay := h.pressData(button(t, ask, "support.cancel.no"))
	wantIDs(t, stay, "support.cancel.stayed")
	wantRelays(t, stay)
	if tk := h.ticket(1); tk.Status != store.TicketOpen {
		t.Fatalf("“Stay” closed the ticket: %+v", tk)
	}
	wantRelays(t, h.text("still here"), "to-topic")
	left := h.pressData(button(t, h.do(flows.Event{Kind: flows.EventCommand, Command: "cancel"}), "support.cancel.yes"))
	wantIDs(t, left, "support.left", "menu.title")
	wantRelays(t, left, "note:support.agent.customer_left", "closed")
	if tk := h.ticket(1); tk.Status != store.TicketClosed {
		t.Fatalf("“Yes” left the ticket open: %+v", tk)
	}
}

func TestHelpMentionsSupport(t *testing.T) {
	b, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t)
	out := h.do(flows.Event{Kind: flows.EventCommand, Command: "help"})
	for _, lang := range locales.Languages {
		text, err := b.For(lang).Render(out.Replies[0].Screen.Body[0])
		if err != nil || !strings.Contains(text, "/support") {
			t.Errorf("%s help lacks /support: %q (%v)", lang, text, err)
		}
	}
}
