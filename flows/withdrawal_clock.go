package flows

import (
	"context"
	"fmt"
	"time"

	"paydesk/flows/businessday"
	"paydesk/store"
)

// The clocks of a withdrawal (seed: withdrawal stages). A withdrawal awaits
// our approval for at most its customer's tier period, then the payment
// provider processes it, usually within its average and at most within its
// maximum. Both limits are business days of the customer's country,
// counted on calendar dates in the customer's time zone. When the current
// stage has run for its limit N, the customer may ask "Waiting more than N
// days?".

// wdClock is where a withdrawal stands against its limits at one moment.
type wdClock struct {
	w        store.Withdrawal
	provider store.Provider
	loc      *time.Location

	open     bool      // awaiting approval or processing; false once received or rejected
	since    time.Time // when the current stage began
	limit    int       // business days the current stage may take (open only)
	deadline time.Time // since + limit business days: from here on the stage is overdue
	overdue  bool      // now is at or after deadline
	elapsed  int       // whole business days spent in the current stage
	// usual and latest are the dates (midnight in loc) by which the money
	// arrives usually and at the latest, counting the stages still ahead.
	usual, latest time.Time
}

// assessWithdrawal reads what the clocks need (the customer's tier, the
// provider, the country calendar) and evaluates them at now.
func assessWithdrawal(ctx context.Context, st store.Ledger, cust store.Customer, w store.Withdrawal, now time.Time) (wdClock, error) {
	p, err := st.Provider(ctx, w.Provider)
	if err != nil {
		return wdClock{}, fmt.Errorf("provider of withdrawal %d: %w", w.ID, err)
	}
	cal, err := businessday.For(cust.Country)
	if err != nil {
		return wdClock{}, fmt.Errorf("calendar of customer %d: %w", cust.ID, err)
	}
	approvalDays := 0
	if w.Stage == store.StageApproval {
		tier, err := st.Tier(ctx, cust.Tier)
		if err != nil {
			return wdClock{}, fmt.Errorf("tier of customer %d: %w", cust.ID, err)
		}
		approvalDays = tier.ApprovalDays
	}
	return clockAt(w, p, approvalDays, cal, cust.Location(), now), nil
}

// clockAt is the rule itself, with everything it needs given.
func clockAt(w store.Withdrawal, p store.Provider, approvalDays int, cal *businessday.Calendar, loc *time.Location, now time.Time) wdClock {
	c := wdClock{w: w, provider: p, loc: loc, since: w.StageSince()}
	// ahead are the business days still to come after the current stage
	// ends: the provider's, while we have not approved yet.
	var ahead ProviderDays
	switch w.Stage {
	case store.StageApproval:
		c.open, c.limit = true, approvalDays
		ahead = ProviderDays{Avg: p.AvgDays, Max: p.MaxDays}
	case store.StageProcessing:
		c.open, c.limit = true, p.MaxDays
	default:
		return c
	}
	c.deadline = cal.Deadline(c.since, c.limit, loc)
	c.overdue = !now.Before(c.deadline)
	c.elapsed, _ = cal.Elapsed(c.since, now, loc)
	usualHere := c.limit // approval has a period, not an average
	if w.Stage == store.StageProcessing {
		usualHere = p.AvgDays
	}
	c.usual = cal.AddBusinessDays(c.since, usualHere+ahead.Avg, loc)
	c.latest = cal.AddBusinessDays(c.since, c.limit+ahead.Max, loc)
	return c
}

// stuck reports whether the customer may escalate now.
func (c wdClock) stuck() bool { return c.open && c.overdue }
