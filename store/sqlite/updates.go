package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"paydesk/store"
)

// pollOffsetKey is the kv row that holds the next getUpdates offset.
const pollOffsetKey = "poll_offset"

// MarkUpdate records that the update was handled at at. first is true only
// for the call that recorded it: the insert and the check are one statement.
func (db *DB) MarkUpdate(ctx context.Context, updateID int64, at time.Time) (bool, error) {
	res, err := db.exec(ctx, `INSERT INTO processed_updates (update_id, at) VALUES (?, ?)
		ON CONFLICT (update_id) DO NOTHING`, updateID, nanos(at))
	if err != nil {
		return false, fmt.Errorf("mark update %d: %w", updateID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("mark update %d: %w", updateID, err)
	}
	return n == 1, nil
}

// ForgetUpdates drops the records of updates handled before before, and
// the delivery keys older than store.DeliveryKeyRetention. Keeping the marks
// long enough (Telegram redelivers for up to 24 h) is the caller's job.
func (db *DB) ForgetUpdates(ctx context.Context, before time.Time) error {
	if _, err := db.exec(ctx, `DELETE FROM processed_updates WHERE at < ?`, nanos(before)); err != nil {
		return fmt.Errorf("forget updates before %s: %w", before.UTC().Format(time.RFC3339), err)
	}
	if _, err := db.exec(ctx, `DELETE FROM delivery_keys WHERE at < ?`, nanos(before.Add(-store.DeliveryKeyRetention))); err != nil {
		return fmt.Errorf("forget delivery keys: %w", err)
	}
	return nil
}

// PollOffset returns the stored getUpdates offset, 0 if none.
func (db *DB) PollOffset(ctx context.Context) (int64, error) {
	var v string
	err := db.rd.QueryRowContext(ctx, `SELECT value FROM kv WHERE key = ?`, pollOffsetKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("load poll offset: %w", err)
	}
	offset, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("load poll offset: %w", err)
	}
	return offset, nil
}

// SetPollOffset stores the next getUpdates offset.
func (db *DB) SetPollOffset(ctx context.Context, offset int64) error {
	_, err := db.exec(ctx, `INSERT INTO kv (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, pollOffsetKey, strconv.FormatInt(offset, 10))
	if err != nil {
		return fmt.Errorf("store poll offset %d: %w", offset, err)
	}
	return nil
}
