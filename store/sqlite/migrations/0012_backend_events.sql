-- The payments backend's events (issue 11).
--
-- backend_events: the ids of the events handled (store.Notices.RecordEvent),
-- so a repeated delivery has no effect; rows older than store.EventRetention
-- are forgotten as new ones arrive.
CREATE TABLE backend_events (
    id TEXT    NOT NULL PRIMARY KEY,
    at INTEGER NOT NULL -- nanoseconds since the epoch, UTC
) WITHOUT ROWID;
CREATE INDEX backend_events_by_age ON backend_events (at);

-- deferred_notices: what quiet hours held back, one per (kind, object,
-- stage), sent from due on.
CREATE TABLE deferred_notices (
    kind        TEXT    NOT NULL,
    object_id   INTEGER NOT NULL,
    stage       TEXT    NOT NULL,
    customer_id INTEGER NOT NULL,
    due         INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    PRIMARY KEY (kind, object_id, stage)
) WITHOUT ROWID;
CREATE INDEX deferred_notices_due ON deferred_notices (due, customer_id);

-- cursors: named positions in a change feed.
CREATE TABLE cursors (
    name     TEXT    NOT NULL PRIMARY KEY,
    position INTEGER NOT NULL
) WITHOUT ROWID;

-- ledger_changes: the demo ledger's change feed (store.ChangeFeed), filled
-- by triggers, so the notifications a backend's events would cause also
-- come from the demo ledger, at a cost that grows with the changes only.
CREATE TABLE ledger_changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    type        TEXT    NOT NULL,
    customer_id INTEGER NOT NULL,
    object_id   INTEGER NOT NULL,
    stage       TEXT    NOT NULL,
    at          INTEGER NOT NULL
);

-- A withdrawal entered a stage after its first.
CREATE TRIGGER ledger_changes_withdrawal AFTER INSERT ON withdrawal_stage_changes
WHEN NEW.seq > 0
BEGIN
    INSERT INTO ledger_changes (type, customer_id, object_id, stage, at)
    SELECT 'withdrawal.stage_changed', w.customer_id, w.id, NEW.stage, NEW.at
    FROM withdrawals w WHERE w.id = NEW.withdrawal_id;
END;

-- A cancellation request was answered or expired: its sender is told.
CREATE TRIGGER ledger_changes_cancellation AFTER UPDATE OF status ON cancellation_requests
WHEN OLD.status = 'notified' AND NEW.status <> 'notified'
BEGIN
    INSERT INTO ledger_changes (type, customer_id, object_id, stage, at)
    SELECT 'cancellation_request.answered', t.sender_id, NEW.id, NEW.status, COALESCE(NEW.resolved_at, 0)
    FROM transfers t WHERE t.id = NEW.transfer_id;
END;

-- A seller refused a return request.
CREATE TRIGGER ledger_changes_refusal AFTER UPDATE OF status ON return_requests
WHEN NEW.status = 'refused' AND OLD.status <> 'refused'
BEGIN
    INSERT INTO ledger_changes (type, customer_id, object_id, stage, at)
    VALUES ('return_request.refused', NEW.customer_id, NEW.id, 'refused', COALESCE(NEW.refused_at, 0));
END;

-- demo_withdrawal_plan: the demo ledger's withdrawals that move on by
-- themselves as the demo clock passes (store.WithdrawalEngine), so the
-- demo shows the notices a backend's stage changes cause.
CREATE TABLE demo_withdrawal_plan (
    withdrawal_id INTEGER NOT NULL REFERENCES withdrawals (id) ON DELETE CASCADE,
    stage         TEXT    NOT NULL CHECK (stage IN ('processing', 'received', 'rejected')),
    at            INTEGER NOT NULL,
    PRIMARY KEY (withdrawal_id, at)
) WITHOUT ROWID;
