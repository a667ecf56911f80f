package flows

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"paydesk/store"
)

// Job is a periodic rule that finds what has come due — a cancellation
// request the recipient never answered, a dispute deadline a day away, a
// withdrawal past its limit — and tells the customers concerned. Jobs are
// registered per flow (Router.Job) and run by Engine.Tick; bot/ calls Tick on
// a timer and sends what it returns as proactive messages, after the
// interactive replies. A job must be idempotent: each effect is recorded in
// the store before its message is returned, so a second tick, or a second
// replica ticking at the same time, sends nothing twice. An effect whose
// messages cannot be derived again once it is made (an expired request
// leaves the list of open ones) goes the other way round: the job owes the
// messages, keyed, and makes the effect with After, once they are
// committed.
type Job func(t *Tick) error

// Effect is a ledger write that waits for the messages telling of it to
// be committed (Tick.After). It must be idempotent (an idempotency key):
// a tick whose commit is lost makes it again the next time.
type Effect func(ctx context.Context) error

// Tick is one run of the periodic jobs.
type Tick struct {
	ctx context.Context
	e   *Engine
	Now time.Time
	out Outcome
}

// Context is the tick's context.
func (t *Tick) Context() context.Context { return t.ctx }

// State is what the bot keeps: sessions, nudge claims, tickets.
func (t *Tick) State() store.State { return t.e.state }

// Ledger is the payments backend's data and writes.
func (t *Tick) Ledger() store.Ledger { return t.e.ledger }

// Log is the engine's logger.
func (t *Tick) Log() *slog.Logger { return t.e.log }

// Send queues a screen for a chat.
func (t *Tick) Send(chatID int64, lang string, s Screen) { t.SendOnce("", chatID, lang, s) }

// SendOnce queues a screen for a chat at most once per key (Reply.Key).
func (t *Tick) SendOnce(key string, chatID int64, lang string, s Screen) {
	t.out.Replies = append(t.out.Replies, Reply{ChatID: chatID, Lang: lang, Screen: s, Key: key})
}

// After makes e once the tick's replies are committed: Engine.Settle, or
// the bot after its journal commit. If the commit is lost, e is not made,
// and the next tick owes the same (keyed) replies and makes it then.
func (t *Tick) After(e Effect) { t.out.Effects = append(t.out.Effects, e) }

// Nudge owes chat the screen s as the nudge n, once: unless its message
// was committed already, the message is keyed by n (nudgeKey), and the
// key, recorded with the message in the commit's transaction, is the
// claim. Claimed before the commit, a lost tick commit would leave the
// nudge claimed and never sent; claimed after it, two replicas that
// folded overlapping nudges into different messages would each claim
// what the other sent (fold). This way the next tick owes a lost nudge
// again, and of two replicas ticking at once each nudge is stored once
// (store.Delivery.Key). sent reports whether it was owed now; a job must
// look again later at a nudge it owed, since the message may be dropped
// for a part another replica sent.
func (t *Tick) Nudge(n store.Nudge, chat int64, lang string, s Screen) (sent bool, err error) {
	key := nudgeKey(n)
	claimed, err := t.State().DeliveryKeyed(t.ctx, key)
	if err == nil && !claimed {
		claimed, err = t.State().NudgeClaimed(t.ctx, n) // claimed by a version that claimed after the commit
	}
	if err != nil || claimed {
		return false, err
	}
	t.out.Replies = append(t.out.Replies, Reply{ChatID: chat, Lang: lang, Screen: s, Key: key, nudge: true})
	return true, nil
}

// nudgeKey is the delivery key of the nudge n's message.
func nudgeKey(n store.Nudge) string {
	return fmt.Sprintf("nudge:%s:%d:%s", n.Kind, n.ObjectID, n.Stage)
}

// Button makes an inline button valid in chatID.
func (t *Tick) Button(chatID int64, label Msg, action string, args ...int64) Button {
	return Button{Label: label, Data: t.e.signer.sign(chatID, action, args...)}
}

// Tick runs every registered job once. One job's failure does not stop the
// others; the errors are joined.
func (e *Engine) Tick(ctx context.Context) (Outcome, error) {
	t := &Tick{ctx: ctx, e: e, Now: e.now()}
	var errs []error
	for _, name := range e.router.jobOrder {
		if err := e.router.jobs[name](t); err != nil {
			errs = append(errs, fmt.Errorf("job %s: %w", name, err))
		}
	}
	t.out.Replies = fold(t.out.Replies)
	return t.out, errors.Join(errs...)
}

// fold joins the proactive messages one tick owes a chat (a stuck
// withdrawal, a dispute reminder, notices) into as few as it can: a
// customer woken by four messages at once reads one or two. Keyed replies
// that are owed each time a flow sees their effect (Reply.Key: the
// recipient asked, the sender told) stay apart, since their key alone
// keeps them once-only. Nudges fold with nudges: the folded message
// carries their keys joined (store.JoinKeys) and is stored only if none
// of them was committed before, which another replica ticking at once may
// have done for some of them; a nudge dropped that way is owed again
// (Tick.Nudge). Unkeyed messages (notices, claimed before they are owed)
// fold with each other but not with nudges, so such a drop cannot take a
// notice with it.
func fold(replies []Reply) []Reply {
	type group struct {
		chat  int64
		nudge bool
	}
	var out []Reply
	first := map[group]int{} // -> index in out of the chat's foldable message of the kind
	for _, r := range replies {
		foldable := r.Key == "" || r.nudge
		g := group{r.ChatID, r.nudge}
		i, ok := first[g]
		if !foldable || !ok {
			if foldable {
				first[g] = len(out)
			}
			out = append(out, r)
			continue
		}
		f := &out[i]
		f.Screen.Body = append(f.Screen.Body, r.Screen.Body...)
		f.Screen.Inline = append(dropMenuRows(f.Screen.Inline), r.Screen.Inline...)
		f.Key = store.JoinKeys(f.Key, r.Key)
	}
	return out
}

// dropMenuRows removes rows that are only the Menu button (the folded
// message keeps the last one).
func dropMenuRows(rows [][]Button) [][]Button {
	kept := rows[:0:0]
	for _, row := range rows {
		if len(row) == 1 && row[0].Label.ID == "common.menu_button" {
			continue
		}
		kept = append(kept, row)
	}
	return kept
}

// LangOf is the language to write to a customer in outside their own
// conversation: the chat's chosen language, else what their Telegram client
// reports, else the account's.
func LangOf(ctx context.Context, st store.Sessions, chatID int64, c store.Customer) string {
	def := c.Language
	if def == "" {
		def = "en"
	}
	s, err := st.Session(ctx, chatID)
	if err != nil {
		return def
	}
	return s.Lang(def)
}
