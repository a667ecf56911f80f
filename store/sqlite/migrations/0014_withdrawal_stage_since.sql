-- When each withdrawal entered its current stage, on the withdrawal itself
-- (issue 14): the stuck-withdrawal nudges read only the open withdrawals
-- whose stage began in a window of time (OpenWithdrawalsSince), by index,
-- instead of walking every open withdrawal on every tick. It is the at of
-- the highest seq in withdrawal_stage_changes, else created_at, kept so by
-- the triggers below.
ALTER TABLE withdrawals ADD COLUMN stage_since INTEGER;
UPDATE withdrawals SET stage_since = COALESCE(
    (SELECT h.at FROM withdrawal_stage_changes h WHERE h.withdrawal_id = withdrawals.id ORDER BY h.seq DESC LIMIT 1),
    created_at);
CREATE INDEX withdrawals_open_by_stage_since ON withdrawals (stage_since, id)
    WHERE stage IN ('approval', 'processing');

CREATE TRIGGER withdrawals_stage_since_created AFTER INSERT ON withdrawals
WHEN NEW.stage_since IS NULL
BEGIN
    UPDATE withdrawals SET stage_since = NEW.created_at WHERE id = NEW.id;
END;

CREATE TRIGGER withdrawals_stage_since_changed AFTER INSERT ON withdrawal_stage_changes
WHEN NOT EXISTS (SELECT 1 FROM withdrawal_stage_changes h
                 WHERE h.withdrawal_id = NEW.withdrawal_id AND h.seq > NEW.seq)
BEGIN
    UPDATE withdrawals SET stage_since = NEW.at WHERE id = NEW.withdrawal_id;
END;
