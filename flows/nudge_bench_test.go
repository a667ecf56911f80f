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
// first) with many tracked withdrawals of which none is due: all were
// created a minute ago. Its cost should grow with the due nudges, not with
// the tracked withdrawals; the sub-benchmarks show how it grows. The sizes
// are 1000 and 10000, or PAYDESK_BENCH_TRACKED (e.g. 1000000; seeding that
// many takes a while).
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
			seedWithdrawals(b, db, n)
			engine := flows.New(db, db, flows.WithSecret([]byte("flows-test-secret-0123456789abcdef")),
				flows.WithClock(func() time.Time { return t0 }))
			if _, err := engine.Tick(ctx); err != nil { // the demo's stuck ones are nudged once
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				out, err := engine.Tick(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if len(out.Replies) != 0 {
					b.Fatalf("%d nudges sent, want none due", len(out.Replies))
				}
			}
		})
	}
}

// seedWithdrawals adds n withdrawals awaiting approval since a minute ago,
// for the demo's customer 3, through 64 writers at once.
func seedWithdrawals(b *testing.B, db *sqlite.DB, n int) {
	b.Helper()
	ctx := context.Background()
	like, err := db.Withdrawals(ctx, 3, 1)
	if err != nil || len(like) == 0 {
		b.Fatalf("the demo's withdrawals of customer 3: %v %v", like, err)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for range next {
				w := store.Withdrawal{CustomerID: 3, Amount: 1000, Currency: like[0].Currency, Method: like[0].Method,
					Provider: like[0].Provider, Stage: store.StageApproval, CreatedAt: t0.Add(-time.Minute)}
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
