package flows

import (
	"context"
	"errors"
	"fmt"
	"time"

	"paydesk/locales"
	"paydesk/store"
)

// Notices: the payments ledger speaks first. An event (posted by the
// backend to /backend/events, or read from the demo ledger's change feed)
// becomes a notice for the customer it names: a withdrawal moved on, a
// cancellation request was answered, a seller refused a return. A notice
// is only a hint: the object is re-read and its current state is told.
//
//   - Once: each notice is claimed per chat (store.Nudges, kind
//     "notice:<type>", stage "<stage>@<chat>") before it is sent, so a
//     repeated event, two replicas handling the same event and the change
//     feed telling what an event told already all send it once. An answered
//     cancellation request and a settled refund are told with their flow's
//     own keyed messages, so each is told once whether it happened in the
//     bot or in the app.
//   - To every linked chat that has not blocked the bot, in its language.
//   - Not at night: in the customer's quiet hours (quietFrom..quietUntil,
//     local time) it is kept (store.Notices.DeferNotice) and sent by the
//     first tick after them.
//   - Folded: the notices due for a customer at once are one message per
//     chat; so are the other jobs' nudges of one tick (Engine.Tick).

const (
	jobDemoAdvance = "notices.demo_advance"
	jobNotices     = "notices.due"
	jobLedgerFeed  = "notices.ledger_feed"
	ledgerCursor   = "ledger.changes"
	noticeKind     = "notice:"
	noticePage     = 500
	ledgerFeedPage = 200
)

// registerDemoAdvance comes before every other flow's jobs: they all see
// the demo ledger as it is at the tick.
func registerDemoAdvance(r *Router) { r.Job(jobDemoAdvance, demoAdvance) }

func registerNotices(r *Router) {
	r.Job(jobNotices, dueNotices)
	r.Job(jobLedgerFeed, ledgerFeed)
}

// demoAdvance lets a ledger that moves withdrawals on by itself (the demo
// ledger) do so before the feed is read, so the demo clock shows stage
// changes and their notices.
func demoAdvance(t *Tick) error {
	if eng, ok := t.Ledger().(store.WithdrawalEngine); ok {
		return eng.AdvanceWithdrawals(t.Context(), t.Now)
	}
	return nil
}

// LedgerEvent tells the customer an event names what changed, as a
// proactive outcome (like a tick's). An error means nothing was claimed
// that a retry would not send (the ledger was unavailable: ask again).
func (e *Engine) LedgerEvent(ctx context.Context, ev store.LedgerEvent) (Outcome, error) {
	t := &Tick{ctx: ctx, e: e, Now: e.now()}
	err := notify(t, ev.CustomerID, []store.Notice{noticeOf(ev)})
	return t.out, err
}

func noticeOf(ev store.LedgerEvent) store.Notice {
	return store.Notice{Kind: ev.Type, ObjectID: ev.ObjectID, Stage: ev.Stage, CustomerID: ev.CustomerID, At: ev.At}
}

// dueNotices sends what quiet hours held back, folded per customer.
func dueNotices(t *Tick) error {
	due, err := t.State().DueNotices(t.Context(), t.Now, noticePage)
	if err != nil {
		return err
	}
	var errs []error
	for i := 0; i < len(due); {
		j := i
		for j < len(due) && due[j].CustomerID == due[i].CustomerID {
			j++
		}
		if err := notify(t, due[i].CustomerID, due[i:j]); err != nil {
			errs = append(errs, fmt.Errorf("customer %d: %w", due[i].CustomerID, err))
		}
		i = j
	}
	return errors.Join(errs...)
}

// ledgerFeed turns a ledger's own changes into notices when the ledger
// lists them (the SQLite demo ledger); a backend posts events instead.
func ledgerFeed(t *Tick) error {
	feed, ok := t.Ledger().(store.ChangeFeed)
	if !ok {
		return nil
	}
	ctx := t.Context()
	pos, err := t.State().Cursor(ctx, ledgerCursor)
	if err != nil {
		return err
	}
	changes, err := feed.Changes(ctx, pos, ledgerFeedPage)
	if err != nil {
		return err
	}
	var errs []error
	for _, c := range changes {
		if err := notify(t, c.Event.CustomerID, []store.Notice{noticeOf(c.Event)}); err != nil {
			if errors.Is(err, store.ErrUnavailable) {
				break // the cursor stays: the next tick tries again
			}
			errs = append(errs, fmt.Errorf("ledger change %d: %w", c.Seq, err))
		}
		pos = c.Seq
	}
	if len(changes) > 0 {
		errs = append(errs, t.State().SetCursor(ctx, ledgerCursor, pos))
	}
	return errors.Join(errs...)
}

