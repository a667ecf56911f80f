package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"

	"paydesk/bot/metrics"
)

// Limits are the Bot API rates the outbox keeps to. Telegram's flood
// control is about messages: about 30 a second overall, about one a second
// per private chat (short bursts tolerated), 20 a minute per group. Calls
// that put no message anywhere (answerCallbackQuery, getChatMember,
// setWebhook) are not charged at all; see chargeOf. A zero Limit lets
// everything through.
type Limits struct {
	Global Limit // new messages, all chats together
	// Proactive is the share of Global that nudges and reminders may use,
	// so a wave of them never makes a customer's reply wait.
	Proactive Limit
	Private   Limit // messages sent or edited in one private chat (positive id)
	Group     Limit // messages sent or edited, topics changed, in one group (negative id)
}

// DefaultLimits keep to Telegram's: 30 new messages a second overall (a
// burst of 5 absorbs replies that arrive together), of which proactive
// ones at most 20 a second; 3 at once then 1 a second per private chat; at
// most 20 in any minute per group. Telegram's overall limit is "about 30";
// where it is stricter its 429 retry_after has the last word.
func DefaultLimits() Limits {
	return Limits{
		Global:    Limit{Every: time.Second / 30, Burst: 5},
		Proactive: Limit{Every: time.Second / 20, Burst: 1},
		Private:   Limit{Every: time.Second, Burst: 3},
		Group:     Limit{Every: time.Minute / 17, Burst: 3},
	}
}

// NoLimits lifts the rate limits: for tests that are not about them, and
// for measuring the bot's own capacity (paydesk bench --limits off). Retries
// after a 429 still apply.
func NoLimits() Limits { return Limits{} }

// charge is what a Bot API call costs against the limits.
type charge int

const (
	chargeNone    charge = iota // sends no message: answerCallbackQuery, getChatMember, setWebhook, ...
	chargeChat                  // changes what a chat shows (an edit, a topic): the chat's pace only
	chargeMessage               // a new message in a chat: the chat's pace and the overall budget
)

// chargeOf classifies a call by its Bot API method. Telegram counts the
// messages a bot puts into chats; an edit of a message the customer just
// pressed a button on is not a new message, but it is still paced per
// chat so one chat cannot hammer the API.
func chargeOf(method string) charge {
	switch {
	case method == "sendChatAction":
		return chargeNone
	case strings.HasPrefix(method, "send"), strings.HasPrefix(method, "copyMessage"),
		strings.HasPrefix(method, "forwardMessage"):
		return chargeMessage
	case strings.HasPrefix(method, "edit"), strings.HasSuffix(method, "ForumTopic"):
		return chargeChat
	}
	return chargeNone
}

// Retry says how often and how long the outbox retries a failed call.
type Retry struct {
	Attempts int           // calls in all, the first included
	Base     time.Duration // first backoff after a 5xx or network error
	Max      time.Duration // backoff cap
}

// DefaultRetry gives a call about a minute of 5xx or network errors.
func DefaultRetry() Retry {
	return Retry{Attempts: 8, Base: 250 * time.Millisecond, Max: 15 * time.Second}
}

// Outbox makes every Bot API call the bot makes. It keeps to the rate
// limits (per chat, then overall, interactive before proactive), retries
// what Telegram asks to retry, and tells the bot when a user blocked it.
// It is safe for concurrent use; the order of calls to one chat is the
// callers' business (the dispatcher handles a chat's updates one by one).
type Outbox struct {
	clock     Clock
	limits    Limits
	retry     Retry
	log       *slog.Logger
	onBlocked func(ctx context.Context, chatID int64)
	global    *gate
	proactive *gate
	// jitter is a random duration in [0, d]: retries after 5xx and network
	// errors wait half their backoff plus jitter of the other half, so
	// many chats that failed together do not come back together.
	jitter func(d time.Duration) time.Duration

	stop     chan struct{} // closed by Stop
	stopOnce sync.Once
	metrics  *metrics.Metrics // nil: none

	mu    sync.Mutex
	chats map[int64]*gate
}

// maxIdleGates bounds the per-chat gates kept; idle ones beyond it are
// dropped (a fresh gate behaves the same as an idle one).
const maxIdleGates = 4096

// NewOutbox builds an outbox. onBlocked is called when Telegram answers 403
// for a chat; it may be nil.
func NewOutbox(c Clock, l Limits, r Retry, log *slog.Logger, onBlocked func(ctx context.Context, chatID int64)) *Outbox {
	if onBlocked == nil {
		onBlocked = func(context.Context, int64) {}
	}
	return &Outbox{clock: c, limits: l, retry: r, log: log, onBlocked: onBlocked,
		global: newGate(c, l.Global), proactive: newGate(c, l.Proactive), chats: map[int64]*gate{}, stop: make(chan struct{}),
		jitter: func(d time.Duration) time.Duration { return rand.N(d + 1) }}
}

// Stop ends retrying: from now on a call that fails is not tried again
// (the bot is shutting down; what was not sent stays in the store), and
// calls waiting to retry return their error at once.
func (o *Outbox) Stop() { o.stopOnce.Do(func() { close(o.stop) }) }

// Stopped reports whether Stop was called.
func (o *Outbox) Stopped() bool {
	select {
	case <-o.stop:
		return true
	default:
		return false
	}
}

