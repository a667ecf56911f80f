package bot

import (
	"context"
	"encoding/json"
	"errors"
	"sync"

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
		d := store.Delivery{ChatID: r.ChatID, Method: store.DeliverySend, Text: text(loc, s), Markup: markupJSON(markup(loc, s))}
		if s.Replace && ev.Kind == flows.EventAction && r.ChatID == ev.ChatID && s.Reply == nil && !s.RemoveReply {
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

// send sends committed deliveries in order and forgets each once Telegram
// has had its say. When one cannot be sent now (the outbox gave up or is
// stopping), it and the later ones to the same chat stay in the store, to
// be resent in order by Run.
func (b *Bot) send(ctx context.Context, list []store.Delivery) {
	stuck := map[int64]bool{}
	for _, d := range list {
		if stuck[d.ChatID] {
			continue
		}
		if !b.claim(d.ID) {
			continue // being sent already (the resend loop got there first)
		}
		err := b.deliver(ctx, d)
		if err == nil || final(err) {
			if err := b.st.DeleteDelivery(context.WithoutCancel(ctx), d.ID); err != nil {
				b.log.Error("forget a sent delivery", "delivery", d.ID, "err", err)
			}
		} else {
			stuck[d.ChatID] = true
			b.log.Warn("reply left for a later resend", "chat", d.ChatID, "delivery", d.ID, "err", err)
		}
		b.release(d.ID)
	}
}

// sendByChat sends deliveries of different chats in parallel, each chat's
// in order.
func (b *Bot) sendByChat(ctx context.Context, list []store.Delivery) {
	byChat := map[int64][]store.Delivery{}
	var order []int64
	for _, d := range list {
		if _, ok := byChat[d.ChatID]; !ok {
			order = append(order, d.ChatID)
		}
		byChat[d.ChatID] = append(byChat[d.ChatID], d)
	}
	var wg sync.WaitGroup
	for _, chat := range order {
		wg.Go(func() { b.send(ctx, byChat[chat]) })
	}
	wg.Wait()
}

// deliver makes the Bot API call of one delivery. An edit that Telegram
// refuses (the message is too old or gone) is sent as a new message.
func (b *Bot) deliver(ctx context.Context, d store.Delivery) error {
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
	return b.call(ctx, d.ChatID, prio, "sendMessage", func(ctx context.Context) error {
		_, err := b.api.SendMessage(ctx, &tg.SendMessageParams{ChatID: d.ChatID, Text: d.Text,
			ParseMode: models.ParseModeHTML, ReplyMarkup: markup})
		return err
	})
}

// isNotModified: Telegram refuses an edit that changes nothing; the screen
// is already what the customer sees.
func isNotModified(err error) bool {
	return errors.Is(err, tg.ErrorBadRequest) && containsFold(err.Error(), "message is not modified")
}

// claim marks a delivery as being sent by this process; false if it is.
func (b *Bot) claim(id int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.sending[id] {
		return false
	}
	b.sending[id] = true
	return true
}

func (b *Bot) release(id int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.sending, id)
}
