package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"paydesk/store"
)

// Merchants, their payments and refunds (store.Refunds), and the demo
// ledger's own clockwork that moves queued refunds on (store.RefundEngine).
// Every write is one BEGIN IMMEDIATE transaction, so the check "refunds so
// far plus this one stay within what was paid" and the insert cannot be
// split by a second device writing at the same moment.

var _ store.RefundEngine = (*DB)(nil)

const merchantColumns = `id, customer_id, name, currency, refund_fee`

func scanMerchant(row scanner) (store.Merchant, error) {
	var m store.Merchant
	err := row.Scan(&m.ID, &m.CustomerID, &m.Name, &m.Currency, &m.RefundFee)
	return m, err
}

// paymentSelect reads a payment with the sums of its refunds: those that
// went through, and those that still count against what is left.
const paymentSelect = `SELECT p.id, p.merchant_id, p.payer_id, p.payer_name, p.amount, p.currency, p.status, p.method,
	p.card_last4, p.reference, p.created_at, p.paid_at, p.cancelled_at,
	(SELECT COALESCE(SUM(r.amount), 0) FROM refunds r WHERE r.payment_id = p.id AND r.state = 'refunded'),
	(SELECT COALESCE(SUM(r.amount), 0) FROM refunds r WHERE r.payment_id = p.id
		AND r.state IN ('awaiting_payment', 'awaiting_funds', 'awaiting_bank', 'refunded'))
	FROM merchant_payments p`

func scanPayment(row scanner) (store.Payment, error) {
	var (
		p                      store.Payment
		payer                  sql.NullInt64
		created, paid, stornod sql.NullInt64
	)
	err := row.Scan(&p.ID, &p.MerchantID, &payer, &p.PayerName, &p.Amount, &p.Currency, &p.Status, &p.Method,
		&p.CardLast4, &p.Reference, &created, &paid, &stornod, &p.Refunded, &p.Committed)
	p.PayerID = store.CustomerID(payer.Int64)
	p.CreatedAt, p.PaidAt, p.CancelledAt = fromNanos(created), fromNanos(paid), fromNanos(stornod)
	return p, err
}

// refundSelect reads a refund with its payment's merchant, payer and
// currency and its state history as a JSON array ordered by seq.
const refundSelect = `SELECT r.id, r.payment_id, p.merchant_id, p.payer_id, r.amount, p.currency, r.fee, r.state,
	r.missing, r.cancelled_by, r.created_at, r.deadline,
	(SELECT json_group_array(json_object('state', h.state, 'at', h.at) ORDER BY h.seq)
	 FROM refund_state_changes h WHERE h.refund_id = r.id)
	FROM refunds r JOIN merchant_payments p ON p.id = r.payment_id`

func scanRefund(row scanner) (store.Refund, error) {
	var (
		r                 store.Refund
		payer             sql.NullInt64
		created, deadline sql.NullInt64
		history           string
	)
	if err := row.Scan(&r.ID, &r.PaymentID, &r.MerchantID, &payer, &r.Amount, &r.Currency, &r.Fee, &r.State,
		&r.Missing, &r.CancelledBy, &created, &deadline, &history); err != nil {
		return r, err
	}
	r.PayerID = store.CustomerID(payer.Int64)
	r.CreatedAt, r.Deadline = fromNanos(created), fromNanos(deadline)
	var changes []struct {
		State store.RefundState `json:"state"`
		At    int64             `json:"at"`
	}
	if err := json.Unmarshal([]byte(history), &changes); err != nil {
		return r, fmt.Errorf("decode history of refund %d: %w", r.ID, err)
	}
	for _, c := range changes {
		r.History = append(r.History, store.RefundChange{State: c.State, At: fromNanos(sql.NullInt64{Int64: c.At, Valid: true})})
	}
	return r, nil
}

