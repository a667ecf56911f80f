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
	// key is the write's idempotency key.
	CreateDispute(ctx context.Context, key string, d Dispute) (dispute Dispute, created bool, err error)
	// DisputeOf returns the dispute of a return request, or ErrNotFound.
	DisputeOf(ctx context.Context, returnRequestID int64) (Dispute, error)
	// UndisputedRefusals lists refused return requests with RefusedAt in
	// (refusedAfter, refusedBy] and no dispute, by id, with an id above
	// after, at most limit (<= 0: all), so a job can walk them page by page.
	UndisputedRefusals(ctx context.Context, refusedAfter, refusedBy time.Time, after int64, limit int) ([]ReturnRequest, error)
}
