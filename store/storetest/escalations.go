package storetest

import (
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

func testOpenWithdrawalsSince(t *testing.T, s store.Ledger) {
	ctx := t.Context()
	// Of the fixture's open withdrawals, 31 entered approval 6 days ago and
	// 30 processing 2 hours ago (it had entered approval 5 hours ago: the
	// current stage counts, not the first).
	tests := []struct {
		name    string
		since   time.Time
		afterID int64
		before  time.Time
		limit   int
		wantIDs []int64
	}{
		{"all, by stage began", time.Time{}, 0, base, 0, []int64{31, 30}},
		{"first page", time.Time{}, 0, base, 1, []int64{31}},
		{"next page, after the cursor", ago(6 * day), 31, base, 1, []int64{30}},
		{"since is inclusive", ago(6 * day), 0, base, 0, []int64{31, 30}},
		{"since past the first", ago(6 * day).Add(time.Nanosecond), 0, base, 0, []int64{30}},
		{"before is exclusive", time.Time{}, 0, ago(2 * time.Hour), 0, []int64{31}},
		{"not the first stage's start", ago(5 * time.Hour), 0, ago(3 * time.Hour), 0, nil},
		{"past the end", ago(2 * time.Hour), 30, base, 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.OpenWithdrawalsSince(ctx, tt.since, tt.afterID, tt.before, tt.limit)
			want := byID(fixtureWithdrawals, withdrawalID, tt.wantIDs)
			if err != nil || !same(got, want) {
				t.Errorf("OpenWithdrawalsSince(%v, %d, %v, %d) = %+v, %v; want %+v", tt.since, tt.afterID, tt.before, tt.limit, got, err, want)
			}
		})
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
