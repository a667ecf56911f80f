package flows

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"paydesk/flows/businessday"
	"paydesk/store"
)

// The proactive "Waiting more than N days?" (DESIGN §3): once per withdrawal
// and stage, when the stage has run past its limit, the customer's chat gets
// the nudge with the button, but not at night in the customer's time zone;
// a nudge held back by quiet hours goes out on the first tick after them.
//
// A tick costs the nudges that have come due and the stage changes since
// the last tick, not the withdrawals tracked. It reads the ledger's stage
// changes in the order they were recorded, after a cursor, and schedules
// each withdrawal read for the moment its stage passes its limit
// (store.Nudges.ScheduleNudges); then it reads the schedule's entries that
// have come due, looks at each withdrawal again, and nudges, reschedules
// or drops it. The cursor passes every withdrawal read, because each is
// handled by its entry: one not yet due, held back by quiet hours, or
// whose customer has no chat yet (linking schedules the customer's open
// withdrawals, link.go) costs nothing until its entry comes due.

const (
	// nudgeKind names the nudge in the store's claims and schedule.
	nudgeKind = "withdrawal.stuck"

	// Quiet hours, local time of the customer: from quietFrom:00 until
	// quietUntil:00 the next morning nothing proactive is sent.
	quietFrom, quietUntil = 22, 9

	// nudgePage is how many changed withdrawals one ledger call returns,
	// and nudgeScanPages how many pages one tick reads at most: a backlog
	// (the first tick over a ledger, a long outage) is read over several
	// ticks, each of bounded cost, the cursor moving as far as each got.
	nudgePage, nudgeScanPages = 200, 100

	// nudgeDuePage is how many due entries one tick looks at; more wait
	// for the next tick.
	nudgeDuePage = 1000

	// nudgeRetry is when a withdrawal that could not be looked at (the
	// ledger or the store failed) is looked at again; nudgeBrokenRetry
	// when what it refers to does not exist (its customer, provider, tier
	// or the customer's country calendar): data that is broken until
	// somebody mends it, so it is retried, and its error logged, once a
	// day rather than every ten minutes.
	nudgeRetry       = 10 * time.Minute
	nudgeBrokenRetry = 24 * time.Hour

	// nudgeRecheck is when a withdrawal nudged is looked at once more: its
	// message may have been dropped, whole, for a nudge folded into it
	// that another replica ticking at once sent (Tick.Nudge). By then the
	// message's key tells whether it went; if not, it is owed again.
	nudgeRecheck = 10 * time.Minute

	// linkGrace covers a chat being linked as a tick runs: the link
	// schedules the customer's withdrawals before its session is committed,
	// so a tick may meet an entry due just now and no chat yet. An entry
	// without a chat is dropped only once it has been due this long.
	linkGrace = time.Minute
)

// quiet reports whether t falls in the quiet hours of loc.
func quiet(t time.Time, loc *time.Location) bool {
	h := t.In(loc).Hour()
	return h >= quietFrom || h < quietUntil
}

// awake is t, or the end of the quiet hours around it in loc.
func awake(t time.Time, loc *time.Location) time.Time {
	if quiet(t, loc) {
		return quietEnd(t, loc)
	}
	return t
}

// nudgeCursor names the State cursor: the ledger's StageSeq of the last
// stage change the nudges have read and scheduled.
const nudgeCursor = "nudge.withdrawal.seq"

// nudgeRun is one tick's pass over the withdrawal nudges: what it has
// looked at, and the schedule writes it makes once the tick is committed.
type nudgeRun struct {
	t          *Tick
	ledger     store.Ledger
	seen       map[store.ScheduledNudge]bool // (object, stage) looked at this tick, Due zero
	owed       []owedNudge
	schedule   []store.ScheduledNudge
	unschedule []store.ScheduledNudge
}

// withdrawalNudges is the job. Every schedule write and the cursor's move
// wait for the tick's commit (Tick.After), after the nudges' claims, so a
// lost commit owes the same nudges again and finds the same entries.
func withdrawalNudges(t *Tick) error {
	ctx := t.Context()
	r := &nudgeRun{t: t, ledger: newMemoLedger(t.Ledger()), seen: map[store.ScheduledNudge]bool{}}
	errs := []error{r.due()}
	from, err := t.State().Cursor(ctx, nudgeCursor)
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("nudge cursor: %w", err))...)
	}
	to, err := r.changed(from)
	errs = append(errs, err, r.send())
	if len(r.schedule) > 0 {
		list := r.schedule
		t.After(func(ctx context.Context) error { return t.State().ScheduleNudges(ctx, list...) })
	}
	if len(r.unschedule) > 0 {
		list := r.unschedule
		t.After(func(ctx context.Context) error { return t.State().UnscheduleNudges(ctx, list...) })
	}
	if to > from {
		t.After(func(ctx context.Context) error { return raiseCursor(ctx, t.State(), nudgeCursor, to) })
	}
	return errors.Join(errs...)
}

