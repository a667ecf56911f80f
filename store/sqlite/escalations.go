package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"paydesk/store"
)

// OpenWithdrawals lists the withdrawals awaiting approval or processing with
// an id above after, by id; limit <= 0 means all. The stage filter uses the
// partial index withdrawals_by_stage.
func (db *DB) OpenWithdrawals(ctx context.Context, after int64, limit int) ([]store.Withdrawal, error) {
	list, err := queryAll(ctx, db.rd, scanWithdrawal, withdrawalSelect+`
		WHERE w.stage IN ('approval', 'processing') AND w.id > ? ORDER BY w.id LIMIT ?`, after, sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("list open withdrawals after %d: %w", after, err)
	}
	return list, nil
}

// OpenWithdrawalsSince lists the open withdrawals whose current stage began
// in [since, before), ordered by (stage began, id), starting after the one
// at (since, afterID); limit <= 0 means all. It reads the partial index
// withdrawals_open_by_stage_since, so a page costs what it returns.
func (db *DB) OpenWithdrawalsSince(ctx context.Context, since time.Time, afterID int64, before time.Time, limit int) ([]store.Withdrawal, error) {
	// INDEXED BY: without ANALYZE the planner takes withdrawals_by_stage and
	// sorts every open withdrawal.
	list, err := queryAll(ctx, db.rd, scanWithdrawal, withdrawalSelect+` INDEXED BY withdrawals_open_by_stage_since
		WHERE w.stage IN ('approval', 'processing') AND w.stage_since >= ?1 AND w.stage_since < ?3
		AND (w.stage_since > ?1 OR w.id > ?2)
		ORDER BY w.stage_since, w.id LIMIT ?4`, sinceNanos(since), afterID, sinceNanos(before), sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("list open withdrawals since %v after %d: %w", since, afterID, err)
	}
	return list, nil
}

// MinStageLimit is the smallest limit, in business days, any stage of any
// withdrawal can have: the least tier approval period and provider maximum.
// The stuck-withdrawal nudges read only stages at least that old.
func (db *DB) MinStageLimit(ctx context.Context) (int, error) {
	var n sql.NullInt64
	err := db.rd.QueryRowContext(ctx, `SELECT MIN(d) FROM (SELECT MIN(approval_days) AS d FROM tiers
		UNION ALL SELECT MIN(max_days) FROM providers)`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("least stage limit: %w", err)
	}
	return int(n.Int64), nil // no tiers nor providers: 0, nothing is sure
}

// sinceNanos is t as nanoseconds, the zero time as the lowest: the start of
// all time rather than NULL, which would match nothing.
func sinceNanos(t time.Time) int64 {
	if t.IsZero() {
		return math.MinInt64
	}
	return t.UnixNano()
}

// ClaimNudge records the nudge; first is true only for the statement that
// inserted the row, so of two replicas claiming at once exactly one sends.
func (db *DB) ClaimNudge(ctx context.Context, n store.Nudge) (bool, error) {
	res, err := db.exec(ctx, `INSERT INTO nudges (kind, object_id, stage, at) VALUES (?, ?, ?, ?)
		ON CONFLICT (kind, object_id, stage) DO NOTHING`, n.Kind, n.ObjectID, n.Stage, nanos(n.At))
	if err != nil {
		return false, fmt.Errorf("claim nudge %s %d %s: %w", n.Kind, n.ObjectID, n.Stage, err)
	}
	k, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim nudge %s %d %s: %w", n.Kind, n.ObjectID, n.Stage, err)
	}
	return k == 1, nil
}

// NudgeClaimed reports whether the nudge was claimed.
func (db *DB) NudgeClaimed(ctx context.Context, n store.Nudge) (bool, error) {
	claimed, err := db.exists(ctx, `SELECT 1 FROM nudges WHERE kind = ? AND object_id = ? AND stage = ?`, n.Kind, n.ObjectID, n.Stage)
	if err != nil {
		return false, fmt.Errorf("check nudge %s %d %s: %w", n.Kind, n.ObjectID, n.Stage, err)
	}
	return claimed, nil
}
