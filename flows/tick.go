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
// replica ticking at the same time, sends nothing twice.
type Job func(t *Tick) error

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
// four messages at once reads one. Keyed replies (Reply.Key) stay apart:
// their key is their once-only guarantee.
func fold(replies []Reply) []Reply {
	var out []Reply
	first := map[int64]int{} // chat -> index in out of its unkeyed reply
	for _, r := range replies {
		i, ok := first[r.ChatID]
		if r.Key != "" || !ok {
			if r.Key == "" {
				first[r.ChatID] = len(out)
			}
			out = append(out, r)
			continue
		}
		f := &out[i].Screen
		f.Body = append(f.Body, r.Screen.Body...)
		f.Inline = append(dropMenuRows(f.Inline), r.Screen.Inline...)
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
