package store

import (
	"context"
	"time"
)

// Disputes keeps customers' disputes of sellers' refusals, and which
// refusals were already reminded of before their dispute window closes.
type Disputes interface {
	// CreateDispute records d for its return request and marks the request
	// disputed. If the request has a dispute already, it changes nothing and
	// returns that one with created false: a double tap on "Confirm", or two
	// replicas handling it at once, never records two. Whether the request
	// may still be disputed is the caller's rule, checked before.
	CreateDispute(ctx context.Context, d Dispute) (dispute Dispute, created bool, err error)
	// DisputeOf returns the dispute of a return request, or ErrNotFound.
	DisputeOf(ctx context.Context, returnRequestID int64) (Dispute, error)
	// RefusalsToRemind lists refused return requests with RefusedAt in
	// (refusedAfter, refusedBy] that have neither a dispute nor a recorded
	// reminder, of customers with a linked chat (see ChatsOf: nobody else
	// can be reminded, and they must not crowd out those who can), oldest
	// refusal first, at most limit (<= 0: all).
	RefusalsToRemind(ctx context.Context, refusedAfter, refusedBy time.Time, limit int) ([]ReturnRequest, error)
}
