package storetest

import (
	"testing"
	"time"

	"paydesk/store"
)

// The fixture ledger the customer and ledger tests read back. It is small
// and written to catch ordering mistakes: two transfers share a timestamp
// (the higher id is newer), ids do not follow time, and a second customer
// owns rows that must never show up in the first one's lists.

// base is the fixture's "now"; every fixture time is whole seconds.
var base = time.Date(2025, 3, 10, 9, 30, 0, 0, time.UTC)

func ago(d time.Duration) time.Time { return base.Add(-d) }

const day = 24 * time.Hour

var fixtureTiers = []store.Tier{{Code: "standard", ApprovalDays: 2}, {Code: "gold", ApprovalDays: 1}}

var fixtureProviders = []store.Provider{
	{Code: "kaspi", Name: "Kaspi Bank", AvgDays: 1, MaxDays: 3},
	{Code: "sepa", Name: "SEPA", AvgDays: 2, MaxDays: 7},
}

var (
	aigul = store.Customer{ID: 1, Name: "Айгуль Сейткали", Phone: "+77010000009", Language: "ru",
		Country: "KZ", TimeZone: "Asia/Almaty", Tier: "standard", Currency: "KZT"}
	tereza = store.Customer{ID: 2, Name: "Tereza Nováková", Phone: "+420601000009", Language: "cs",
		Country: "CZ", TimeZone: "Europe/Prague", Tier: "gold", Currency: "CZK"}
	// john has no ledger rows at all.
	john = store.Customer{ID: 3, Name: "John Miller", Phone: "+447700900009", Language: "en",
		Country: "CZ", TimeZone: "Europe/Prague", Tier: "standard", Currency: "EUR"}
)

var fixtureCustomers = []store.Customer{aigul, tereza, john}

var fixtureTransfers = []store.Transfer{
	{ID: 14, SenderID: 1, RecipientName: "Данияр Нурланов", Amount: 500000, Currency: "KZT", CreatedAt: ago(40 * day), Status: store.TransferCompleted},
	{ID: 11, SenderID: 1, RecipientID: 2, RecipientName: "Tereza Nováková", Amount: 1500000, Currency: "KZT", CreatedAt: ago(2 * time.Hour), Status: store.TransferCompleted},
	{ID: 12, SenderID: 1, RecipientName: "Асель Жумабаева", Amount: 250000, Currency: "KZT", CreatedAt: ago(3 * day), Status: store.TransferReturned},
	{ID: 13, SenderID: 1, RecipientName: "Ерлан Касымов", Amount: 100000, Currency: "KZT", CreatedAt: ago(3 * day), Status: store.TransferCompleted},
	{ID: 10, SenderID: 1, RecipientName: "Мадина Абдуллаева", Amount: 7500000, Currency: "KZT", CreatedAt: ago(10 * day), Status: store.TransferCompleted},
	{ID: 20, SenderID: 2, RecipientName: "Petr Svoboda", Amount: 123450, Currency: "CZK", CreatedAt: ago(time.Hour), Status: store.TransferCompleted},
}

// aigulTransfers are fixtureTransfers' ids of customer 1, newest first.
var aigulTransfers = []int64{11, 13, 12, 10, 14}

var fixtureWithdrawals = []store.Withdrawal{
	{ID: 31, CustomerID: 1, Amount: 1500000, Currency: "KZT", Method: "Kaspi Gold *4417", Provider: "kaspi",
		Stage: store.StageApproval, CreatedAt: ago(6 * day),
		History: []store.StageChange{{Stage: store.StageApproval, At: ago(6 * day)}}},
	{ID: 32, CustomerID: 1, Amount: 700000, Currency: "KZT", Method: "Kaspi Gold *4417", Provider: "kaspi",
		Stage: store.StageReceived, CreatedAt: ago(9 * day),
		History: []store.StageChange{
			{Stage: store.StageApproval, At: ago(9 * day)},
			{Stage: store.StageProcessing, At: ago(8 * day)},
			{Stage: store.StageReceived, At: ago(7 * day)},
		}},
	{ID: 30, CustomerID: 1, Amount: 4850000, Currency: "KZT", Method: "Visa *1234", Provider: "kaspi",
		Stage: store.StageProcessing, CreatedAt: ago(5 * time.Hour),
		History: []store.StageChange{
			{Stage: store.StageApproval, At: ago(5 * time.Hour)},
			{Stage: store.StageProcessing, At: ago(2 * time.Hour)},
		}},
	{ID: 33, CustomerID: 2, Amount: 250000, Currency: "CZK", Method: "SEPA transfer", Provider: "sepa",
		Stage: store.StageRejected, CreatedAt: ago(4 * day),
		History: []store.StageChange{
			{Stage: store.StageApproval, At: ago(4 * day)},
			{Stage: store.StageRejected, At: ago(3 * day)},
		}},
}

// aigulWithdrawals are fixtureWithdrawals' ids of customer 1, newest first.
var aigulWithdrawals = []int64{30, 31, 32}

var fixtureReturnRequests = []store.ReturnRequest{
	{ID: 41, CustomerID: 1, OrderNo: "KZ-458812", Item: "Беспроводные наушники", Amount: 2499000, Currency: "KZT",
		Status: store.ReturnRefused, SellerReason: "Товар был в употреблении", RefusedAt: ago(day), CreatedAt: ago(5 * day)},
	{ID: 40, CustomerID: 1, OrderNo: "KZ-463977", Item: "Кроссовки", Amount: 5499000, Currency: "KZT",
		Status: store.ReturnPending, CreatedAt: ago(2 * day)},
	{ID: 42, CustomerID: 2, OrderNo: "CZ-702114", Item: "Sluchátka", Amount: 119900, Currency: "CZK",
		Status: store.ReturnApproved, CreatedAt: ago(3 * day)},
}

// aigulReturnRequests are fixtureReturnRequests' ids of customer 1, newest first.
var aigulReturnRequests = []int64{40, 41}

func loadLedger(t *testing.T, f LedgerFixture) {
	t.Helper()
	ctx := t.Context()
	for _, v := range fixtureTiers {
		must(t, "AddTier", f.AddTier(ctx, v))
	}
	for _, v := range fixtureProviders {
		must(t, "AddProvider", f.AddProvider(ctx, v))
	}
	for _, v := range fixtureCustomers {
		mustAdd(t, "AddCustomer", v.ID)(f.AddCustomer(ctx, v))
	}
	for _, v := range fixtureTransfers {
		mustAdd(t, "AddTransfer", v.ID)(f.AddTransfer(ctx, v))
	}
	for _, v := range fixtureWithdrawals {
		mustAdd(t, "AddWithdrawal", v.ID)(f.AddWithdrawal(ctx, v))
	}
	for _, v := range fixtureReturnRequests {
		mustAdd(t, "AddReturnRequest", v.ID)(f.AddReturnRequest(ctx, v))
	}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// mustAdd checks an Add that returns the stored id: it must keep the given one.
func mustAdd[ID comparable](t *testing.T, what string, want ID) func(ID, error) {
	t.Helper()
	return func(got ID, err error) {
		t.Helper()
		must(t, what, err)
		if got != want {
			t.Fatalf("%s returned id %v, want the given %v", what, got, want)
		}
	}
}

// byID picks fixture rows by id, in the order of ids.
func byID[T any](all []T, id func(T) int64, ids []int64) []T {
	var out []T
	for _, want := range ids {
		for _, v := range all {
			if id(v) == want {
				out = append(out, v)
			}
		}
	}
	return out
}
