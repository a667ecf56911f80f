package bot

import (
	"context"
	"sync"
	"time"
)

// Limit is a rate with a burst: after Burst calls at once, one call per
// Every. Over any window w at most Burst + w/Every calls pass.
type Limit struct {
	Every time.Duration
	Burst int
}

// Priority orders calls waiting for the same limit: interactive replies go
// before proactive messages.
type Priority int

const (
	Interactive Priority = iota // an answer to what the customer just did
	Proactive                   // a nudge or reminder the bot starts
	priorities
)

// gate is a token bucket (kept as GCRA: a theoretical arrival time, exact
// integer arithmetic) whose waiters are served highest priority first, in
// arrival order within a priority. A waiter never overtakes one of its own
// or a higher priority.
type gate struct {
	clock Clock
	every time.Duration
	slack time.Duration // (Burst-1) * Every: how far ahead tat may run

	mu      sync.Mutex
	tat     time.Time // when the bucket is full again
	waiters [priorities][]*waiter
	running bool // a granter goroutine is serving the waiters
}

type waiter struct {
	ready   chan struct{}
	granted bool
}

func newGate(c Clock, l Limit) *gate {
	return &gate{clock: c, every: l.Every, slack: time.Duration(max(l.Burst, 1)-1) * l.Every}
}

// take uses a token if one is there now; it reports when one will be.
func (g *gate) take(now time.Time) (ok bool, at time.Time) {
	at = g.tat.Add(-g.slack)
	if now.Before(at) {
		return false, at
	}
	g.tat = later(g.tat, now).Add(g.every)
	return true, now
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// wait returns once the call may go, or with ctx's error.
func (g *gate) wait(ctx context.Context, prio Priority) error {
	g.mu.Lock()
	if !g.queued() {
		if ok, _ := g.take(g.clock.Now()); ok {
			g.mu.Unlock()
			return nil
		}
	}
	w := &waiter{ready: make(chan struct{})}
	g.waiters[prio] = append(g.waiters[prio], w)
	if !g.running {
		g.running = true
		go g.serve()
	}
	g.mu.Unlock()

	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		g.mu.Lock()
		defer g.mu.Unlock()
		if w.granted {
			return nil // it went through just now: use it
		}
		g.remove(prio, w)
		return ctx.Err()
	}
}

// serve hands out tokens to the waiters as they come due, then exits.
func (g *gate) serve() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for {
		w := g.head()
		if w == nil {
			g.running = false
			return
		}
		ok, at := g.take(g.clock.Now())
		if ok {
			g.pop()
			w.granted = true
			close(w.ready)
			continue
		}
		g.mu.Unlock()
		<-g.clock.After(at.Sub(g.clock.Now()))
		g.mu.Lock()
	}
}

func (g *gate) queued() bool { return g.head() != nil }

func (g *gate) head() *waiter {
	for _, q := range g.waiters {
		if len(q) > 0 {
			return q[0]
		}
	}
	return nil
}

func (g *gate) pop() {
	for p, q := range g.waiters {
		if len(q) > 0 {
			g.waiters[p] = q[1:]
			return
		}
	}
}

func (g *gate) remove(prio Priority, w *waiter) {
	q := g.waiters[prio]
	for i, x := range q {
		if x == w {
			g.waiters[prio] = append(q[:i:i], q[i+1:]...)
			return
		}
	}
}

// ready reports whether a call would pass at once.
func (g *gate) ready(now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return !g.queued() && !now.Before(g.tat.Add(-g.slack))
}

// idle reports whether the gate holds nothing worth keeping: no waiters
// and a full bucket, so a new gate would behave the same.
func (g *gate) idle(now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return !g.running && !g.queued() && !g.tat.After(now)
}
