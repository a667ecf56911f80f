package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"
)

// Limits are the Bot API rates the outbox keeps to. Telegram's flood
// control: about 30 messages a second overall, one a second per private
// chat (short bursts tolerated), 20 a minute per group.
type Limits struct {
	Global  Limit // every call
	Private Limit // calls addressed to one private chat (positive id)
	Group   Limit // calls addressed to one group (negative id)
}

// DefaultLimits keep under Telegram's: at most 30 calls in any second
// overall, 3 at once then 1 a second per private chat, at most 20 in any
// minute per group.
func DefaultLimits() Limits {
	return Limits{
		Global:  Limit{Every: time.Second / 25, Burst: 5},
		Private: Limit{Every: time.Second, Burst: 3},
		Group:   Limit{Every: time.Minute / 17, Burst: 3},
	}
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
	// jitter is a random duration in [0, d]: retries after 5xx and network
	// errors wait half their backoff plus jitter of the other half, so
	// many chats that failed together do not come back together.
	jitter func(d time.Duration) time.Duration

	stop     chan struct{} // closed by Stop
	stopOnce sync.Once

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
		global: newGate(c, l.Global), chats: map[int64]*gate{}, stop: make(chan struct{}),
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

// Do makes one Bot API call (fn) for chatID (0: no chat, only the global
// limit applies) and retries it as needed: after retry_after on 429, with
// capped exponential backoff on 5xx and network errors. 400 and other
// refusals are not retried and are logged with the method; 403 marks the
// chat blocked. The error is fn's last one.
func (o *Outbox) Do(ctx context.Context, chatID int64, prio Priority, method string, fn func(ctx context.Context) error) error {
	for attempt := 1; ; attempt++ {
		if chatID != 0 {
			if err := o.chatGate(chatID).wait(ctx, prio); err != nil {
				return fmt.Errorf("%s to chat %d: %w", method, chatID, err)
			}
		}
		if err := o.global.wait(ctx, prio); err != nil {
			return fmt.Errorf("%s to chat %d: %w", method, chatID, err)
		}
		err := fn(ctx)
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
