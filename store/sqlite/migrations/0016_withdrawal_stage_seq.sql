-- The order in which the demo ledger recorded each withdrawal's current
-- stage (issue 14): stage_seq, from one counter for all withdrawals, so the
-- stuck-withdrawal nudges read every stage change once, after the last one
-- they read (OpenWithdrawalsChangedAfter), even one reported late whose
-- time lies in the past. It replaces stage_since of 0014, which read by
-- when a stage began and so missed the late ones.
DROP TRIGGER withdrawals_stage_since_created;
DROP TRIGGER withdrawals_stage_since_changed;
DROP INDEX withdrawals_open_by_stage_since;
ALTER TABLE withdrawals DROP COLUMN stage_since;

-- The counter: the last stage_seq given. SQLite has one writer at a time,
-- so the numbers are given in commit order.
CREATE TABLE withdrawal_stage_counter (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    last INTEGER NOT NULL
);
INSERT INTO withdrawal_stage_counter (id, last) SELECT 1, COALESCE(MAX(id), 0) FROM withdrawals;

ALTER TABLE withdrawals ADD COLUMN stage_seq INTEGER NOT NULL DEFAULT 0;
UPDATE withdrawals SET stage_seq = id;
CREATE INDEX withdrawals_open_by_stage_seq ON withdrawals (stage_seq)
    WHERE stage IN ('approval', 'processing');

-- A new withdrawal, and each stage it enters, take the next number.
CREATE TRIGGER withdrawals_stage_seq_created AFTER INSERT ON withdrawals
BEGIN
    UPDATE withdrawal_stage_counter SET last = last + 1;
    UPDATE withdrawals SET stage_seq = (SELECT last FROM withdrawal_stage_counter) WHERE id = NEW.id;
END;

CREATE TRIGGER withdrawals_stage_seq_changed AFTER INSERT ON withdrawal_stage_changes
WHEN NOT EXISTS (SELECT 1 FROM withdrawal_stage_changes h
                 WHERE h.withdrawal_id = NEW.withdrawal_id AND h.seq > NEW.seq)
BEGIN
    UPDATE withdrawal_stage_counter SET last = last + 1;
    UPDATE withdrawals SET stage_seq = (SELECT last FROM withdrawal_stage_counter) WHERE id = NEW.withdrawal_id;
END;
