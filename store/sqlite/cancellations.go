package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"paydesk/store"
)

// Cancellation requests. The partial unique index
// cancellation_requests_one_open (migration 0001) keeps one open request per
// transfer whatever races; the writers below only read back what it decided.

const cancellationColumns = `id, transfer_id, status, created_at, resolved_at`

func scanCancellation(row scanner) (store.CancellationRequest, error) {
	var (
		r                 store.CancellationRequest
		created, resolved sql.NullInt64
	)
	err := row.Scan(&r.ID, &r.TransferID, &r.Status, &created, &resolved)
	r.CreatedAt, r.ResolvedAt = fromNanos(created), fromNanos(resolved)
	return r, err
}

// RequestCancellation returns the open request of the transfer, creating it
// when there is none; a key written before returns the request it made.
func (db *DB) RequestCancellation(ctx context.Context, key string, transferID int64, at time.Time) (store.CancellationRequest, bool, error) {
	var (
		out     store.CancellationRequest
		created bool
	)
	err := db.write(ctx, func(tx querier) error {
		if id, ok, err := replayed(ctx, tx, key); err != nil || ok {
			if ok {
				out, err = queryOne(ctx, tx, scanCancellation, `SELECT `+cancellationColumns+` FROM cancellation_requests WHERE id = ?`, id)
			}
			return err
		}
		open, err := queryOne(ctx, tx, scanCancellation, `SELECT `+cancellationColumns+` FROM cancellation_requests
			WHERE transfer_id = ? AND status = 'notified'`, transferID)
		if err == nil {
			out = open
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		id, err := insert(ctx, tx, `INSERT INTO cancellation_requests (transfer_id, status, created_at)
			VALUES (?, 'notified', ?)`, transferID, nanos(at))
		if err != nil {
			return err
		}
		out = store.CancellationRequest{ID: id, TransferID: transferID, Status: store.CancellationNotified, CreatedAt: at}
		created = true
		return recordWrite(ctx, tx, key, id, at)
	})
	if err != nil {
		return store.CancellationRequest{}, false, fmt.Errorf("request cancellation of transfer %d: %w", transferID, err)
	}
	return out, created, nil
}

// Cancellation returns a request by id.
func (db *DB) Cancellation(ctx context.Context, id int64) (store.CancellationRequest, error) {
	r, err := queryOne(ctx, db.rd, scanCancellation, `SELECT `+cancellationColumns+` FROM cancellation_requests WHERE id = ?`, id)
	if err != nil {
		return r, fmt.Errorf("load cancellation request %d: %w", id, err)
	}
	return r, nil
}

// LatestCancellation returns the newest request of a transfer.
func (db *DB) LatestCancellation(ctx context.Context, transferID int64) (store.CancellationRequest, error) {
	r, err := queryOne(ctx, db.rd, scanCancellation, `SELECT `+cancellationColumns+` FROM cancellation_requests
		WHERE transfer_id = ? ORDER BY created_at DESC, id DESC LIMIT 1`, transferID)
	if err != nil {
		return r, fmt.Errorf("latest cancellation request of transfer %d: %w", transferID, err)
	}
	return r, nil
}

// OpenCancellations lists the open requests, oldest first.
func (db *DB) OpenCancellations(ctx context.Context) ([]store.CancellationRequest, error) {
	list, err := queryAll(ctx, db.rd, scanCancellation, `SELECT `+cancellationColumns+` FROM cancellation_requests
		WHERE status = 'notified' ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("list open cancellation requests: %w", err)
	}
	return list, nil
}

// OpenCancellationsTo lists the open requests about transfers the customer
// received, oldest first.
func (db *DB) OpenCancellationsTo(ctx context.Context, recipient store.CustomerID) ([]store.CancellationRequest, error) {
	list, err := queryAll(ctx, db.rd, scanCancellation, `SELECT c.id, c.transfer_id, c.status, c.created_at, c.resolved_at
		FROM cancellation_requests c JOIN transfers t ON t.id = c.transfer_id
		WHERE t.recipient_id = ? AND c.status = 'notified' ORDER BY c.created_at, c.id`, recipient)
	if err != nil {
		return nil, fmt.Errorf("list open cancellation requests to customer %d: %w", recipient, err)
	}
	return list, nil
}

// ResolveCancellation closes an open request; the UPDATE's status condition
// makes the first answer win and every later one a no-op.
func (db *DB) ResolveCancellation(ctx context.Context, key string, id int64, to store.CancellationStatus, at time.Time) (store.CancellationRequest, bool, error) {
	if to.Open() || to == "" {
		return store.CancellationRequest{}, false, fmt.Errorf("resolve cancellation request %d: %q does not close it", id, to)
	}
	var (
		out     store.CancellationRequest
		changed bool
	)
	err := db.write(ctx, func(tx querier) error {
		res, err := tx.ExecContext(ctx, `UPDATE cancellation_requests SET status = ?, resolved_at = ?
			WHERE id = ? AND status = 'notified'`, to, nanos(at), id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		changed = n == 1
		if changed && to == store.CancellationReturned {
			_, err := tx.ExecContext(ctx, `UPDATE transfers SET status = 'returned'
				WHERE id = (SELECT transfer_id FROM cancellation_requests WHERE id = ?)`, id)
			if err != nil {
				return fmt.Errorf("return transfer: %w", err)
			}
		}
		if out, err = queryOne(ctx, tx, scanCancellation, `SELECT `+cancellationColumns+` FROM cancellation_requests WHERE id = ?`, id); err != nil {
			return err
		}
		return recordWrite(ctx, tx, key, id, at)
	})
	if err != nil {
		return store.CancellationRequest{}, false, fmt.Errorf("resolve cancellation request %d as %s: %w", id, to, err)
	}
	return out, changed, nil
}
