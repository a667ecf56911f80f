// Package flows is paydesk's conversation logic: it reads an event and the
// chat's session and returns screens. It sends nothing and knows nothing of
// Telegram, SQL or Redis; bot/ and the demo console render what it returns.
//
// Routing is data: each flow registers its commands, button actions and input
// steps in a Router (see Register functions in each flow's file), and the
// Engine looks them up. A handler is a plain function of a *Conv.
package flows

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"paydesk/locales"
	"paydesk/store"
)

// DefaultSessionTTL is how long an unfinished step waits for the customer.
const DefaultSessionTTL = 24 * time.Hour

// Engine runs flows over a store. It is safe for concurrent use; the caller
// (bot/) guarantees that events of one chat arrive one at a time.
type Engine struct {
	store   store.Store
	now     func() time.Time
	signer  signer
	linkKey []byte
	ttl     time.Duration
	log     *slog.Logger
	router  *Router
	hours   SupportHours
	bundle  *locales.Bundle
	extra   []func(r *Router)
}

// Option configures an Engine.
type Option func(*Engine)

// WithClock sets the clock (tests and the demo pin it).
func WithClock(now func() time.Time) Option { return func(e *Engine) { e.now = now } }

// WithSecret sets the key that signs buttons and link tokens.
func WithSecret(secret []byte) Option {
	return func(e *Engine) { e.signer = signer{key: secret}; e.linkKey = secret }
}

// WithSessionTTL sets how long an unfinished step stays valid.
func WithSessionTTL(d time.Duration) Option { return func(e *Engine) { e.ttl = d } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(e *Engine) { e.log = l } }

// New builds an Engine with every flow registered.
func New(st store.Store, opts ...Option) *Engine {
	e := &Engine{
		store:  st,
		now:    time.Now,
		ttl:    DefaultSessionTTL,
		log:    slog.Default(),
		router: NewRouter(),
		hours:  DefaultSupportHours(),
	}
	for _, o := range opts {
		o(e)
	}
	if e.bundle == nil {
		e.bundle = defaultBundle()
	}
	registerAll(e.router)
	for _, register := range e.extra {
		register(e.router)
	}
	return e
}

// Now is the engine's clock.
func (e *Engine) Now() time.Time { return e.now() }

// LinkToken issues a deep-link token for a customer valid for ttl.
func (e *Engine) LinkToken(id store.CustomerID, ttl time.Duration) string {
	return IssueLinkToken(e.linkKey, id, e.now().Add(ttl))
}

// Handle runs one event and saves the session. An error means the event had
// no effect on the session and may be retried (store unavailable, or another
// replica saved the chat in between).
func (e *Engine) Handle(ctx context.Context, ev Event) (Outcome, error) {
	sess, err := e.store.Session(ctx, ev.ChatID)
	if err != nil {
		return Outcome{}, fmt.Errorf("load session %d: %w", ev.ChatID, err)
	}
	c := &Conv{ctx: ctx, e: e, Now: e.now(), Event: ev, Session: &sess}
	if ev.LanguageCode != "" {
		sess.ClientLanguage = locales.Match(ev.LanguageCode)
	}
	c.Lang = sess.Lang(locales.Match(ev.LanguageCode))
	if sess.CustomerID != 0 {
		cust, err := e.store.Customer(ctx, sess.CustomerID)
		switch {
		case err == nil:
			c.Customer = &cust
		case errors.Is(err, store.ErrNotFound):
			sess.CustomerID = 0 // the account is gone: the chat is unlinked
		default:
			return Outcome{}, fmt.Errorf("load customer of chat %d: %w", ev.ChatID, err)
		}
	}
	expired := sess.Flow != "" && c.Now.Sub(sess.UpdatedAt) > e.ttl
	if expired {
		sess.Reset()
	}
	if err := e.dispatch(c, expired); err != nil {
		return Outcome{}, err
	}
	sess.UpdatedAt = c.Now
	if err := e.store.SaveSession(ctx, &sess); err != nil {
		return Outcome{}, fmt.Errorf("save session %d: %w", ev.ChatID, err)
	}
	e.recordExchanges(c)
	return c.out, nil
}

