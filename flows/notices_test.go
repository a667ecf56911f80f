package flows_test

import (
	"context"
	"testing"
	"time"

	"paydesk/flows"
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
// one message in the morning.
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
		if r.ChatID == senderChat {
			notices = append(notices, r)
		}
	}
	if len(notices) != 1 {
		t.Fatalf("%d messages in the morning, want one", len(notices))
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
