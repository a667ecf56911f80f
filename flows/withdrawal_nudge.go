package flows

import (
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

// withdrawalNudges walks the open withdrawals and nudges each stuck one.
func withdrawalNudges(t *Tick) error {
	var errs []error
	ledger := newMemoLedger(t.Ledger())
	for after := int64(0); ; {
		page, err := ledger.OpenWithdrawals(t.Context(), after, nudgePage)
		if err != nil {
			return fmt.Errorf("open withdrawals: %w", err)
		}
		for _, w := range page {
			if err := nudgeWithdrawal(t, ledger, w); err != nil {
				// One withdrawal's bad data must not hold back the others.
				errs = append(errs, fmt.Errorf("nudge withdrawal %d: %w", w.ID, err))
			}
		}
		if len(page) < nudgePage {
			return errors.Join(errs...)
		}
		after = page[len(page)-1].ID
	}
}

// nudgeWithdrawal sends the nudge for w if it is stuck, the customer is
// awake and has a chat, and nobody has sent it yet (Tick.Nudge: claimed
// once the message is committed, so neither lost nor sent twice).
func nudgeWithdrawal(t *Tick, ledger store.Ledger, w store.Withdrawal) error {
	ctx := t.Context()
	cust, err := ledger.Customer(ctx, w.CustomerID)
	if err != nil {
		return err
	}
	k, err := assessWithdrawal(ctx, ledger, cust, w, t.Now)
	if err != nil || !k.stuck() || quiet(t.Now, k.loc) {
		return err
	}
	chats, err := t.State().ChatsOf(ctx, cust.ID)
	if err != nil || len(chats) == 0 {
		return err // no chat yet: the nudge waits until the customer links one
	}
	chat := chats[0] // the most recently active
	button := func(label Msg, action string, args ...int64) Button { return t.Button(chat, label, action, args...) }
	sent, err := t.Nudge(store.Nudge{Kind: nudgeKind, ObjectID: w.ID, Stage: string(w.Stage), At: t.Now},
		chat, LangOf(ctx, t.State(), chat, cust), Screen{
			Body: []Msg{M("withdrawal.nudge", "Amount", amountOf(w), "Method", w.Method,
				"Stage", statusOf(w.Stage), "Limit", businessDays(k.limit))},
			// One row per withdrawal, its details named by the amount: nudges
			// of one tick come folded into one message (Engine.Tick).
			Inline: [][]Button{{waitingButton(button, k), button(M("notice.details_of", "Amount", amountOf(w)), actWithdrawalCard, w.ID)}},
		})
	if sent {
		t.Log().Info("nudged", "chat", chat, "withdrawal", w.ID, "stage", w.Stage)
	}
	return err
}