func (e *Engine) dispatch(c *Conv, expired bool) error {
	if e.router.intercept != nil {
		if done, err := e.router.intercept(c); done || err != nil {
			return err
		}
	}
	ev := c.Event
	switch ev.Kind {
	case EventStart:
		return e.router.start(c)
	case EventCommand:
		if h, ok := e.router.commands[ev.Command]; ok {
			return h(c)
		}
		c.Show(withMenu(c, Text("common.unknown_command")))
		return nil
	case EventAction:
		a, err := e.signer.verify(ev.ChatID, ev.Data)
		h, ok := e.router.actions[a.Name]
		if err != nil || !ok {
			e.log.Warn("refused button", "chat", ev.ChatID, "reason", "forged or unknown", "action", a.Name)
			c.Toast(locales.M("common.button_invalid"))
			c.Show(withMenu(c, Text("common.button_invalid")))
			return nil
		}
		return h(c, a)
	case EventContact:
		return e.router.contact(c)
	case EventOther:
		c.Show(withMenu(c, Text("common.not_understood")))
		return nil
	}
	// Free input: a text, a photo or a document.
	if expired {
		c.Show(withMenu(c, Text("common.expired")))
		return nil
	}
	if h, ok := e.router.inputs[stepKey(c.Session.Flow, c.Session.Step)]; ok {
		return h(c)
	}
	c.Show(withMenu(c, Text("common.not_understood")))
	return nil
}

// Conv is one event in progress: what a handler reads and what it answers.
type Conv struct {
	ctx      context.Context
	e        *Engine
	Now      time.Time
	Event    Event
	Session  *store.Session
	Customer *store.Customer // nil while the chat is not linked
	Lang     string          // the language replies to this chat are rendered in
	out      Outcome
	// unrecorded keeps the event out of the chat's exchanges (the agents
	// see it in the topic anyway).
	unrecorded    bool
	eventRecorded bool // the event is in the exchanges already (see recordEvent)
}

// Context is the event's context.
func (c *Conv) Context() context.Context { return c.ctx }

// Store is the store the engine runs on.
func (c *Conv) Store() store.Store { return c.e.store }

// Log is the engine's logger.
func (c *Conv) Log() *slog.Logger { return c.e.log }

// Show answers in this chat.
func (c *Conv) Show(s Screen) {
	c.out.Replies = append(c.out.Replies, Reply{ChatID: c.Event.ChatID, Lang: c.Lang, Screen: s})
}

// Send shows a screen in another chat, in that chat's language.
func (c *Conv) Send(chatID int64, lang string, s Screen) {
	c.out.Replies = append(c.out.Replies, Reply{ChatID: chatID, Lang: lang, Screen: s})
}

// Toast sets the short notice shown over the chat when a button was pressed.
func (c *Conv) Toast(m locales.Msg) { c.out.Toast = m }

// Button makes an inline button in this chat for an action and its ids.
func (c *Conv) Button(label locales.Msg, action string, args ...int64) Button {
	return c.ButtonFor(c.Event.ChatID, label, action, args...)
}

// ButtonFor makes an inline button valid in another chat.
func (c *Conv) ButtonFor(chatID int64, label locales.Msg, action string, args ...int64) Button {
	return Button{Label: label, Data: c.e.signer.sign(chatID, action, args...)}
}

// Goto moves the chat to a flow step that waits for free input; its data
// starts empty.
func (c *Conv) Goto(flow, step string) {
	c.Session.Flow, c.Session.Step, c.Session.Data = flow, step, nil
}

// Step moves to another step of the current flow, keeping its data.
func (c *Conv) Step(step string) { c.Session.Step = step }

// Leave returns the chat to the menu, dropping any step data.
func (c *Conv) Leave() { c.Session.Reset() }

// Set keeps a small value for the current flow.
func (c *Conv) Set(key, value string) {
	if c.Session.Data == nil {
		c.Session.Data = map[string]string{}
	}
	c.Session.Data[key] = value
}

// Get reads a value kept by Set.
func (c *Conv) Get(key string) string { return c.Session.Data[key] }

// Loc is the customer's time zone, UTC while unlinked.
func (c *Conv) Loc() *time.Location {
	if c.Customer == nil {
		return time.UTC
	}
	return c.Customer.Location()
}
