-- The State/Ledger split (issue 10).
--
-- delivery_keys: the Keys of deliveries already committed (store.Delivery.Key),
-- so a message that a handler owes again after a lost commit is stored once.
-- It replaces cancellation_deliveries, which recorded "asked" before the
-- message was committed and so lost the message when the commit failed.
CREATE TABLE delivery_keys (
    key TEXT    NOT NULL PRIMARY KEY,
    at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX delivery_keys_by_age ON delivery_keys (at);

INSERT INTO delivery_keys (key, at)
    SELECT 'cancel.ask:' || request_id || ':' || chat_id, at FROM cancellation_deliveries;
DROP TABLE cancellation_deliveries;

-- ledger_writes: the idempotency keys of the demo ledger's writes
-- (cancellation requests, their answers, disputes) and the object each made,
-- so a write asked again with its key has the effect of one.
CREATE TABLE ledger_writes (
    key       TEXT    NOT NULL PRIMARY KEY,
    object_id INTEGER NOT NULL,
    at        INTEGER NOT NULL
) WITHOUT ROWID;
