package flows_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"paydesk/flows"
	"paydesk/store"
	"paydesk/store/sqlite"
)

// readLog is the real SQLite ledger, noting which withdrawals the nudge
// job read: what a tick costs.
type readLog struct {
	*sqlite.DB
	read []int64
}

func (l *readLog) OpenWithdrawalsSince(ctx context.Context, since time.Time, afterID int64, before time.Time, limit int) ([]store.Withdrawal, error) {
	list, err := l.DB.OpenWithdrawalsSince(ctx, since, afterID, before, limit)
	for _, w := range list {
		l.read = append(l.read, w.ID)
	}
	return list, err
}

// watermarkHarness is a harness whose every demo customer has a chat (so
// no nudge is held back for want of one) and whose engine reads the ledger
// through a readLog.
func watermarkHarness(t *testing.T) (*harness, *readLog) {
	t.Helper()
	h := newHarness(t)
	for i, phone := range []string{"+77010000001", "+420601000001", "+447700900001", "+77010000002"} {
		ev := contact(phone, int64(chat+i))
		ev.ChatID, ev.UserID = int64(chat+i), int64(chat+i)
		h.do(ev)
	}
	log := &readLog{DB: h.db}
	h.engine = flows.New(h.db, log, flows.WithSecret([]byte("flows-test-secret-0123456789abcdef")),
		flows.WithClock(func() time.Time { return h.now }))
	return h, log
}

// watermark is where the nudge job stands.
func watermark(t *testing.T, db *sqlite.DB) time.Time {
	t.Helper()
	n, err := db.Cursor(context.Background(), "nudge.withdrawal.watermark")
	if err != nil {
		t.Fatal(err)
	}
	return time.Unix(0, n)
}

func sortedNudged(t *testing.T, out flows.Outcome) []int64 {
	t.Helper()
	got := nudged(t, out)
	slices.Sort(got)
	return got
}

const wdAdded = 901

// TestWithdrawalNudgeDue: a withdrawal of customer 1 (tier standard, 2
// business days; Monday 14:00 in Almaty) is read only once it may be due,
// nudged once it is, and the watermark passes it only then.
func TestWithdrawalNudgeDue(t *testing.T) {
	tests := []struct {
		name       string
		stage      []store.StageChange
		wantRead   bool
		wantNudged bool
	}{
		{"an hour in approval: younger than the least limit, not read", []store.StageChange{
			{Stage: store.StageApproval, At: t0.Add(-time.Hour)}}, false, false},
		{"since Sunday noon: may be due, read, not due until Wednesday", []store.StageChange{
			{Stage: store.StageApproval, At: t0.Add(-26 * time.Hour)}}, true, false},
		{"ten days in approval: due", []store.StageChange{
			{Stage: store.StageApproval, At: t0.Add(-10 * 24 * time.Hour)}}, true, true},
		{"long ago approved, an hour at the provider: the current stage counts", []store.StageChange{
			{Stage: store.StageApproval, At: t0.Add(-20 * 24 * time.Hour)},
			{Stage: store.StageProcessing, At: t0.Add(-time.Hour)}}, false, false},
		{"nine days at the provider (3 at most): due", []store.StageChange{
			{Stage: store.StageApproval, At: t0.Add(-20 * 24 * time.Hour)},
			{Stage: store.StageProcessing, At: t0.Add(-9 * 24 * time.Hour)}}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, log := watermarkHarness(t)
			last := tt.stage[len(tt.stage)-1]
			if _, err := h.db.AddWithdrawal(context.Background(), store.Withdrawal{ID: wdAdded, CustomerID: 1, Amount: 100000,
				Currency: "KZT", Method: "Kaspi Gold *4417", Provider: "kaspi", Stage: last.Stage,
				CreatedAt: tt.stage[0].At, History: tt.stage}); err != nil {
				t.Fatal(err)
			}
			out := h.tick()
			if got := slices.Contains(log.read, wdAdded); got != tt.wantRead {
				t.Errorf("read %v (%v), want %v", got, log.read, tt.wantRead)
			}
			if got := slices.Contains(sortedNudged(t, out), wdAdded); got != tt.wantNudged {
				t.Errorf("nudged %v, want %v", got, tt.wantNudged)
			}
			if past := watermark(t, h.db).After(last.At); past != tt.wantNudged {
				t.Errorf("watermark %v past the stage's start %v: %v, want %v", watermark(t, h.db), last.At, past, tt.wantNudged)
			}
		})
	}
}

