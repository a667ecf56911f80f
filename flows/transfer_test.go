package flows_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"paydesk/flows"
	"paydesk/store"
)

// Demo ledger (store/sqlite/seed.go) at t0: customer 1 sent 101 (2 h ago),
// 103 and 104 to customer 4; 107 is 26 days old, 108 older than a month.
const (
	toNurlan      int64 = 101
	toNurlanToo   int64 = 103
	nearlyAMonth  int64 = 107
	olderThanAMon int64 = 108
)

// Chats of the tests: each is linked to a demo customer by sharing the
// number.
const (
	senderChat    int64 = 701
	recipientChat int64 = 702
	otherChat     int64 = 703
)

// transferHarness is the flows harness with a logger the tests read.
type transferHarness struct {
	*harness
	logs *bytes.Buffer
}

func newTransferHarness(t *testing.T) *transferHarness {
	h := newHarness(t)
	logs := new(bytes.Buffer)
	h.engine = flows.New(h.db, h.db,
		flows.WithSecret([]byte("flows-test-secret-0123456789abcdef")),
		flows.WithClock(func() time.Time { return h.now }),
		flows.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	return &transferHarness{harness: h, logs: logs}
}

// in runs an event in a chat.
func (h *transferHarness) in(chatID int64, ev flows.Event) flows.Outcome {
	h.t.Helper()
	ev.ChatID, ev.UserID = chatID, chatID
	return h.do(ev)
}

func (h *transferHarness) link(chatID int64, phone string) {
	h.t.Helper()
	if got := ids(h.in(chatID, contact(phone, chatID))); len(got) == 0 || got[0] != "link.done" {
		h.t.Fatalf("link chat %d to %s: %v", chatID, phone, got)
	}
}

func (h *transferHarness) press(chatID int64, data string) flows.Outcome {
	h.t.Helper()
	return h.in(chatID, flows.Event{Kind: flows.EventAction, Data: data})
}

// history opens "Transfers" from the menu.
func (h *transferHarness) history(chatID int64) flows.Outcome {
	h.t.Helper()
	menu := h.in(chatID, flows.Event{Kind: flows.EventCommand, Command: "menu"})
	return h.press(chatID, button(h.t, menu, "menu.transfers"))
}

// card opens a transfer's receipt from the history, as the customer would.
func (h *transferHarness) card(chatID, transfer int64) flows.Outcome {
	h.t.Helper()
	history := h.history(chatID)
	for !hasAction(history, "trc", transfer) {
		history = h.press(chatID, button(h.t, history, "transfer.next"))
	}
	return h.press(chatID, actionButton(h.t, history, "trc", transfer))
}

// request makes customer 1 request cancellation of a transfer from chat.
func (h *transferHarness) request(chatID, transfer int64) flows.Outcome {
	h.t.Helper()
	confirm := h.press(chatID, button(h.t, h.card(chatID, transfer), "transfer.request_button"))
	return h.press(chatID, button(h.t, confirm, "transfer.confirm_button"))
}

// actionButton finds the button of an action about an object id.
func actionButton(t *testing.T, out flows.Outcome, action string, id int64) string {
	t.Helper()
	data, ok := findAction(out, action, id)
	if !ok {
		t.Fatalf("no %s button for %d in %v", action, id, ids(out))
	}
	return data
}

func hasAction(out flows.Outcome, action string, id int64) bool {
	_, ok := findAction(out, action, id)
	return ok
}

// findAction looks a button up by its callback data "name|id|...|mac" (ids
// in base 36, see flows/action.go).
func findAction(out flows.Outcome, action string, id int64) (string, bool) {
	prefix := action + "|" + strconv.FormatInt(id, 36) + "|"
	for _, r := range out.Replies {
		for _, row := range r.Screen.Inline {
			for _, b := range row {
				if strings.HasPrefix(b.Data, prefix) {
					return b.Data, true
				}
			}
		}
	}
	return "", false
}

// to returns the replies to one chat.
func to(out flows.Outcome, chatID int64) flows.Outcome {
	var mine flows.Outcome
	for _, r := range out.Replies {
		if r.ChatID == chatID {
			mine.Replies = append(mine.Replies, r)
		}
	}
	return mine
}

func (h *transferHarness) latest(transfer int64) (store.CancellationRequest, bool) {
	h.t.Helper()
	r, err := h.db.LatestCancellation(context.Background(), transfer)
	if errors.Is(err, store.ErrNotFound) {
		return r, false
	}
	if err != nil {
		h.t.Fatal(err)
	}
	return r, true
}

func (h *transferHarness) openCount() int {
	h.t.Helper()
	open, err := h.db.OpenCancellations(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	return len(open)
}

// tick runs the periodic jobs and keeps what the transfer flow sent; other
// flows' jobs (stuck-withdrawal nudges, dispute reminders) have their own tests.
func (h *transferHarness) tick() flows.Outcome {
	h.t.Helper()
	out, err := h.engine.Tick(context.Background())
	if err == nil {
		err = h.engine.Settle(context.Background(), &out)
	}
	if err != nil {
		h.t.Fatalf("tick: %v", err)
	}
	var mine []flows.Reply
	for _, r := range out.Replies {
		if len(r.Screen.Body) > 0 && strings.HasPrefix(r.Screen.Body[0].ID, "transfer.") {
			mine = append(mine, r)
		}
	}
	out.Replies = mine
	return out
}

func wantRefused(t *testing.T, what string, out flows.Outcome) {
	t.Helper()
	if out.Toast.ID != "common.button_invalid" || len(ids(out)) == 0 || ids(out)[0] != "common.button_invalid" {
		t.Errorf("%s: %v (toast %q), want it refused", what, ids(out), out.Toast.ID)
	}
}

// TestTransferRequestedOnce: a double tap, a redelivered press and a second
// device all end at the one request, and the recipient is asked once.
func TestTransferRequestedOnce(t *testing.T) {
	h := newTransferHarness(t)
	h.link(recipientChat, "+77010000002")
	h.link(senderChat, "+77010000001")
	h.link(otherChat, "+77010000001") // the sender's second device

	card := h.card(senderChat, toNurlan)
	confirm := button(t, h.press(senderChat, button(t, card, "transfer.request_button")), "transfer.confirm_button")
	// The second device opened the confirmation before the first one pressed.
	confirm2 := button(t, h.press(otherChat, button(t, h.card(otherChat, toNurlan), "transfer.request_button")), "transfer.confirm_button")

	first := h.press(senderChat, confirm)
	if first.Toast.ID != "transfer.requested_toast" {
		t.Errorf("first press: toast %q", first.Toast.ID)
	}
	wantIDs(t, to(first, recipientChat), "transfer.incoming")
	wantIDs(t, to(first, senderChat), "transfer.receipt", "transfer.request_status", "transfer.explain_notified")

	for name, out := range map[string]flows.Outcome{
		"double tap":     h.press(senderChat, confirm),
		"second device":  h.press(otherChat, confirm2),
		"after the tick": h.tick(),
	} {
		if len(to(out, recipientChat).Replies) != 0 {
			t.Errorf("%s: the recipient was asked again: %v", name, ids(to(out, recipientChat)))
		}
	}
	if n := h.openCount(); n != 1 {
		t.Fatalf("%d open requests, want 1", n)
	}
}

// TestTransferButtonsOfAnotherCustomer: a chat that was linked to the sender
// and is now linked to somebody else keeps validly signed buttons; every one
// of them is refused, logged, and changes nothing.
func TestTransferButtonsOfAnotherCustomer(t *testing.T) {
	h := newTransferHarness(t)
	h.link(otherChat, "+77010000001")
	card := h.card(otherChat, toNurlan)
	ask := button(t, card, "transfer.request_button")
	confirm := button(t, h.press(otherChat, ask), "transfer.confirm_button")
	old := h.card(otherChat, olderThanAMon)
	support := button(t, old, "transfer.support_button")
	view := actionButton(t, h.history(otherChat), "trc", toNurlan)

	h.link(otherChat, "+420601000001") // now Tereza's chat
	h.logs.Reset()
	presses := map[string]string{"view": view, "ask": ask, "confirm": confirm, "support": support}
	for name, data := range presses {
		wantRefused(t, name, h.press(otherChat, data))
	}
	if _, ok := h.latest(toNurlan); ok {
		t.Fatal("a refused press created a cancellation request")
	}
	if _, err := h.db.OpenTicketOfChat(context.Background(), otherChat); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a refused press opened a ticket: %v", err)
	}
	if n := strings.Count(h.logs.String(), "refused button"); n != len(presses) {
		t.Errorf("%d refusals logged, want %d:\n%s", n, len(presses), h.logs.String())
	}
	if strings.Contains(h.logs.String(), "Нурлан") || strings.Contains(h.logs.String(), "+7701") {
		t.Errorf("a name or phone in the logs:\n%s", h.logs.String())
	}
}

// TestRecipientAnswersOnce: the recipient's buttons work for the recipient
// only, and only while the request is open; the first answer moves the
// money and tells the sender, a second one changes nothing.
func TestRecipientAnswersOnce(t *testing.T) {
	h := newTransferHarness(t)
	h.link(recipientChat, "+77010000002")
	h.link(senderChat, "+77010000001")
	push := to(h.request(senderChat, toNurlan), recipientChat)
	giveBack := button(t, h.press(recipientChat, button(t, push, "transfer.return_button")), "transfer.return_confirm_button")
	decline := button(t, push, "transfer.decline_button")

	// The same chat linked to somebody else (a shared phone) cannot answer.
	h.link(recipientChat, "+447700900001")
	h.logs.Reset()
	wantRefused(t, "return by another customer", h.press(recipientChat, giveBack))
	wantRefused(t, "decline by another customer", h.press(recipientChat, decline))
	if req, _ := h.latest(toNurlan); !req.Status.Open() {
		t.Fatalf("a refused answer closed the request: %+v", req)
	}
	if n := strings.Count(h.logs.String(), "refused button"); n != 2 {
		t.Errorf("%d refusals logged, want 2", n)
	}

	h.link(recipientChat, "+77010000002")
	out := h.press(recipientChat, giveBack)
	wantIDs(t, to(out, recipientChat), "transfer.returned_done")
	wantIDs(t, to(out, senderChat), "transfer.told_returned")
	tr, err := h.db.Transfer(context.Background(), toNurlan)
	if err != nil || tr.Status != store.TransferReturned {
		t.Fatalf("transfer after returning: %+v %v", tr, err)
	}
	for name, data := range map[string]string{"second tap": giveBack, "decline after returning": decline} {
		out := h.press(recipientChat, data)
		wantIDs(t, to(out, recipientChat), "transfer.incoming_closed_returned")
		if len(to(out, senderChat).Replies) != 0 {
			t.Errorf("%s: the sender was told again: %v", name, ids(out))
		}
	}
	if req, _ := h.latest(toNurlan); req.Status != store.CancellationReturned {
		t.Fatalf("request %+v, want returned", req)
	}
	// The sender's card shows the outcome and no second request.
	card := h.card(senderChat, toNurlan)
	wantIDs(t, card, "transfer.receipt", "transfer.request_status", "transfer.explain_returned")
}

// TestRecipientWhoLinksLater: a request made while the recipient had no
// linked chat reaches them on the next tick, once, and is listed on top of
// their history.
func TestRecipientWhoLinksLater(t *testing.T) {
	h := newTransferHarness(t)
	h.link(senderChat, "+77010000001")
	if out := h.request(senderChat, toNurlanToo); len(to(out, recipientChat).Replies) != 0 {
		t.Fatal("pushed to a chat that is not linked")
	}
	h.link(recipientChat, "+77010000002")
	wantIDs(t, to(h.tick(), recipientChat), "transfer.incoming")
	if out := h.tick(); len(out.Replies) != 0 {
		t.Fatalf("second tick sent %v", ids(out))
	}
	history := h.history(recipientChat)
	if got := ids(history); len(got) < 2 || got[0] != "transfer.incoming_list" {
		t.Fatalf("recipient's history %v, want the request on top", got)
	}
	req, _ := h.latest(toNurlanToo)
	wantIDs(t, h.press(recipientChat, actionButton(t, history, "tri", req.ID)), "transfer.incoming")
}

// TestRequestExpiresAfterAWeek: the job expires an unanswered request at
// created + 7 days, not a second earlier, tells the sender once with "Talk
// to support", and the recipient's late press finds it closed.
func TestRequestExpiresAfterAWeek(t *testing.T) {
	h := newTransferHarness(t)
	h.link(recipientChat, "+77010000002")
	h.link(senderChat, "+77010000001")
	push := to(h.request(senderChat, toNurlanToo), recipientChat)

	h.now = t0.Add(flows.RecipientAnswerTime - time.Second)
	if out := h.tick(); len(out.Replies) != 0 {
		t.Fatalf("a second before the week is over the job sent %v", ids(out))
	}
	h.now = t0.Add(flows.RecipientAnswerTime)
	out := h.tick()
	told := to(out, senderChat)
	wantIDs(t, told, "transfer.told_expired")
	support := button(t, told, "transfer.support_button")
	if out := h.tick(); len(out.Replies) != 0 {
		t.Fatalf("second tick sent %v", ids(out))
	}
	if req, _ := h.latest(toNurlanToo); req.Status != store.CancellationExpired {
		t.Fatalf("request %+v, want expired", req)
	}
	late := h.press(recipientChat, button(t, push, "transfer.return_button"))
	wantIDs(t, late, "transfer.incoming_closed_expired")
	if tr, _ := h.db.Transfer(context.Background(), toNurlanToo); tr.Status != store.TransferCompleted {
		t.Fatalf("a late press moved the money: %+v", tr)
	}
	handoff := h.press(senderChat, support)
	wantHandoff(t, handoff)
	tk, err := h.db.OpenTicketOfChat(context.Background(), senderChat)
	if err != nil || tk.Subject != flows.Subject("transfer", toNurlanToo) || tk.Reason != "transfer.handoff_expired" {
		t.Fatalf("ticket %+v, %v", tk, err)
	}
	wantIDs(t, h.press(senderChat, support), "support.in_queue") // support has the chat, ticket named
}

// TestRecipientPressAfterTheWeekExpires: when the recipient presses before
// the job ran, the press itself expires the request; the sender is told
// once, by the press, not again by the job.
func TestRecipientPressAfterTheWeekExpires(t *testing.T) {
	h := newTransferHarness(t)
	h.link(recipientChat, "+77010000002")
	h.link(senderChat, "+77010000001")
	push := to(h.request(senderChat, toNurlanToo), recipientChat)
	h.now = t0.Add(flows.RecipientAnswerTime)
	out := h.press(recipientChat, button(t, push, "transfer.decline_button"))
	wantIDs(t, to(out, recipientChat), "transfer.incoming_closed_expired")
	wantIDs(t, to(out, senderChat), "transfer.told_expired")
	if out := h.tick(); len(out.Replies) != 0 {
		t.Fatalf("the job told again: %v", ids(out))
	}
}

// TestConfirmAtTheDeadline: a confirmation pressed one second before the
// calendar month is over makes the request; at the deadline it shows the
// card with the reason instead.
func TestConfirmAtTheDeadline(t *testing.T) {
	for _, tc := range []struct {
		name    string
		at      time.Duration // from the deadline
		request bool
	}{
		{"a second before", -time.Second, true},
		{"at the deadline", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newTransferHarness(t)
			h.link(senderChat, "+77010000001")
			confirm := button(t, h.press(senderChat, button(t, h.card(senderChat, nearlyAMonth), "transfer.request_button")), "transfer.confirm_button")
			tr, err := h.db.Transfer(context.Background(), nearlyAMonth)
			if err != nil {
				t.Fatal(err)
			}
			almaty, _ := time.LoadLocation("Asia/Almaty")
			h.now = flows.CancelDeadline(tr.CreatedAt, almaty).Add(tc.at)
			out := h.press(senderChat, confirm)
			if _, made := h.latest(nearlyAMonth); made != tc.request {
				t.Fatalf("request made: %v, want %v (%v)", made, tc.request, ids(out))
			}
			if !tc.request {
				wantIDs(t, out, "transfer.receipt", "transfer.too_old")
			}
		})
	}
}

