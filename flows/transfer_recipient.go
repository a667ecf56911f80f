package flows

import (
	"errors"
	"fmt"
	"time"

	"paydesk/locales"
	"paydesk/store"
)

// Cancel a transfer, the recipient's side (seed: «Клиенту придет сообщение с
// просьбой вернуть деньги»): the request arrives as a message with "Return
// the money" / "Decline", and stays listed on top of the recipient's own
// history while it is open, so a recipient who linked the bot later, or
// lost the message, still finds it there.

func registerRecipient(r *Router) {
	r.View(actIncomingCard, RequireCustomer(func(c *Conv, a Action) error {
		in, ok, err := incomingRequest(c, a)
		if !ok || err != nil {
			return err
		}
		s := incomingScreen(in.transfer, in.req, in.sender, c.Loc())
		s.Inline = append(incomingButtons(in.req, c.Button), BackRow(c, actTransfers, 0))
		s.Replace = true
		c.Show(s)
		return nil
	}))
	r.View(actIncomingReturn, RequireCustomer(func(c *Conv, a Action) error {
		in, ok, err := incomingRequest(c, a)
		if !ok || err != nil {
			return err
		}
		amount := money(in.transfer)
		c.Show(Screen{
			Replace: true,
			Body:    []Msg{M("transfer.return_confirm", "Name", in.sender.ShortName(), "Amount", amount)},
			Inline: [][]Button{
				{c.Button(M("transfer.return_confirm_button", "Amount", amount), actIncomingGive, in.req.ID)},
				BackRow(c, actIncomingCard, in.req.ID),
			},
		})
		return nil
	}))
	r.Action(actIncomingGive, RequireCustomer(func(c *Conv, a Action) error {
		return answer(c, a, store.CancellationReturned, "transfer.returned_done")
	}))
	r.Action(actIncomingDecline, RequireCustomer(func(c *Conv, a Action) error {
		return answer(c, a, store.CancellationDeclined, "transfer.declined_done")
	}))
}

// answer records the recipient's answer and tells both sides. The first
// answer wins: a second tap, the other button on another device or the
// expiry in between finds the request closed and changes nothing.
func answer(c *Conv, a Action, to store.CancellationStatus, done string) error {
	in, ok, err := incomingRequest(c, a)
	if !ok || err != nil {
		return err
	}
	req, _, err := convPusher(c).resolve(in.req, to)
	if err != nil {
		return err
	}
	if req.Status != to {
		showClosed(c, req) // answered otherwise first, or expired
		return nil
	}
	c.Log().Info("cancellation answered", "chat", c.Event.ChatID, "transfer", in.transfer.ID, "request", req.ID, "status", req.Status)
	c.Show(Screen{
		Replace: true,
		Body:    []Msg{M(done, "Name", in.sender.ShortName(), "Amount", money(in.transfer))},
		Inline:  [][]Button{MenuRow(c)},
	})
	return nil
}

// incoming is a cancellation request as its recipient acts on it.
type incoming struct {
	req      store.CancellationRequest
	transfer store.Transfer
	sender   store.Customer
}

// incomingRequest loads the request a recipient's button names and checks,
// at the press, that the customer is the transfer's recipient (refused and
// logged otherwise) and that the request is still open (otherwise its
// outcome is shown; a request past its time is expired here and then). ok
// is true only when the press may go on.
func incomingRequest(c *Conv, a Action) (in incoming, ok bool, err error) {
	in.req, err = c.Ledger().Cancellation(c.Context(), a.Arg(0))
	if err == nil {
		in.transfer, err = c.Ledger().Transfer(c.Context(), in.req.TransferID)
	}
	if errors.Is(err, store.ErrNotFound) || (err == nil && in.transfer.RecipientID != c.Customer.ID) {
		c.Log().Warn("refused button", "chat", c.Event.ChatID, "customer", c.Customer.ID,
			"action", a.Name, "request", a.Arg(0), "reason", "not the recipient of the transfer")
		return in, false, refuseButton(c)
	}
	if err != nil {
		return in, false, err
	}
	if in.req.Status.Open() && overdue(in.req, c.Now) {
		if in.req, _, err = convPusher(c).resolve(in.req, store.CancellationExpired); err != nil {
			return in, false, err
		}
		showClosed(c, in.req)
		return in, false, nil
	}
	if !in.req.Status.Open() {
		// Closed before this press, perhaps by this very update handled
		// before its commit was lost: the sender is still owed the outcome.
		if err := convPusher(c).tellSenderOf(in.req); err != nil {
			return in, false, err
		}
		showClosed(c, in.req)
		return in, false, nil
	}
	if in.sender, err = c.Ledger().Customer(c.Context(), in.transfer.SenderID); err != nil {
		return in, false, fmt.Errorf("sender of transfer %d: %w", in.transfer.ID, err)
	}
	return in, true, nil
}

// showClosed answers a press on a request that is no longer open.
func showClosed(c *Conv, req store.CancellationRequest) {
	c.Show(Screen{
		Replace: true,
		Body:    []Msg{M("transfer.incoming_closed_" + string(req.Status))},
		Inline:  [][]Button{BackRow(c, actTransfers, 0)},
	})
}

// incomingScreen is the request as the recipient sees it, in their zone.
func incomingScreen(t store.Transfer, req store.CancellationRequest, sender store.Customer, loc *time.Location) Screen {
	return Screen{Body: []Msg{M("transfer.incoming",
		"Name", sender.ShortName(), "Amount", money(t),
		"When", locales.DateTime{T: t.CreatedAt, Loc: loc},
		"Until", locales.DateTime{T: req.CreatedAt.Add(RecipientAnswerTime), Loc: loc})}}
}

// incomingButtons are "Return the money" / "Decline" made by button, which
// signs them for the chat they go to.
func incomingButtons(req store.CancellationRequest, button func(label Msg, action string, args ...int64) Button) [][]Button {
	return [][]Button{{
		button(M("transfer.return_button"), actIncomingReturn, req.ID),
		button(M("transfer.decline_button"), actIncomingDecline, req.ID),
	}}
}

// addIncoming lists the open requests addressed to the customer on top of
// their history.
func addIncoming(c *Conv, s *Screen) error {
	ctx := c.Context()
	open, err := c.Ledger().OpenCancellationsTo(ctx, c.Customer.ID)
	if err != nil {
		return err
	}
	senders := map[store.CustomerID]store.Customer{}
	var rows [][]Button
	for _, req := range open {
		if overdue(req, c.Now) {
			continue // the periodic job is about to expire it
		}
		t, err := c.Ledger().Transfer(ctx, req.TransferID)
		if err != nil {
			return err
		}
		sender, ok := senders[t.SenderID]
		if !ok {
			if sender, err = c.Ledger().Customer(ctx, t.SenderID); err != nil {
				return err
			}
			senders[t.SenderID] = sender
		}
		label := M("transfer.incoming_line", "Name", sender.ShortName(), "Amount", money(t))
		rows = append(rows, []Button{c.Button(label, actIncomingCard, req.ID)})
	}
	if len(rows) > 0 {
		s.Body = append(s.Body, M("transfer.incoming_list").N(len(rows)))
		s.Inline = append(s.Inline, rows...)
	}
	return nil
}
