package bot

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"paydesk/flows"
	"paydesk/store"
)

// render turns an outcome into the messages it owes, in order. A reply that
// replaces the pressed message becomes an edit of it.
func (b *Bot) render(ev flows.Event, out flows.Outcome) []store.Delivery {
	list := make([]store.Delivery, 0, len(out.Replies))
	for _, r := range out.Replies {
		loc := b.locales.For(r.Lang)
		s := r.Screen
		d := store.Delivery{ChatID: r.ChatID, Method: store.DeliverySend, Text: s.HTML(loc, r.ShowIDs), Markup: markupJSON(markup(loc, s)), Key: r.Key}
		if s.Replace && ev.Kind == flows.EventAction && ev.MessageID != 0 && r.ChatID == ev.ChatID && s.Reply == nil && !s.RemoveReply {
			d.Method, d.MessageID = store.DeliveryEdit, ev.MessageID
		}
		list = append(list, d)
	}
	return list
}

// markupJSON is reply_markup as stored with a delivery; "" for none.
func markupJSON(m models.ReplyMarkup) string {
	if m == nil {
		return ""
	}
	data, err := json.Marshal(m)
	if err != nil {
		panic("bot: encode reply markup: " + err.Error()) // our own structs: cannot fail
	}
	return string(data)
}

// leaseUntil is how long the deliveries of a commit at now stay with
// this process: the lease, and for a support group's the time its queue
// here needs at the group's pace, so that another replica does not take
// (and send again) what is only waiting for the group's budget.
func (b *Bot) leaseUntil(now time.Time, list []store.Delivery) time.Time {
	wait := time.Duration(0)
	b.mu.Lock()
	counted := map[int64]bool{}
	for _, d := range list {
		if d.ChatID >= 0 || counted[d.ChatID] {
			continue
		}
		counted[d.ChatID] = true
		n := len(b.queues[d.ChatID])
		for _, x := range list {
			if x.ChatID == d.ChatID {
				n++
			}
		}
		wait = max(wait, time.Duration(n)*b.limits.Group.Every)
	}
	b.mu.Unlock()
	return now.Add(b.lease + wait)
}

// enqueue hands committed deliveries to their chats' senders, in order.
// Each chat has one sender at a time, so a chat's messages go out in the
// order they were committed while chats are served in parallel. A delivery
// already queued here (the resend loop found it too) is skipped.
func (b *Bot) enqueue(list []store.Delivery) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, d := range list {
		if b.queued[d.ID] {
			continue
		}
		b.queued[d.ID] = true
		q, running := b.queues[d.ChatID]
		b.queues[d.ChatID] = append(q, d)
		if !running {
			b.senders.Go(func() { b.drain(d.ChatID) })
		}
	}
}

// deliveryRounds bounds the outbox calls (each with its own retries) one
// delivery gets in a row. An error that is never final (an answer the
// client cannot decode, an outage longer than all of them) would otherwise
// hold every later reply to the chat forever.
const deliveryRounds = 3

// deliveryPatience is how long a reply that keeps failing without a final
// answer is set aside and tried again before it is given up for good: an
// outage of Telegram (or of the network or proxy in front of it) of up to
// a day loses no reply.
const deliveryPatience = 24 * time.Hour

