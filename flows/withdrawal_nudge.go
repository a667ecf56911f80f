package flows

import (
	"context"
	"errors"
	"fmt"
	"time"

	"paydesk/store"
)

// The proactive "Waiting more than N days?" (DESIGN §3): once per withdrawal
// and stage, when the stage has run past its limit, the customer's chat gets
// the nudge with the button, but not at night in the customer's time zone;
// a nudge held back by quiet hours goes out on the first tick after them.

const (
	// nudgeKind names the nudge in the store's record of nudges sent.
	nudgeKind = "withdrawal.stuck"

	// Quiet hours, local time of the customer: from quietFrom:00 until
	// quietUntil:00 the next morning nothing proactive is sent.
	quietFrom, quietUntil = 22, 9

	// nudgePage is how many open withdrawals one store call returns.
	nudgePage = 200
)

// quiet reports whether t falls in the quiet hours of loc.
func quiet(t time.Time, loc *time.Location) bool {
	h := t.In(loc).Hour()
	return h >= quietFrom || h < quietUntil
}

// nudgeWatermark names the State cursor (UnixNano) below which every open
// withdrawal's current stage began and has been handled: its nudge claimed.
// A withdrawal that moves on to a new stage begins it after the watermark
// and is read again.
const nudgeWatermark = "nudge.withdrawal.watermark"

// minDayWall is the least wall-clock time a business day can take: a
// business day is at least a calendar day of the customer's calendar
// (Calendar.Deadline: Friday 15:00 -> Monday 15:00), and a calendar day at
// least 22 hours (a daylight-saving shift takes one, in a few zones two).
const minDayWall = 22 * time.Hour

// withdrawalNudges reads the open withdrawals whose current stage began at
// or after the watermark and long enough ago to be possibly due (at least
// the smallest limit), by when the stage began, and nudges each stuck one.
// The watermark then moves, once the tick is committed (Tick.After), up to
// the first withdrawal not handled: not yet due, held back by quiet hours,
// without a chat, or failing. So a tick costs the withdrawals that may be
// due, not all those tracked, and a lost commit owes the same nudges again.
func withdrawalNudges(t *Tick) error {
	ctx := t.Context()
	mark, err := t.State().Cursor(ctx, nudgeWatermark)
	if err != nil {
		return fmt.Errorf("nudge watermark: %w", err)
	}
	var since time.Time
	if mark != 0 {
		since = time.Unix(0, mark).UTC()
	}
	minDays := 0
	if f, ok := t.Ledger().(store.StageLimitFloor); ok {
		if minDays, err = f.MinStageLimit(ctx); err != nil {
			return fmt.Errorf("least stage limit: %w", err)
		}
	}
	// Stages that began at or after before have not run the least limit.
	before := t.Now.Add(-time.Duration(max(minDays, 0)) * minDayWall)
	if minDays <= 0 {
		before = t.Now.Add(time.Nanosecond)
	}
	var errs []error
	ledger := newMemoLedger(t.Ledger())
	next, blocked := since, false // the new watermark; blocked: a withdrawal not handled was met
	for from, afterID := since, int64(0); ; {
		page, err := ledger.OpenWithdrawalsSince(ctx, from, afterID, before, nudgePage)
		if err != nil {
			return errors.Join(append(errs, fmt.Errorf("open withdrawals since %v: %w", from, err))...)
		}
		for _, w := range page {
			handled, err := nudgeWithdrawal(t, ledger, w)
			if err != nil {
				// One withdrawal's bad data must not hold back the others.
				errs = append(errs, fmt.Errorf("nudge withdrawal %d: %w", w.ID, err))
			}
			switch {
			case blocked:
			case handled && err == nil:
				next = w.StageSince().Add(time.Nanosecond)
			default:
				next, blocked = w.StageSince(), true
			}
		}
		if len(page) < nudgePage {
			break
		}
		last := page[len(page)-1]
		from, afterID = last.StageSince(), last.ID
	}
	if next.After(since) {
		t.After(func(ctx context.Context) error { return raiseWatermark(ctx, t.State(), next) })
	}
	return errors.Join(errs...)
}

// raiseWatermark moves the watermark up to to, never down: of two replicas
// ticking at once, the one that got less far must not undo the other.
func raiseWatermark(ctx context.Context, st store.Notices, to time.Time) error {
	cur, err := st.Cursor(ctx, nudgeWatermark)
	if err != nil {
		return fmt.Errorf("nudge watermark: %w", err)
	}
	if to.UnixNano() <= cur {
		return nil
	}
	if err := st.SetCursor(ctx, nudgeWatermark, to.UnixNano()); err != nil {
		return fmt.Errorf("raise nudge watermark: %w", err)
	}
	return nil
}

// nudgeWithdrawal sends the nudge for w if it is stuck, the customer is
// awake and has a chat, and nobody has sent it yet (Tick.Nudge: claimed
// once the message is committed, so neither lost nor sent twice). handled
// reports whether w's nudge is done with, claimed or owed now: a
// withdrawal not yet due, or due and held back, is not.
func nudgeWithdrawal(t *Tick, ledger store.Ledger, w store.Withdrawal) (handled bool, err error) {
	ctx := t.Context()
	cust, err := ledger.Customer(ctx, w.CustomerID)
	if err != nil {
		return false, err
	}
	k, err := assessWithdrawal(ctx, ledger, cust, w, t.Now)
	if err != nil || !k.stuck() || quiet(t.Now, k.loc) {
		return false, err
	}
	chats, err := t.State().ChatsOf(ctx, cust.ID)
	if err != nil || len(chats) == 0 {
		return false, err // no chat yet: the nudge waits until the customer links one
	}
	chat := chats[0] // the most recently active
	button := func(label Msg, action string, args ...int64) Button { return t.Button(chat, label, action, args...) }
	n := store.Nudge{Kind: nudgeKind, ObjectID: w.ID, Stage: string(w.Stage), At: t.Now}
	sent, err := t.Nudge(n,
		chat, LangOf(ctx, t.State(), chat, cust), Screen{
			Body: []Msg{M("withdrawal.nudge", "Amount", amountOf(w), "Method", w.Method,
				"Stage", statusOf(w.Stage), "Limit", businessDays(k.limit))},
			// One row per withdrawal, its details named by the amount: nudges
			// of one tick come folded into one message (Engine.Tick).
			Inline: [][]Button{{waitingButton(button, k), button(M("notice.details_of", "Amount", amountOf(w)), actWithdrawalCard, w.ID)}},
		})
	if err != nil {
		return false, err
	}
	if sent {
		t.Log().Info("nudged", "chat", chat, "withdrawal", w.ID, "stage", w.Stage)
	}
	return true, nil // owed now, or claimed before
}
