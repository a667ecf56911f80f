package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The demo ledger's idempotency keys. Every Ledger write carries a key (see
// store.Ledger); the first write with a key records the object it made, and
// the same key again finds that object instead of writing twice. The
// ledger's own rules (one open cancellation request per transfer, one
// dispute per return request) guard the same ground from the other side.

// replayed reports whether key was written before, and the object it made.
// An empty key never was.
func replayed(ctx context.Context, tx querier, key string) (objectID int64, ok bool, err error) {
	if key == "" {
		return 0, false, nil
	}
	err = tx.QueryRowContext(ctx, `SELECT object_id FROM ledger_writes WHERE key = ?`, key).Scan(&objectID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("look up idempotency key: %w", err)
	}
	return objectID, true, nil
}

// recordWrite remembers that key made objectID; a no-op for an empty key.
func recordWrite(ctx context.Context, tx querier, key string, objectID int64, at time.Time) error {
	if key == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_writes (key, object_id, at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO NOTHING`, key, objectID, nanos(at)); err != nil {
		return fmt.Errorf("record idempotency key: %w", err)
	}
	return nil
}
