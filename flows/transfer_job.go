package flows

import (
	"errors"
	"fmt"

	"paydesk/store"
)

// cancellationJob runs on every tick over the open cancellation requests:
// one whose recipient has not answered within RecipientAnswerTime expires
// and the sender is told (with "Talk to support"); any other is delivered to
// recipient chats linked since it was made. Both record their effect before
// the message is returned (the status change, the delivery mark), so a
// second tick or a second replica sends nothing twice.
func cancellationJob(t *Tick) error {
	open, err := t.Ledger().OpenCancellations(t.Context())
	if err != nil {
		return err
	}
	p := tickPusher(t)
	var errs []error
	for _, req := range open {
		if err := settle(p, req); err != nil {
			errs = append(errs, fmt.Errorf("cancellation request %d: %w", req.ID, err))
		}
	}
	return errors.Join(errs...)
}

func settle(p pusher, req store.CancellationRequest) error {
	if overdue(req, p.now) {
		_, _, err := p.resolve(req, store.CancellationExpired)
		return err
	}
	t, err := p.ledger.Transfer(p.ctx, req.TransferID)
	if err != nil {
		return err
	}
	return p.askRecipient(t, req)
}
