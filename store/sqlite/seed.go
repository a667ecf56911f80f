package sqlite

import (
	"context"
	"fmt"
	"time"

	"paydesk/store"
)

// The demo ledger: four customers (Russian, Czech and English speaking) with
// transfers, withdrawals in every stage (a stuck and a fresh one for every
// customer) and return requests in every state,
// all dated relative to a given now, so `paydesk demo` always has something
// cancellable, something stuck and something disputable, and golden tests
// get the same rows and ids for the same now.

// Ids of seeded rows start at different hundreds per table, so an id used
// for the wrong kind of object finds nothing instead of a wrong row.
const (
	firstDemoTransfer      = 101
	firstDemoWithdrawal    = 201
	firstDemoReturnRequest = 301
)

const day = 24 * time.Hour

var demoTiers = []store.Tier{
	{Code: "standard", ApprovalDays: 2},
	{Code: "gold", ApprovalDays: 1},
}

var demoProviders = []store.Provider{
	{Code: "kaspi", Name: "Kaspi Bank", AvgDays: 1, MaxDays: 3},
	{Code: "visa_direct", Name: "Visa Direct", AvgDays: 1, MaxDays: 3},
	{Code: "mastercard_send", Name: "Mastercard Send", AvgDays: 1, MaxDays: 3},
	{Code: "sepa", Name: "SEPA", AvgDays: 2, MaxDays: 7},
	{Code: "swift", Name: "SWIFT", AvgDays: 3, MaxDays: 7},
}

// demoTransfer is a transfer sent ago before now.
type demoTransfer struct {
	ago       time.Duration
	recipient string
	toID      store.CustomerID // 0: not a customer
	amount    int64
	returned  bool
}

// demoStage is a stage entered ago before now; a negative ago plans it for
// later (the demo clock reaches it: DB.AdvanceWithdrawals).
type demoStage struct {
	stage store.WithdrawalStage
	ago   time.Duration
}

type demoWithdrawal struct {
	amount   int64
	method   string
	provider string
	stages   []demoStage // the first is when the withdrawal was created
}

// demoReturn is a return request created ago before now; refusedAgo > 0
// marks it refused that long ago.
type demoReturn struct {
	ago        time.Duration
	orderNo    string
	item       string
	amount     int64
	status     store.ReturnStatus
	reason     string
	refusedAgo time.Duration
}

type demoAccount struct {
	customer    store.Customer
	transfers   []demoTransfer
	withdrawals []demoWithdrawal
	returns     []demoReturn
}

// Stage timelines shared by every account: stuck past the approval period
// (7 calendar days hold at least 2 business days in either calendar, even
// around national holidays), stuck at the provider past its maximum (16
// calendar days hold more than 7 business days), within limits, received,
// rejected.
var (
	stuckApproval   = []demoStage{{store.StageApproval, 7*day + 4*time.Hour}}
	stuckProcessing = []demoStage{{store.StageApproval, 18*day + 2*time.Hour}, {store.StageProcessing, 16*day + 5*time.Hour}}
	freshApproval   = []demoStage{{store.StageApproval, 2 * time.Hour}}
	freshProcessing = []demoStage{{store.StageApproval, 1*day + 5*time.Hour}, {store.StageProcessing, 3 * time.Hour}, {store.StageReceived, -(1*day + 2*time.Hour)}}
	received        = []demoStage{{store.StageApproval, 9*day + 6*time.Hour}, {store.StageProcessing, 8*day + 3*time.Hour}, {store.StageReceived, 7*day + 1*time.Hour}}
	rejected        = []demoStage{{store.StageApproval, 5*day + 2*time.Hour}, {store.StageRejected, 4*day + 7*time.Hour}}
)

