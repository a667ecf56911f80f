package store

import (
	"context"
	"time"
)

// Cancellations keeps the requests to cancel a transfer: the sender asks,
// the recipient returns the money or declines, or the request expires. There
// is at most one open request per transfer, so a double tap, a redelivered
// update or a second device never asks the recipient twice.
type Cancellations interface {
	// RequestCancellation returns the open request of a transfer, creating
	// it (status CancellationNotified, created at at) when there is none;
	// created reports which. key is the write's idempotency key: the same
	// key again returns the request it created.
	RequestCancellation(ctx context.Context, key string, transferID int64, at time.Time) (req CancellationRequest, created bool, err error)
	// Cancellation returns a request by id, or ErrNotFound.
	Cancellation(ctx context.Context, id int64) (CancellationRequest, error)
	// LatestCancellation returns the newest request of a transfer, open or
	// not, or ErrNotFound when it has none.
	LatestCancellation(ctx context.Context, transferID int64) (CancellationRequest, error)
	// OpenCancellations lists every open request, oldest first (the
	// periodic job expires them and delivers them to recipients who link
	// their chat later).
	OpenCancellations(ctx context.Context) ([]CancellationRequest, error)
	// OpenCancellationsTo lists the open requests about transfers the
	// customer received, oldest first.
	OpenCancellationsTo(ctx context.Context, recipient CustomerID) ([]CancellationRequest, error)
	// ResolveCancellation closes an open request with status to (returned,
	// declined or expired) at time at. Returned also marks the transfer
	// TransferReturned, in the same transaction: the money goes back. It
	// returns the request as it is afterwards; changed is false, and nothing
	// changes, when the request was no longer open (somebody answered first).
	// key is the write's idempotency key.
	ResolveCancellation(ctx context.Context, key string, id int64, to CancellationStatus, at time.Time) (req CancellationRequest, changed bool, err error)
}
