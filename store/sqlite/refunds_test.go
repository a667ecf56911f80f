package sqlite

import (
	"testing"
	"time"

	"paydesk/store"
)

// The demo ledger's seeded refunds, by id (seed_refunds.go).
const (
	waitsForPayment = 601 // on an expected payment paid 6 h after the seed
	atTheBank       = 602 // the bank answers 21 h after the seed
	waitsForFunds   = 603 // 1 200 Kč missing; 600 Kč come in a day
)

// TestAdvanceRefunds walks the demo ledger's clockwork: the expected
// payment is paid and its refund goes on, the bank confirms a day after a
// refund was sent, the refund waiting for funds gets less missing each day
// and goes to the bank once enough came in, and nothing ever waits past its
// deadline. Advancing again to the same time changes nothing more.
func TestAdvanceRefunds(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	db := seeded(t, now)
	ctx := t.Context()
	state := func(id int64) store.Refund {
		t.Helper()
		r, err := db.Refund(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	advance := func(to time.Time) {
		t.Helper()
		if err := db.AdvanceRefunds(ctx, to); err != nil {
			t.Fatal(err)
		}
	}
	advance(now)
	if r := state(waitsForFunds); r.State != store.RefundAwaitingFunds || r.Missing != 120000 {
		t.Fatalf("at the seed: %s, %d missing; want awaiting_funds, 120000", r.State, r.Missing)
	}
	advance(now.Add(12 * time.Hour))
	if r := state(waitsForPayment); r.State != store.RefundAwaitingBank {
		t.Fatalf("after its payment was paid: %s (history %v), want awaiting_bank", r.State, r.History)
	}
	if p, _ := db.Payment(ctx, state(waitsForPayment).PaymentID); p.Status != store.PaymentPaid || !p.PaidAt.Equal(now.Add(6*time.Hour)) {
		t.Fatalf("the expected payment: %+v, want paid 6 h after the seed", p)
	}
	// Oldest first: 1 290 + 300 Kč came in, short of 2 490 Kč; then 300 Kč
	// went to the younger refund.
	if r := state(waitsForFunds); r.State != store.RefundAwaitingFunds || r.Missing != 249000-(129000+30000) {
		t.Fatalf("half a day on: %s, %d missing", r.State, r.Missing)
	}
	advance(now.Add(day))
	if r := state(atTheBank); r.State != store.RefundRefunded || !r.Since().Equal(now.Add(21*time.Hour)) {
		t.Fatalf("a day on: %s since %v, want refunded 21 h after the seed", r.State, r.Since())
	}
	advance(now.Add(3 * day))
	if r := state(waitsForFunds); r.State != store.RefundAwaitingBank || r.Missing != 0 {
		t.Fatalf("three days on: %s, %d missing; want awaiting_bank", r.State, r.Missing)
	}
	advance(now.Add(5 * day))
	if r := state(waitsForFunds); r.State != store.RefundRefunded {
		t.Fatalf("five days on: %s, want refunded", r.State)
	}
	// A refund nobody's funds reach is cancelled at its deadline.
	r, _, err := db.CreateRefund(ctx, "big", store.Refund{PaymentID: 503, Amount: 299900, Fee: 200,
		CreatedAt: now.Add(5 * day), Deadline: now.Add(6 * day)})
	if err != nil || r.State != store.RefundAwaitingFunds {
		t.Fatalf("a large refund: %+v, %v; want awaiting_funds", r, err)
	}
	advance(now.Add(6 * day))
	if r := state(r.ID); r.State != store.RefundCancelled || r.CancelledBy != store.CancelledByDeadline || !r.Since().Equal(now.Add(6*day)) {
		t.Fatalf("at its deadline: %+v, want cancelled by the deadline then", r)
	}
	before := state(waitsForFunds)
	advance(now.Add(6 * day))
	if after := state(waitsForFunds); len(after.History) != len(before.History) {
		t.Fatalf("advancing again changed the history: %v -> %v", before.History, after.History)
	}
}
