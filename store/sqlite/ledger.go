package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"paydesk/store"
)

// Ledger reads. The demo ledger stands for the payments backend, so this
// file only reads; ledger_add.go puts rows in for the seed and for tests.

const transferColumns = `id, sender_id, recipient_id, recipient_name, amount, currency, created_at, status`

func scanTransfer(row scanner) (store.Transfer, error) {
	var (
		t         store.Transfer
		recipient sql.NullInt64
		created   sql.NullInt64
	)
	err := row.Scan(&t.ID, &t.SenderID, &recipient, &t.RecipientName, &t.Amount, &t.Currency, &created, &t.Status)
	t.RecipientID = store.CustomerID(recipient.Int64)
	t.CreatedAt = fromNanos(created)
	return t, err
}

// Transfers lists the transfers the customer sent, newest first, from offset
// on; limit <= 0 means all. total counts them all, whatever the page.
func (db *DB) Transfers(ctx context.Context, sender store.CustomerID, offset, limit int) ([]store.Transfer, int, error) {
	var (
		list  []store.Transfer
		total int
	)
	err := db.read(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM transfers WHERE sender_id = ?`, sender).Scan(&total)
		if err != nil {
			return err
		}
		list, err = queryAll(ctx, tx, scanTransfer, `SELECT `+transferColumns+` FROM transfers
			WHERE sender_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
			sender, sqlLimit(limit), max(offset, 0))
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list transfers of customer %d: %w", sender, err)
	}
	return list, total, nil
}

// Transfer returns one transfer, or store.ErrNotFound.
func (db *DB) Transfer(ctx context.Context, id int64) (store.Transfer, error) {
	t, err := queryOne(ctx, db.rd, scanTransfer, `SELECT `+transferColumns+` FROM transfers WHERE id = ?`, id)
	if err != nil {
		return t, fmt.Errorf("load transfer %d: %w", id, err)
	}
	return t, nil
}

// withdrawalSelect reads a withdrawal together with its stage history, as a
// JSON array ordered by seq, so a list needs one statement and no second
// round trip per withdrawal.
const withdrawalSelect = `SELECT w.id, w.customer_id, w.amount, w.currency, w.method, w.provider, w.stage, w.created_at,
	(SELECT json_group_array(json_object('stage', h.stage, 'at', h.at) ORDER BY h.seq)
	 FROM withdrawal_stage_changes h WHERE h.withdrawal_id = w.id)
	FROM withdrawals w`

func scanWithdrawal(row scanner) (store.Withdrawal, error) {
	var (
		w       store.Withdrawal
		created sql.NullInt64
		history string
	)
	if err := row.Scan(&w.ID, &w.CustomerID, &w.Amount, &w.Currency, &w.Method, &w.Provider, &w.Stage, &created, &history); err != nil {
		return w, err
	}
	w.CreatedAt = fromNanos(created)
	var changes []struct {
		Stage store.WithdrawalStage `json:"stage"`
		At    int64                 `json:"at"`
	}
	if err := json.Unmarshal([]byte(history), &changes); err != nil {
		return w, fmt.Errorf("decode history of withdrawal %d: %w", w.ID, err)
	}
	for _, c := range changes {
		w.History = append(w.History, store.StageChange{Stage: c.Stage, At: fromNanos(sql.NullInt64{Int64: c.At, Valid: true})})
	}
	return w, nil
}

// Withdrawals lists the customer's withdrawals, newest first; limit <= 0
// means all.
func (db *DB) Withdrawals(ctx context.Context, id store.CustomerID, limit int) ([]store.Withdrawal, error) {
	list, err := queryAll(ctx, db.rd, scanWithdrawal, withdrawalSelect+`
		WHERE w.customer_id = ? ORDER BY w.created_at DESC, w.id DESC LIMIT ?`, id, sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("list withdrawals of customer %d: %w", id, err)
	}
	return list, nil
}

// Withdrawal returns one withdrawal with its history, or store.ErrNotFound.
func (db *DB) Withdrawal(ctx context.Context, id int64) (store.Withdrawal, error) {
	w, err := queryOne(ctx, db.rd, scanWithdrawal, withdrawalSelect+` WHERE w.id = ?`, id)
	if err != nil {
		return w, fmt.Errorf("load withdrawal %d: %w", id, err)
	}
	return w, nil
}

// Tier returns an approval tier, or store.ErrNotFound.
func (db *DB) Tier(ctx context.Context, code string) (store.Tier, error) {
	t, err := queryOne(ctx, db.rd, func(row scanner) (store.Tier, error) {
		var t store.Tier
		return t, row.Scan(&t.Code, &t.ApprovalDays)
	}, `SELECT code, approval_days FROM tiers WHERE code = ?`, code)
	if err != nil {
		return t, fmt.Errorf("load tier %q: %w", code, err)
	}
	return t, nil
}

// Provider returns a payment provider, or store.ErrNotFound.
func (db *DB) Provider(ctx context.Context, code string) (store.Provider, error) {
	p, err := queryOne(ctx, db.rd, func(row scanner) (store.Provider, error) {
		var p store.Provider
		return p, row.Scan(&p.Code, &p.Name, &p.AvgDays, &p.MaxDays)
	}, `SELECT code, name, avg_days, max_days FROM providers WHERE code = ?`, code)
	if err != nil {
		return p, fmt.Errorf("load provider %q: %w", code, err)
	}
	return p, nil
}

const returnRequestColumns = `id, customer_id, order_no, item, amount, currency, status, seller_reason, refused_at, created_at`

func scanReturnRequest(row scanner) (store.ReturnRequest, error) {
	var (
		r                store.ReturnRequest
		refused, created sql.NullInt64
	)
	err := row.Scan(&r.ID, &r.CustomerID, &r.OrderNo, &r.Item, &r.Amount, &r.Currency, &r.Status, &r.SellerReason, &refused, &created)
	r.RefusedAt, r.CreatedAt = fromNanos(refused), fromNanos(created)
	return r, err
}

// ReturnRequests lists the customer's return requests, newest first.
func (db *DB) ReturnRequests(ctx context.Context, id store.CustomerID) ([]store.ReturnRequest, error) {
	list, err := queryAll(ctx, db.rd, scanReturnRequest, `SELECT `+returnRequestColumns+` FROM return_requests
		WHERE customer_id = ? ORDER BY created_at DESC, id DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("list return requests of customer %d: %w", id, err)
	}
	return list, nil
}

// ReturnRequest returns one return request, or store.ErrNotFound.
func (db *DB) ReturnRequest(ctx context.Context, id int64) (store.ReturnRequest, error) {
	r, err := queryOne(ctx, db.rd, scanReturnRequest, `SELECT `+returnRequestColumns+` FROM return_requests WHERE id = ?`, id)
	if err != nil {
		return r, fmt.Errorf("load return request %d: %w", id, err)
	}
	return r, nil
}

// sqlLimit turns "limit <= 0 means all" into SQLite's LIMIT -1.
func sqlLimit(limit int) int {
	if limit <= 0 {
		return -1
	}
	return limit
}
