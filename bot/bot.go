// Package bot is paydesk's Telegram adapter: it decodes updates into flows
// events, runs them through the flows engine, and renders the screens it
// gets back as Bot API calls. It uses go-telegram/bot (imported as tg) for
// the calls and types only; intake — polling and the webhook — is paydesk's
// own, because the library confirms updates before they are handled.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"paydesk/flows"
	"paydesk/locales"
)

// API is the part of the Bot API the adapter calls. *tg.Bot implements it.
type API interface {
	SendMessage(ctx context.Context, p *tg.SendMessageParams) (*models.Message, error)
	EditMessageText(ctx context.Context, p *tg.EditMessageTextParams) (*models.Message, error)
	AnswerCallbackQuery(ctx context.Context, p *tg.AnswerCallbackQueryParams) (bool, error)
	supportAPI
}

// Bot answers updates.
type Bot struct {
	api     API
	engine  *flows.Engine
	locales *locales.Bundle
	log     *slog.Logger
	support support // the support group; zero when none is configured
}

// Option configures a Bot.
type Option func(*Bot)

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(b *Bot) { b.log = l } }

// New builds the adapter.
func New(api API, engine *flows.Engine, bundle *locales.Bundle, opts ...Option) *Bot {
	b := &Bot{api: api, engine: engine, locales: bundle, log: slog.Default()}
	for _, o := range opts {
		o(b)
	}
	return b
}

// HandleUpdate runs one update to the end: the flow's effects are stored and
// every reply was sent (or failed for good). An error means the update may
// be delivered again; it had no effect on the session.
func (b *Bot) HandleUpdate(ctx context.Context, u *models.Update) error {
	if m := b.supportMessage(u); m != nil {
		return b.handleAgent(ctx, m)
	}
	in, ok := decode(u)
	if !ok {
		return nil
	}
	out, err := b.engine.Handle(ctx, in.event)
	if err != nil {
		return fmt.Errorf("update %d: %w", u.ID, err)
	}
	if in.callbackID != "" {
		b.answerCallback(ctx, in.callbackID, out)
	}
	b.deliver(ctx, in.event, out)
	b.relay(ctx, in.event.ChatID, in.messageID, out.Relays)
	return nil
}

// answerCallback stops the button's spinner, with the flow's notice if any.
func (b *Bot) answerCallback(ctx context.Context, id string, out flows.Outcome) {
	p := &tg.AnswerCallbackQueryParams{CallbackQueryID: id}
	if !out.Toast.IsZero() {
		p.Text = locales.PlainText(b.locales.For(replyLang(out)).Text(out.Toast))
	}
	if err := b.call(ctx, 0, func(ctx context.Context) error {
		_, err := b.api.AnswerCallbackQuery(ctx, p)
		return err
	}); err != nil {
		b.log.Warn("answer callback query", "err", err)
	}
}

// replyLang is the language of the replies to the event's own chat.
func replyLang(out flows.Outcome) string {
	if len(out.Replies) > 0 {
		return out.Replies[0].Lang
	}
	return "en"
}

// deliver sends the replies in order. A reply that replaces the pressed
// message is an edit; if the message can no longer be edited (too old,
// deleted) it is sent as a new one.
func (b *Bot) deliver(ctx context.Context, ev flows.Event, out flows.Outcome) {
	for _, r := range out.Replies {
		loc := b.locales.For(r.Lang)
		s := r.Screen
		if s.Replace && ev.Kind == flows.EventAction && r.ChatID == ev.ChatID && s.Reply == nil && !s.RemoveReply {
			err := b.call(ctx, r.ChatID, func(ctx context.Context) error {
				_, err := b.api.EditMessageText(ctx, editParams(loc, r.ChatID, ev.MessageID, s))
				return err
			})
			if err == nil || isNotModified(err) {
				continue
			}
			b.log.Info("edit failed, sending anew", "chat", r.ChatID, "err", err)
		}
		err := b.call(ctx, r.ChatID, func(ctx context.Context) error {
			_, err := b.api.SendMessage(ctx, sendParams(loc, r.ChatID, s))
			return err
		})
		if err != nil {
			b.log.Error("send message", "chat", r.ChatID, "err", err)
		}
	}
}

// isNotModified: Telegram refuses an edit that changes nothing; the screen
// is already what the customer sees.
func isNotModified(err error) bool {
	return errors.Is(err, tg.ErrorBadRequest) && containsFold(err.Error(), "message is not modified")
}

// call makes one Bot API call on behalf of a chat (0 when the call sends
// nothing to a chat). Every call the bot makes goes through here, so that
// rate limits, retries and blocked chats are handled in one place.
func (b *Bot) call(ctx context.Context, chatID int64, fn func(ctx context.Context) error) error {
	return fn(ctx)
}
