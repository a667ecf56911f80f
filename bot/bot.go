// Package bot is paydesk's Telegram adapter: it decodes updates into flows
// events, runs them through the flows engine, and renders the screens it
// gets back as Bot API calls. It uses go-telegram/bot (imported as tg) for
// the calls and types only. The library acknowledges updates before they
// are handled, runs them in unbounded goroutines and never retries, so the
// rest is paydesk's own:
//
//   - intake: Webhook and Poller hand updates to a Dispatcher, which runs a
//     chat's updates in order and chats in parallel on bounded workers;
//   - HandleUpdate: dedupe, the flows engine, then one commit of the update
//     mark, the sessions and the replies owed (store.Journal), then sending;
//   - Outbox: every Bot API call, within Telegram's rate limits, retried;
//   - Run: periodic jobs (proactive messages), resending replies a crash
//     left behind, forgetting old update marks.
package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"paydesk/bot/metrics"
	"paydesk/flows"
	"paydesk/locales"
	"paydesk/store"
)

// API is the part of the Bot API the adapter calls. *tg.Bot implements it;
// add methods here as the bot needs them.
type API interface {
	SendMessage(ctx context.Context, p *tg.SendMessageParams) (*models.Message, error)
	EditMessageText(ctx context.Context, p *tg.EditMessageTextParams) (*models.Message, error)
	AnswerCallbackQuery(ctx context.Context, p *tg.AnswerCallbackQueryParams) (bool, error)
	SetWebhook(ctx context.Context, p *tg.SetWebhookParams) (bool, error)
	DeleteWebhook(ctx context.Context, p *tg.DeleteWebhookParams) (bool, error)
	supportAPI
	profileAPI
}

// Bot answers updates.
type Bot struct {
	api     API
	st      store.State
	engine  *flows.Engine
	ticker  Ticker // nil: the engine's jobs
	locales *locales.Bundle
	outbox  *Outbox
	log     *slog.Logger
	metrics *metrics.Metrics // nil: none
	support support          // the support group; zero when none is configured
	clock   Clock
	// lease is how long the deliveries of a commit stay with the process
	// that committed them before the resend loop may take them.
	lease time.Duration

	flowOpts []flows.Option
	limits   Limits
	retry    Retry

	// Senders: one goroutine per chat with replies queued (deliver.go).
	sendCtx     context.Context
	stopSending context.CancelFunc
	senders     sync.WaitGroup
	mu          sync.Mutex
	queues      map[int64][]store.Delivery // per chat, in commit order
	queued      map[int64]bool             // delivery ids in queues
	failing     map[int64]time.Time        // set-aside delivery ids: since when (setAside)

	// The support groups' members as last checked, and the users who
	// wrote there by username (agent.go).
	agentsMu  sync.Mutex
	members   map[memberKey]memberSeen
	usernames map[usernameKey]models.User

	// GivenUp counts the replies dropped after failing for
	// deliveryPatience (for metrics); each is logged with its chat and
	// delivery id.
	GivenUp atomic.Int64
}

// Option configures a Bot.
type Option func(*Bot)

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(b *Bot) { b.log = l } }

// WithFlows passes options to the flows engine (secret, session TTL, clock).
func WithFlows(opts ...flows.Option) Option {
	return func(b *Bot) { b.flowOpts = append(b.flowOpts, opts...) }
}

// WithClock sets the clock of the outbox and the background loops.
func WithClock(c Clock) Option { return func(b *Bot) { b.clock = c } }

// WithLimits sets the outbox's rate limits (default DefaultLimits).
func WithLimits(l Limits) Option { return func(b *Bot) { b.limits = l } }

// WithOptions applies opts in turn, for callers that pass a list along.
func WithOptions(opts ...Option) Option {
	return func(b *Bot) {
		for _, o := range opts {
			o(b)
		}
	}
}

// WithLease sets how long the deliveries a commit owes stay with this
// process before the resend loop (here after a restart, or on another
// replica) takes them as left behind (default a minute). A support
// group's deliveries get the time their group's queue needs on top.
func WithLease(d time.Duration) Option {
	return func(b *Bot) {
		if d > 0 {
			b.lease = d
		}
	}
}

// WithRetry sets the outbox's retry policy (default DefaultRetry).
func WithRetry(r Retry) Option { return func(b *Bot) { b.retry = r } }

// New builds the adapter and the flows engine over the bot's State and the
// payments Ledger.
func New(api API, st store.State, ledger store.Ledger, bundle *locales.Bundle, opts ...Option) *Bot {
	b := &Bot{api: api, st: st, locales: bundle, log: slog.Default(), clock: realClock{},
		lease: time.Minute, limits: DefaultLimits(), retry: DefaultRetry(),
		queues: map[int64][]store.Delivery{}, queued: map[int64]bool{}, failing: map[int64]time.Time{},
		members: map[memberKey]memberSeen{}, usernames: map[usernameKey]models.User{}}
	b.sendCtx, b.stopSending = context.WithCancel(context.Background())
	for _, o := range opts {
		o(b)
	}
	if b.metrics != nil {
		st, ledger = timedState{st, b.metrics}, timedLedger{ledger, b.metrics}
		b.st = st
	}
	b.engine = flows.New(deferredState{st}, ledger, append([]flows.Option{flows.WithLogger(b.log)}, b.flowOpts...)...)
	b.outbox = NewOutbox(b.clock, b.limits, b.retry, b.log, b.blocked)
	b.outbox.metrics = b.metrics
	return b
}

