package flows

import (
	"context"

	"paydesk/store"
)

// memoLedger remembers the customers, tiers and providers a tick or an
// event has read, for the rest of it: walking withdrawals asks for the same
// few of them once per withdrawal, and each ask is a round trip to the
// ledger. It is made per tick and per event, so a change in the ledger
// shows on the next. Not safe for concurrent use.
type memoLedger struct {
	store.Ledger
	customers map[store.CustomerID]store.Customer
	tiers     map[string]store.Tier
	providers map[string]store.Provider
}

func newMemoLedger(l store.Ledger) *memoLedger {
	return &memoLedger{Ledger: l, customers: map[store.CustomerID]store.Customer{},
		tiers: map[string]store.Tier{}, providers: map[string]store.Provider{}}
}

func (m *memoLedger) Customer(ctx context.Context, id store.CustomerID) (store.Customer, error) {
	return memo(m.customers, id, func() (store.Customer, error) { return m.Ledger.Customer(ctx, id) })
}

func (m *memoLedger) Tier(ctx context.Context, code string) (store.Tier, error) {
	return memo(m.tiers, code, func() (store.Tier, error) { return m.Ledger.Tier(ctx, code) })
}

func (m *memoLedger) Provider(ctx context.Context, code string) (store.Provider, error) {
	return memo(m.providers, code, func() (store.Provider, error) { return m.Ledger.Provider(ctx, code) })
}

// memo returns cache[k], loading and keeping it when absent; errors are not kept.
func memo[K comparable, V any](cache map[K]V, k K, load func() (V, error)) (V, error) {
	if v, ok := cache[k]; ok {
		return v, nil
	}
	v, err := load()
	if err == nil {
		cache[k] = v
	}
	return v, err
}
