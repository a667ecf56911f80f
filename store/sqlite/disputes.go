package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"paydesk/store"
)

const disputeColumns = `id, return_request_id, reason, text, photo_file_ids, status, created_at`

func scanDispute(row scanner) (store.Dispute, error) {
	var (
		d       store.Dispute
		photos  string
		created sql.NullInt64
	)
	if err := row.Scan(&d.ID, &d.ReturnRequestID, &d.Reason, &d.Text, &photos, &d.Status, &created); err != nil {
		return d, err
	}
	d.CreatedAt = fromNanos(created)
	if err := json.Unmarshal([]byte(photos), &d.PhotoFileIDs); err != nil {
		return d, fmt.Errorf("decode photos of dispute %d: %w", d.ID, err)
	}
	return d, nil
}

// CreateDispute records a dispute and marks its return request disputed in
// one transaction. The UNIQUE return_request_id decides races: the loser
// reads the winner's dispute.
func (db *DB) CreateDispute(ctx context.Context, key string, d store.Dispute) (store.Dispute, bool, error) {
	photos, err := json.Marshal(nonNil(d.PhotoFileIDs))
	if err != nil {
		return store.Dispute{}, false, fmt.Errorf("create dispute of return request %d: %w", d.ReturnRequestID, err)
	}
	var (
		out     store.Dispute
		created bool
	)
	err = db.write(ctx, func(tx querier) error {
		id, err := insert(ctx, tx, `INSERT INTO disputes (return_request_id, reason, text, photo_file_ids, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`,
			d.ReturnRequestID, d.Reason, d.Text, string(photos), d.Status, nanos(d.CreatedAt))
		if errors.Is(err, store.ErrDuplicate) {
			out, err = disputeOf(ctx, tx, d.ReturnRequestID)
			return err
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE return_requests SET status = 'disputed'
			WHERE id = ? AND status = 'refused'`, d.ReturnRequestID); err != nil {
			return fmt.Errorf("mark return request disputed: %w", err)
		}
		out, created = d, true
		out.ID = id
		return recordWrite(ctx, tx, key, id, d.CreatedAt)
	})
	if err != nil {
		return store.Dispute{}, false, fmt.Errorf("create dispute of return request %d: %w", d.ReturnRequestID, err)
	}
	return out, created, nil
}

// DisputeOf returns the dispute of a return request, or store.ErrNotFound.
func (db *DB) DisputeOf(ctx context.Context, returnRequestID int64) (store.Dispute, error) {
	d, err := disputeOf(ctx, db.rd, returnRequestID)
	if err != nil {
		return d, fmt.Errorf("load dispute of return request %d: %w", returnRequestID, err)
	}
	return d, nil
}

func disputeOf(ctx context.Context, q querier, returnRequestID int64) (store.Dispute, error) {
	return queryOne(ctx, q, scanDispute, `SELECT `+disputeColumns+` FROM disputes WHERE return_request_id = ?`, returnRequestID)
}

// UndisputedRefusals lists the refusals in the window that nobody disputed,
// by id, page by page.
func (db *DB) UndisputedRefusals(ctx context.Context, refusedAfter, refusedBy time.Time, after int64, limit int) ([]store.ReturnRequest, error) {
	list, err := queryAll(ctx, db.rd, scanReturnRequest, `SELECT `+returnRequestColumns+` FROM return_requests r
		WHERE r.status = 'refused' AND r.refused_at > ? AND r.refused_at <= ? AND r.id > ?
		  AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.return_request_id = r.id)
		ORDER BY r.id LIMIT ?`,
		nanos(refusedAfter), nanos(refusedBy), after, sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("list undisputed refusals: %w", err)
	}
	return list, nil
}

// nonNil makes a nil list encode as the JSON array [] the column expects.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