// HandleUpdate handles one update: unless it was handled before, its
// effects, its mark and the replies it owes are committed at once, and the
// replies are queued to their chats' senders. Once it returns nil nothing
// of the update can be lost: replies not sent by a crash are resent from
// the store. An error means the update had no effect and must be delivered
// again.
func (b *Bot) HandleUpdate(ctx context.Context, u *models.Update) error {
	start, outcome := time.Now(), metrics.Handled
	err := b.handleUpdate(ctx, u, &outcome)
	if err != nil {
		outcome = metrics.Failed
	}
	took := time.Since(start)
	b.metrics.Update(updateKind(u), outcome, took)
	b.log.Debug("update", "update", u.ID, "kind", updateKind(u), "outcome", outcome, "took", took)
	return err
}

// handleUpdate is HandleUpdate; it sets *outcome to metrics.Duplicate for
// an update handled before.
func (b *Bot) handleUpdate(ctx context.Context, u *models.Update, outcome *string) error {
	handled, err := b.st.UpdateHandled(ctx, u.ID)
	if err != nil {
		return fmt.Errorf("update %d: %w", u.ID, err)
	}
	if handled {
		b.log.Info("duplicate update ignored", "update", u.ID)
		*outcome = metrics.Duplicate
		return nil
	}
	now := b.clock.Now()
	c := &store.UpdateCommit{UpdateID: u.ID, At: now, FromChat: chatKey(u)}
	var in incoming
	var forFlows bool
	var out flows.Outcome
	if m := b.supportMessage(u); m != nil {
		// An agent in a support group: what the agent side decided
		// (copies to the customer, notes, topic marks) is owed like
		// replies, committed with the update.
		if c.Deliveries, err = b.handleAgent(ctx, m); err != nil {
			return fmt.Errorf("update %d: %w", u.ID, err)
		}
	} else {
		in, forFlows = decode(u) // a press not for the flows is still answered (in.callbackID)
	}
	if forFlows {
		if out, c.Sessions, c.Exchanges, err = b.run(ctx, in.event); err != nil {
			return fmt.Errorf("update %d: %w", u.ID, err)
		}
		c.Deliveries = append(b.render(in.event, out),
			b.renderRelays(source{chat: in.event.ChatID, msgID: in.messageID, quote: b.quoteOf(in.event)}, out.Relays)...)
	}
	c.LeaseUntil = b.leaseUntil(now, c.Deliveries)
	first, err := b.st.CommitUpdate(ctx, c)
	if err != nil {
		return fmt.Errorf("update %d: %w", u.ID, err)
	}
	if !first {
		b.log.Info("duplicate update ignored", "update", u.ID)
		*outcome = metrics.Duplicate
		return nil
	}
	if in.callbackID != "" {
		b.senders.Go(func() { b.answerCallback(b.sendCtx, in.callbackID, pressLang(out), out.Toast) })
	}
	b.enqueue(c.Deliveries)
	return nil
}

// run runs the engine with session saves and conversation lines held for
// the commit. A panic is the bot's fault, not the customer's: it is logged,
// the session is left as it was and the customer gets an apology.
func (b *Bot) run(ctx context.Context, ev flows.Event) (out flows.Outcome, saves []*store.Session, lines []store.ExchangeLines, err error) {
	ctx, pending := withPending(ctx)
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("panic while handling an update", "chat", ev.ChatID, "event", ev.Kind.String(),
				"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			pending.drop()
			out, saves, lines, err = apology(ev), nil, nil, nil
		}
	}()
	out, err = b.engine.Handle(ctx, ev)
	saves, lines = pending.held()
	return out, saves, lines, err
}

// apology is the short excuse for an update that crashed, in the language
// the customer's Telegram reports (the store may be what failed).
func apology(ev flows.Event) flows.Outcome {
	return flows.Outcome{
		Replies: []flows.Reply{{ChatID: ev.ChatID, Lang: locales.Match(ev.LanguageCode), Screen: flows.Text("common.apology")}},
		Toast:   locales.M("common.apology"),
		Lang:    locales.Match(ev.LanguageCode),
	}
}

// answerCallback stops the button's spinner, with the flow's notice if any.
func (b *Bot) answerCallback(ctx context.Context, id, lang string, toast locales.Msg) {
	p := &tg.AnswerCallbackQueryParams{CallbackQueryID: id}
	if !toast.IsZero() {
		p.Text = locales.PlainText(b.locales.For(lang).Text(toast))
	}
	if err := b.call(ctx, 0, Interactive, "answerCallbackQuery", func(ctx context.Context) error {
		_, err := b.api.AnswerCallbackQuery(ctx, p)
		return err
	}); err != nil {
		b.log.Warn("answer callback query", "err", err)
	}
}

// pressLang is the language of the chat whose button was pressed: the
// notice is for the presser, whatever other chats the press wrote to.
func pressLang(out flows.Outcome) string {
	if out.Lang != "" {
		return out.Lang
	}
	return "en"
}

// call makes one Bot API call on behalf of a chat (0 when the call sends
// nothing to a chat) at a priority; method names the call in logs. Every
// call the bot makes goes through here, so that rate limits, retries and
// blocked chats are handled in one place (the Outbox).
func (b *Bot) call(ctx context.Context, chatID int64, prio Priority, method string, fn func(ctx context.Context) error) error {
	return b.outbox.Do(ctx, chatID, prio, method, fn)
}

// blocked records a chat whose user blocked the bot (Telegram said 403).
func (b *Bot) blocked(ctx context.Context, chatID int64) {
	b.metrics.Blocked()
	if err := b.st.BlockChat(ctx, chatID, b.clock.Now()); err != nil {
		b.log.Error("record blocked chat", "chat", chatID, "err", err)
	}
}