// due looks again at the withdrawals whose entries have come due.
func (r *nudgeRun) due() error {
	ctx := r.t.Context()
	list, err := r.t.State().DueNudges(ctx, nudgeKind, r.t.Now, nudgeDuePage)
	if err != nil {
		return fmt.Errorf("due nudges: %w", err)
	}
	var errs []error
	for _, e := range list {
		w, err := r.ledger.Withdrawal(ctx, e.ObjectID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			r.unschedule = append(r.unschedule, e)
		case err != nil:
			errs = append(errs, fmt.Errorf("nudge withdrawal %d: %w", e.ObjectID, err))
			r.retry(e, err)
		case string(w.Stage) != e.Stage:
			// Closed, or on to a new stage, whose change the cursor reads.
			r.unschedule = append(r.unschedule, e)
		default:
			errs = append(errs, r.consider(w, &e))
		}
	}
	return errors.Join(errs...)
}

// changed reads the stage changes recorded after the cursor from and
// considers each withdrawal; to is how far it read.
func (r *nudgeRun) changed(from int64) (to int64, err error) {
	ctx := r.t.Context()
	var errs []error
	to = from
	for range nudgeScanPages {
		page, err := r.ledger.OpenWithdrawalsChangedAfter(ctx, to, nudgePage)
		if err != nil {
			return to, errors.Join(append(errs, fmt.Errorf("open withdrawals changed after %d: %w", to, err))...)
		}
		for _, w := range page {
			errs = append(errs, r.consider(w.Withdrawal, nil))
			to = max(to, w.StageSeq)
		}
		if len(page) < nudgePage {
			break
		}
	}
	return to, errors.Join(errs...)
}

// consider decides about one open withdrawal at its current stage, read
// from the cursor (e nil) or for its due entry e: nudge it if it is stuck,
// the customer is awake and has a chat; otherwise schedule it for when it
// will be stuck, or for the end of the quiet hours. A failure schedules a
// retry rather than losing it.
func (r *nudgeRun) consider(w store.Withdrawal, e *store.ScheduledNudge) error {
	id := store.ScheduledNudge{Kind: nudgeKind, ObjectID: w.ID, Stage: string(w.Stage)}
	if r.seen[id] {
		return nil // read both as due and as changed: looked at once
	}
	r.seen[id] = true
	at := func(due time.Time) {
		if e == nil || !e.Due.Equal(due) {
			n := id
			n.Due = due
			r.schedule = append(r.schedule, n)
		}
	}
	drop := func() {
		if e != nil {
			r.unschedule = append(r.unschedule, *e)
		}
	}
	stuck, err := r.nudge(w, e, at)
	if err != nil {
		r.retry(id, err)
		return fmt.Errorf("nudge withdrawal %d: %w", w.ID, err)
	}
	switch stuck {
	case nudgeOwed:
		// send looks at it again later, or drops its entry.
	case nudgeNoChat:
		if e != nil && r.t.Now.Sub(e.Due) < linkGrace {
			at(e.Due.Add(linkGrace))
		} else {
			drop() // linking schedules it again
		}
	case nudgeClosed:
		drop()
	}
	return nil
}

// later schedules n to be looked at again in d.
func (r *nudgeRun) later(n store.ScheduledNudge, d time.Duration) {
	n.Due = r.t.Now.Add(d)
	r.schedule = append(r.schedule, n)
}

// retry schedules n to be looked at again after its look failed with err:
// after nudgeBrokenRetry if err says the withdrawal's data is broken, else
// after nudgeRetry.
func (r *nudgeRun) retry(n store.ScheduledNudge, err error) {
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, businessday.ErrUnknownCountry) {
		r.later(n, nudgeBrokenRetry)
		return
	}
	r.later(n, nudgeRetry)
}

// nudgeOutcome is what nudge did with a withdrawal.
type nudgeOutcome int

const (
	nudgeScheduled nudgeOutcome = iota // not stuck yet, or quiet hours: at was called
	nudgeOwed                          // stuck, the customer awake with a chat: to send (nudgeRun.send)
	nudgeNoChat                        // stuck, but the customer has no chat that has not blocked the bot
	nudgeClosed                        // not open: nothing to nudge
)

