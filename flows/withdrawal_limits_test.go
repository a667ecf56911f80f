package flows_test

import (
	"maps"
	"testing"

	"paydesk/flows"
)

func TestParseTiers(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want map[string]int
		ok   bool
	}{
		{"", map[string]int{}, true},
		{"standard=2,gold=1", map[string]int{"standard": 2, "gold": 1}, true},
		{" standard = 3 , ", map[string]int{"standard": 3}, true},
		{"vip=0", map[string]int{"vip": 0}, true},
		{"standard", nil, false},
		{"=2", nil, false},
		{"standard=-1", nil, false},
		{"standard=two", nil, false},
		{"standard=1.5", nil, false},
		{"standard=2,standard=3", nil, false},
	} {
		got, err := flows.ParseTiers(tt.in)
		if (err == nil) != tt.ok || (tt.ok && !maps.Equal(got, tt.want)) {
			t.Errorf("ParseTiers(%q) = %v, %v; want %v (ok %v)", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseProviders(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want map[string]flows.ProviderDays
		ok   bool
	}{
		{"", map[string]flows.ProviderDays{}, true},
		{"kaspi=1/3,sepa=2/7", map[string]flows.ProviderDays{"kaspi": {Avg: 1, Max: 3}, "sepa": {Avg: 2, Max: 7}}, true},
		{"instant=0/1", map[string]flows.ProviderDays{"instant": {Avg: 0, Max: 1}}, true},
		{"kaspi=3", nil, false},
		{"kaspi=3/1", nil, false},
		{"kaspi=1/x", nil, false},
		{"kaspi=-1/3", nil, false},
		{"kaspi=1/3,kaspi=1/4", nil, false},
	} {
		got, err := flows.ParseProviders(tt.in)
		if (err == nil) != tt.ok || (tt.ok && !maps.Equal(got, tt.want)) {
			t.Errorf("ParseProviders(%q) = %v, %v; want %v (ok %v)", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// TestWithLimitsOverridesTheLedger: a named tier or provider gets the
// configured days (the card says so), the others keep the ledger's.
func TestWithLimitsOverridesTheLedger(t *testing.T) {
	h := linked(t)
	h.withLimits(flows.Limits{
		Tiers:     map[string]int{"standard": 9},
		Providers: map[string]flows.ProviderDays{"kaspi": {Avg: 2, Max: 5}},
	})
	card := h.press("wdc", wdFresh) // customer 1 is standard; 203 goes through kaspi
	if m := card.Replies[0].Screen.Body[2]; m.ID != "withdrawal.approval_limit" || m.Count != 9 {
		t.Fatalf("approval period %+v, want the configured 9 days", m)
	}
	card = h.press("wdc", 204) // fresh at kaspi
	if m := card.Replies[0].Screen.Body[2]; m.ID != "withdrawal.provider_times" ||
		m.Args["Avg"].(flows.Msg).Count != 2 || m.Args["Max"].(flows.Msg).Count != 5 {
		t.Fatalf("provider times %+v, want the configured 2/5", m)
	}
	// Still stuck at the provider, now past the configured 5 days too.
	if _, ok := findButton(h.press("wdc", wdStuckPSP), "withdrawal.waiting"); !ok {
		t.Fatal("the stuck withdrawal lost its button")
	}
}