// TestWithdrawalNudgeWatermark follows the job over several ticks: the
// watermark moves past what was nudged only once the tick is committed,
// a lost commit owes the same nudges again, quiet hours hold it back, the
// next tick does not read what lies behind it, and a withdrawal entering a
// new stage comes up again.
func TestWithdrawalNudgeWatermark(t *testing.T) {
	ctx := context.Background()
	h, log := watermarkHarness(t)
	stuck, _ := h.db.Withdrawal(ctx, wdStuck)

	// 22:30 in Almaty: customer 1's stuck ones are due but held back, and
	// the watermark does not pass them.
	h.now = time.Date(2026, 11, 23, 17, 30, 0, 0, time.UTC)
	if got := sortedNudged(t, h.tick()); slices.Contains(got, wdStuck) {
		t.Fatalf("nudged %v during quiet hours", got)
	}
	if w := watermark(t, h.db); w.After(stuck.StageSince()) {
		t.Fatalf("watermark %v passed %d, held back by quiet hours (%v)", w, wdStuck, stuck.StageSince())
	}

	// 09:00: nudged, but the tick's commit is lost (no Settle): the
	// watermark stays, and the next tick owes the same nudges.
	h.now = time.Date(2026, 11, 24, 4, 0, 0, 0, time.UTC)
	before := watermark(t, h.db)
	lost, err := h.engine.Tick(ctx)
	if err != nil {
		t.Fatal(err)
	}
	owed := sortedNudged(t, lost) // customers 1 and 4, both in Almaty
	if !slices.Contains(owed, wdStuck) || !slices.Contains(owed, wdStuckPSP) {
		t.Fatalf("nudged %v, want %d and %d among them", owed, wdStuck, wdStuckPSP)
	}
	if w := watermark(t, h.db); !w.Equal(before) {
		t.Fatalf("watermark moved to %v before the commit", w)
	}
	if got := sortedNudged(t, h.tick()); !slices.Equal(got, owed) {
		t.Fatalf("after a lost commit nudged %v, want the same %v again", got, owed)
	}
	// 05:00 in Prague: customers 2 and 3 are still asleep, and their stuck
	// withdrawals, older than 201, hold the watermark back.
	if w := watermark(t, h.db); w.After(stuck.StageSince()) {
		t.Fatalf("watermark %v passed %d while older ones wait for Prague's morning", w, wdStuck)
	}
	h.now = time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC) // 09:00 in Prague
	if got := sortedNudged(t, h.tick()); len(got) == 0 || slices.Contains(got, wdStuck) {
		t.Fatalf("Prague's morning nudged %v, want theirs and not %d again", got, wdStuck)
	}
	if w := watermark(t, h.db); !w.After(stuck.StageSince()) {
		t.Fatalf("watermark %v not past the nudged %d (%v)", w, wdStuck, stuck.StageSince())
	}

	// The next tick reads nothing behind the watermark and nudges nothing.
	log.read = nil
	if out := h.tick(); len(out.Replies) != 0 {
		t.Fatalf("a third tick sent %d replies", len(out.Replies))
	}
	if slices.Contains(log.read, wdStuck) || slices.Contains(log.read, wdStuckPSP) {
		t.Fatalf("read %v again, behind the watermark", log.read)
	}

	// Approved now, 201 enters processing: behind the watermark no more,
	// and due again once the provider's 3 business days have passed.
	if err := h.db.EnterStage(ctx, wdStuck, store.StageProcessing, h.now); err != nil {
		t.Fatal(err)
	}
	if got := sortedNudged(t, h.tick()); slices.Contains(got, wdStuck) {
		t.Fatalf("nudged %v as soon as it entered processing", got)
	}
	h.now = h.now.Add(7 * 24 * time.Hour)
	log.read = nil
	if got := sortedNudged(t, h.tick()); !slices.Contains(got, wdStuck) {
		t.Fatalf("nudged %v a week into processing, want %d (read %v)", got, wdStuck, log.read)
	}
	if got := sortedNudged(t, h.tick()); slices.Contains(got, wdStuck) {
		t.Fatalf("nudged %d twice in processing", wdStuck)
	}
}
