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
// just shows the card. Either way the recipient is owed the request (keyed
// per chat, so asked once): if this very update made the request and its
// commit was lost, handling it again still asks.
func confirmCancellation(c *Conv, a Action) error {
	t, ok, err := ownTransfer(c, a)
	if !ok || err != nil {
		return err
	}
	page := int(a.Arg(1))
	if req, err := c.Ledger().LatestCancellation(c.Context(), t.ID); err == nil && req.Status.Open() {
		if err := convPusher(c).askRecipient(t, req); err != nil {
			return err
		}
		return showCard(c, t, page)
	}
	if t, page, ok, err = cancellableTransfer(c, a); !ok || err != nil {
		return err
	}
	req, created, err := c.Ledger().RequestCancellation(c.Context(), c.OpKey("cancel.request", t.ID), t.ID, c.Now)
	if err != nil {
		return err
	}
	if created {
		c.Log().Info("cancellation requested", "chat", c.Event.ChatID, "transfer", t.ID, "request", req.ID)
		c.Toast(M("transfer.requested_toast"))
	}
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
	_, err := c.Ledger().LatestCancellation(c.Context(), t.ID)
	if errors.Is(err, store.ErrNotFound) {
		return true, nil
	}
	return false, err
}

// pusher writes to chats other than the one in conversation: the
// recipient's when a request is made, the sender's when it is answered or
// expires. A button press (Conv) and a periodic job (Tick) both push.
//
// What it sends is owed once per (request, chat), by the replies' keys: the
// pusher owes it whenever it sees the request in that state, so nothing is
// lost when a commit is, and the journal keeps it from being sent twice.
type pusher struct {
	ctx    context.Context
	state  store.State
	ledger store.Ledger
	now    time.Time
	send   func(key string, chatID int64, lang string, s Screen)
	button func(chatID int64, label Msg, action string, args ...int64) Button
	// opKey is the idempotency key of a ledger write this pusher makes.
	opKey func(op string, id int64) string
}

func convPusher(c *Conv) pusher {
	return pusher{ctx: c.Context(), state: c.State(), ledger: c.Ledger(), now: c.Now, send: c.SendOnce,
		button: c.ButtonFor, opKey: c.OpKey}
}

func tickPusher(t *Tick) pusher {
	return pusher{ctx: t.Context(), state: t.State(), ledger: t.Ledger(), now: t.Now, send: t.SendOnce,
		button: t.Button, opKey: func(op string, id int64) string { return fmt.Sprintf("%s:%d:job", op, id) }}
}

// askRecipient owes an open request to each of the recipient's linked
// chats, once per chat. A recipient who is not a customer we know, or not
// linked to the bot, is asked by the payments app alone.
func (p pusher) askRecipient(t store.Transfer, req store.CancellationRequest) error {
	if t.RecipientID == 0 {
		return nil
	}
	chats, err := p.state.ChatsOf(p.ctx, t.RecipientID)
	if err != nil || len(chats) == 0 {
		return err
	}
	recipient, sender, err := p.parties(t)
	if err != nil {
		return err
	}
	for _, chat := range chats {
		s := incomingScreen(t, req, sender, recipient.Location())
		s.Inline = incomingButtons(req, func(label Msg, action string, args ...int64) Button {
			return p.button(chat, label, action, args...)
		})
		p.send(fmt.Sprintf("cancel.ask:%d:%d", req.ID, chat), chat, LangOf(p.ctx, p.state, chat, recipient), s)
	}
	return nil
}

// tellSender tells the sender, in each of their chats and languages, how
// their request ended: owed once per (request, chat).
func (p pusher) tellSender(t store.Transfer, req store.CancellationRequest) error {
	chats, err := p.state.ChatsOf(p.ctx, t.SenderID)
	if err != nil || len(chats) == 0 {
		return err
	}
	sender, err := p.ledger.Customer(p.ctx, t.SenderID)
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
		p.send(fmt.Sprintf("cancel.told:%d:%d", req.ID, chat), chat, LangOf(p.ctx, p.state, chat, sender), s)
	}
	return nil
}

// parties loads the recipient and the sender of a transfer.
func (p pusher) parties(t store.Transfer) (recipient, sender store.Customer, err error) {
	if recipient, err = p.ledger.Customer(p.ctx, t.RecipientID); err != nil {
		return recipient, sender, fmt.Errorf("recipient of transfer %d: %w", t.ID, err)
	}
	if sender, err = p.ledger.Customer(p.ctx, t.SenderID); err != nil {
		return recipient, sender, fmt.Errorf("sender of transfer %d: %w", t.ID, err)
	}
	return recipient, sender, nil
}

// resolve closes an open request and tells the sender how it ended.
// changed is false when somebody else closed it first; the sender is owed
// the outcome all the same (once, by key), in case whoever closed it lost
// their commit.
func (p pusher) resolve(req store.CancellationRequest, to store.CancellationStatus) (store.CancellationRequest, bool, error) {
	req, changed, err := p.ledger.ResolveCancellation(p.ctx, p.opKey("cancel."+string(to), req.ID), req.ID, to, p.now)
	if err != nil {
		return req, changed, err
	}
	return req, changed, p.tellSenderOf(req)
}

// tellSenderOf owes the sender the outcome of a closed request.
func (p pusher) tellSenderOf(req store.CancellationRequest) error {
	if req.Status.Open() {
		return nil
	}
	t, err := p.ledger.Transfer(p.ctx, req.TransferID)
	if err != nil {
		return err
	}
	return p.tellSender(t, req)
}

// answerTime is RecipientAnswerTime in words: "7 days".
func answerTime() Msg {
	return M("duration.days").N(int(RecipientAnswerTime / (24 * time.Hour)))
}

// overdue reports whether the recipient's time to answer is over.
func overdue(req store.CancellationRequest, now time.Time) bool {
	return !now.Before(req.CreatedAt.Add(RecipientAnswerTime))
}
