package flows

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"paydesk/store"
)

// Limits overrides the reference data the withdrawal clocks run on: the
// approval period of a tier and the processing times of a provider, in
// business days. The ledger holds the defaults (the demo seed has them);
// an operator overrides them from config (PAYDESK_TIERS, PAYDESK_PROVIDERS)
// without touching the ledger, which belongs to the payments backend.
type Limits struct {
	Tiers     map[string]int          // tier code -> approval period
	Providers map[string]ProviderDays // provider code -> average and maximum
}

// ProviderDays are a provider's processing times in business days.
type ProviderDays struct {
	Avg, Max int
}

// WithLimits makes the engine read tiers and providers through l: a code
// that l names gets l's days, every other code the ledger's.
func WithLimits(l Limits) Option {
	return func(e *Engine) {
		if len(l.Tiers)+len(l.Providers) > 0 {
			e.ledger = limitedLedger{Ledger: e.ledger, limits: l}
		}
	}
}

// limitedLedger is a ledger whose Tier and Provider answers carry the
// overrides; everything else passes through.
type limitedLedger struct {
	store.Ledger
	limits Limits
}

func (s limitedLedger) Tier(ctx context.Context, code string) (store.Tier, error) {
	if days, ok := s.limits.Tiers[code]; ok {
		return store.Tier{Code: code, ApprovalDays: days}, nil
	}
	return s.Ledger.Tier(ctx, code)
}

// Provider keeps the ledger's name of an overridden provider; one the
// ledger does not know is named by its code.
func (s limitedLedger) Provider(ctx context.Context, code string) (store.Provider, error) {
	p, err := s.Ledger.Provider(ctx, code)
	days, ok := s.limits.Providers[code]
	if !ok {
		return p, err
	}
	if errors.Is(err, store.ErrNotFound) {
		p, err = store.Provider{Code: code, Name: code}, nil
	}
	p.AvgDays, p.MaxDays = days.Avg, days.Max
	return p, err
}

// ParseTiers reads tier approval periods written "standard=2,gold=1".
func ParseTiers(s string) (map[string]int, error) {
	out := map[string]int{}
	err := eachPair(s, func(code, value string) error {
		days, err := parseDays(value)
		if err != nil {
			return err
		}
		out[code] = days
		return nil
	})
	return out, err
}

// ParseProviders reads provider processing times written
// "kaspi=1/3,sepa=2/7": average/maximum business days.
func ParseProviders(s string) (map[string]ProviderDays, error) {
	out := map[string]ProviderDays{}
	err := eachPair(s, func(code, value string) error {
		avgText, maxText, ok := strings.Cut(value, "/")
		if !ok {
			return fmt.Errorf("%q: want average/maximum days, e.g. 1/3", value)
		}
		avg, err := parseDays(avgText)
		if err != nil {
			return err
		}
		maxDays, err := parseDays(maxText)
		if err != nil {
			return err
		}
		if maxDays < avg {
			return fmt.Errorf("%q: the maximum is below the average", value)
		}
		out[code] = ProviderDays{Avg: avg, Max: maxDays}
		return nil
	})
	return out, err
}

// eachPair calls fn for each "code=value" of a comma-separated list; an
// empty list has none. A code given twice is an error, not a silent winner.
func eachPair(s string, fn func(code, value string) error) error {
	seen := map[string]bool{}
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		code, value, ok := strings.Cut(item, "=")
		code, value = strings.TrimSpace(code), strings.TrimSpace(value)
		if !ok || code == "" {
			return fmt.Errorf("%q: want code=value", item)
		}
		if seen[code] {
			return fmt.Errorf("%q given twice", code)
		}
		seen[code] = true
		if err := fn(code, value); err != nil {
			return fmt.Errorf("%s: %w", code, err)
		}
	}
	return nil
}

func parseDays(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q: want a whole number of business days, 0 or more", s)
	}
	return n, nil
}
