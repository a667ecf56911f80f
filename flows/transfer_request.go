package flows

import (
	"context"
	"errors"
	"fmt"
	"time"

	"paydesk/locales"
	"paydesk/store"
)

// The cancellation request: the sender confirms, the request is created
// once, and the recipient, when their chat is linked, is asked to return the
// money. Answers and expiry tell the sender.

// askCancellation explains what a request does before it is made: the
// recipient is asked, and the money comes back only if they agree.
func askCancellation(c *Conv, a Action) error {
	t, page, ok, err := cancellableTransfer(c, a)
	if !ok || err != nil {
		return err
	}
	c.Show(Screen{
		Replace: true,
		Body: []Msg{M("transfer.confirm", "Name", store.MaskName(t.RecipientName), "Amount", money(t),
			"Days", answerTime())},
		Inline: [][]Button{
			{c.Button(M("transfer.confirm_button"), actTransferConfirm, t.ID, int64(page))},
			BackRow(c, actTransferCard, t.ID, int64(page)),
		},
	})
	return nil
}

// confirmCancellation creates the request, once: a double tap, a
// redelivered update or a second device finds the open request instead and
// just shows the card.
func confirmCancellation(c *Conv, a Action) error {
	t, page, ok, err := cancellableTransfer(c, a)
	if !ok || err != nil {
		return err
	}
	req, created, err := c.Store().RequestCancellation(c.Context(), t.ID, c.Now)
	if err != nil {
		return err
	}
	if !created {
		return showCard(c, t, page)
	}
	c.Log().Info("cancellation requested", "chat", c.Event.ChatID, "transfer", t.ID, "request", req.ID)
	c.Toast(M("transfer.requested_toast"))
	if err := convPusher(c).askRecipient(t, req); err != nil {
		return err
	}
	return showCard(c, t, page)
}

// cancellableTransfer is the check both steps of a request make at the
// press: the transfer is the customer's (refused and logged otherwise) and
// can be cancelled now (otherwise its card says why, e.g. for a
// confirmation pressed after the month was over). ok is true only when the
// press may go on; page is the history page to go back to.
func cancellableTransfer(c *Conv, a Action) (t store.Transfer, page int, ok bool, err error) {
	t, ok, err = ownTransfer(c, a)
	if !ok || err != nil {
		return t, 0, false, err
	}
	page = int(a.Arg(1))
	if ok, err = cancellable(c, t); err != nil {
		return t, page, false, err
	}
	if !ok {
		return t, page, false, showCard(c, t, page)
	}
	return t, page, true, nil
}

// cancellable reports whether a new request can be made for t now: it has
// not been returned, it is within the calendar month, and it never had a
// request (after the recipient answered or the request expired, the next
// step is support, not asking the recipient again).
func cancellable(c *Conv, t store.Transfer) (bool, error) {
	if t.Status != store.TransferCompleted || !CanCancel(t.CreatedAt, c.Now, c.Loc()) {
		return false, nil
	}
	_, err := c.Store().LatestCancellation(c.Context(), t.ID)
	if errors.Is(err, store.ErrNotFound) {
		return true, nil
	}
	return false, err
}

// pusher writes to chats other than the one in conversation: the
// recipient's when a request is made, the sender's when it is answered or
// expires. A button press (Conv) and a periodic job (Tick) both push.
type pusher struct {
	ctx    context.Context
	st     store.Store
	now    time.Time
	send   func(chatID int64, lang string, s Screen)
	button func(chatID int64, label Msg, action string, args ...int64) Button
}

func convPusher(c *Conv) pusher {
	return pusher{ctx: c.Context(), st: c.Store(), now: c.Now, send: c.Send, button: c.ButtonFor}
}

func tickPusher(t *Tick) pusher {
	return pusher{ctx: t.Context(), st: t.Store(), now: t.Now, send: t.Send, button: t.Button}
}

// askRecipient sends an open request to each of the recipient's linked
// chats that has not had it yet (the mark is recorded before the message is
// returned, so nothing is sent twice). A recipient who is not a customer we
// know, or not linked to the bot, is asked by the payments app alone.
func (p pusher) askRecipient(t store.Transfer, req store.CancellationRequest) error {
	if t.RecipientID == 0 {
		return nil
	}
	chats, err := p.st.ChatsOf(p.ctx, t.RecipientID)
	if err != nil || len(chats) == 0 {
		return err
	}
	recipient, sender, err := p.parties(t)
	if err != nil {
		return err
	}
	for _, chat := range chats {
		first, err := p.st.MarkCancellationDelivered(p.ctx, req.ID, chat, p.now)
		if err != nil {
			return err
		}
		if !first {
			continue
		}
		s := incomingScreen(t, req, sender, recipient.Location())
		s.Inline = incomingButtons(req, func(label Msg, action string, args ...int64) Button {
			return p.button(chat, label, action, args...)
		})
		p.send(chat, LangOf(p.ctx, p.st, chat, recipient), s)
	}
	return nil
}

// tellSender tells the sender, in each of their chats and languages, how
// their request ended.
func (p pusher) tellSender(t store.Transfer, req store.CancellationRequest) error {
	chats, err := p.st.ChatsOf(p.ctx, t.SenderID)
	if err != nil || len(chats) == 0 {
		return err
	}
	sender, err := p.st.Customer(p.ctx, t.SenderID)
	if err != nil {
		return fmt.Errorf("sender of transfer %d: %w", t.ID, err)
	}
	for _, chat := range chats {
		s := Screen{Body: []Msg{M("transfer.told_"+string(req.Status),
			"Name", store.MaskName(t.RecipientName), "Amount", money(t),
			"Date", locales.Date{T: t.CreatedAt, Loc: sender.Location()}, "Days", answerTime())}}
		if req.Status != store.CancellationReturned {
			s.Inline = append(s.Inline, []Button{p.button(chat, M("transfer.support_button"), actTransferSupport, t.ID)})
		}
		s.Inline = append(s.Inline, []Button{p.button(chat, M("transfer.receipt_button"), actTransferCard, t.ID, 0)})
		p.send(chat, LangOf(p.ctx, p.st, chat, sender), s)
	}
	return nil
}

// parties loads the recipient and the sender of a transfer.
func (p pusher) parties(t store.Transfer) (recipient, sender store.Customer, err error) {
	if recipient, err = p.st.Customer(p.ctx, t.RecipientID); err != nil {
		return recipient, sender, fmt.Errorf("recipient of transfer %d: %w", t.ID, err)
	}
	if sender, err = p.st.Customer(p.ctx, t.SenderID); err != nil {
		return recipient, sender, fmt.Errorf("sender of transfer %d: %w", t.ID, err)
	}
	return recipient, sender, nil
}

// resolve closes an open request and, if this call closed it, tells the
// sender. changed is false when somebody else closed it first.
func (p pusher) resolve(req store.CancellationRequest, to store.CancellationStatus) (store.CancellationRequest, bool, error) {
	req, changed, err := p.st.ResolveCancellation(p.ctx, req.ID, to, p.now)
	if err != nil || !changed {
		return req, changed, err
	}
	t, err := p.st.Transfer(p.ctx, req.TransferID)
	if err != nil {
		return req, changed, err
	}
	return req, changed, p.tellSender(t, req)
}

// answerTime is RecipientAnswerTime in words: "7 days".
func answerTime() Msg {
	return M("duration.days").N(int(RecipientAnswerTime / (24 * time.Hour)))
}

// overdue reports whether the recipient's time to answer is over.
func overdue(req store.CancellationRequest, now time.Time) bool {
	return !now.Before(req.CreatedAt.Add(RecipientAnswerTime))
}