var demoAccounts = []demoAccount{
	{
		customer: store.Customer{ID: 1, Name: "Айгерим Садыкова", Phone: "+77010000001", Language: "ru",
			Country: "KZ", TimeZone: "Asia/Almaty", Tier: "standard", Currency: "KZT"},
		transfers: []demoTransfer{
			{ago: 2 * time.Hour, recipient: "Нурлан Ахметов", toID: 4, amount: 500000},
			{ago: 1*day + 3*time.Hour, recipient: "Айгуль Сейткали", amount: 1500000},
			{ago: 3*day + 5*time.Hour, recipient: "Нурлан Ахметов", toID: 4, amount: 250000},
			{ago: 6*day + 1*time.Hour, recipient: "Нурлан Ахметов", toID: 4, amount: 12000000},
			{ago: 11*day + 7*time.Hour, recipient: "Ерлан Касымов", amount: 750000},
			{ago: 19*day + 2*time.Hour, recipient: "Мадина Абдуллаева", amount: 3000000, returned: true},
			{ago: 26*day + 4*time.Hour, recipient: "Айгуль Сейткали", amount: 420000},
			{ago: 33*day + 6*time.Hour, recipient: "Тимур Беков", amount: 5000000},
			{ago: 41*day + 3*time.Hour, recipient: "Данияр Нурланов", amount: 100000},
		},
		withdrawals: []demoWithdrawal{
			{amount: 1500000, method: "Kaspi Gold *4417", provider: "kaspi", stages: stuckApproval},
			{amount: 25000000, method: "Visa *1234", provider: "visa_direct", stages: stuckProcessing},
			{amount: 4850000, method: "Kaspi Gold *4417", provider: "kaspi", stages: freshApproval},
			{amount: 700000, method: "Kaspi Gold *4417", provider: "kaspi", stages: freshProcessing},
			{amount: 12000000, method: "Kaspi Gold *4417", provider: "kaspi", stages: received},
			{amount: 3300000, method: "Visa *1234", provider: "visa_direct", stages: rejected},
		},
		returns: []demoReturn{
			{ago: 6 * day, orderNo: "KZ-458812", item: "Беспроводные наушники JBL Tune 510BT", amount: 2499000,
				status: store.ReturnRefused, reason: "Товар был в употреблении", refusedAgo: 1 * day},
			{ago: 9 * day, orderNo: "KZ-455120", item: "Чайник электрический Xiaomi Mi Kettle", amount: 1250000,
				status: store.ReturnRefused, reason: "Нарушена комплектация: нет оригинальной упаковки", refusedAgo: 4 * day},
			{ago: 2 * day, orderNo: "KZ-463977", item: "Кроссовки Nike Air Max 90", amount: 5499000,
				status: store.ReturnPending},
			{ago: 12 * day, orderNo: "KZ-451306", item: "Рюкзак городской Samsonite", amount: 3800000,
				status: store.ReturnApproved},
		},
	},
	{
		customer: store.Customer{ID: 2, Name: "Tereza Nováková", Phone: "+420601000001", Language: "cs",
			Country: "CZ", TimeZone: "Europe/Prague", Tier: "gold", Currency: "CZK"},
		transfers: []demoTransfer{
			{ago: 2 * time.Hour, recipient: "Petr Svoboda", amount: 123450},
			{ago: 1*day + 3*time.Hour, recipient: "Jana Dvořáková", amount: 50000},
			{ago: 3*day + 5*time.Hour, recipient: "Martin Novotný", amount: 280000},
			{ago: 6*day + 1*time.Hour, recipient: "Lucie Černá", amount: 1500000},
			{ago: 11*day + 7*time.Hour, recipient: "Jakub Procházka", amount: 34990},
			{ago: 19*day + 2*time.Hour, recipient: "Petr Svoboda", amount: 100000, returned: true},
			{ago: 26*day + 4*time.Hour, recipient: "Eva Horáková", amount: 625075},
			{ago: 33*day + 6*time.Hour, recipient: "Tomáš Marek", amount: 12000},
			{ago: 41*day + 3*time.Hour, recipient: "Jana Dvořáková", amount: 400000},
		},
		withdrawals: []demoWithdrawal{
			{amount: 250000, method: "Visa *8830", provider: "visa_direct", stages: stuckApproval},
			{amount: 1200000, method: "Mastercard *5502", provider: "mastercard_send", stages: stuckProcessing},
			{amount: 123450, method: "Visa *8830", provider: "visa_direct", stages: freshApproval},
			{amount: 80000, method: "Visa *8830", provider: "visa_direct", stages: freshProcessing},
			{amount: 560000, method: "Mastercard *5502", provider: "mastercard_send", stages: received},
			{amount: 34990, method: "Visa *8830", provider: "visa_direct", stages: rejected},
		},
		returns: []demoReturn{
			{ago: 6 * day, orderNo: "CZ-702114", item: "Bezdrátová sluchátka JBL Tune 510BT", amount: 119900,
				status: store.ReturnRefused, reason: "Zboží jevilo známky používání", refusedAgo: 1 * day},
			{ago: 9 * day, orderNo: "CZ-699850", item: "Rychlovarná konvice Xiaomi Mi Kettle", amount: 89900,
				status: store.ReturnRefused, reason: "Chybí originální obal", refusedAgo: 4 * day},
			{ago: 2 * day, orderNo: "CZ-704391", item: "Boty Nike Air Max 90", amount: 349950,
				status: store.ReturnPending},
			{ago: 12 * day, orderNo: "CZ-697023", item: "Městský batoh Samsonite", amount: 249000,
				status: store.ReturnApproved},
		},
	},
	{
		customer: store.Customer{ID: 3, Name: "John Miller", Phone: "+447700900001", Language: "en",
			Country: "CZ", TimeZone: "Europe/Prague", Tier: "standard", Currency: "EUR"},
		transfers: []demoTransfer{
			{ago: 2 * time.Hour, recipient: "Anna Kowalski", amount: 2500},
			{ago: 1*day + 3*time.Hour, recipient: "Tomáš Král", amount: 12050},
			{ago: 3*day + 5*time.Hour, recipient: "Sarah Jones", amount: 999},
			{ago: 6*day + 1*time.Hour, recipient: "Lukas Weber", amount: 30000},
			{ago: 11*day + 7*time.Hour, recipient: "Emma Brown", amount: 4780},
			{ago: 19*day + 2*time.Hour, recipient: "Anna Kowalski", amount: 1500, returned: true},
			{ago: 26*day + 4*time.Hour, recipient: "Marek Dvořák", amount: 125000},
			{ago: 33*day + 6*time.Hour, recipient: "Olivia Smith", amount: 6000},
			{ago: 41*day + 3*time.Hour, recipient: "Tomáš Král", amount: 8235},
		},
		withdrawals: []demoWithdrawal{
			{amount: 15000, method: "Visa *1234", provider: "visa_direct", stages: stuckApproval},
			{amount: 120000, method: "SEPA transfer", provider: "sepa", stages: stuckProcessing},
			{amount: 7550, method: "Visa *1234", provider: "visa_direct", stages: freshApproval},
			{amount: 4000, method: "SEPA transfer", provider: "sepa", stages: freshProcessing},
			{amount: 32000, method: "SWIFT transfer", provider: "swift", stages: received},
			{amount: 99999, method: "Visa *1234", provider: "visa_direct", stages: rejected},
		},
		returns: []demoReturn{
			{ago: 6 * day, orderNo: "EU-310577", item: "Wireless headphones JBL Tune 510BT", amount: 4999,
				status: store.ReturnRefused, reason: "The item shows signs of use", refusedAgo: 1 * day},
			{ago: 9 * day, orderNo: "EU-308142", item: "Xiaomi Mi electric kettle", amount: 3490,
				status: store.ReturnRefused, reason: "The original packaging is missing", refusedAgo: 4 * day},
			{ago: 2 * day, orderNo: "EU-312960", item: "Nike Air Max 90 sneakers", amount: 13995,
				status: store.ReturnPending},
			{ago: 12 * day, orderNo: "EU-305488", item: "Samsonite city backpack", amount: 8900,
				status: store.ReturnApproved},
		},
	},
	{
		// Нурлан receives three of Айгерим's recent transfers, so a
		// cancellation request can reach a recipient who is a customer too
		// and be returned, declined or left to expire in one demo. His own
		// transfers (one back to Айгерим) make him a sender as well.
		customer: store.Customer{ID: 4, Name: "Нурлан Ахметов", Phone: "+77010000002", Language: "ru",
			Country: "KZ", TimeZone: "Asia/Almaty", Tier: "standard", Currency: "KZT"},
		transfers: []demoTransfer{
			{ago: 5 * time.Hour, recipient: "Айгерим Садыкова", toID: 1, amount: 1000000},
			{ago: 2*day + 4*time.Hour, recipient: "Болат Искаков", amount: 350000},
			{ago: 34*day + 2*time.Hour, recipient: "Сауле Омарова", amount: 780000},
			{ago: 43*day + 5*time.Hour, recipient: "Айгерим Садыкова", toID: 1, amount: 200000},
		},
		// A stuck and a fresh withdrawal, so every demo customer can try the
		// "Waiting more than N days?" button and see a card without it.
		withdrawals: []demoWithdrawal{
			{amount: 9000000, method: "Kaspi Gold *2208", provider: "kaspi", stages: stuckProcessing},
			{amount: 2000000, method: "Kaspi Gold *2208", provider: "kaspi", stages: freshApproval},
		},
	},
}