// nudge finds whether w is to be nudged now: stuck, the customer awake
// and with a chat that has not blocked the bot; it is then owed, with its
// due entry e (nil if read as changed), to nudgeRun.send. Otherwise it
// calls at with when to look again.
func (r *nudgeRun) nudge(w store.Withdrawal, e *store.ScheduledNudge, at func(time.Time)) (nudgeOutcome, error) {
	t, ctx := r.t, r.t.Context()
	cust, err := r.ledger.Customer(ctx, w.CustomerID)
	if err != nil {
		return 0, err
	}
	k, err := assessWithdrawal(ctx, r.ledger, cust, w, t.Now)
	switch {
	case err != nil:
		return 0, err
	case !k.open:
		return nudgeClosed, nil
	case !k.stuck():
		at(awake(k.deadline, k.loc)) // stuck at night: looked at in the morning
		return nudgeScheduled, nil
	case quiet(t.Now, k.loc):
		at(quietEnd(t.Now, k.loc))
		return nudgeScheduled, nil
	}
	chats, err := reachableChats(t, cust.ID)
	if err != nil {
		return 0, err // a chat whose blocked mark could not be read may be the one
	}
	if len(chats) == 0 {
		return nudgeNoChat, nil // none linked, or all blocked the bot: a nudge claimed there is lost
	}
	r.owed = append(r.owed, owedNudge{w: w, k: k, cust: cust, chat: chats[0], e: e}) // the most recently active chat that can receive it
	return nudgeOwed, nil
}

// owedNudge is a stuck withdrawal to nudge, in the chat chat; e is its
// due entry, nil when it was read as changed.
type owedNudge struct {
	w    store.Withdrawal
	k    wdClock
	cust store.Customer
	chat int64
	e    *store.ScheduledNudge
}

// send owes the nudges found, the longest stuck first (one tick's nudges
// to a chat come folded in one message, Engine.Tick), each once (Tick.Nudge:
// its message's key is its claim, so neither lost nor sent twice). A
// nudge owed now is looked at again after nudgeRecheck, in case its
// message was dropped for a part another replica sent; one whose message
// went already is dropped from the schedule.
func (r *nudgeRun) send() error {
	t, ctx := r.t, r.t.Context()
	slices.SortFunc(r.owed, func(a, b owedNudge) int {
		return cmp.Or(a.w.StageSince().Compare(b.w.StageSince()), cmp.Compare(a.w.ID, b.w.ID))
	})
	var errs []error
	for _, o := range r.owed {
		w, k, chat := o.w, o.k, o.chat
		button := func(label Msg, action string, args ...int64) Button { return t.Button(chat, label, action, args...) }
		n := store.Nudge{Kind: nudgeKind, ObjectID: w.ID, Stage: string(w.Stage), At: t.Now}
		sent, err := t.Nudge(n,
			chat, LangOf(ctx, t.State(), chat, o.cust), Screen{
				Body: []Msg{M("withdrawal.nudge", "Amount", amountOf(w), "Method", w.Method,
					"Stage", statusOf(w.Stage), "Limit", businessDays(k.limit))},
				// One row per withdrawal, its details named by the amount.
				Inline: [][]Button{{waitingButton(button, k), button(M("notice.details_of", "Amount", amountOf(w)), actWithdrawalCard, w.ID)}},
			})
		id := store.ScheduledNudge{Kind: nudgeKind, ObjectID: w.ID, Stage: string(w.Stage)}
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("nudge withdrawal %d: %w", w.ID, err))
			r.retry(id, err)
		case sent:
			t.Log().Info("nudged", "chat", chat, "withdrawal", w.ID, "stage", w.Stage)
			r.later(id, nudgeRecheck)
		case o.e != nil:
			r.unschedule = append(r.unschedule, *o.e)
		}
	}
	return errors.Join(errs...)
}

// raiseCursor moves the State cursor name up to to, never down: of two
// replicas ticking at once, the one that got less far must not undo the
// other.
func raiseCursor(ctx context.Context, st store.Notices, name string, to int64) error {
	cur, err := st.Cursor(ctx, name)
	if err != nil {
		return fmt.Errorf("cursor %s: %w", name, err)
	}
	if to <= cur {
		return nil
	}
	if err := st.SetCursor(ctx, name, to); err != nil {
		return fmt.Errorf("raise cursor %s: %w", name, err)
	}
	return nil
}

// scheduleOpenWithdrawals puts every open withdrawal of a customer on the
// nudge schedule, due now, so the next tick looks at each: a chat was just
// linked, and a stuck withdrawal that had no chat to be nudged in is owed
// its nudge.
func scheduleOpenWithdrawals(ctx context.Context, st store.Nudges, l store.Payments, id store.CustomerID, now time.Time) error {
	list, err := l.Withdrawals(ctx, id, 0)
	if err != nil {
		return fmt.Errorf("withdrawals of customer %d: %w", id, err)
	}
	var due []store.ScheduledNudge
	for _, w := range list {
		if w.Stage == store.StageApproval || w.Stage == store.StageProcessing {
			due = append(due, store.ScheduledNudge{Kind: nudgeKind, ObjectID: w.ID, Stage: string(w.Stage), Due: now})
		}
	}
	if err := st.ScheduleNudges(ctx, due...); err != nil {
		return fmt.Errorf("schedule the nudges of customer %d: %w", id, err)
	}
	return nil
}