// MerchantOf returns the merchant account the customer runs.
func (db *DB) MerchantOf(ctx context.Context, customer store.CustomerID) (store.Merchant, error) {
	m, err := queryOne(ctx, db.rd, scanMerchant, `SELECT `+merchantColumns+` FROM merchants WHERE customer_id = ?`, customer)
	if err != nil {
		return m, fmt.Errorf("merchant of customer %d: %w", customer, err)
	}
	return m, nil
}

// Merchant returns a merchant account by id.
func (db *DB) Merchant(ctx context.Context, id int64) (store.Merchant, error) {
	m, err := queryOne(ctx, db.rd, scanMerchant, `SELECT `+merchantColumns+` FROM merchants WHERE id = ?`, id)
	if err != nil {
		return m, fmt.Errorf("load merchant %d: %w", id, err)
	}
	return m, nil
}

// MerchantPayments lists a merchant's payments, newest first.
func (db *DB) MerchantPayments(ctx context.Context, merchantID int64, offset, limit int) ([]store.Payment, int, error) {
	var (
		list  []store.Payment
		total int
	)
	err := db.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM merchant_payments WHERE merchant_id = ?`, merchantID).Scan(&total); err != nil {
			return err
		}
		var err error
		list, err = queryAll(ctx, tx, scanPayment, paymentSelect+`
			WHERE p.merchant_id = ? ORDER BY p.created_at DESC, p.id DESC LIMIT ? OFFSET ?`, merchantID, sqlLimit(limit), max(offset, 0))
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list payments of merchant %d: %w", merchantID, err)
	}
	return list, total, nil
}

// Payment returns a payment by id.
func (db *DB) Payment(ctx context.Context, id int64) (store.Payment, error) {
	p, err := queryOne(ctx, db.rd, scanPayment, paymentSelect+` WHERE p.id = ?`, id)
	if err != nil {
		return p, fmt.Errorf("load payment %d: %w", id, err)
	}
	return p, nil
}

// RefundsOf lists a payment's refunds, oldest first.
func (db *DB) RefundsOf(ctx context.Context, paymentID int64) ([]store.Refund, error) {
	list, err := queryAll(ctx, db.rd, scanRefund, refundSelect+` WHERE r.payment_id = ? ORDER BY r.created_at, r.id`, paymentID)
	if err != nil {
		return nil, fmt.Errorf("list refunds of payment %d: %w", paymentID, err)
	}
	return list, nil
}

// Refund returns a refund by id.
func (db *DB) Refund(ctx context.Context, id int64) (store.Refund, error) {
	r, err := queryOne(ctx, db.rd, scanRefund, refundSelect+` WHERE r.id = ?`, id)
	if err != nil {
		return r, fmt.Errorf("load refund %d: %w", id, err)
	}
	return r, nil
}

// RefundsTo lists the refunds coming to a payer, newest first.
func (db *DB) RefundsTo(ctx context.Context, payer store.CustomerID) ([]store.Refund, error) {
	list, err := queryAll(ctx, db.rd, scanRefund, refundSelect+` WHERE p.payer_id = ? ORDER BY r.created_at DESC, r.id DESC`, payer)
	if err != nil {
		return nil, fmt.Errorf("list refunds to customer %d: %w", payer, err)
	}
	return list, nil
}

// SettledRefunds lists refunds settled at or after since, by id.
func (db *DB) SettledRefunds(ctx context.Context, since time.Time, after int64, limit int) ([]store.Refund, error) {
	list, err := queryAll(ctx, db.rd, scanRefund, refundSelect+`
		WHERE r.settled_at >= ? AND r.id > ? ORDER BY r.id LIMIT ?`, nanos(since), after, sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("list refunds settled since %s: %w", since.Format(time.RFC3339), err)
	}
	return list, nil
}

// CreateRefund queues a refund on its payment, within what is left of it.
func (db *DB) CreateRefund(ctx context.Context, key string, r store.Refund) (store.Refund, bool, error) {
	if r.Amount <= 0 {
		return store.Refund{}, false, fmt.Errorf("create refund of payment %d: amount %d is not positive", r.PaymentID, r.Amount)
	}
	var (
		id      int64
		created bool
	)
	err := db.write(ctx, func(tx querier) error {
		if prior, ok, err := replayed(ctx, tx, key); err != nil || ok {
			id = prior
			return err
		}
		p, err := queryOne(ctx, tx, scanPayment, paymentSelect+` WHERE p.id = ?`, r.PaymentID)
		if err != nil {
			return err
		}
		if p.Status == store.PaymentCancelled {
			return store.ErrNotRefundable
		}
		if r.Amount > p.Left() {
			return fmt.Errorf("%w: %d asked, %d left", store.ErrRefundTooLarge, r.Amount, p.Left())
		}
		at := r.CreatedAt
		if id, err = insert(ctx, tx, `INSERT INTO refunds (payment_id, amount, fee, state, created_at, deadline)
			VALUES (?, ?, ?, 'awaiting_payment', ?, ?)`, p.ID, r.Amount, r.Fee, nanos(at), nanos(r.Deadline)); err != nil {
			return err
		}
		if p.Status == store.PaymentExpected {
			if err := enterState(ctx, tx, id, store.RefundAwaitingPayment, at); err != nil {
				return err
			}
		} else {
			if err := accrue(ctx, tx, p.MerchantID, at); err != nil {
				return err
			}
			if err := fundRefund(ctx, tx, id, p.MerchantID, r.Amount, true, at); err != nil {
				return err
			}
		}
		created = true
		return recordWrite(ctx, tx, key, id, at)
	})
	if err != nil {
		return store.Refund{}, false, fmt.Errorf("create refund of payment %d: %w", r.PaymentID, err)
	}
	out, err := db.Refund(ctx, id)
	return out, created, err
}

// enterState moves a refund to state at time at and records it in the
// history; a first entry (no history yet) only records.
func enterState(ctx context.Context, tx querier, id int64, state store.RefundState, at time.Time) error {
	var settled sql.NullInt64
	if !state.Queued() {
		settled = nanos(at)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE refunds SET state = ?, settled_at = ? WHERE id = ?`, state, settled, id); err != nil {
		return fmt.Errorf("refund %d to %s: %w", id, state, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO refund_state_changes (refund_id, seq, state, at)
		VALUES (?, (SELECT COALESCE(MAX(seq) + 1, 0) FROM refund_state_changes WHERE refund_id = ?), ?, ?)`,
		id, id, state, nanos(at)); err != nil {
		return fmt.Errorf("history of refund %d: %w", id, err)
	}
	return nil
}

// bankDelay is how long the demo's bank takes to confirm a refund sent to it.
const bankDelay = 24 * time.Hour

// fundRefund pays a refund out of the merchant's balance of new incoming
// payments, sending it to the bank, or leaves it waiting for funds with
// what is missing. entering says the refund is not in awaiting_funds yet.
func fundRefund(ctx context.Context, tx querier, id, merchantID, amount int64, entering bool, at time.Time) error {
	var balance int64
	if err := tx.QueryRowContext(ctx, `SELECT balance FROM merchants WHERE id = ?`, merchantID).Scan(&balance); err != nil {
		return fmt.Errorf("balance of merchant %d: %w", merchantID, err)
	}
	if balance < amount {
		if _, err := tx.ExecContext(ctx, `UPDATE refunds SET missing = ? WHERE id = ?`, amount-balance, id); err != nil {
			return err
		}
		if entering {
			return enterState(ctx, tx, id, store.RefundAwaitingFunds, at)
		}
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE merchants SET balance = balance - ? WHERE id = ?`, amount, merchantID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE refunds SET missing = 0, bank_at = ? WHERE id = ?`, nanos(at.Add(bankDelay)), id); err != nil {
		return err
	}
	return enterState(ctx, tx, id, store.RefundAwaitingBank, at)
}

// accrue brings a merchant's balance of new incoming payments up to at.
func accrue(ctx context.Context, tx querier, merchantID int64, at time.Time) error {
	var (
		inflow int64
		since  sql.NullInt64
	)
	if err := tx.QueryRowContext(ctx, `SELECT inflow_per_day, balance_at FROM merchants WHERE id = ?`, merchantID).Scan(&inflow, &since); err != nil {
		return fmt.Errorf("merchant %d: %w", merchantID, err)
	}
	from := fromNanos(since)
	if !since.Valid || !at.After(from) {
		if !since.Valid {
			_, err := tx.ExecContext(ctx, `UPDATE merchants SET balance_at = ? WHERE id = ?`, nanos(at), merchantID)
			return err
		}
		return nil
	}
	gain := inflow * int64(at.Sub(from)/time.Minute) / int64(24*60)
	_, err := tx.ExecContext(ctx, `UPDATE merchants SET balance = balance + ?, balance_at = ? WHERE id = ?`, gain, nanos(at), merchantID)
	return err
}

// CancelRefund cancels a refund the merchant may still cancel.
func (db *DB) CancelRefund(ctx context.Context, key string, id int64, at time.Time) (store.Refund, bool, error) {
	var changed bool
	err := db.write(ctx, func(tx querier) error {
		if _, ok, err := replayed(ctx, tx, key); err != nil || ok {
			return err
		}
		r, err := queryOne(ctx, tx, scanRefund, refundSelect+` WHERE r.id = ?`, id)
		if err != nil {
			return err
		}
		if !r.State.Cancellable() {
			return nil
		}
		if err := cancelRefund(ctx, tx, id, store.CancelledByMerchant, at); err != nil {
			return err
		}
		changed = true
		return recordWrite(ctx, tx, key, id, at)
	})
	if err != nil {
		return store.Refund{}, false, fmt.Errorf("cancel refund %d: %w", id, err)
	}
	r, err := db.Refund(ctx, id)
	return r, changed, err
}

func cancelRefund(ctx context.Context, tx querier, id int64, by store.RefundCancelReason, at time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE refunds SET cancelled_by = ?, missing = 0 WHERE id = ?`, by, id); err != nil {
		return err
	}
	return enterState(ctx, tx, id, store.RefundCancelled, at)
}

