package flows

import (
	"errors"
	"fmt"

	"paydesk/locales"
	"paydesk/store"
)

// remindBatch bounds how many reminders one tick sends; the rest wait for
// the next tick.
const remindBatch = 100

// remindDisputes reminds customers of refusals with DisputeReminderLead or
// less left to dispute. Each reminder is recorded before it is returned, so
// a second tick, or another replica ticking at once, does not send it again.
// Only customers with a linked chat are listed; one who links a chat later
// within the window still gets the reminder.
func remindDisputes(t *Tick) error {
	ctx := t.Context()
	due, err := t.Store().RefusalsToRemind(ctx, t.Now.Add(-DisputeWindow), t.Now.Add(DisputeReminderLead-DisputeWindow), remindBatch)
	if err != nil {
		return err
	}
	var errs []error
	for _, r := range due {
		if err := remindDispute(t, r); err != nil {
			errs = append(errs, fmt.Errorf("remind of return request %d: %w", r.ID, err))
		}
	}
	return errors.Join(errs...)
}

func remindDispute(t *Tick, r store.ReturnRequest) error {
	ctx := t.Context()
	chats, err := t.Store().ChatsOf(ctx, r.CustomerID)
	if err != nil || len(chats) == 0 {
		return err
	}
	cust, err := t.Store().Customer(ctx, r.CustomerID)
	if err != nil {
		return err
	}
	first, err := t.Store().ClaimNudge(ctx, store.Nudge{Kind: store.NudgeDisputeReminder, ObjectID: r.ID, Stage: string(store.ReturnRefused), At: t.Now})
	if err != nil || !first {
		return err
	}
	chat := chats[0] // the most recently active
	deadline := DisputeDeadline(r)
	t.Send(chat, LangOf(ctx, t.Store(), chat, cust), Screen{
		Body: []Msg{M("dispute.reminder", "Order", r.OrderNo, "Item", r.Item,
			"Deadline", locales.DateTime{T: deadline, Loc: cust.Location()}, "Left", disputeTimeLeft(deadline.Sub(t.Now)))},
		Inline: [][]Button{
			{t.Button(chat, M("dispute.dispute_button"), actDisputeStart, r.ID)},
			{t.Button(chat, M("dispute.details_button"), actReturnCard, r.ID)},
		},
	})
	t.Log().Info("dispute reminder", "chat", chat, "return_request", r.ID)
	return nil
}
