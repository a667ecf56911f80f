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
	"maps"
	"slices"
	"time"

	"paydesk/locales"
	"paydesk/store"
)

// DefaultSessionTTL is how long an unfinished step waits for the customer.
const DefaultSessionTTL = 24 * time.Hour

// Engine runs flows over the bot's State and the payments Ledger. It is
// safe for concurrent use; the caller (bot/) guarantees that events of one
// chat arrive one at a time.
type Engine struct {
	state   store.State
	ledger  store.Ledger
	now     func() time.Time
	signer  signer
	linkKey []byte
	ttl     time.Duration
	log     *slog.Logger
	router  *Router
	hours   SupportHours
	bundle  *locales.Bundle
	extra   []func(r *Router)
	testers []int64 // Telegram user ids of the locale testers
}

// Option configures an Engine.
type Option func(*Engine)

// WithClock sets the clock (tests and the demo pin it).
func WithClock(now func() time.Time) Option { return func(e *Engine) { e.now = now } }

// WithSecret sets the key that signs buttons and link tokens.
func WithSecret(secret []byte) Option {
	return func(e *Engine) { e.signer = newSigner(secret); e.linkKey = secret }
}

// WithSessionTTL sets how long an unfinished step stays valid.
func WithSessionTTL(d time.Duration) Option { return func(e *Engine) { e.ttl = d } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(e *Engine) { e.log = l } }