// drain sends a chat's queue until it is empty. A delivery is forgotten
// once Telegram has had its say (sent, or refused for good); one that
// cannot be sent now is retried after a pause, holding the later ones back,
// up to deliveryRounds times: then it is set aside (setAside) and the later
// ones go. When the bot stops, the queue stays in the store for the next
// start. In a support group whose budget is short, the customers' text
// messages queued for one topic go out folded into one message.
func (b *Bot) drain(chat int64) {
	rounds := 0
	for {
		b.mu.Lock()
		q := b.queues[chat]
		if len(q) == 0 {
			delete(b.queues, chat)
			b.mu.Unlock()
			return
		}
		d := q[0]
		var folded []store.Delivery
		if foldBase(d) && b.outbox.short(chat) {
			folded = foldable1(q[1:], d.TicketID)
		}
		b.mu.Unlock()

		done, err := b.deliverFolded(b.sendCtx, d, folded)
		if err != nil && !final(err) {
			if b.sendCtx.Err() != nil || b.outbox.Stopped() {
				b.dropQueue(chat)
				return
			}
			if !errors.Is(err, errNoTopicYet) { // waits for the other replica, bounded by the lease
				rounds++
			}
			if rounds < deliveryRounds {
				level := b.log.Warn
				if errors.Is(err, errNoTopicYet) {
					level = b.log.Info
				}
				level("reply not sent yet, trying again", "chat", chat, "delivery", d.ID, "round", rounds, "err", err)
				if b.pause(b.retry.Max) != nil {
					b.dropQueue(chat)
					return
				}
				continue
			}
			rounds = 0
			if b.setAside(d) {
				b.metrics.SetAside()
				b.log.Warn("reply set aside, sending the next ones; it is tried again once its lease runs out",
					"chat", chat, "delivery", d.ID, "rounds", deliveryRounds, "err", err)
				continue
			}
			b.GivenUp.Add(1)
			b.metrics.GivenUp()
			b.log.Error("reply given up after failing for a day, sending the next ones", "chat", chat, "delivery", d.ID, "err", err)
		}
		if err == nil && d.Proactive {
			b.metrics.NudgeSent()
		}
		rounds = 0
		gone := map[int64]bool{}
		for _, x := range done {
			gone[x.ID] = true
		}
		b.mu.Lock()
		b.unqueue(chat, gone)
		b.mu.Unlock()
		// The chat's next reply does not wait for the store to forget this
		// one (or the ones folded with it): the deletes join the next group
		// commit in the background.
		for _, x := range done {
			b.senders.Go(func() { b.forget(x.ID) })
		}
	}
}

// foldable1 is the run of foldable copies to ticket in q that may go with
// a post before them: up to the first delivery to the ticket that cannot
// be folded, so the topic's order holds.
func foldable1(q []store.Delivery, ticket int64) []store.Delivery {
	var out []store.Delivery
	for _, x := range q {
		if x.TicketID != ticket {
			continue
		}
		if !foldable(x) {
			break
		}
		out = append(out, x)
	}
	return out
}

// deliverFolded sends d, with the copies in folded quoted in the same
// message, and reports which deliveries that settles.
func (b *Bot) deliverFolded(ctx context.Context, d store.Delivery, folded []store.Delivery) ([]store.Delivery, error) {
	if len(folded) == 0 {
		return []store.Delivery{d}, b.deliver(ctx, d)
	}
	quoted := folded
	if foldable(d) {
		quoted = append([]store.Delivery{d}, folded...)
	}
	extra, n := b.foldText(d, quoted)
	if foldable(d) {
		n-- // d itself
	}
	if n < 0 {
		return []store.Delivery{d}, b.deliver(ctx, d)
	}
	done := append([]store.Delivery{d}, folded[:n]...)
	b.log.Info("customer messages folded into one relay", "ticket", d.TicketID, "messages", len(done))
	return done, b.deliverRelay(ctx, d, extra)
}

// pause waits d between delivery rounds; it ends early, with an error,
// when the bot stops.
func (b *Bot) pause(d time.Duration) error {
	select {
	case <-b.sendCtx.Done():
		return b.sendCtx.Err()
	case <-b.outbox.stop:
		return errStopping
	case <-b.clock.After(d):
		return nil
	}
}

var errStopping = errors.New("the bot is stopping")

// forget deletes a delivery that Telegram has had its say on. Until the
// delete is committed the delivery stays marked as queued, so the resend
// loop cannot take it up again; a crash before then resends it once its
// lease runs out, as a crash between sending and deleting always could.
func (b *Bot) forget(id int64) {
	if err := b.st.DeleteDelivery(context.WithoutCancel(b.sendCtx), id); err != nil {
		b.log.Error("forget a sent delivery", "delivery", id, "err", err)
	}
	b.mu.Lock()
	delete(b.queued, id)
	delete(b.failing, id)
	b.mu.Unlock()
}

