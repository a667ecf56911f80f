-- Refunds (issue 12): merchants, the payments they received, and the
-- refunds of those payments with their state history.
--
-- The demo ledger also moves queued refunds on by itself (AdvanceRefunds):
-- merchants.balance is what new incoming payments have brought in since the
-- last daily settlement and not yet used for refunds, growing by
-- inflow_per_day; merchant_payments.pay_at is when an expected payment gets
-- paid (NULL: not in the demo's future); refunds.bank_at is when the bank
-- answers a refund sent to it and bank_rejects what it answers.

CREATE TABLE merchants (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL UNIQUE REFERENCES customers (id),
    name           TEXT    NOT NULL,
    currency       TEXT    NOT NULL,
    refund_fee     INTEGER NOT NULL CHECK (refund_fee >= 0), -- minor units of currency
    balance        INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),
    inflow_per_day INTEGER NOT NULL DEFAULT 0 CHECK (inflow_per_day >= 0),
    balance_at     INTEGER -- when balance was last brought up to date
);

CREATE TABLE merchant_payments (
    id           INTEGER PRIMARY KEY,
    merchant_id  INTEGER NOT NULL REFERENCES merchants (id),
    payer_id     INTEGER REFERENCES customers (id), -- NULL: not a customer of the app
    payer_name   TEXT    NOT NULL,
    amount       INTEGER NOT NULL CHECK (amount > 0),
    currency     TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('paid', 'expected', 'cancelled')),
    method       TEXT    NOT NULL CHECK (method IN ('card', 'bank_transfer')),
    card_last4   TEXT    NOT NULL DEFAULT '',
    reference    TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    paid_at      INTEGER,
    cancelled_at INTEGER,
    pay_at       INTEGER
);
CREATE INDEX merchant_payments_by_merchant ON merchant_payments (merchant_id, created_at DESC, id DESC);
CREATE INDEX merchant_payments_due ON merchant_payments (pay_at) WHERE status = 'expected';

CREATE TABLE refunds (
    id           INTEGER PRIMARY KEY,
    payment_id   INTEGER NOT NULL REFERENCES merchant_payments (id),
    amount       INTEGER NOT NULL CHECK (amount > 0),
    fee          INTEGER NOT NULL CHECK (fee >= 0),
    state        TEXT    NOT NULL CHECK (state IN ('awaiting_payment', 'awaiting_funds', 'awaiting_bank',
                                                   'rejected', 'cancelled', 'refunded')),
    missing      INTEGER NOT NULL DEFAULT 0 CHECK (missing >= 0),
    cancelled_by TEXT    NOT NULL DEFAULT '' CHECK (cancelled_by IN ('', 'merchant', 'deadline')),
    created_at   INTEGER NOT NULL,
    deadline     INTEGER NOT NULL,
    settled_at   INTEGER, -- when it became refunded, rejected or cancelled
    bank_at      INTEGER,
    bank_rejects INTEGER NOT NULL DEFAULT 0 CHECK (bank_rejects IN (0, 1))
);
CREATE INDEX refunds_by_payment ON refunds (payment_id, id);
CREATE INDEX refunds_queued ON refunds (state) WHERE state IN ('awaiting_payment', 'awaiting_funds', 'awaiting_bank');
CREATE INDEX refunds_settled ON refunds (settled_at, id) WHERE settled_at IS NOT NULL;

-- When each refund entered each state; the highest seq is refunds.state.
CREATE TABLE refund_state_changes (
    refund_id INTEGER NOT NULL REFERENCES refunds (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL CHECK (seq >= 0),
    state     TEXT    NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (refund_id, seq)
) WITHOUT ROWID;
