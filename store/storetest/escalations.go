package storetest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"paydesk/store"
)

func testOpenWithdrawals(t *testing.T, s store.Ledger) {
	ctx := t.Context()
	// Of the fixture, 30 (processing) and 31 (approval) are open; 32 was
	// received and 33 rejected. Both customers' withdrawals count.
	tests := []struct {
		name    string
		after   int64
		limit   int
		wantIDs []int64
	}{
		{"all, by id", 0, 0, []int64{30, 31}},
		{"first page", 0, 1, []int64{30}},
		{"next page", 30, 1, []int64{31}},
		{"past the end", 31, 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.OpenWithdrawals(ctx, tt.after, tt.limit)
			want := byID(fixtureWithdrawals, withdrawalID, tt.wantIDs)
			if err != nil || !same(got, want) {
				t.Errorf("OpenWithdrawals(%d, %d) = %+v, %v; want %+v", tt.after, tt.limit, got, err, want)
			}
		})
	}
}

// StageFixture is implemented by a ledger whose withdrawals a test can
// move on to a stage (the SQLite demo ledger); the suite then checks that
// a stage change is listed after every change before it, whenever it
// happened.
type StageFixture interface {
	EnterStage(ctx context.Context, id int64, stage store.WithdrawalStage, at time.Time) error
}

func testOpenWithdrawalsChangedAfter(t *testing.T, s store.Ledger) {
	ctx := t.Context()
	read := func(after int64, limit int) []store.StagedWithdrawal {
		t.Helper()
		got, err := s.OpenWithdrawalsChangedAfter(ctx, after, limit)
		if err != nil {
			t.Fatalf("OpenWithdrawalsChangedAfter(%d, %d): %v", after, limit, err)
		}
		return got
	}
	ids := func(list []store.StagedWithdrawal) []int64 {
		var out []int64
		for i, w := range list {
			if i > 0 && w.StageSeq <= list[i-1].StageSeq {
				t.Errorf("StageSeq %d of %d does not grow past %d", w.StageSeq, w.ID, list[i-1].StageSeq)
			}
			out = append(out, w.ID)
		}
		return out
	}
	// Of the fixture, 31 (approval) and 30 (processing) are open, recorded
	// in that order; 32 was received and 33 rejected.
	all := read(0, 0)
	if got := ids(all); !same(got, []int64{31, 30}) {
		t.Fatalf("all open, in record order: %v, want [31 30]", got)
	}
	for _, w := range all {
		if want := byID(fixtureWithdrawals, withdrawalID, []int64{w.ID})[0]; !same(w.Withdrawal, want) {
			t.Errorf("withdrawal %d = %+v, want %+v", w.ID, w.Withdrawal, want)
		}
	}
	first := read(0, 1)
	if got := ids(first); !same(got, []int64{31}) {
		t.Fatalf("first page: %v, want [31]", got)
	}
	if got := ids(read(first[0].StageSeq, 1)); !same(got, []int64{30}) {
		t.Errorf("next page: %v, want [30]", got)
	}
	last := all[len(all)-1].StageSeq
	if got := read(last, 10); len(got) != 0 {
		t.Errorf("after the last: %v", ids(got))
	}

	// A withdrawal created later comes after, though it says it began
	// days ago (reported late).
	f, ok := s.(LedgerFixture)
	if !ok {
		return
	}
	late := store.Withdrawal{ID: 34, CustomerID: 2, Amount: 990000, Currency: "CZK", Method: "SEPA transfer", Provider: "sepa",
		Stage: store.StageApproval, CreatedAt: ago(3 * day), History: []store.StageChange{{Stage: store.StageApproval, At: ago(3 * day)}}}
	if _, err := f.AddWithdrawal(ctx, late); err != nil {
		t.Fatal(err)
	}
	got := read(last, 0)
	if !same(ids(got), []int64{34}) || !same(got[0].Withdrawal, late) {
		t.Fatalf("after a late withdrawal: %+v, want 34 alone", got)
	}
	last = got[0].StageSeq

	// 31 moves on to processing, as of four days ago: listed again, after
	// 34, with its new stage; a withdrawal that leaves the open stages is
	// not listed at all.
	e, ok := s.(StageFixture)
	if !ok {
		return
	}
	if err := e.EnterStage(ctx, 31, store.StageProcessing, ago(4*day)); err != nil {
		t.Fatal(err)
	}
	if err := e.EnterStage(ctx, 30, store.StageReceived, ago(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got = read(last, 0)
	if !same(ids(got), []int64{31}) || got[0].Stage != store.StageProcessing || !got[0].StageSince().Equal(ago(4*day)) {
		t.Errorf("after 31 moved on late and 30 was received: %+v, want 31 in processing since %v", got, ago(4*day))
	}
	if got := ids(read(0, 0)); !same(got, []int64{34, 31}) {
		t.Errorf("all open now: %v, want [34 31]", got)
	}
}

func testClaimNudge(t *testing.T, s store.State) {
	ctx := t.Context()
	nudge := func(kind string, id int64, stage string) store.Nudge {
		return store.Nudge{Kind: kind, ObjectID: id, Stage: stage, At: base}
	}
	for _, tt := range []struct {
		name  string
		n     store.Nudge
		first bool
	}{
		{"first", nudge("withdrawal.stuck", 31, "approval"), true},
		{"again", nudge("withdrawal.stuck", 31, "approval"), false},
		{"the next stage", nudge("withdrawal.stuck", 31, "processing"), true},
		{"another object", nudge("withdrawal.stuck", 30, "approval"), true},
		{"another kind", nudge("dispute.deadline", 31, "approval"), true},
		{"later, still the same", store.Nudge{Kind: "withdrawal.stuck", ObjectID: 31, Stage: "approval", At: base.Add(day)}, false},
	} {
		if claimed, err := s.NudgeClaimed(ctx, tt.n); err != nil || claimed == tt.first {
			t.Errorf("%s: NudgeClaimed(%+v) before the claim = %v, %v; want %v", tt.name, tt.n, claimed, err, !tt.first)
		}
		first, err := s.ClaimNudge(ctx, tt.n)
		if err != nil || first != tt.first {
			t.Errorf("%s: ClaimNudge(%+v) = %v, %v; want %v", tt.name, tt.n, first, err, tt.first)
		}
		if claimed, err := s.NudgeClaimed(ctx, tt.n); err != nil || !claimed {
			t.Errorf("%s: NudgeClaimed(%+v) after the claim = %v, %v; want true", tt.name, tt.n, claimed, err)
		}
	}
}

// testClaimNudgeRace claims one nudge from many goroutines at once, as
// replicas ticking together would: exactly one may send it.
func testClaimNudgeRace(t *testing.T, s store.State) {
	const claims = 16
	var (
		firsts atomic.Int32
		wg     sync.WaitGroup
		start  = make(chan struct{})
	)
	for range claims {
		wg.Go(func() {
			<-start
			first, err := s.ClaimNudge(t.Context(), store.Nudge{Kind: "withdrawal.stuck", ObjectID: 7, Stage: "processing", At: base})
			if err != nil {
				t.Errorf("ClaimNudge: %v", err)
			}
			if first {
				firsts.Add(1)
			}
		})
	}
	close(start)
	wg.Wait()
	if n := firsts.Load(); n != 1 {
		t.Errorf("%d of %d concurrent claims were first, want exactly 1", n, claims)
	}
}
