package flows

import (
	"testing"
	"time"

	"paydesk/flows/businessday"
	"paydesk/store"
)

func TestWithdrawalClock(t *testing.T) {
	almaty, _ := time.LoadLocation("Asia/Almaty")
	prague, _ := time.LoadLocation("Europe/Prague")
	kz, _ := businessday.For("KZ")
	cz, _ := businessday.For("CZ")
	kaspi := store.Provider{Code: "kaspi", Name: "Kaspi Bank", AvgDays: 1, MaxDays: 3}
	at := func(loc *time.Location, month time.Month, day, hour int) time.Time {
		return time.Date(2026, month, day, hour, 0, 0, 0, loc)
	}
	day := func(loc *time.Location, month time.Month, d int) time.Time { return at(loc, month, d, 0) }
	withdrawal := func(stages ...store.StageChange) store.Withdrawal {
		return store.Withdrawal{ID: 1, Provider: "kaspi", Stage: stages[len(stages)-1].Stage, History: stages, CreatedAt: stages[0].At}
	}
	approval := func(since time.Time) store.Withdrawal {
		return withdrawal(store.StageChange{Stage: store.StageApproval, At: since})
	}
	processing := func(since time.Time) store.Withdrawal {
		return withdrawal(store.StageChange{Stage: store.StageApproval, At: since.Add(-time.Hour)},
			store.StageChange{Stage: store.StageProcessing, At: since})
	}

	tests := []struct {
		name                    string
		w                       store.Withdrawal
		approvalDays            int
		cal                     *businessday.Calendar
		loc                     *time.Location
		now                     time.Time
		open, overdue           bool
		limit                   int
		deadline, usual, latest time.Time
	}{
		{
			name: "approval from Friday afternoon: over the weekend, then the provider's days",
			w:    approval(at(almaty, 11, 20, 15)), approvalDays: 2, cal: kz, loc: almaty,
			now:  at(almaty, 11, 23, 14),
			open: true, limit: 2, deadline: at(almaty, 11, 24, 15),
			usual: day(almaty, 11, 25), latest: day(almaty, 11, 27),
		},
		{
			name: "approval from Saturday counts from Monday and ends with it",
			w:    approval(at(almaty, 11, 21, 10)), approvalDays: 1, cal: kz, loc: almaty,
			now:  at(almaty, 11, 24, 0),
			open: true, overdue: true, limit: 1, deadline: at(almaty, 11, 24, 0),
			usual: day(almaty, 11, 24), latest: day(almaty, 11, 26),
		},
		{
			name: "processing: the provider's maximum is the limit, its average the usual",
			w:    processing(at(almaty, 11, 23, 12)), cal: kz, loc: almaty,
			now:  at(almaty, 11, 26, 11),
			open: true, limit: 3, deadline: at(almaty, 11, 26, 12),
			usual: day(almaty, 11, 24), latest: day(almaty, 11, 26),
		},
		{
			name: "processing across Kazakhstan's Independence Day",
			w:    processing(at(almaty, 12, 15, 10)), cal: kz, loc: almaty,
			now:  at(almaty, 12, 21, 10),
			open: true, overdue: true, limit: 3, deadline: at(almaty, 12, 21, 10),
			usual: day(almaty, 12, 17), latest: day(almaty, 12, 21),
		},
		{
			name: "approval across the Czech 17 November",
			w:    approval(at(prague, 11, 16, 6)), approvalDays: 1, cal: cz, loc: prague,
			now:  at(prague, 11, 18, 5),
			open: true, limit: 1, deadline: at(prague, 11, 18, 6),
			usual: day(prague, 11, 19), latest: day(prague, 11, 23),
		},
		{
			name: "a zero period is due at once",
			w:    approval(at(almaty, 11, 23, 12)), approvalDays: 0, cal: kz, loc: almaty,
			now:  at(almaty, 11, 23, 12),
			open: true, overdue: true, limit: 0, deadline: at(almaty, 11, 23, 12),
			usual: day(almaty, 11, 24), latest: day(almaty, 11, 26),
		},
		{
			name: "received is closed",
			w: withdrawal(store.StageChange{Stage: store.StageApproval, At: at(almaty, 11, 2, 9)},
				store.StageChange{Stage: store.StageReceived, At: at(almaty, 11, 3, 9)}),
			cal: kz, loc: almaty, now: at(almaty, 12, 23, 9),
		},
		{
			name: "rejected is closed",
			w: withdrawal(store.StageChange{Stage: store.StageApproval, At: at(almaty, 11, 2, 9)},
				store.StageChange{Stage: store.StageRejected, At: at(almaty, 11, 3, 9)}),
			approvalDays: 2, cal: kz, loc: almaty, now: at(almaty, 12, 23, 9),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := clockAt(tt.w, kaspi, tt.approvalDays, tt.cal, tt.loc, tt.now)
			if k.open != tt.open || k.overdue != tt.overdue || k.stuck() != (tt.open && tt.overdue) || k.limit != tt.limit {
				t.Errorf("open %v overdue %v limit %d, want %v %v %d", k.open, k.overdue, k.limit, tt.open, tt.overdue, tt.limit)
			}
			if !k.deadline.Equal(tt.deadline) || !k.usual.Equal(tt.usual) || !k.latest.Equal(tt.latest) {
				t.Errorf("deadline %v usual %v latest %v, want %v %v %v", k.deadline, k.usual, k.latest, tt.deadline, tt.usual, tt.latest)
			}
			if !tt.open {
				return
			}
			// The boundary to the nanosecond: overdue exactly from the deadline.
			if before := clockAt(tt.w, kaspi, tt.approvalDays, tt.cal, tt.loc, k.deadline.Add(-time.Nanosecond)); before.overdue {
				t.Errorf("overdue a nanosecond before the deadline %v", k.deadline)
			}
			if on := clockAt(tt.w, kaspi, tt.approvalDays, tt.cal, tt.loc, k.deadline); !on.overdue {
				t.Errorf("not overdue at the deadline %v", k.deadline)
			}
		})
	}
}

func TestQuietHours(t *testing.T) {
	almaty, _ := time.LoadLocation("Asia/Almaty")
	for _, tt := range []struct {
		local string
		quiet bool
	}{
		{"08:59:59", true},
		{"09:00:00", false},
		{"14:00:00", false},
		{"21:59:59", false},
		{"22:00:00", true},
		{"00:00:00", true},
		{"03:30:00", true},
	} {
		clock, _ := time.Parse("15:04:05", tt.local)
		t0 := time.Date(2026, 11, 23, clock.Hour(), clock.Minute(), clock.Second(), 0, almaty)
		if got := quiet(t0.UTC(), almaty); got != tt.quiet {
			t.Errorf("%s in Almaty: quiet %v, want %v", tt.local, got, tt.quiet)
		}
	}
}
