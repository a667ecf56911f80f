package flows_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"paydesk/flows"
	"paydesk/store"
	"paydesk/store/sqlite"
)

// TestDemoSeedHasCancellableTransfers: whenever the demo starts, every demo
// customer has a transfer they can still cancel and two they no longer can,
// by the rule itself in their own zone — at month ends, in a leap February
// and on clock-change days too.
func TestDemoSeedHasCancellableTransfers(t *testing.T) {
	nows := []time.Time{
		t0,
		time.Date(2026, 1, 31, 23, 30, 0, 0, time.UTC),
		time.Date(2026, 3, 1, 0, 15, 0, 0, time.UTC),
		time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC),  // Prague springs forward
		time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), // Prague falls back
		time.Date(2028, 2, 29, 18, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 31, 19, 0, 0, 0, time.UTC), // already 1 January in Almaty
	}
	for _, now := range nows {
		t.Run(now.Format(time.RFC3339), func(t *testing.T) {
			ctx := context.Background()
			db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "seed.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.SeedDemo(ctx, now); err != nil {
				t.Fatal(err)
			}
			for id := range 4 {
				cust, err := db.Customer(ctx, store.CustomerID(id+1))
				if err != nil {
					t.Fatal(err)
				}
				list, _, err := db.Transfers(ctx, cust.ID, 0, 0)
				if err != nil {
					t.Fatal(err)
				}
				var can, cannot int
				for _, tr := range list {
					if flows.CanCancel(tr.CreatedAt, now, cust.Location()) {
						can++
					} else {
						cannot++
					}
				}
				if can < 1 || cannot < 2 {
					t.Errorf("customer %d: %d cancellable and %d too old, want at least 1 and 2", cust.ID, can, cannot)
				}
			}
		})
	}
}