// Do makes one Bot API call (fn) named method for chatID (0: no chat) and
// retries it as needed: after retry_after on 429, with capped exponential
// backoff on 5xx and network errors. 400 and other refusals are not
// retried and are logged with the method; 403 marks the chat blocked. The
// error is fn's last one. What the call waits for first depends on the
// method (chargeOf): nothing, the chat's pace, or that and the overall
// budget, where interactive calls go before proactive ones.
func (o *Outbox) Do(ctx context.Context, chatID int64, prio Priority, method string, fn func(ctx context.Context) error) error {
	cost := chargeOf(method)
	for attempt := 1; ; attempt++ {
		waitStart := o.clock.Now()
		if err := o.admit(ctx, chatID, prio, cost); err != nil {
			return fmt.Errorf("%s to chat %d: %w", method, chatID, err)
		}
		o.metrics.OutboxWait(priorityLabel(prio), o.clock.Now().Sub(waitStart))
		err := fn(ctx)
		o.metrics.APICall(method, apiStatus(err))
		if err == nil {
			return nil
		}
		wait, retry := o.classify(ctx, chatID, method, err, attempt)
		if !retry {
			return err
		}
		if attempt >= o.retry.Attempts {
			o.log.Error("bot api call failed, giving up", "method", method, "chat", chatID, "attempts", attempt, "err", err)
			return err
		}
		if o.Stopped() {
			o.log.Info("bot api call failed while stopping, not retried", "method", method, "chat", chatID, "attempt", attempt, "err", err)
			return err
		}
		o.metrics.Retry(method, retryReason(err))
		o.log.Info("bot api call failed, retrying", "method", method, "chat", chatID, "attempt", attempt, "wait", wait, "err", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s to chat %d: %w (while waiting to retry after: %w)", method, chatID, ctx.Err(), err)
		case <-o.stop:
			return err
		case <-o.clock.After(wait):
		}
	}
}

// admit waits until a call of cost may go. A 429 still has the last word:
// a retry after retry_after is admitted again, so it is charged again.
func (o *Outbox) admit(ctx context.Context, chatID int64, prio Priority, cost charge) error {
	if cost == chargeNone {
		return nil
	}
	if chatID != 0 {
		if err := o.chatGate(chatID).wait(ctx, prio); err != nil {
			return err
		}
	}
	if cost != chargeMessage {
		return nil
	}
	if prio == Proactive {
		if err := o.proactive.wait(ctx, prio); err != nil {
			return err
		}
	}
	return o.global.wait(ctx, prio)
}

// classify decides what a failed call means: retry after wait, or not.
func (o *Outbox) classify(ctx context.Context, chatID int64, method string, err error, attempt int) (wait time.Duration, retry bool) {
	var tooMany *tg.TooManyRequestsError
	switch {
	case ctx.Err() != nil:
		return 0, false
	case errors.As(err, &tooMany):
		return time.Duration(max(tooMany.RetryAfter, 1)) * time.Second, true
	case errors.Is(err, tg.ErrorForbidden):
		o.log.Info("bot api call forbidden: the chat blocked the bot or is gone", "method", method, "chat", chatID, "err", err)
		if chatID != 0 {
			o.onBlocked(ctx, chatID)
		}
		return 0, false
	case refused(err):
		o.log.Warn("bot api call refused", "method", method, "chat", chatID, "err", err)
		return 0, false
	}
	// 5xx, a dropped connection, an answer that is not the Bot API's.
	d := backoff(o.retry, attempt)
	return d/2 + o.jitter(d-d/2), true
}

// refused: Telegram understood the call and will never accept it (400,
// 401, 404, 409, a group that moved); retrying cannot help.
func refused(err error) bool {
	var migrate *tg.MigrateError
	return errors.Is(err, tg.ErrorBadRequest) || errors.As(err, &migrate) ||
		errors.Is(err, tg.ErrorUnauthorized) || errors.Is(err, tg.ErrorNotFound) || errors.Is(err, tg.ErrorConflict)
}

// final reports whether a call's error is Telegram's last word on it (as
// opposed to giving up on a 429, a 5xx or the network, or being stopped).
func final(err error) bool {
	return errors.Is(err, tg.ErrorForbidden) || refused(err)
}

// backoff is Base doubled per attempt, capped at Max.
func backoff(r Retry, attempt int) time.Duration {
	d := r.Base
	for range attempt - 1 {
		if d >= r.Max {
			break
		}
		d *= 2
	}
	return min(d, r.Max)
}

// short reports whether a call to chatID would have to wait for the
// chat's budget now: a support group that used its 20 a minute.
func (o *Outbox) short(chatID int64) bool {
	return !o.chatGate(chatID).ready(o.clock.Now())
}

// chatGate is the rate limit of one chat.
func (o *Outbox) chatGate(chatID int64) *gate {
	o.mu.Lock()
	defer o.mu.Unlock()
	g, ok := o.chats[chatID]
	if ok {
		return g
	}
	if len(o.chats) >= maxIdleGates {
		now := o.clock.Now()
		for id, g := range o.chats {
			if g.idle(now) {
				delete(o.chats, id)
			}
		}
	}
	l := o.limits.Private
	if chatID < 0 {
		l = o.limits.Group
	}
	g = newGate(o.clock, l)
	o.chats[chatID] = g
	return g
}
