package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"paydesk/store"
	"paydesk/store/sqlite"
)

// TestChangeFeed: the demo ledger lists its own changes (a cancellation
// answered, a stage entered, a refusal) in order, after a cursor.
func TestChangeFeed(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	db := seeded(t, now)
	start, err := db.Changes(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	after := int64(0)
	if n := len(start); n > 0 {
		after = start[n-1].Seq // what seeding wrote
	}
	req, _, err := db.RequestCancellation(ctx, "k", 101, now)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Changes(ctx, after, 0); len(got) != 0 {
		t.Fatalf("a new request is no change to tell: %+v", got)
	}
	if _, _, err := db.ResolveCancellation(ctx, "k2", req.ID, store.CancellationDeclined, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := db.Changes(ctx, after, 0)
	if err != nil || len(got) != 1 {
		t.Fatalf("Changes after the answer: %+v, %v", got, err)
	}
	ev := got[0].Event
	if ev.Type != store.EventCancellationAnswered || ev.ObjectID != req.ID || ev.Stage != "declined" || ev.CustomerID != 1 ||
		!ev.At.Equal(now.Add(time.Hour)) || ev.ID == "" {
		t.Errorf("change %+v, want request %d declined, told to its sender 1", ev, req.ID)
	}
	if again, _ := db.Changes(ctx, got[0].Seq, 0); len(again) != 0 {
		t.Errorf("after the last seq: %+v", again)
	}
}

// TestAdvanceWithdrawals: the demo ledger's planned stage changes happen
// once the clock reaches them, once, and reach the change feed.
func TestAdvanceWithdrawals(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	db := seeded(t, now)
	if err := db.AdvanceWithdrawals(ctx, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Changes(ctx, 0, 0); len(got) != 0 {
		t.Fatalf("nothing is due an hour on, yet: %+v", got)
	}
	for range 2 {
		if err := db.AdvanceWithdrawals(ctx, now.Add(2*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.Changes(ctx, 0, 0)
	if err != nil || len(got) == 0 {
		t.Fatalf("Changes after two days: %+v, %v", got, err)
	}
	seen := map[int64]int{}
	for _, c := range got {
		ev := c.Event
		if ev.Type != store.EventWithdrawalStage || ev.Stage != "received" {
			t.Errorf("change %+v, want a withdrawal received", ev)
		}
		seen[ev.ObjectID]++
		w, err := db.Withdrawal(ctx, ev.ObjectID)
		if err != nil || w.Stage != store.StageReceived || w.History[len(w.History)-1].Stage != store.StageReceived {
			t.Errorf("withdrawal %d after the change: %+v, %v", ev.ObjectID, w, err)
		}
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("withdrawal %d changed %d times, want once", id, n)
		}
	}
}

// seeded is a new database file with the demo ledger seeded at now.
func seeded(t *testing.T, now time.Time) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.SeedDemo(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	return db
}