// notify tells a customer the notices, folded into one message per chat,
// or keeps them for the end of the quiet hours.
func notify(t *Tick, id store.CustomerID, notices []store.Notice) error {
	ctx := t.Context()
	cust, err := t.Ledger().Customer(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return dropAll(t, notices) // nobody to tell
	}
	if err != nil {
		return err
	}
	loc := cust.Location()
	if quiet(t.Now, loc) {
		due := quietEnd(t.Now, loc)
		for _, n := range notices {
			n.Due = due
			if err := t.State().DeferNotice(ctx, n); err != nil {
				return err
			}
		}
		return nil
	}
	// What a flow tells with its own keyed messages, once per object and
	// chat whoever sees it first (the flow, its job, an event).
	var rest []store.Notice
	for _, n := range notices {
		var err error
		switch n.Kind {
		case store.EventCancellationAnswered:
			var req store.CancellationRequest
			if req, err = t.Ledger().Cancellation(ctx, n.ObjectID); err == nil {
				err = tickPusher(t).tellSenderOf(req)
			}
		case store.EventRefundState:
			var r store.Refund
			if r, err = t.Ledger().Refund(ctx, n.ObjectID); err == nil && !r.State.Queued() {
				err = tellRefund(t, r)
			}
		default:
			rest = append(rest, n)
		}
		if err = ignoreMissing(err); err != nil {
			return err
		}
	}
	notices, all := rest, notices
	chats, err := reachableChats(t, id)
	errs := []error{err} // a chat not known to be reachable waits for the next tick
	for _, chat := range chats {
		if err := notifyChat(t, cust, chat, notices); err != nil {
			errs = append(errs, fmt.Errorf("chat %d: %w", chat, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return dropAll(t, all)
}

// reachableChats lists the customer's linked chats that have not blocked
// the bot, most recently active first: where a proactive message can
// arrive (one claimed for a blocked chat would be lost). A chat whose
// blocked mark could not be read is left out and its error returned with
// the chats that could be checked.
func reachableChats(t *Tick, id store.CustomerID) ([]int64, error) {
	ctx := t.Context()
	chats, err := t.State().ChatsOf(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("chats of customer %d: %w", id, err)
	}
	var errs []error
	var open []int64
	for _, chat := range chats {
		blocked, err := t.State().ChatBlocked(ctx, chat)
		if err != nil {
			errs = append(errs, fmt.Errorf("chat %d blocked: %w", chat, err))
		}
		if err == nil && !blocked {
			open = append(open, chat)
		}
	}
	return open, errors.Join(errs...)
}

func dropAll(t *Tick, notices []store.Notice) error {
	for _, n := range notices {
		if !n.Due.IsZero() {
			if err := t.State().DropNotice(t.Context(), n); err != nil {
				return err
			}
		}
	}
	return nil
}

// notifyChat sends one chat the notices it has not had, in one message.
func notifyChat(t *Tick, cust store.Customer, chat int64, notices []store.Notice) error {
	ctx := t.Context()
	var s Screen
	for _, n := range notices {
		p, stage, err := noticePart(t, cust, chat, n)
		if err != nil {
			return err
		}
		if p == nil {
			continue
		}
		first, err := t.State().ClaimNudge(ctx, store.Nudge{Kind: noticeKind + n.Kind, ObjectID: n.ObjectID,
			Stage: fmt.Sprintf("%s@%d", stage, chat), At: t.Now})
		if err != nil {
			return err
		}
		if first {
			s.Body = append(s.Body, p.Body...)
			s.Inline = append(s.Inline, p.Inline...)
		}
	}
	if len(s.Body) == 0 {
		return nil
	}
	s.Inline = append(s.Inline, []Button{t.Button(chat, M("common.menu_button"), actMenu)})
	t.Log().Info("notified", "chat", chat, "customer", cust.ID, "notices", len(s.Body))
	t.Send(chat, LangOf(ctx, t.State(), chat, cust), s)
	return nil
}

// noticePart is what one notice says in a chat, from the object as it is
// now, and the stage it is claimed at; nil when there is nothing to tell
// (the withdrawal is back at approval, the refusal was disputed already).
func noticePart(t *Tick, cust store.Customer, chat int64, n store.Notice) (*Screen, string, error) {
	ctx := t.Context()
	button := func(label Msg, action string, args ...int64) Button { return t.Button(chat, label, action, args...) }
	switch n.Kind {
	case store.EventWithdrawalStage:
		w, err := t.Ledger().Withdrawal(ctx, n.ObjectID)
		if err != nil || w.CustomerID != cust.ID || w.Stage == store.StageApproval {
			return nil, "", ignoreMissing(err)
		}
		s := &Screen{Body: []Msg{M("notice.withdrawal_"+string(w.Stage), "Amount", amountOf(w), "Method", w.Method)}}
		row := []Button{button(M("notice.details_of", "Amount", amountOf(w)), actWithdrawalCard, w.ID)}
		if w.Stage == store.StageProcessing {
			k, err := assessWithdrawal(ctx, t.Ledger(), cust, w, t.Now)
			if err != nil {
				return nil, "", err
			}
			if k.stuck() {
				row = append(row, waitingButton(button, k))
			}
		}
		s.Inline = [][]Button{row}
		return s, string(w.Stage), nil
	case store.EventReturnRefused:
		r, err := t.Ledger().ReturnRequest(ctx, n.ObjectID)
		if err != nil || r.CustomerID != cust.ID || !CanDispute(r, false, t.Now) {
			return nil, "", ignoreMissing(err)
		}
		if _, err := t.Ledger().DisputeOf(ctx, r.ID); err == nil {
			return nil, "", nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, "", err
		}
		deadline := DisputeDeadline(r)
		return &Screen{
			Body: []Msg{M("notice.return_refused", "Order", r.OrderNo, "Item", r.Item, "Reason", r.SellerReason,
				"Deadline", locales.DateTime{T: deadline, Loc: cust.Location()})},
			Inline: [][]Button{{button(M("dispute.dispute_button"), actDisputeStart, r.ID),
				button(M("dispute.details_button"), actReturnCard, r.ID)}},
		}, string(store.ReturnRefused), nil
	}
	return nil, "", nil // a type this version does not tell (store.KnownEvent)
}

func ignoreMissing(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// quietEnd is when the quiet hours around t end in loc: quietUntil:00 the
// same local morning, or the next one after the evening start.
func quietEnd(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	end := time.Date(l.Year(), l.Month(), l.Day(), quietUntil, 0, 0, 0, loc)
	if !l.Before(end) {
		end = time.Date(l.Year(), l.Month(), l.Day()+1, quietUntil, 0, 0, 0, loc)
	}
	return end
}
