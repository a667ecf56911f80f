package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"paydesk/store"
)

// store.Notices (migration 0012): the backend's event ids, the notices
// quiet hours deferred, and change-feed cursors. And store.ChangeFeed: the
// demo ledger's changes, written by the migration's triggers.

var _ store.ChangeFeed = (*DB)(nil)

// RecordEvent records an event id; of concurrent calls exactly one gets
// first. Ids older than store.EventRetention before at are forgotten.
func (db *DB) RecordEvent(ctx context.Context, id string, at time.Time) (bool, error) {
	var first bool
	err := db.write(ctx, func(tx querier) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO backend_events (id, at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`, id, nanos(at))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		first = n == 1
		_, err = tx.ExecContext(ctx, `DELETE FROM backend_events WHERE at < ?`, nanos(at.Add(-store.EventRetention)))
		return err
	})
	if err != nil {
		return false, fmt.Errorf("record event %q: %w", id, err)
	}
	return first, nil
}

// EventSeen reports whether RecordEvent recorded id.
func (db *DB) EventSeen(ctx context.Context, id string) (bool, error) {
	seen, err := db.exists(ctx, `SELECT 1 FROM backend_events WHERE id = ?`, id)
	if err != nil {
		return false, fmt.Errorf("event seen %q: %w", id, err)
	}
	return seen, nil
}

// DeferNotice keeps a notice until it is due; one kept already stays as it is.
func (db *DB) DeferNotice(ctx context.Context, n store.Notice) error {
	_, err := db.exec(ctx, `INSERT INTO deferred_notices (kind, object_id, stage, customer_id, due, at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, object_id, stage) DO NOTHING`,
		n.Kind, n.ObjectID, n.Stage, n.CustomerID, nanos(n.Due), nanos(n.At))
	if err != nil {
		return fmt.Errorf("defer notice %s %d %s: %w", n.Kind, n.ObjectID, n.Stage, err)
	}
	return nil
}

// DueNotices lists the kept notices due by now, by customer and due time.
func (db *DB) DueNotices(ctx context.Context, now time.Time, limit int) ([]store.Notice, error) {
	q := `SELECT kind, object_id, stage, customer_id, due, at FROM deferred_notices WHERE due <= ?
		ORDER BY customer_id, due, kind, object_id, stage`
	args := []any{nanos(now)}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	list, err := queryAll(ctx, db.rd, func(row scanner) (store.Notice, error) {
		var (
			n       store.Notice
			due, at sql.NullInt64
		)
		err := row.Scan(&n.Kind, &n.ObjectID, &n.Stage, &n.CustomerID, &due, &at)
		n.Due, n.At = fromNanos(due), fromNanos(at)
		return n, err
	}, q, args...)
	if err != nil {
		return nil, fmt.Errorf("due notices: %w", err)
	}
	return list, nil
}

// DropNotice forgets a kept notice.
func (db *DB) DropNotice(ctx context.Context, n store.Notice) error {
	if _, err := db.exec(ctx, `DELETE FROM deferred_notices WHERE kind = ? AND object_id = ? AND stage = ?`,
		n.Kind, n.ObjectID, n.Stage); err != nil {
		return fmt.Errorf("drop notice %s %d %s: %w", n.Kind, n.ObjectID, n.Stage, err)
	}
	return nil
}

// Cursor is a change-feed position, 0 if never set.
func (db *DB) Cursor(ctx context.Context, name string) (int64, error) {
	pos, err := queryOne(ctx, db.rd, func(row scanner) (int64, error) {
		var p int64
		return p, row.Scan(&p)
	}, `SELECT position FROM cursors WHERE name = ?`, name)
	if err == store.ErrNotFound {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("cursor %q: %w", name, err)
	}
	return pos, nil
}

// SetCursor stores a change-feed position.
func (db *DB) SetCursor(ctx context.Context, name string, pos int64) error {
	if _, err := db.exec(ctx, `INSERT INTO cursors (name, position) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET position = excluded.position`, name, pos); err != nil {
		return fmt.Errorf("set cursor %q: %w", name, err)
	}
	return nil
}

// Changes lists the demo ledger's changes after a sequence number.
func (db *DB) Changes(ctx context.Context, after int64, limit int) ([]store.Change, error) {
	if limit <= 0 {
		limit = 1000
	}
	list, err := queryAll(ctx, db.rd, func(row scanner) (store.Change, error) {
		var (
			c  store.Change
			at sql.NullInt64
		)
		err := row.Scan(&c.Seq, &c.Event.Type, &c.Event.CustomerID, &c.Event.ObjectID, &c.Event.Stage, &at)
		c.Event.At = fromNanos(at)
		c.Event.ID = "ledger-change-" + strconv.FormatInt(c.Seq, 10)
		return c, err
	}, `SELECT seq, type, customer_id, object_id, stage, at FROM ledger_changes WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("ledger changes after %d: %w", after, err)
	}
	return list, nil
}

var _ store.WithdrawalEngine = (*DB)(nil)

// EnterStage moves withdrawal id into stage at time at, as the payments
// backend would: the demo ledger's (and tests') way to change a stage
// outside the seeded plan.
func (db *DB) EnterStage(ctx context.Context, id int64, stage store.WithdrawalStage, at time.Time) error {
	if err := db.write(ctx, func(tx querier) error { return enterStage(ctx, tx, id, string(stage), nanos(at)) }); err != nil {
		return fmt.Errorf("withdrawal %d enters %s: %w", id, stage, err)
	}
	return nil
}

// enterStage appends the stage to the withdrawal's history and makes it
// the current one (the trigger of 0016 numbers it, stage_seq); tx must be a
// transaction.
func enterStage(ctx context.Context, tx querier, id int64, stage string, at sql.NullInt64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO withdrawal_stage_changes (withdrawal_id, seq, stage, at)
		SELECT ?, COALESCE(MAX(seq), -1) + 1, ?, ? FROM withdrawal_stage_changes WHERE withdrawal_id = ?`,
		id, stage, at, id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE withdrawals SET stage = ? WHERE id = ?`, stage, id)
	return err
}

// AdvanceWithdrawals enters the planned stages due by now (seeded by
// SeedDemo), in one transaction; each plan row is used once.
func (db *DB) AdvanceWithdrawals(ctx context.Context, now time.Time) error {
	err := db.write(ctx, func(tx querier) error {
		type step struct {
			id    int64
			stage string
			at    sql.NullInt64
		}
		due, err := queryAll(ctx, tx, func(row scanner) (step, error) {
			var s step
			return s, row.Scan(&s.id, &s.stage, &s.at)
		}, `SELECT withdrawal_id, stage, at FROM demo_withdrawal_plan WHERE at <= ? ORDER BY at, withdrawal_id`, nanos(now))
		if err != nil {
			return err
		}
		for _, s := range due {
			if err := enterStage(ctx, tx, s.id, s.stage, s.at); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM demo_withdrawal_plan WHERE withdrawal_id = ? AND at = ?`, s.id, s.at); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("advance demo withdrawals: %w", err)
	}
	return nil
}
