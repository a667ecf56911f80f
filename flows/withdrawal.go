package flows

import (
	"errors"
	"fmt"

	"paydesk/store"
)

// Withdrawal status (DESIGN §3, seed: withdrawal stages): the customer's
// recent withdrawals, a card per withdrawal with its stage timeline and
// clocks, and the "Waiting more than N days?" escalation once a stage has
// run past its limit. The proactive nudge is in withdrawal_nudge.go.

const (
	actWithdrawalCard     = "wdc" // id
	actWithdrawalEscalate = "wdx" // id

	// withdrawalListSize is how many recent withdrawals the list shows.
	withdrawalListSize = 10

	// withdrawalHandoffReason is the message agents see on the case card;
	// its count is the N of the button the customer pressed.
	withdrawalHandoffReason = "withdrawal.handoff_reason"
)

func registerWithdrawal(r *Router) {
	r.View(actWithdrawals, RequireCustomer(withdrawalList))
	r.View(actWithdrawalCard, RequireCustomer(withdrawalCardAction))
	r.Action(actWithdrawalEscalate, RequireCustomer(withdrawalEscalate))
	r.Job("withdrawal.nudge", withdrawalNudges)
}

// withdrawalList shows the recent withdrawals, one button each.
func withdrawalList(c *Conv, _ Action) error {
	list, err := c.Ledger().Withdrawals(c.Context(), c.Customer.ID, withdrawalListSize)
	if err != nil {
		return err
	}
	s := Screen{Replace: c.Event.Kind == EventAction}
	if len(list) == 0 {
		s.Body = []Msg{M("withdrawal.none")}
		s.Inline = [][]Button{MenuRow(c)}
		c.Show(s)
		return nil
	}
	s.Body = []Msg{M("withdrawal.list_title")}
	for _, w := range list {
		k, err := assessWithdrawal(c.Context(), c.Ledger(), *c.Customer, w, c.Now)
		if err != nil {
			return err
		}
		s.Inline = append(s.Inline, []Button{c.Button(listItem(k), actWithdrawalCard, w.ID)})
	}
	s.Inline = append(s.Inline, MenuRow(c))
	c.Show(s)
	return nil
}

// withdrawalCardAction opens one withdrawal's card.
func withdrawalCardAction(c *Conv, a Action) error {
	k, ok, err := customerWithdrawal(c, a.Arg(0))
	if err != nil || !ok {
		return err
	}
	s := withdrawalCard(c, k)
	s.Replace = true
	c.Show(s)
	return nil
}

// withdrawalEscalate is "Waiting more than N days?": it re-checks that the
// withdrawal is still past its limit now, says what happens next and hands
// the chat to support with a ticket about this withdrawal. A second press
// finds the same ticket, and Handoff names it.
func withdrawalEscalate(c *Conv, a Action) error {
	k, ok, err := customerWithdrawal(c, a.Arg(0))
	if err != nil || !ok {
		return err
	}
	if !k.stuck() {
		// Approved or paid out since the button was shown: nothing to chase.
		s := withdrawalCard(c, k)
		s.Body = append([]Msg{M("withdrawal.not_stuck")}, s.Body...)
		c.Show(s)
		return nil
	}
	c.Show(Screen{Body: []Msg{M("withdrawal.escalated",
		"Amount", amountOf(k.w), "Method", k.w.Method, "Stage", statusOf(k.w.Stage),
		"Elapsed", businessDays(k.elapsed), "Limit", businessDays(k.limit))}})
	_, _, err = Handoff(c, Subject("withdrawal", k.w.ID), CountedReason(withdrawalHandoffReason, k.limit))
	return err
}

// customerWithdrawal loads a withdrawal a button names and evaluates its
// clocks, if it is the customer's. Anything else (gone, another customer's)
// is refused: ok is false and the refusal is already shown.
func customerWithdrawal(c *Conv, id int64) (wdClock, bool, error) {
	w, err := c.Ledger().Withdrawal(c.Context(), id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.Log().Warn("refused button", "chat", c.Event.ChatID, "reason", "no such withdrawal", "withdrawal", id)
		return wdClock{}, false, refuseButton(c)
	case err != nil:
		return wdClock{}, false, err
	case w.CustomerID != c.Customer.ID:
		c.Log().Warn("refused button", "chat", c.Event.ChatID, "reason", "withdrawal of another customer", "withdrawal", id)
		return wdClock{}, false, refuseButton(c)
	}
	k, err := assessWithdrawal(c.Context(), c.Ledger(), *c.Customer, w, c.Now)
	if err != nil {
		return wdClock{}, false, fmt.Errorf("withdrawal %d of customer %d: %w", id, c.Customer.ID, err)
	}
	return k, true, nil
}