// TestCardsSayWhy: a card offers the request only when it can be made.
func TestCardsSayWhy(t *testing.T) {
	h := newTransferHarness(t)
	h.link(senderChat, "+77010000001")
	for _, tc := range []struct {
		transfer int64
		want     []string
	}{
		{toNurlan, []string{"transfer.receipt", "transfer.can_cancel"}},
		{nearlyAMonth, []string{"transfer.receipt", "transfer.can_cancel"}},
		{olderThanAMon, []string{"transfer.receipt", "transfer.too_old"}},
		{106, []string{"transfer.receipt", "transfer.already_returned"}}, // returned before the bot
	} {
		wantIDs(t, h.card(senderChat, tc.transfer), tc.want...)
	}
}

// TestLostCommitStillAsksAndTells: an update whose effect reached the
// ledger but whose commit was lost (a crash, a store error, another replica
// winning the race) is handled again; what the effect owes other chats is
// owed again, and sent once. The harness "loses" a commit by not settling
// the outcome, as the bot's journal would not have stored it.
func TestLostCommitStillAsksAndTells(t *testing.T) {
	h := newTransferHarness(t)
	h.link(recipientChat, "+77010000002")
	h.link(senderChat, "+77010000001")
	card := h.card(senderChat, toNurlan)
	confirm := button(t, h.press(senderChat, button(t, card, "transfer.request_button")), "transfer.confirm_button")

	lost, err := h.engine.Handle(context.Background(), flows.Event{Kind: flows.EventAction, ChatID: senderChat, UserID: senderChat, LanguageCode: "en", Data: confirm})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, to(lost, recipientChat), "transfer.incoming")
	if _, ok := h.latest(toNurlan); !ok {
		t.Fatal("the first handling made no request")
	}
	again := h.press(senderChat, confirm) // the redelivered update
	wantIDs(t, to(again, recipientChat), "transfer.incoming")
	if out := h.press(senderChat, confirm); len(to(out, recipientChat).Replies) != 0 {
		t.Fatalf("a third handling asked again: %v", ids(to(out, recipientChat)))
	}

	ret := button(t, to(again, recipientChat), "transfer.return_button")
	give := button(t, h.press(recipientChat, ret), "transfer.return_confirm_button")
	lost, err = h.engine.Handle(context.Background(), flows.Event{Kind: flows.EventAction, ChatID: recipientChat, UserID: recipientChat, LanguageCode: "ru", Data: give})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, to(lost, senderChat), "transfer.told_returned")
	again = h.press(recipientChat, give)
	wantIDs(t, to(again, senderChat), "transfer.told_returned")
	if out := h.press(recipientChat, give); len(to(out, senderChat).Replies) != 0 {
		t.Fatalf("a third handling told the sender again: %v", ids(to(out, senderChat)))
	}
}
