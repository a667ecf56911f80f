-- paydesk schema, version 1: everything in store/store.go.
--
-- Conventions (see the package doc of store/sqlite):
--   * times are INTEGER nanoseconds since the Unix epoch, UTC; NULL is the
--     zero time.Time ("has not happened"), so no sentinel dates appear;
--   * money is INTEGER minor units next to a TEXT ISO 4217 currency code;
--   * enumerations are TEXT with CHECK constraints matching the Go constants.
--
-- The ledger tables (customers .. return_requests) stand for the payments
-- backend; the bot's own state (sessions, tickets, processed_updates, kv)
-- refers to customers by id only, without foreign keys, because in
-- production the backend and the bot's store are different systems.

-- Reference data the rules need.
CREATE TABLE tiers (
    code          TEXT PRIMARY KEY,
    approval_days INTEGER NOT NULL CHECK (approval_days >= 0) -- business days
);

CREATE TABLE providers (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    avg_days INTEGER NOT NULL CHECK (avg_days >= 0),           -- business days
    max_days INTEGER NOT NULL CHECK (max_days >= avg_days)     -- business days
);

CREATE TABLE customers (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    phone     TEXT NOT NULL UNIQUE,  -- E.164
    language  TEXT NOT NULL CHECK (language IN ('ru', 'cs', 'en')),
    country   TEXT NOT NULL,         -- ISO 3166-1 alpha-2, the business-day calendar
    time_zone TEXT NOT NULL,         -- IANA
    tier      TEXT NOT NULL REFERENCES tiers (code),
    currency  TEXT NOT NULL          -- ISO 4217
);

CREATE TABLE transfers (
    id             INTEGER PRIMARY KEY,
    sender_id      INTEGER NOT NULL REFERENCES customers (id),
    recipient_id   INTEGER REFERENCES customers (id), -- NULL: not a customer we know
    recipient_name TEXT NOT NULL,
    amount         INTEGER NOT NULL CHECK (amount > 0),
    currency       TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('completed', 'returned'))
);
CREATE INDEX transfers_by_sender ON transfers (sender_id, created_at DESC, id DESC);

CREATE TABLE cancellation_requests (
    id          INTEGER PRIMARY KEY,
    transfer_id INTEGER NOT NULL REFERENCES transfers (id),
    status      TEXT NOT NULL CHECK (status IN ('notified', 'returned', 'declined', 'expired')),
    created_at  INTEGER NOT NULL,
    resolved_at INTEGER -- NULL while open
);
CREATE INDEX cancellation_requests_by_transfer ON cancellation_requests (transfer_id, created_at DESC);
-- At most one open request per transfer: a double tap cannot create two.
CREATE UNIQUE INDEX cancellation_requests_one_open ON cancellation_requests (transfer_id)
    WHERE status = 'notified';

CREATE TABLE withdrawals (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    currency    TEXT NOT NULL,
    method      TEXT NOT NULL,        -- e.g. "Kaspi Gold *4417"
    provider    TEXT NOT NULL REFERENCES providers (code),
    stage       TEXT NOT NULL CHECK (stage IN ('approval', 'processing', 'received', 'rejected')),
    created_at  INTEGER NOT NULL
);
CREATE INDEX withdrawals_by_customer ON withdrawals (customer_id, created_at DESC, id DESC);
-- Stuck-withdrawal scans (nudges) look for the open stages.
CREATE INDEX withdrawals_by_stage ON withdrawals (stage) WHERE stage IN ('approval', 'processing');

-- When each withdrawal entered each stage; the highest seq is the current
-- stage and always equals withdrawals.stage.
CREATE TABLE withdrawal_stage_changes (
    withdrawal_id INTEGER NOT NULL REFERENCES withdrawals (id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL CHECK (seq >= 0),
    stage         TEXT NOT NULL CHECK (stage IN ('approval', 'processing', 'received', 'rejected')),
    at            INTEGER NOT NULL,
    PRIMARY KEY (withdrawal_id, seq)
) WITHOUT ROWID;

CREATE TABLE return_requests (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers (id),
    order_no      TEXT NOT NULL,
    item          TEXT NOT NULL,
    amount        INTEGER NOT NULL CHECK (amount > 0),
    currency      TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused', 'disputed')),
    seller_reason TEXT NOT NULL DEFAULT '',
    refused_at    INTEGER, -- NULL unless refused (or disputed after a refusal)
    created_at    INTEGER NOT NULL
);
CREATE INDEX return_requests_by_customer ON return_requests (customer_id, created_at DESC, id DESC);

CREATE TABLE disputes (
    id                INTEGER PRIMARY KEY,
    return_request_id INTEGER NOT NULL UNIQUE REFERENCES return_requests (id), -- one per request
    reason            TEXT NOT NULL,
    text              TEXT NOT NULL DEFAULT '',
    photo_file_ids    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(photo_file_ids)), -- JSON array of Telegram file ids
    status            TEXT NOT NULL CHECK (status IN ('under_review', 'accepted', 'rejected')),
    created_at        INTEGER NOT NULL
);

CREATE TABLE tickets (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER,                    -- NULL while the chat is not linked
    chat_id     INTEGER NOT NULL,           -- the customer's private chat
    subject     TEXT NOT NULL,              -- e.g. "withdrawal:42", "support"
    reason      TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    topic_id    INTEGER NOT NULL DEFAULT 0, -- forum topic in the support group; 0 if none
    language    TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    closed_at   INTEGER,                    -- NULL while open
    rating      INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5) -- 0: not rated
);
-- At most one open ticket per customer and subject; an unlinked chat counts
-- as its own customer (negated chat id), so two unlinked chats never collide.
CREATE UNIQUE INDEX tickets_one_open ON tickets (coalesce(customer_id, -chat_id), subject)
    WHERE status = 'open';
CREATE INDEX tickets_by_chat ON tickets (chat_id, status);
CREATE UNIQUE INDEX tickets_by_topic ON tickets (topic_id) WHERE topic_id <> 0;

CREATE TABLE sessions (
    chat_id     INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL DEFAULT 0, -- 0 while the chat is not linked
    language    TEXT NOT NULL DEFAULT '',
    flow        TEXT NOT NULL DEFAULT '',
    step        TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)), -- JSON object of strings
    version     INTEGER NOT NULL CHECK (version > 0),
    updated_at  INTEGER
);
CREATE INDEX sessions_by_customer ON sessions (customer_id, updated_at DESC) WHERE customer_id <> 0;

-- Telegram updates already handled (dedupe of redeliveries).
CREATE TABLE processed_updates (
    update_id INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL
);
CREATE INDEX processed_updates_by_at ON processed_updates (at);

-- Small singletons, e.g. the long-polling offset ("poll_offset").
CREATE TABLE kv (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
