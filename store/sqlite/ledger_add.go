package sqlite

import (
	"context"
	"fmt"

	"paydesk/store"
)

// Writers for the demo ledger. Production ledger data belongs to the
// payments backend; these exist for SeedDemo and for tests (they make *DB a
// storetest.LedgerFixture). An ID of 0 lets the database choose; each
// returns the stored id, or store.ErrDuplicate when the id is taken.

// AddTier stores an approval tier.
func (db *DB) AddTier(ctx context.Context, t store.Tier) error {
	if err := db.write(ctx, func(q querier) error { return addTier(ctx, q, t) }); err != nil {
		return fmt.Errorf("add tier %q: %w", t.Code, err)
	}
	return nil
}

func addTier(ctx context.Context, q querier, t store.Tier) error {
	_, err := insert(ctx, q, `INSERT INTO tiers (code, approval_days) VALUES (?, ?)`, t.Code, t.ApprovalDays)
	return err
}

// AddProvider stores a payment provider.
func (db *DB) AddProvider(ctx context.Context, p store.Provider) error {
	if err := db.write(ctx, func(q querier) error { return addProvider(ctx, q, p) }); err != nil {
		return fmt.Errorf("add provider %q: %w", p.Code, err)
	}
	return nil
}

func addProvider(ctx context.Context, q querier, p store.Provider) error {
	_, err := insert(ctx, q, `INSERT INTO providers (code, name, avg_days, max_days) VALUES (?, ?, ?, ?)`,
		p.Code, p.Name, p.AvgDays, p.MaxDays)
	return err
}

// AddTransfer stores a transfer.
func (db *DB) AddTransfer(ctx context.Context, t store.Transfer) (int64, error) {
	var id int64
	err := db.write(ctx, func(q querier) error {
		var err error
		id, err = addTransfer(ctx, q, t)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("add transfer %d: %w", t.ID, err)
	}
	return id, nil
}

func addTransfer(ctx context.Context, q querier, t store.Transfer) (int64, error) {
	return insert(ctx, q, `INSERT INTO transfers (`+transferColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		nullID(t.ID), t.SenderID, nullID(int64(t.RecipientID)), t.RecipientName, t.Amount, t.Currency,
		nanos(t.CreatedAt), t.Status)
}

// AddWithdrawal stores a withdrawal and its history. An empty History
// stands for one entry: w.Stage since w.CreatedAt. Otherwise the last entry
// must be w.Stage.
func (db *DB) AddWithdrawal(ctx context.Context, w store.Withdrawal) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx querier) error {
		var err error
		id, err = addWithdrawal(ctx, tx, w)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("add withdrawal %d: %w", w.ID, err)
	}
	return id, nil
}

// addWithdrawal needs q to be a transaction: it writes several rows.
func addWithdrawal(ctx context.Context, q querier, w store.Withdrawal) (int64, error) {
	history := w.History
	if len(history) == 0 {
		history = []store.StageChange{{Stage: w.Stage, At: w.CreatedAt}}
	}
	if last := history[len(history)-1].Stage; last != w.Stage {
		return 0, fmt.Errorf("history ends at %q, not at the stage %q", last, w.Stage)
	}
	id, err := insert(ctx, q, `INSERT INTO withdrawals (id, customer_id, amount, currency, method, provider, stage, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		nullID(w.ID), w.CustomerID, w.Amount, w.Currency, w.Method, w.Provider, w.Stage, nanos(w.CreatedAt))
	if err != nil {
		return 0, err
	}
	for seq, c := range history {
		_, err := q.ExecContext(ctx, `INSERT INTO withdrawal_stage_changes (withdrawal_id, seq, stage, at)
			VALUES (?, ?, ?, ?)`, id, seq, c.Stage, nanos(c.At))
		if err != nil {
			return 0, fmt.Errorf("stage %d: %w", seq, err)
		}
	}
	return id, nil
}

// AddReturnRequest stores a return request.
func (db *DB) AddReturnRequest(ctx context.Context, r store.ReturnRequest) (int64, error) {
	var id int64
	err := db.write(ctx, func(q querier) error {
		var err error
		id, err = addReturnRequest(ctx, q, r)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("add return request %d: %w", r.ID, err)
	}
	return id, nil
}

func addReturnRequest(ctx context.Context, q querier, r store.ReturnRequest) (int64, error) {
	return insert(ctx, q, `INSERT INTO return_requests (`+returnRequestColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullID(r.ID), r.CustomerID, r.OrderNo, r.Item, r.Amount, r.Currency, r.Status, r.SellerReason,
		nanos(r.RefusedAt), nanos(r.CreatedAt))
}
