package flows

import (
	"errors"
	"fmt"

	"paydesk/locales"
	"paydesk/store"
)

// remindBatch bounds how many reminders one tick sends, and remindPage how
// many refusals one ledger call returns; the rest wait for the next tick.
const (
	remindBatch = 100
	remindPage  = 200
)

// remindDisputes reminds customers of refusals with DisputeReminderLead or
// less left to dispute. Each reminder is a nudge (Tick.Nudge): claimed
// once its message is committed, so a second tick, or another replica
// ticking at once, does not send it again, and a lost commit does not lose
// it. The ledger lists the undisputed refusals of the window;
// the State knows which customers have a chat to be reminded in, so one who
// links a chat later within the window still gets the reminder.
func remindDisputes(t *Tick) error {
	ctx := t.Context()
	var errs []error
	sent := 0
	for after := int64(0); sent < remindBatch; {
		page, err := t.Ledger().UndisputedRefusals(ctx, t.Now.Add(-DisputeWindow), t.Now.Add(DisputeReminderLead-DisputeWindow), after, remindPage)
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
		for _, r := range page {
			ok, err := remindDispute(t, r)
			if err != nil {
				errs = append(errs, fmt.Errorf("remind of return request %d: %w", r.ID, err))
			}
			if ok {
				sent++
			}
		}
		if len(page) < remindPage {
			break
		}
		after = page[len(page)-1].ID
	}
	return errors.Join(errs...)
}

// remindDispute reminds the customer of one refusal, in their most
// recently active chat that has not blocked the bot, unless they have no
// such chat or were reminded already; sent reports whether it did.
func remindDispute(t *Tick, r store.ReturnRequest) (sent bool, err error) {
	ctx := t.Context()
	chats, err := reachableChats(t, r.CustomerID)
	if err != nil || len(chats) == 0 {
		return false, err // a chat whose mark could not be read may be the one: the next tick
	}
	cust, err := t.Ledger().Customer(ctx, r.CustomerID)
	if err != nil {
		return false, err
	}
	chat := chats[0] // the most recently active
	deadline := DisputeDeadline(r)
	sent, err = t.Nudge(store.Nudge{Kind: store.NudgeDisputeReminder, ObjectID: r.ID, Stage: string(store.ReturnRefused), At: t.Now},
		chat, LangOf(ctx, t.State(), chat, cust), Screen{
			Body: []Msg{M("dispute.reminder", "Order", r.OrderNo, "Item", r.Item,
				"Deadline", locales.DateTime{T: deadline, Loc: cust.Location()}, "Left", disputeTimeLeft(deadline.Sub(t.Now)))},
			Inline: [][]Button{
				{t.Button(chat, M("dispute.dispute_button"), actDisputeStart, r.ID)},
				{t.Button(chat, M("dispute.details_button"), actReturnCard, r.ID)},
			},
		})
	if sent {
		t.Log().Info("dispute reminder", "chat", chat, "return_request", r.ID)
	}
	return sent, err
}
