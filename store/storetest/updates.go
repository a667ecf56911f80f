package storetest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"paydesk/store"
)

func testMarkUpdate(t *testing.T, s store.State) {
	ctx := t.Context()
	for _, tt := range []struct {
		id    int64
		first bool
	}{
		{1000, true},
		{1000, false},
		{1001, true},
		{1000, false},
		{1001, false},
	} {
		first, err := s.MarkUpdate(ctx, tt.id, base)
		if err != nil || first != tt.first {
			t.Errorf("MarkUpdate(%d) = %v, %v; want %v", tt.id, first, err, tt.first)
		}
	}
}

// testMarkUpdateRace marks one update from many goroutines at once, as a
// redelivery racing the original would: exactly one may handle it.
func testMarkUpdateRace(t *testing.T, s store.State) {
	ctx := t.Context()
	const marks = 16
	for id := int64(1); id <= 5; id++ {
		var firsts atomic.Int32
		start := make(chan struct{})
		var wg sync.WaitGroup
		for range marks {
			wg.Go(func() {
				<-start
				first, err := s.MarkUpdate(ctx, id, base)
				if err != nil {
					t.Errorf("MarkUpdate(%d): %v", id, err)
				}
				if first {
					firsts.Add(1)
				}
			})
		}
		close(start)
		wg.Wait()
		if n := firsts.Load(); n != 1 {
			t.Errorf("update %d: %d of %d concurrent marks were first, want exactly 1", id, n, marks)
		}
	}
}

func testForgetUpdates(t *testing.T, s store.State) {
	ctx := t.Context()
	cutoff := base.Add(-25 * time.Hour)
	marked := []struct {
		id        int64
		at        time.Time
		forgotten bool
	}{
		{1, base.Add(-48 * time.Hour), true},
		{2, cutoff.Add(-time.Second), true},
		{3, cutoff, false}, // not older than the cutoff
		{4, base, false},
	}
	for _, m := range marked {
		if _, err := s.MarkUpdate(ctx, m.id, m.at); err != nil {
			t.Fatalf("MarkUpdate(%d): %v", m.id, err)
		}
	}
	if err := s.ForgetUpdates(ctx, cutoff); err != nil {
		t.Fatalf("ForgetUpdates: %v", err)
	}
	for _, m := range marked {
		first, err := s.MarkUpdate(ctx, m.id, base)
		if err != nil || first != m.forgotten {
			t.Errorf("after ForgetUpdates, MarkUpdate(%d) = %v, %v; want %v", m.id, first, err, m.forgotten)
		}
	}
}

func testPollOffset(t *testing.T, s store.State) {
	ctx := t.Context()
	if got, err := s.PollOffset(ctx); err != nil || got != 0 {
		t.Errorf("PollOffset() on an empty store = %d, %v; want 0", got, err)
	}
	for _, offset := range []int64{42, 43, 1 << 40, 7} {
		if err := s.SetPollOffset(ctx, offset); err != nil {
			t.Fatalf("SetPollOffset(%d): %v", offset, err)
		}
		if got, err := s.PollOffset(ctx); err != nil || got != offset {
			t.Errorf("PollOffset() = %d, %v; want %d", got, err, offset)
		}
	}
}
