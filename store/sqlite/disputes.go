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
func (db *DB) CreateDispute(ctx context.Context, d store.Dispute) (store.Dispute, bool, error) {
	photos, err := json.Marshal(nonNil(d.PhotoFileIDs))
	if err != nil {
		return store.Dispute{}, false, fmt.Errorf("create dispute of return request %d: %w", d.ReturnRequestID, err)
	}
	var (
		out     store.Dispute
		created bool
	)
	err = db.write(ctx, func(tx *sql.Tx) error {
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
		return nil
	})
	if err != nil {
		return store.Dispute{}, false, fmt.Errorf("create dispute of return request %d: %w", d.ReturnRequestID, err)
	}
	return out, created, nil
}

// DisputeOf returns the dispute of a return request, or store.ErrNotFound.
func (db *DB) DisputeOf(ctx context.Context, returnRequestID int64) (store.Dispute, error) {
	d, err := disputeOf(ctx, db.sql, returnRequestID)
	if err != nil {
		return d, fmt.Errorf("load dispute of return request %d: %w", returnRequestID, err)
	}
	return d, nil
}

func disputeOf(ctx context.Context, q querier, returnRequestID int64) (store.Dispute, error) {
	return queryOne(ctx, q, scanDispute, `SELECT `+disputeColumns+` FROM disputes WHERE return_request_id = ?`, returnRequestID)
}

// RefusalsToRemind lists the refusals in the window that nobody disputed and
// nobody reminded of yet (no store.NudgeDisputeReminder claimed), of customers who have a chat to remind them in.
func (db *DB) RefusalsToRemind(ctx context.Context, refusedAfter, refusedBy time.Time, limit int) ([]store.ReturnRequest, error) {
	list, err := queryAll(ctx, db.sql, scanReturnRequest, `SELECT `+returnRequestColumns+` FROM return_requests r
		WHERE r.status = 'refused' AND r.refused_at > ? AND r.refused_at <= ?
		  AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.return_request_id = r.id)
		  AND NOT EXISTS (SELECT 1 FROM nudges n WHERE n.kind = ? AND n.object_id = r.id)
		  AND EXISTS (SELECT 1 FROM sessions s WHERE s.customer_id = r.customer_id)
		ORDER BY r.refused_at, r.id LIMIT ?`,
		nanos(refusedAfter), nanos(refusedBy), store.NudgeDisputeReminder, sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("list refusals to remind: %w", err)
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