// New builds an Engine with every flow registered.
func New(state store.State, ledger store.Ledger, opts ...Option) *Engine {
	e := &Engine{
		state:  state,
		ledger: ledger,
		now:    time.Now,
		ttl:    DefaultSessionTTL,
		log:    slog.Default(),
		router: NewRouter(),
		hours:  DefaultSupportHours(),
		signer: newSigner(nil), // tests only: serve always passes WithSecret
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
	ev.Text, ev.Args = CleanText(ev.Text), CleanText(ev.Args) // free text, wherever it goes next
	sess, err := e.state.Session(ctx, ev.ChatID)
	if err != nil {
		return Outcome{}, fmt.Errorf("load session %d: %w", ev.ChatID, err)
	}
	loaded := sess // as it was: an unavailable ledger leaves it so (busy.go)
	loaded.Data = maps.Clone(sess.Data)
	c := &Conv{ctx: ctx, e: e, Now: e.now(), Event: ev, Session: &sess}
	if ev.LanguageCode != "" {
		sess.ClientLanguage = locales.Match(ev.LanguageCode)
	}
	if sess.CustomerID != 0 {
		cust, err := e.ledger.Customer(ctx, sess.CustomerID)
		switch {
		case err == nil:
			c.Customer = &cust
		case errors.Is(err, store.ErrNotFound):
			sess.CustomerID = 0 // the account is gone: the chat is unlinked
		case errors.Is(err, store.ErrUnavailable):
			// Without the account (and its language): only the support
			// intercept answers, which needs no ledger for a chat whose
			// ticket is open (dispatch); everything else is busy.
			c.ledgerDown = err
		default:
			return Outcome{}, fmt.Errorf("load customer of chat %d: %w", ev.ChatID, err)
		}
	}
	c.setLang()
	c.testerView()
	expired := sess.Flow != "" && c.Now.Sub(sess.UpdatedAt) > e.ttl
	if expired {
		sess.Reset()
	}
	// The screen a view showed is the chat's screen until the next event;
	// only a view, or wrong input answered with it again, keeps it.
	c.view = sess.Data[keyView]
	delete(sess.Data, keyView)
	if err := e.dispatch(c, expired); err != nil {
		if errors.Is(err, store.ErrUnavailable) {
			return e.busy(ctx, ev, loaded, c.Lang)
		}
		return Outcome{}, err
	}
	e.rememberShown(c)
	sess.UpdatedAt = c.Now
	if err := e.state.SaveSession(ctx, &sess); err != nil {
		return Outcome{}, fmt.Errorf("save session %d: %w", ev.ChatID, err)
	}
	e.recordExchanges(c)
	c.out.Lang = c.Lang
	return c.out, nil
}

func (e *Engine) dispatch(c *Conv, expired bool) error {
	if e.router.intercept != nil {
		if done, err := e.router.intercept(c); done || err != nil {
			return err
		}
	}
	if c.ledgerDown != nil {
		return fmt.Errorf("load customer of chat %d: %w", c.Event.ChatID, c.ledgerDown)
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
		return e.runAction(c, h, a, ev.Data)
	case EventContact:
		return e.router.contact(c)
	}
	// Free input: a text, a photo, a document, or anything else (a sticker,
	// a voice message): the step, or the screen, answers it.
	if expired {
		c.Show(withMenu(c, Text("common.expired")))
		return nil
	}
	if h, ok := e.router.inputs[stepKey(c.Session.Flow, c.Session.Step)]; ok {
		return h(c)
	}
	return e.notUnderstood(c)
}

// keyView keeps, while the chat is at no step, the button data of the view
// that showed the chat's last screen.
const keyView = "view"

// runAction runs a verified button; a view remembers itself as the chat's
// screen (see notUnderstood).
func (e *Engine) runAction(c *Conv, h ActionHandler, a Action, data string) error {
	if err := h(c, a); err != nil {
		return err
	}
	switch {
	case c.Session.Flow != "":
	case e.router.views[a.Name]:
		c.Set(keyView, data)
	case c.viewShown != "":
		c.Set(keyView, c.viewShown)
	}
	return nil
}

// showsView says that the screen being shown is the one the view
// action(args) shows (a card), so that wrong input on it is answered with
// that view again even when a button that changed something showed it (a
// request made, a refund cancelled: the card it ends on).
func (c *Conv) showsView(action string, args ...int64) {
	c.viewShown = c.e.signer.sign(c.Event.ChatID, action, args...)
}

// notUnderstood answers input the chat's screen does not take: "please use
// the buttons" above that same screen again, or above the menu when the
// screen is not known (a command's answer, say).
func (e *Engine) notUnderstood(c *Conv) error {
	if data := c.view; data != "" && c.Session.Flow == "" {
		a, err := e.signer.verify(c.Event.ChatID, data)
		if h, ok := e.router.actions[a.Name]; err == nil && ok && e.router.views[a.Name] {
			before := len(c.out.Replies)
			if err := e.runAction(c, h, a, data); err != nil {
				return err
			}
			noticed := false
			for i := before; i < len(c.out.Replies); i++ {
				if r := &c.out.Replies[i]; r.ChatID == c.Event.ChatID {
					r.Screen.Replace = false // nothing was pressed: a new message
					if !noticed {
						r.Screen.Body = append([]Msg{M("common.not_understood")}, r.Screen.Body...)
						noticed = true
					}
				}
			}
			return nil
		}
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
	ledger   *memoLedger // made by Ledger
	// ledgerDown is why the linked customer could not be read (the ledger
	// is unavailable): Customer is nil though the chat is linked, and only
	// the chat's open ticket may be served (see dispatch).
	ledgerDown error
	// unrecorded keeps the event out of the chat's exchanges (the agents
	// see it in the topic anyway).
	unrecorded    bool
	eventRecorded bool   // the event is in the exchanges already (see recordEvent)
	showIDs       bool   // a tester's IDs mode: this chat's screens end with their message IDs
	view          string // the button data of the view that showed the chat's last screen, if any
	viewShown     string // the button data of the view whose screen this event shows (see showsView)
	// handoffDetails is what the customer gave a flow that could not take
	// it (a dispute sent too late): Handoff puts it on the case card.
	handoffDetails []Msg
}

// setLang picks the language of the replies to this chat: the one chosen
// in the chat, else what its Telegram client reports (now or before), else
// the language of the linked account (Telegram does not always send a
// language_code), else English.
func (c *Conv) setLang() {
	def := "en"
	if c.Customer != nil && slices.Contains(locales.Languages, c.Customer.Language) {
		def = c.Customer.Language
	}
	if c.Event.LanguageCode != "" {
		def = locales.Match(c.Event.LanguageCode)
	}
	c.Lang = c.Session.Lang(def)
}

// Context is the event's context.
func (c *Conv) Context() context.Context { return c.ctx }

// State is what the bot keeps: sessions, nudge claims, tickets.
func (c *Conv) State() store.State { return c.e.state }

// Ledger is the payments backend's data and writes. The customers, tiers
// and providers one event reads are remembered for the rest of it
// (memoLedger): a list of withdrawals asks for each one's provider.
func (c *Conv) Ledger() store.Ledger {
	if c.ledger == nil {
		c.ledger = newMemoLedger(c.e.ledger)
	}
	return c.ledger
}

// Log is the engine's logger.
func (c *Conv) Log() *slog.Logger { return c.e.log }

// OpKey is the idempotency key of a ledger write this event makes about
// object id: the same for a redelivered update and for a double tap on the
// same button (one chat, one bot message, one operation), different for a
// press on another message.
func (c *Conv) OpKey(op string, id int64) string {
	return fmt.Sprintf("%s:%d:chat%d:msg%d", op, id, c.Event.ChatID, c.Event.MessageID)
}

// Show answers in this chat.
func (c *Conv) Show(s Screen) {
	c.out.Replies = append(c.out.Replies, Reply{ChatID: c.Event.ChatID, Lang: c.Lang, Screen: s, ShowIDs: c.showIDs})
}

// Send shows a screen in another chat, in that chat's language.
func (c *Conv) Send(chatID int64, lang string, s Screen) { c.SendOnce("", chatID, lang, s) }

// SendOnce shows a screen in another chat at most once per key (see
// Reply.Key): what an effect owes another chat, owed again each time the
// flow sees the effect, so that a lost commit or a second replica loses
// nothing and doubles nothing.
func (c *Conv) SendOnce(key string, chatID int64, lang string, s Screen) {
	c.out.Replies = append(c.out.Replies, Reply{ChatID: chatID, Lang: lang, Screen: s, Key: key})
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

// Settle is for a renderer without a journal of its own (the terminal demo,
// tests): it drops from out the keyed replies (Reply.Key) and relays
// (Relay.Key) owed before and records the keys of the rest, as the bot's
// commit does, then makes the outcome's Effects. The bot must not call it:
// its CommitUpdate does the same in the update's own transaction, and it
// makes the effects after.
func (e *Engine) Settle(ctx context.Context, out *Outcome) error {
	if err := e.settleKeys(ctx, out); err != nil {
		return err
	}
	return RunEffects(ctx, out)
}

// RunEffects makes out's Effects, in order, all of them; the errors are
// joined. Call it only after out's replies were committed.
func RunEffects(ctx context.Context, out *Outcome) error {
	var errs []error
	for _, e := range out.Effects {
		errs = append(errs, e(ctx))
	}
	out.Effects = nil
	return errors.Join(errs...)
}

func (e *Engine) settleKeys(ctx context.Context, out *Outcome) error {
	var keyed []store.Delivery
	for _, r := range out.Replies {
		if r.Key != "" {
			keyed = append(keyed, store.Delivery{ChatID: r.ChatID, Method: store.DeliverySend, Key: r.Key})
		}
	}
	for _, r := range out.Relays {
		if r.Key != "" {
			keyed = append(keyed, store.Delivery{ChatID: r.Ticket.ChatID, Method: store.DeliverySend, Key: r.Key})
		}
	}
	if len(keyed) == 0 {
		return nil
	}
	now := e.now()
	c := &store.UpdateCommit{At: now, Deliveries: keyed, LeaseUntil: now}
	if _, err := e.state.CommitUpdate(ctx, c); err != nil {
		return fmt.Errorf("settle keyed replies: %w", err)
	}
	fresh := map[string]bool{}
	for _, d := range c.Deliveries {
		fresh[d.Key] = true
		if err := e.state.DeleteDelivery(ctx, d.ID); err != nil { // nobody sends it: the caller shows it
			return fmt.Errorf("settle keyed replies: %w", err)
		}
	}
	kept := out.Replies[:0]
	for _, r := range out.Replies {
		if r.Key == "" || fresh[r.Key] {
			kept = append(kept, r)
			delete(fresh, r.Key) // a key owed twice in one outcome is shown once
		}
	}
	out.Replies = kept
	relays := out.Relays[:0]
	for _, r := range out.Relays {
		if r.Key == "" || fresh[r.Key] {
			relays = append(relays, r)
			delete(fresh, r.Key)
		}
	}
	out.Relays = relays
	return nil
}
