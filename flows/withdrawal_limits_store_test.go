package flows

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"paydesk/store"
)

// ledgerStub knows the standard tier and the kaspi provider.
type ledgerStub struct{ store.Ledger }

func (ledgerStub) Tier(_ context.Context, code string) (store.Tier, error) {
	if code == "standard" {
		return store.Tier{Code: "standard", ApprovalDays: 2}, nil
	}
	return store.Tier{}, fmt.Errorf("load tier %q: %w", code, store.ErrNotFound)
}

func (ledgerStub) Provider(_ context.Context, code string) (store.Provider, error) {
	if code == "kaspi" {
		return store.Provider{Code: "kaspi", Name: "Kaspi Bank", AvgDays: 1, MaxDays: 3}, nil
	}
	return store.Provider{}, fmt.Errorf("load provider %q: %w", code, store.ErrNotFound)
}

func TestLimitedLedger(t *testing.T) {
	ctx := context.Background()
	s := limitedLedger{Ledger: ledgerStub{}, limits: Limits{
		Tiers:     map[string]int{"gold": 1},
		Providers: map[string]ProviderDays{"kaspi": {Avg: 2, Max: 5}, "paypal": {Avg: 0, Max: 1}},
	}}
	for _, tt := range []struct {
		code string
		want store.Tier
		err  error
	}{
		{"gold", store.Tier{Code: "gold", ApprovalDays: 1}, nil},         // only in config
		{"standard", store.Tier{Code: "standard", ApprovalDays: 2}, nil}, // only in the ledger
		{"platinum", store.Tier{}, store.ErrNotFound},
	} {
		got, err := s.Tier(ctx, tt.code)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("Tier(%q) = %+v, %v; want %+v, %v", tt.code, got, err, tt.want, tt.err)
		}
	}
	for _, tt := range []struct {
		code string
		want store.Provider
		err  error
	}{
		{"kaspi", store.Provider{Code: "kaspi", Name: "Kaspi Bank", AvgDays: 2, MaxDays: 5}, nil}, // the ledger's name
		{"paypal", store.Provider{Code: "paypal", Name: "paypal", AvgDays: 0, MaxDays: 1}, nil},
		{"swift", store.Provider{}, store.ErrNotFound},
	} {
		got, err := s.Provider(ctx, tt.code)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("Provider(%q) = %+v, %v; want %+v, %v", tt.code, got, err, tt.want, tt.err)
		}
	}
}
