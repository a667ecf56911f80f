package store

import (
	"context"
	"time"
)

// LedgerEvent is something that changed in the payments ledger and that a
// customer is told about: what the backend posts to /backend/events
// (store/backend/openapi.yaml, webhooks), or what a ChangeFeed lists. It is
// a hint: flows re-read the object it names before telling anyone.
type LedgerEvent struct {
	ID         string // unique per event; a repeat is ignored
	Type       string // one of the Event* constants
	CustomerID CustomerID
	ObjectID   int64  // the withdrawal, cancellation request or return request
	Stage      string // the withdrawal's new stage, or the request's status
	At         time.Time
}

// The event types. A new type is a new constant here, a new data schema in
// openapi.yaml and a case in flows' notices; the envelope stays.
const (
	EventWithdrawalStage      = "withdrawal.stage_changed"      // ObjectID: withdrawal; Stage: its new stage
	EventCancellationAnswered = "cancellation_request.answered" // ObjectID: request; Stage: returned|declined|expired; CustomerID: the sender
	EventReturnRefused        = "return_request.refused"        // ObjectID: return request
	EventRefundState          = "refund.state_changed"          // ObjectID: refund; Stage: its new state
)

// KnownEvent reports whether paydesk handles events of this type.
func KnownEvent(typ string) bool {
	switch typ {
	case EventWithdrawalStage, EventCancellationAnswered, EventReturnRefused, EventRefundState:
		return true
	}
	return false
}

// EventRetention is how long an event id is remembered at least: the
// contract promises the backend that a repeat within it has no effect.
const EventRetention = 7 * 24 * time.Hour

// Notice is one thing a customer is to be told outside their conversation
// (a withdrawal moved on, a refusal can be disputed), identified by
// (Kind, ObjectID, Stage) like a Nudge, and kept while quiet hours hold it
// back.
type Notice struct {
	Kind       string // the LedgerEvent type it came from
	ObjectID   int64
	Stage      string
	CustomerID CustomerID
	Due        time.Time // when it may be sent (the end of the customer's quiet hours)
	At         time.Time // when the change happened
}

// Notices is what State keeps for the backend's events: the ids already
// handled, the notices that quiet hours deferred, and named cursors over a
// ledger's change feed. Every method is safe to call from several replicas
// at once.
//
// Precisely, for an implementation (store/sqlite is the reference):
//   - RecordEvent(id, at) stores id if absent and reports whether this
//     call stored it (exactly one of concurrent calls gets true). It may
//     forget ids recorded more than EventRetention before at.
//     EventSeen(id) reports whether id is stored.
//   - DeferNotice(n) stores n under (n.Kind, n.ObjectID, n.Stage) unless
//     a notice with that identity is stored; then it changes nothing (Due
//     included). It is not an error.
//   - DueNotices(now, limit) lists stored notices with Due <= now, ordered
//     by CustomerID, then Due, then Kind, ObjectID, Stage; at most limit
//     (<= 0: all). It does not remove them.
//   - DropNotice(n) removes the notice with n's identity; removing one that
//     is not stored is not an error.
//   - Cursor(name) is the position last given to SetCursor(name, pos), or
//     0; SetCursor overwrites it (callers only move it forward).
type Notices interface {
	RecordEvent(ctx context.Context, id string, at time.Time) (first bool, err error)
	EventSeen(ctx context.Context, id string) (bool, error)
	DeferNotice(ctx context.Context, n Notice) error
	DueNotices(ctx context.Context, now time.Time, limit int) ([]Notice, error)
	DropNotice(ctx context.Context, n Notice) error
	Cursor(ctx context.Context, name string) (int64, error)
	SetCursor(ctx context.Context, name string, pos int64) error
}

// ChangeFeed is implemented by a ledger that lists its own changes in
// order (the SQLite demo ledger), so that without a backend posting events
// the same notifications still come: a job reads the changes after its
// cursor (kept in State's Notices). The cost of a read grows with the
// number of changes since the cursor, not with the number of customers.
type ChangeFeed interface {
	// Changes lists the ledger's changes with a sequence number above
	// after, in order, at most limit; each event's ID is unique.
	Changes(ctx context.Context, after int64, limit int) ([]Change, error)
}

// Change is one entry of a ChangeFeed.
type Change struct {
	Seq   int64
	Event LedgerEvent
}

// WithdrawalEngine is a ledger that moves withdrawals on by itself as time
// passes (the demo ledger, so that the demo shows stage changes and their
// notices). A real backend moves them on its own and does not implement it.
type WithdrawalEngine interface {
	// AdvanceWithdrawals makes every planned stage change due by now
	// (each once, whoever calls it).
	AdvanceWithdrawals(ctx context.Context, now time.Time) error
}