// CancelPayment cancels an expected payment and the refunds waiting for it.
func (db *DB) CancelPayment(ctx context.Context, key string, id int64, at time.Time) (store.Payment, bool, error) {
	var changed bool
	err := db.write(ctx, func(tx querier) error {
		if _, ok, err := replayed(ctx, tx, key); err != nil || ok {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE merchant_payments SET status = 'cancelled', cancelled_at = ?, pay_at = NULL
			WHERE id = ? AND status = 'expected'`, nanos(at), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		waiting, err := queryAll(ctx, tx, scanID, `SELECT id FROM refunds WHERE payment_id = ? AND state = 'awaiting_payment'`, id)
		if err != nil {
			return err
		}
		for _, r := range waiting {
			if err := cancelRefund(ctx, tx, r, store.CancelledByMerchant, at); err != nil {
				return err
			}
		}
		changed = true
		return recordWrite(ctx, tx, key, id, at)
	})
	if err != nil {
		return store.Payment{}, false, fmt.Errorf("cancel payment %d: %w", id, err)
	}
	p, err := db.Payment(ctx, id)
	return p, changed, err
}

func scanID(row scanner) (int64, error) {
	var id int64
	err := row.Scan(&id)
	return id, err
}

// AdvanceRefunds is the demo ledger's clockwork, run up to now: expected
// payments due by now are paid; queued refunds past their deadline are
// cancelled; balances grow with new incoming payments and pay out the
// refunds waiting for funds, oldest first; the bank answers the refunds
// sent to it a day before.
func (db *DB) AdvanceRefunds(ctx context.Context, now time.Time) error {
	err := db.write(ctx, func(tx querier) error { return advance(ctx, tx, now) })
	if err != nil {
		return fmt.Errorf("advance refunds to %s: %w", now.Format(time.RFC3339), err)
	}
	return nil
}

func advance(ctx context.Context, tx querier, now time.Time) error {
	// Expected payments paid by now.
	type due struct {
		id    int64
		payAt time.Time
	}
	dues, err := queryAll(ctx, tx, func(row scanner) (due, error) {
		var (
			d  due
			at sql.NullInt64
		)
		err := row.Scan(&d.id, &at)
		d.payAt = fromNanos(at)
		return d, err
	}, `SELECT id, pay_at FROM merchant_payments WHERE status = 'expected' AND pay_at IS NOT NULL AND pay_at <= ? ORDER BY pay_at, id`, nanos(now))
	if err != nil {
		return fmt.Errorf("due payments: %w", err)
	}
	for _, d := range dues {
		if _, err := tx.ExecContext(ctx, `UPDATE merchant_payments SET status = 'paid', paid_at = ?, pay_at = NULL WHERE id = ?`,
			nanos(d.payAt), d.id); err != nil {
			return fmt.Errorf("pay payment %d: %w", d.id, err)
		}
	}
	// Queued refunds past their deadline (those not yet at the bank).
	late, err := queryAll(ctx, tx, func(row scanner) (struct {
		id       int64
		deadline time.Time
	}, error) {
		var (
			v struct {
				id       int64
				deadline time.Time
			}
			at sql.NullInt64
		)
		err := row.Scan(&v.id, &at)
		v.deadline = fromNanos(at)
		return v, err
	}, `SELECT r.id, r.deadline FROM refunds r JOIN merchant_payments p ON p.id = r.payment_id
		WHERE r.state IN ('awaiting_payment', 'awaiting_funds') AND r.deadline <= ?
		  AND NOT (r.state = 'awaiting_payment' AND p.status = 'paid' AND p.paid_at < r.deadline)
		ORDER BY r.id`, nanos(now))
	if err != nil {
		return fmt.Errorf("late refunds: %w", err)
	}
	for _, l := range late {
		if err := cancelRefund(ctx, tx, l.id, store.CancelledByDeadline, l.deadline); err != nil {
			return err
		}
	}
	// Refunds whose payment is now paid wait for funds; then fund them.
	type queued struct {
		id, merchant, amount int64
		state                store.RefundState
	}
	waiting, err := queryAll(ctx, tx, func(row scanner) (queued, error) {
		var q queued
		err := row.Scan(&q.id, &q.merchant, &q.amount, &q.state)
		return q, err
	}, `SELECT r.id, p.merchant_id, r.amount, r.state FROM refunds r JOIN merchant_payments p ON p.id = r.payment_id
		WHERE (r.state = 'awaiting_payment' AND p.status = 'paid') OR r.state = 'awaiting_funds'
		ORDER BY r.created_at, r.id`)
	if err != nil {
		return fmt.Errorf("refunds waiting: %w", err)
	}
	accrued := map[int64]bool{}
	for _, q := range waiting {
		if !accrued[q.merchant] {
			if err := accrue(ctx, tx, q.merchant, now); err != nil {
				return err
			}
			accrued[q.merchant] = true
		}
		if err := fundRefund(ctx, tx, q.id, q.merchant, q.amount, q.state == store.RefundAwaitingPayment, now); err != nil {
			return err
		}
	}
	// The bank answers.
	type answer struct {
		id      int64
		at      time.Time
		rejects bool
	}
	answers, err := queryAll(ctx, tx, func(row scanner) (answer, error) {
		var (
			a  answer
			at sql.NullInt64
		)
		err := row.Scan(&a.id, &at, &a.rejects)
		a.at = fromNanos(at)
		return a, err
	}, `SELECT id, bank_at, bank_rejects FROM refunds WHERE state = 'awaiting_bank' AND bank_at <= ? ORDER BY bank_at, id`, nanos(now))
	if err != nil {
		return fmt.Errorf("bank answers: %w", err)
	}
	for _, a := range answers {
		to := store.RefundRefunded
		if a.rejects {
			to = store.RefundRejected
		}
		if err := enterState(ctx, tx, a.id, to, a.at); err != nil {
			return err
		}
	}
	return nil
}

// Writers for the demo seed and the conformance fixture (as ledger_add.go).

// AddMerchant stores a merchant account with an empty balance.
func (db *DB) AddMerchant(ctx context.Context, m store.Merchant) (int64, error) {
	var id int64
	err := db.write(ctx, func(q querier) error {
		var err error
		id, err = addMerchant(ctx, q, m, 0, 0, time.Time{})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("add merchant %d: %w", m.ID, err)
	}
	return id, nil
}

func addMerchant(ctx context.Context, q querier, m store.Merchant, balance, inflowPerDay int64, at time.Time) (int64, error) {
	return insert(ctx, q, `INSERT INTO merchants (`+merchantColumns+`, balance, inflow_per_day, balance_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, nullID(m.ID), m.CustomerID, m.Name, m.Currency, m.RefundFee, balance, inflowPerDay, nanos(at))
}

// AddPayment stores a payment a merchant received (Refunded and Committed
// are ignored: they come from the refunds).
func (db *DB) AddPayment(ctx context.Context, p store.Payment) (int64, error) {
	var id int64
	err := db.write(ctx, func(q querier) error {
		var err error
		id, err = addPayment(ctx, q, p, time.Time{})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("add payment %d: %w", p.ID, err)
	}
	return id, nil
}

func addPayment(ctx context.Context, q querier, p store.Payment, payAt time.Time) (int64, error) {
	return insert(ctx, q, `INSERT INTO merchant_payments (id, merchant_id, payer_id, payer_name, amount, currency, status,
		method, card_last4, reference, created_at, paid_at, cancelled_at, pay_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullID(p.ID), p.MerchantID, nullID(int64(p.PayerID)), p.PayerName, p.Amount, p.Currency, p.Status,
		p.Method, p.CardLast4, p.Reference, nanos(p.CreatedAt), nanos(p.PaidAt), nanos(p.CancelledAt), nanos(payAt))
}

// AddRefund stores a refund and its history. An empty History stands for
// one entry: r.State since r.CreatedAt; otherwise the last entry must be
// r.State.
func (db *DB) AddRefund(ctx context.Context, r store.Refund) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx querier) error {
		var err error
		id, err = addRefund(ctx, tx, r, time.Time{}, false)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("add refund %d: %w", r.ID, err)
	}
	return id, nil
}

func addRefund(ctx context.Context, tx querier, r store.Refund, bankAt time.Time, bankRejects bool) (int64, error) {
	history := r.History
	if len(history) == 0 {
		history = []store.RefundChange{{State: r.State, At: r.CreatedAt}}
	}
	if last := history[len(history)-1]; last.State != r.State {
		return 0, fmt.Errorf("refund %d: history ends in %s, state is %s", r.ID, last.State, r.State)
	}
	var settled sql.NullInt64
	if !r.State.Queued() {
		settled = nanos(history[len(history)-1].At)
	}
	id, err := insert(ctx, tx, `INSERT INTO refunds (id, payment_id, amount, fee, state, missing, cancelled_by, created_at,
		deadline, settled_at, bank_at, bank_rejects) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullID(r.ID), r.PaymentID, r.Amount, r.Fee, r.State, r.Missing, r.CancelledBy, nanos(r.CreatedAt),
		nanos(r.Deadline), settled, nanos(bankAt), bankRejects)
	if err != nil {
		return 0, err
	}
	for i, h := range history {
		if _, err := tx.ExecContext(ctx, `INSERT INTO refund_state_changes (refund_id, seq, state, at) VALUES (?, ?, ?, ?)`,
			id, i, h.State, nanos(h.At)); err != nil {
			return 0, fmt.Errorf("history of refund %d: %w", id, err)
		}
	}
	return id, nil
}
