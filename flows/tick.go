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

// Nudge owes chat the screen s as the nudge n, once: unless n was claimed
// already, the message is keyed by n and n is claimed only after the
// message is committed (After). Claimed first, a lost tick commit would
// leave the nudge claimed and never sent; this way the next tick owes it
// again, and two replicas ticking at once store it once by its key.
// sent reports whether it was owed now.
func (t *Tick) Nudge(n store.Nudge, chat int64, lang string, s Screen) (sent bool, err error) {
	claimed, err := t.State().NudgeClaimed(t.ctx, n)
	if err != nil || claimed {
		return false, err
	}
	t.out.Replies = append(t.out.Replies, Reply{ChatID: chat, Lang: lang, Screen: s,
		Key: fmt.Sprintf("nudge:%s:%d:%s", n.Kind, n.ObjectID, n.Stage), nudge: true})
	t.After(func(ctx context.Context) error {
		if _, err := t.State().ClaimNudge(ctx, n); err != nil {
			return fmt.Errorf("claim nudge %s %d %s: %w", n.Kind, n.ObjectID, n.Stage, err)
		}
		return nil
	})
	return true, nil
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
// withdrawal, a dispute reminder, notices) into one: a customer woken by
// four messages at once reads one. Keyed replies that are owed each time a
// flow sees their effect (Reply.Key: the recipient asked, the sender told)
// stay apart, since their key alone keeps them once-only. Nudges fold: they
// are owed only until their claim follows the commit (Tick.Nudge), so the
// folded message carries their keys joined with "+" and a tick whose commit
// was lost owes the same message again.
func fold(replies []Reply) []Reply {
	var out []Reply
	first := map[int64]int{} // chat -> index in out of its foldable message
	for _, r := range replies {
		foldable := r.Key == "" || r.nudge
		i, ok := first[r.ChatID]
		if !foldable || !ok {
			if foldable {
				first[r.ChatID] = len(out)
			}
			out = append(out, r)
			continue
		}
		f := &out[i]
		f.Screen.Body = append(f.Screen.Body, r.Screen.Body...)
		f.Screen.Inline = append(dropMenuRows(f.Screen.Inline), r.Screen.Inline...)
		switch {
		case f.Key == "":
			f.Key = r.Key
		case r.Key != "":
			f.Key += "+" + r.Key
		}
		f.nudge = f.nudge || r.nudge
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
