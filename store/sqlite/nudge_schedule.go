package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"paydesk/store"
)

// scheduleChunk is how many entries one statement writes: 4 variables
// each, far below SQLite's limit of 32766.
const scheduleChunk = 500

// ScheduleNudges stores the entries, replacing the due time of those
// stored already, in one write.
func (db *DB) ScheduleNudges(ctx context.Context, list ...store.ScheduledNudge) error {
	if len(list) == 0 {
		return nil
	}
	err := db.write(ctx, func(q querier) error {
		for chunk := range slices.Chunk(list, scheduleChunk) {
			args := make([]any, 0, 4*len(chunk))
			for _, n := range chunk {
				args = append(args, n.Kind, n.ObjectID, n.Stage, nanos(n.Due))
			}
			if _, err := q.ExecContext(ctx, `INSERT INTO nudge_schedule (kind, object_id, stage, due_at) VALUES `+
				strings.Repeat("(?, ?, ?, ?), ", len(chunk)-1)+`(?, ?, ?, ?)
				ON CONFLICT (kind, object_id, stage) DO UPDATE SET due_at = excluded.due_at`, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("schedule %d nudges: %w", len(list), err)
	}
	return nil
}

// DueNudges lists the entries of kind due by now, by due time, from the
// index nudge_schedule_due: a call costs what it returns.
func (db *DB) DueNudges(ctx context.Context, kind string, now time.Time, limit int) ([]store.ScheduledNudge, error) {
	list, err := queryAll(ctx, db.rd, func(row scanner) (store.ScheduledNudge, error) {
		n := store.ScheduledNudge{Kind: kind}
		var due sql.NullInt64
		err := row.Scan(&n.ObjectID, &n.Stage, &due)
		n.Due = fromNanos(due)
		return n, err
	}, `SELECT object_id, stage, due_at FROM nudge_schedule WHERE kind = ? AND due_at <= ?
		ORDER BY due_at, object_id, stage LIMIT ?`, kind, now.UnixNano(), sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("due nudges %s by %v: %w", kind, now, err)
	}
	return list, nil
}

// UnscheduleNudges removes the entries still due when they were read, in
// one write.
func (db *DB) UnscheduleNudges(ctx context.Context, list ...store.ScheduledNudge) error {
	if len(list) == 0 {
		return nil
	}
	err := db.write(ctx, func(q querier) error {
		for _, n := range list {
			if _, err := q.ExecContext(ctx, `DELETE FROM nudge_schedule
				WHERE kind = ? AND object_id = ? AND stage = ? AND due_at = ?`,
				n.Kind, n.ObjectID, n.Stage, nanos(n.Due)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("unschedule %d nudges: %w", len(list), err)
	}
	return nil
}