// Empty reports whether the database holds no customers yet.
func (db *DB) Empty(ctx context.Context) (bool, error) {
	empty, err := isEmpty(ctx, db.rd)
	if err != nil {
		return false, fmt.Errorf("check for customers: %w", err)
	}
	return empty, nil
}

func isEmpty(ctx context.Context, q querier) (bool, error) {
	var empty bool
	err := q.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM customers)`).Scan(&empty)
	return empty, err
}

// SeedDemo fills an empty database with the demo ledger dated relative to
// now; it does nothing when customers exist. The same now always gives the
// same rows and ids. The check and the inserts are one transaction, so two
// processes seeding at once cannot seed twice.
func (db *DB) SeedDemo(ctx context.Context, now time.Time) error {
	err := db.write(ctx, func(tx querier) error {
		empty, err := isEmpty(ctx, tx)
		if err != nil || !empty {
			return err
		}
		if err := seed(ctx, tx, now); err != nil {
			return err
		}
		// The seeded history is not news: the change feed starts after it.
		_, err = tx.ExecContext(ctx, `DELETE FROM ledger_changes`)
		return err
	})
	if err != nil {
		return fmt.Errorf("seed demo ledger: %w", err)
	}
	return nil
}

func seed(ctx context.Context, tx querier, now time.Time) error {
	for _, t := range demoTiers {
		if err := addTier(ctx, tx, t); err != nil {
			return fmt.Errorf("tier %s: %w", t.Code, err)
		}
	}
	for _, p := range demoProviders {
		if err := addProvider(ctx, tx, p); err != nil {
			return fmt.Errorf("provider %s: %w", p.Code, err)
		}
	}
	for _, a := range demoAccounts {
		if _, err := addCustomer(ctx, tx, a.customer); err != nil {
			return fmt.Errorf("customer %d: %w", a.customer.ID, err)
		}
	}
	ids := ids{transfer: firstDemoTransfer, withdrawal: firstDemoWithdrawal, returnRequest: firstDemoReturnRequest}
	for _, a := range demoAccounts {
		if err := seedAccount(ctx, tx, a, now, &ids); err != nil {
			return fmt.Errorf("customer %d: %w", a.customer.ID, err)
		}
	}
	return seedMerchants(ctx, tx, now) // seed_refunds.go
}

// ids are the next ids to give per table.
type ids struct{ transfer, withdrawal, returnRequest int64 }

func seedAccount(ctx context.Context, tx querier, a demoAccount, now time.Time, ids *ids) error {
	c := a.customer
	for _, d := range a.transfers {
		t := store.Transfer{ID: ids.transfer, SenderID: c.ID, RecipientID: d.toID, RecipientName: d.recipient,
			Amount: d.amount, Currency: c.Currency, CreatedAt: now.Add(-d.ago), Status: store.TransferCompleted}
		if d.returned {
			t.Status = store.TransferReturned
		}
		if _, err := addTransfer(ctx, tx, t); err != nil {
			return fmt.Errorf("transfer %d: %w", t.ID, err)
		}
		ids.transfer++
	}
	for _, d := range a.withdrawals {
		w := store.Withdrawal{ID: ids.withdrawal, CustomerID: c.ID, Amount: d.amount, Currency: c.Currency,
			Method: d.method, Provider: d.provider, CreatedAt: now.Add(-d.stages[0].ago)}
		var planned []demoStage
		for _, s := range d.stages {
			if s.ago < 0 {
				planned = append(planned, s)
				continue
			}
			w.History = append(w.History, store.StageChange{Stage: s.stage, At: now.Add(-s.ago)})
			w.Stage = s.stage
		}
		if _, err := addWithdrawal(ctx, tx, w); err != nil {
			return fmt.Errorf("withdrawal %d: %w", w.ID, err)
		}
		for _, s := range planned {
			if _, err := tx.ExecContext(ctx, `INSERT INTO demo_withdrawal_plan (withdrawal_id, stage, at) VALUES (?, ?, ?)`,
				w.ID, s.stage, nanos(now.Add(-s.ago))); err != nil {
				return fmt.Errorf("withdrawal %d plan: %w", w.ID, err)
			}
		}
		ids.withdrawal++
	}
	for _, d := range a.returns {
		r := store.ReturnRequest{ID: ids.returnRequest, CustomerID: c.ID, OrderNo: d.orderNo, Item: d.item,
			Amount: d.amount, Currency: c.Currency, Status: d.status, SellerReason: d.reason, CreatedAt: now.Add(-d.ago)}
		if d.refusedAgo > 0 {
			r.RefusedAt = now.Add(-d.refusedAgo)
		}
		if _, err := addReturnRequest(ctx, tx, r); err != nil {
			return fmt.Errorf("return request %d: %w", r.ID, err)
		}
		ids.returnRequest++
	}
	return nil
}