// setAside takes d, which failed deliveryRounds times in a row, out of its
// chat's queue but leaves it in the store, so the chat's later replies go
// and the resend loop (Resend) tries d again once its lease has run out. It
// reports false once d has been failing for deliveryPatience: then it is
// given up. When d was first set aside is kept in memory: a restart gives
// d another day.
func (b *Bot) setAside(d store.Delivery) bool {
	now := b.clock.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	since, ok := b.failing[d.ID]
	if !ok {
		since = now
		b.failing[d.ID] = now
		for id, t := range b.failing {
			if now.Sub(t) > 2*deliveryPatience {
				delete(b.failing, id) // sent by another replica, or its row is gone
			}
		}
	}
	if now.Sub(since) >= deliveryPatience {
		return false
	}
	b.unqueue(d.ChatID, map[int64]bool{d.ID: true})
	delete(b.queued, d.ID)
	return true
}

// unqueue takes the deliveries gone out of chat's queue, keeping the order
// of the others. b.mu must be held.
func (b *Bot) unqueue(chat int64, gone map[int64]bool) {
	kept := b.queues[chat][:0]
	for _, x := range b.queues[chat] {
		if !gone[x.ID] {
			kept = append(kept, x)
		}
	}
	b.queues[chat] = kept
}

// dropQueue forgets a chat's queue when the bot stops; the deliveries stay
// in the store.
func (b *Bot) dropQueue(chat int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, d := range b.queues[chat] {
		delete(b.queued, d.ID)
	}
	delete(b.queues, chat)
}

// Close waits until every queued reply is sent, or ctx is done; then it
// stops sending. What was not sent stays in the store and goes out after
// the next start.
func (b *Bot) Close(ctx context.Context) {
	// Replies that go, go; one that fails is not retried now but kept for
	// the next start, so stopping never waits out a retry loop.
	b.outbox.Stop()
	done := make(chan struct{})
	go func() { b.senders.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	b.stopSending()
	<-done
}

// deliver makes the Bot API call of one delivery. An edit that Telegram
// refuses (the message is too old or gone) is sent as a new message.
func (b *Bot) deliver(ctx context.Context, d store.Delivery) error {
	switch {
	case d.TicketID != 0 && d.ChatID < 0, d.Method == store.DeliveryCreateTopic:
		return b.deliverRelay(ctx, d, "")
	case d.Method == store.DeliveryCopy:
		return b.copyToCustomer(ctx, d)
	case d.Method == store.DeliveryEdit && d.FromChatID != 0:
		return b.editCopy(ctx, d)
	}
	prio := Interactive
	if d.Proactive {
		prio = Proactive
	}
	var markup models.ReplyMarkup
	if d.Markup != "" {
		markup = json.RawMessage(d.Markup)
	}
	if d.Method == store.DeliveryEdit {
		err := b.call(ctx, d.ChatID, prio, "editMessageText", func(ctx context.Context) error {
			_, err := b.api.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: d.ChatID, MessageID: d.MessageID,
				Text: d.Text, ParseMode: models.ParseModeHTML, ReplyMarkup: markup})
			return err
		})
		if err == nil || isNotModified(err) {
			return nil
		}
		if !errors.Is(err, tg.ErrorBadRequest) {
			return err
		}
		b.log.Info("edit refused, sending anew", "chat", d.ChatID, "err", err)
	}
	err := b.call(ctx, d.ChatID, prio, "sendMessage", func(ctx context.Context) error {
		_, err := b.api.SendMessage(ctx, &tg.SendMessageParams{ChatID: d.ChatID, Text: d.Text,
			ParseMode: models.ParseModeHTML, ReplyMarkup: markup})
		return err
	})
	if isBlocked(err) && d.TicketID != 0 {
		b.tellBlocked(ctx, d.TicketID) // an agent's canned reply, a rating question
	}
	return err
}

// isNotModified: Telegram refuses an edit that changes nothing; the screen
// is already what the customer sees.
func isNotModified(err error) bool {
	return errors.Is(err, tg.ErrorBadRequest) && containsFold(err.Error(), "message is not modified")
}
