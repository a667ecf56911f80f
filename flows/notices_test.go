package flows_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"paydesk/flows"
	"paydesk/locales"
	"paydesk/store"
)

// TestLedgerFeedTellsTheSender: with the demo ledger, a cancellation
// request answered outside the bot (in the app) reaches the sender through
// the ledger's change feed, once.
func TestLedgerFeedTellsTheSender(t *testing.T) {
	h := newTransferHarness(t)
	h.link(senderChat, "+77010000001")
	h.request(senderChat, toNurlan)
	req, ok := h.latest(toNurlan)
	if !ok {
		t.Fatal("no request")
	}
	h.harness.tick() // the feed's cursor starts here
	if _, _, err := h.db.ResolveCancellation(context.Background(), "app-answer", req.ID, store.CancellationDeclined, h.now); err != nil {
		t.Fatal(err)
	}
	if got := ids(to(h.harness.tick(), senderChat)); len(got) == 0 || got[0] != "transfer.told_declined" {
		t.Fatalf("after the app's answer the sender got %v, want transfer.told_declined", got)
	}
	if got := ids(to(h.harness.tick(), senderChat)); len(got) != 0 {
		t.Fatalf("second tick told the sender again: %v", got)
	}
}

// TestNoticesFoldedAfterQuietHours: events at night for one customer are
// one message in the morning (the customer's stuck withdrawals are nudged
// in another: notices and nudges are not folded together, see flows.fold).
func TestNoticesFoldedAfterQuietHours(t *testing.T) {
	h := newTransferHarness(t)
	h.link(senderChat, "+77010000001")
	list, err := h.db.Withdrawals(context.Background(), 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	var events []store.LedgerEvent
	for _, w := range list {
		if w.Stage == store.StageReceived || w.Stage == store.StageRejected {
			events = append(events, store.LedgerEvent{ID: "e" + string(w.Stage), Type: store.EventWithdrawalStage,
				CustomerID: 1, ObjectID: w.ID, Stage: string(w.Stage), At: h.now})
		}
	}
	if len(events) < 2 {
		t.Fatalf("demo customer 1 has %d finished withdrawals, want 2", len(events))
	}
	night := time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC) // 23:00 in Almaty
	h.now = night
	for _, ev := range events {
		out, err := h.engine.LedgerEvent(context.Background(), ev)
		if err != nil || len(out.Replies) != 0 {
			t.Fatalf("event at night: %v, %v; want it held back", ids(out), err)
		}
	}
	h.now = night.Add(10 * time.Hour) // 09:00
	var notices []flows.Reply
	for _, r := range h.harness.tick().Replies {
		if r.ChatID == senderChat && slices.ContainsFunc(r.Screen.Body, func(m locales.Msg) bool {
			return strings.HasPrefix(m.ID, "notice.withdrawal_")
		}) {
			notices = append(notices, r)
		}
	}
	if len(notices) != 1 {
		t.Fatalf("%d messages in the morning tell of the night's events, want one", len(notices))
	}
	n := 0
	for _, m := range notices[0].Screen.Body {
		if m.ID == "notice.withdrawal_received" || m.ID == "notice.withdrawal_rejected" {
			n++
		}
	}
	if n != len(events) {
		t.Errorf("the morning message tells %d of %d notices: %v", n, len(events), ids(flows.Outcome{Replies: notices}))
	}
}

// TestRefundEventTellsThePayerOnce: the backend's refund.state_changed
// tells the payer with the refund flow's own keyed message, so another
// event (or the refund job) about the same refund tells nobody again.
func TestRefundEventTellsThePayerOnce(t *testing.T) {
	h := newTransferHarness(t)
	ctx := context.Background()
	var (
		refund store.Refund
		payer  store.CustomerID
	)
	for id := range phones {
		list, err := h.db.RefundsTo(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range list {
			if r.State == store.RefundRefunded {
				refund, payer = r, id
			}
		}
	}
	if refund.ID == 0 {
		t.Fatal("no refunded refund to a demo customer in the seed")
	}
	h.link(senderChat, phones[payer])
	event := func(id string) flows.Outcome {
		t.Helper()
		out, err := h.engine.LedgerEvent(ctx, store.LedgerEvent{ID: id, Type: store.EventRefundState, CustomerID: payer,
			ObjectID: refund.ID, Stage: string(store.RefundRefunded), At: h.now})
		if err == nil {
			err = h.engine.Settle(ctx, &out)
		}
		if err != nil {
			t.Fatal(err)
		}
		return to(out, senderChat)
	}
	if got := ids(event("r1")); len(got) == 0 || got[0] != "refund.told_payer_refunded" {
		t.Fatalf("refund event told the payer %v, want refund.told_payer_refunded", got)
	}
	// The backend sends it again under another id: told already.
	if got := ids(event("r2")); len(got) != 0 {
		t.Fatalf("a second event about the refund told the payer %v, want nothing", got)
	}
}
