package flows_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"paydesk/flows"
	"paydesk/store"
	"paydesk/store/sqlite"
)

// BenchmarkNudgeTick is the periodic jobs' tick (the withdrawal nudges
// first) with many tracked withdrawals of which none is due. They are
// spread as in production: stages that began over the past days, with
// limits of 1 to 7 business days, of four customers, two of whom have no
// chat (and a tenth of theirs are stuck, waiting for a link). Setup ticks
// first read them all and nudge or schedule each; the measured tick then
// has nothing due and no new stage changes. Its cost should grow with the
// due nudges, not with the tracked withdrawals; the sub-benchmarks show
// how it grows. The sizes are 1000 and 10000, or PAYDESK_BENCH_TRACKED
// (e.g. 1000000; seeding that many takes a while).
func BenchmarkNudgeTick(b *testing.B) {
	sizes := []int{1000, 10000}
	if v := os.Getenv("PAYDESK_BENCH_TRACKED"); v != "" {
		sizes = nil
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				b.Fatalf("PAYDESK_BENCH_TRACKED=%q: %v", v, err)
			}
			sizes = append(sizes, n)
		}
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("tracked=%d", n), func(b *testing.B) {
			ctx := context.Background()
			db := openSeeded(b)
			for _, c := range []store.CustomerID{1, 2} { // 3 and 4 have no chat
				if err := db.SaveSession(ctx, &store.Session{ChatID: int64(chat + c), CustomerID: c, Language: "en", UpdatedAt: t0}); err != nil {
					b.Fatal(err)
				}
			}
			seedWithdrawals(b, db, n)
			engine := flows.New(db, db, flows.WithSecret([]byte("flows-test-secret-0123456789abcdef")),
				flows.WithClock(func() time.Time { return t0 }))
			// The setup ticks read every withdrawal once (a bounded number
			// a tick), nudging the demo's stuck ones.
			for range n/20000 + 2 {
				out, err := engine.Tick(ctx)
				if err == nil {
					err = engine.Settle(ctx, &out)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				out, err := engine.Tick(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if len(out.Replies) != 0 {
					b.Fatalf("%d nudges sent, want none due: %+v", len(out.Replies), out.Replies)
				}
			}
		})
	}
}

// benchStage is one kind of tracked withdrawal: its stage, provider and
// limit in business days (the tier's for approval).
type benchStage struct {
	stage    store.WithdrawalStage
	provider string
	method   string
}

var benchStages = []benchStage{
	{store.StageApproval, "kaspi", "Kaspi Gold *4417"},   // the tier's 1 or 2 days
	{store.StageProcessing, "kaspi", "Kaspi Gold *4417"}, // 3 days
	{store.StageProcessing, "sepa", "SEPA transfer"},     // 7 days
	{store.StageProcessing, "swift", "SWIFT transfer"},   // 7 days
}

// benchLimit is the limit, in business days, of s for customer c (demo
// tiers: customer 2 is gold, 1 day; the others standard, 2 days).
func benchLimit(s benchStage, c store.CustomerID) int {
	switch {
	case s.stage == store.StageApproval && c == 2:
		return 1
	case s.stage == store.StageApproval:
		return 2
	case s.provider == "kaspi":
		return 3
	}
	return 7
}

// seedWithdrawals adds n open withdrawals of the demo's four customers,
// through 64 writers at once. Each stage began a pseudo-random time ago,
// less than its limit (a business day lasts at least 22 hours), so it is
// not due at t0; but one in ten of the chatless customers' (3 and 4)
// began 14 to 19 days ago: stuck, waiting for a chat.
func seedWithdrawals(b *testing.B, db *sqlite.DB, n int) {
	b.Helper()
	ctx := context.Background()
	next := make(chan int)
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for i := range next {
				c := store.CustomerID(i%4 + 1)
				s := benchStages[(i/4)%len(benchStages)]
				f := float64(uint32(i)*2654435761) / (1 << 32) // spread over [0, 1)
				ago := time.Duration(f * float64(benchLimit(s, c)) * float64(22*time.Hour))
				if c >= 3 && i%10 == 0 {
					ago = 14*24*time.Hour + time.Duration(f*float64(5*24*time.Hour))
				}
				// One stage each: a second would be a stage change, which the
				// notices job (not measured here) tells the customer about.
				w := store.Withdrawal{CustomerID: c, Amount: 1000, Currency: "KZT", Method: s.method,
					Provider: s.provider, Stage: s.stage, CreatedAt: t0.Add(-ago)}
				if _, err := db.AddWithdrawal(ctx, w); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
