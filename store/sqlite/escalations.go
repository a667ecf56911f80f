package sqlite

import (
	"context"
	"fmt"
	"strings"

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

// OpenWithdrawalsChangedAfter lists the open withdrawals whose current
// stage was recorded after afterSeq, by stage_seq (migration 0016); limit
// <= 0 means all. It reads the partial index withdrawals_open_by_stage_seq,
// so a page costs what it returns.
func (db *DB) OpenWithdrawalsChangedAfter(ctx context.Context, afterSeq int64, limit int) ([]store.StagedWithdrawal, error) {
	list, err := queryAll(ctx, db.rd, func(row scanner) (store.StagedWithdrawal, error) {
		var (
			w   store.StagedWithdrawal
			err error
		)
		w.Withdrawal, err = scanWithdrawal(seqFirst{row, &w.StageSeq})
		return w, err
	}, `SELECT w.stage_seq, `+strings.TrimPrefix(withdrawalSelect, "SELECT ")+` INDEXED BY withdrawals_open_by_stage_seq
		WHERE w.stage IN ('approval', 'processing') AND w.stage_seq > ? ORDER BY w.stage_seq LIMIT ?`, afterSeq, sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("list open withdrawals changed after %d: %w", afterSeq, err)
	}
	return list, nil
}

// seqFirst scans a row whose first column is the stage_seq and the rest a
// withdrawal, so scanWithdrawal reads the rest.
type seqFirst struct {
	scanner
	seq *int64
}

func (s seqFirst) Scan(dest ...any) error { return s.scanner.Scan(append([]any{s.seq}, dest...)...) }

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
