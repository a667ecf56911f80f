package backend

import (
	"sync"
	"time"
)

// breaker is a circuit breaker: after threshold calls in a row failed
// because the backend was unavailable, it opens and every call fails at once
// for cooldown, so a backend that is down is not hammered by every
// customer's every tap (nor the customer kept waiting for a timeout). Then
// one call at a time is let through as a probe; its success closes the
// circuit, its failure opens it for another cooldown.
type breaker struct {
	threshold int
	cooldown  time.Duration
	now       func() time.Time

	mu       sync.Mutex
	failures int       // consecutive unavailable answers
	openTill time.Time // zero: closed
	probing  bool      // a probe is in flight (half open)
}

// allow reports whether a call may go to the backend now.
func (b *breaker) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.openTill.IsZero() {
		return true
	}
	if b.now().Before(b.openTill) || b.probing {
		return false
	}
	b.probing = true
	return true
}

// done records the outcome of an allowed call: unavailable is true when
// the backend could not answer (network, timeout, 5xx, 429).
func (b *breaker) done(unavailable bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.probing = false
	if !unavailable {
		b.failures, b.openTill = 0, time.Time{}
		return
	}
	b.failures++
	if b.failures >= b.threshold || !b.openTill.IsZero() {
		b.openTill = b.now().Add(b.cooldown)
	}
}

// open reports whether the circuit is open (for readiness and logs).
func (b *breaker) open() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return !b.openTill.IsZero() && b.now().Before(b.openTill)
}

// release ends an allowed call that says nothing of the backend (the caller
// gave up first).
func (b *breaker) release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.probing = false
}
