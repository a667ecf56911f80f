package flows

import (
	"context"
	"errors"
	"fmt"

	"paydesk/store"
)

// cancellationJob runs on every tick over the open cancellation requests:
// one whose recipient has not answered within RecipientAnswerTime expires
// and the sender is told (with "Talk to support"); any other is delivered to
// recipient chats linked since it was made. The messages are keyed per
// request and chat, so a second tick or a second replica sends nothing
// twice. The expiry is written to the ledger only after the message telling
// the sender is committed (Tick.After): written first, a lost tick commit
// would take the request off the open list with the sender never told.
func cancellationJob(t *Tick) error {
	open, err := t.Ledger().OpenCancellations(t.Context())
	if err != nil {
		return err
	}
	p := tickPusher(t)
	var errs []error
	for _, req := range open {
		if overdue(req, p.now) {
			if err := expire(t, p, req); err != nil {
				errs = append(errs, fmt.Errorf("cancellation request %d: %w", req.ID, err))
			}
			continue
		}
		if err := askLater(p, req); err != nil {
			errs = append(errs, fmt.Errorf("cancellation request %d: %w", req.ID, err))
		}
	}
	return errors.Join(errs...)
}

// expire owes the sender the request's expiry now and writes it to the
// ledger once that is committed. Until then the request stays open, so the
// next tick owes the same message again (dropped by its key if it was
// committed) and retries the write; a recipient who presses meanwhile
// finds it overdue and expires it themselves.
func expire(t *Tick, p pusher, req store.CancellationRequest) error {
	expired := req
	expired.Status, expired.ResolvedAt = store.CancellationExpired, p.now
	if err := p.tellSenderOf(expired); err != nil {
		return err
	}
	key, now := p.opKey("cancel."+string(store.CancellationExpired), req.ID), p.now
	t.After(func(ctx context.Context) error {
		if _, _, err := p.ledger.ResolveCancellation(ctx, key, req.ID, store.CancellationExpired, now); err != nil {
			return fmt.Errorf("expire cancellation request %d: %w", req.ID, err)
		}
		return nil
	})
	return nil
}

// askLater asks a recipient who linked a chat since the request was made.
func askLater(p pusher, req store.CancellationRequest) error {
	t, err := p.ledger.Transfer(p.ctx, req.TransferID)
	if err != nil {
		return err
	}
	return p.askRecipient(t, req)
}
