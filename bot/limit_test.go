package bot

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestGateLetsTheBurstThroughThenOnePerInterval(t *testing.T) {
	clock := newFakeClock()
	g := newGate(clock, Limit{Every: time.Second, Burst: 3})
	for i := range 3 {
		if err := g.wait(t.Context(), Interactive); err != nil {
			t.Fatalf("call %d of the burst: %v", i+1, err)
		}
	}
	passed := make(chan int, 10)
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() {
			if err := g.wait(t.Context(), Interactive); err == nil {
				passed <- i
			}
		})
	}
	Eventually(t, "three queued waiters", func() bool { return g.waiting() == 3 })
	for want := 1; want <= 3; want++ {
		if n := len(passed); n != want-1 {
			t.Fatalf("before %v: %d calls passed, want %d", time.Duration(want)*time.Second, n, want-1)
		}
		Eventually(t, "the gate's timer", func() bool { return clock.Timers() == 1 })
		clock.Advance(time.Second)
		Eventually(t, "a call to pass", func() bool { return len(passed) == want })
	}
	wg.Wait()
}

func TestGateServesInteractiveBeforeProactive(t *testing.T) {
	clock := newFakeClock()
	g := newGate(clock, Limit{Every: time.Second, Burst: 1})
	if err := g.wait(t.Context(), Interactive); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	enqueue := func(name string, prio Priority, queued int) {
		wg.Go(func() {
			if err := g.wait(t.Context(), prio); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
		})
		Eventually(t, name+" queued", func() bool { return g.waiting() == queued })
	}
	enqueue("nudge 1", Proactive, 1)
	enqueue("nudge 2", Proactive, 2)
	enqueue("reply", Interactive, 3) // came last, goes first
	for range 3 {
		Eventually(t, "the gate's timer", func() bool { return clock.Timers() == 1 })
		clock.Advance(time.Second)
	}
	wg.Wait()
	want := []string{"reply", "nudge 1", "nudge 2"}
	if len(order) != 3 || order[0] != want[0] || order[1] != want[1] || order[2] != want[2] {
		t.Errorf("order %v, want %v", order, want)
	}
}

func TestGateWaiterThatGivesUpLeavesTheQueue(t *testing.T) {
	clock := newFakeClock()
	g := newGate(clock, Limit{Every: time.Second, Burst: 1})
	if err := g.wait(t.Context(), Interactive); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { errc <- g.wait(ctx, Proactive) }()
	Eventually(t, "the waiter queued", func() bool { return g.waiting() == 1 })
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("a cancelled wait returned no error")
	}
	if n := g.waiting(); n != 0 {
		t.Errorf("%d waiters left after cancelling", n)
	}
	// The token it did not take is still there for the next caller.
	clock.Advance(time.Second)
	if ok, _ := g.take(clock.Now()); !ok {
		t.Error("no token after the interval")
	}
}

// waiting counts the queued waiters.
func (g *gate) waiting() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for _, q := range g.waiters {
		n += len(q)
	}
	return n
}
