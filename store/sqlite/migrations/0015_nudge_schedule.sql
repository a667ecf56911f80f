-- The nudge schedule (issue 14): when a periodic job is to look at a nudge
-- next (store.Nudges.ScheduleNudges), so a tick reads what has come due and
-- not every object it tracks. One row per kind, object and stage, like the
-- claims in nudges.
CREATE TABLE nudge_schedule (
    kind      TEXT    NOT NULL, -- e.g. "withdrawal.stuck"
    object_id INTEGER NOT NULL,
    stage     TEXT    NOT NULL,
    due_at    INTEGER NOT NULL, -- nanoseconds since the epoch, UTC
    PRIMARY KEY (kind, object_id, stage)
) WITHOUT ROWID;
CREATE INDEX nudge_schedule_due ON nudge_schedule (kind, due_at, object_id, stage);
