package flows

import (
	"strings"
	"testing"
	"time"

	"paydesk/locales"
	"paydesk/store"
)

// TestCanDispute pins the window to the second: open strictly before
// refused_at + 72 h, whatever zone the refusal time is written in, and 72
// real hours even across a DST change (Prague moved to summer time on
// 29 March 2026, New York on 8 March 2026).
func TestCanDispute(t *testing.T) {
	zone := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	prague, almaty, newYork := zone("Europe/Prague"), zone("Asia/Almaty"), zone("America/New_York")
	tests := []struct {
		name     string
		refused  time.Time
		deadline time.Time // the instant, written in any zone
	}{
		{"Almaty", time.Date(2026, 11, 22, 14, 0, 0, 0, almaty), time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)},
		{"Prague, across the spring DST change", time.Date(2026, 3, 27, 10, 0, 0, 0, prague), time.Date(2026, 3, 30, 11, 0, 0, 0, prague)},
		{"Prague, across the autumn DST change", time.Date(2026, 10, 23, 23, 30, 15, 0, prague), time.Date(2026, 10, 26, 22, 30, 15, 0, prague)},
		{"New York, across its DST change", time.Date(2026, 3, 6, 20, 0, 0, 0, newYork), time.Date(2026, 3, 9, 21, 0, 0, 0, newYork)},
		{"UTC, at midnight", time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 3, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := store.ReturnRequest{Status: store.ReturnRefused, RefusedAt: tt.refused}
			if got := DisputeDeadline(r); !got.Equal(tt.deadline) {
				t.Fatalf("deadline %v, want %v", got, tt.deadline)
			}
			for _, at := range []struct {
				offset time.Duration
				open   bool
			}{{-DisputeWindow, true}, {-time.Second, true}, {0, false}, {time.Second, false}, {DisputeWindow, false}} {
				if got := CanDispute(r, false, tt.deadline.Add(at.offset)); got != at.open {
					t.Errorf("at deadline%+v: CanDispute = %v, want %v", at.offset, got, at.open)
				}
			}
			if CanDispute(r, true, tt.deadline.Add(-time.Hour)) {
				t.Error("a disputed request can be disputed again")
			}
		})
	}
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for _, r := range []store.ReturnRequest{
		{Status: store.ReturnPending},
		{Status: store.ReturnApproved},
		{Status: store.ReturnDisputed, RefusedAt: now.Add(-time.Hour)},
		{Status: store.ReturnRefused}, // refused without a time: never open
	} {
		if CanDispute(r, false, now) {
			t.Errorf("CanDispute(%+v) = true", r)
		}
	}
}

// TestDeadlineInCustomerZone: the card shows the same instant as each
// customer's wall clock, with the right date when the zone crosses midnight.
func TestDeadlineInCustomerZone(t *testing.T) {
	b, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	r := store.ReturnRequest{Status: store.ReturnRefused, RefusedAt: time.Date(2026, 3, 27, 20, 30, 45, 0, time.UTC)}
	deadline := DisputeDeadline(r) // 2026-03-30 20:30:45 UTC
	for _, tt := range []struct{ lang, zone, want string }{
		{"ru", "Asia/Almaty", "31 марта, 1:30"},
		{"cs", "Europe/Prague", "30. března 22:30"}, // summer time by then: UTC+2
		{"en", "America/New_York", "30 March, 16:30"},
		{"en", "", "30 March, 20:30"}, // unknown zone: UTC
	} {
		c := store.Customer{TimeZone: tt.zone}
		got, err := b.For(tt.lang).Render(M("dispute.card_open", "Deadline", locales.DateTime{T: deadline, Loc: c.Location()}, "Left", disputeTimeLeft(time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s in %q: %q, want the deadline %q", tt.lang, tt.zone, got, tt.want)
		}
	}
}

func TestDisputeTimeLeft(t *testing.T) {
	if m, ok := disputeTimeLeft(59 * time.Second).(Msg); !ok || m.ID != "dispute.under_a_minute" {
		t.Errorf("59 s left: %v", disputeTimeLeft(59*time.Second))
	}
	if d, ok := disputeTimeLeft(29 * time.Hour).(locales.Duration); !ok || time.Duration(d) != 29*time.Hour {
		t.Errorf("29 h left: %v", disputeTimeLeft(29*time.Hour))
	}
}
