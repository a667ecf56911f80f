package bot

import (
	"context"
	"errors"
	"net"
	"regexp"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"paydesk/bot/metrics"
	"paydesk/store"
)

// This file is where the bot meets bot/metrics: the option, the label
// values it computes (update kinds, Bot API statuses) and the timing of
// its store calls. The rest of the package calls b.metrics hooks in one
// line where a thing happens; a Bot without WithMetrics has a nil
// *metrics.Metrics, which does nothing.

// WithMetrics exports the bot's metrics to m.
func WithMetrics(m *metrics.Metrics) Option { return func(b *Bot) { b.metrics = m } }

// QueueDepth is the number of committed replies waiting for their chat's
// sender in this process.
func (b *Bot) QueueDepth() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.queued)
}

// updateKind is the kind label of an update.
func updateKind(u *models.Update) string {
	switch {
	case u.Message != nil:
		return "message"
	case u.EditedMessage != nil:
		return "edited_message"
	case u.CallbackQuery != nil:
		return "callback_query"
	}
	return "other"
}

// apiStatus is the status label of a Bot API call's result: the HTTP-like
// code Telegram answered, or network / canceled / other.
func apiStatus(err error) string {
	var tooMany *tg.TooManyRequestsError
	var migrate *tg.MigrateError
	var netErr net.Error
	switch {
	case err == nil:
		return "200"
	case errors.As(err, &tooMany):
		return "429"
	case errors.Is(err, tg.ErrorForbidden):
		return "403"
	case errors.Is(err, tg.ErrorBadRequest), errors.As(err, &migrate):
		return "400"
	case errors.Is(err, tg.ErrorUnauthorized):
		return "401"
	case errors.Is(err, tg.ErrorNotFound):
		return "404"
	case errors.Is(err, tg.ErrorConflict):
		return "409"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "canceled"
	case errors.As(err, &netErr):
		return "network"
	}
	// The library reports other codes (5xx) only in the text:
	// "error response from telegram for method sendMessage, 502 Bad Gateway".
	if m := otherStatus.FindStringSubmatch(err.Error()); m != nil {
		return m[1]
	}
	return "other"
}

var otherStatus = regexp.MustCompile(`error response from telegram for method \w+, ([1-5]\d\d)\b`)

// retryReason is the reason label of a retry.
func retryReason(err error) string {
	if apiStatus(err) == "429" {
		return "429"
	}
	return "error"
}

// priorityLabel names a priority in metrics.
func priorityLabel(p Priority) string {
	if p == Proactive {
		return "proactive"
	}
	return "interactive"
}

// timedState and timedLedger time the store calls on the update path
// (dedupe, commit, sessions, delivery bookkeeping, the ledger's reads that
// every money screen makes) and the nudge job's on every tick; the rest
// passes through untimed.
type timedState struct {
	store.State
	m *metrics.Metrics
}

type timedLedger struct {
	store.Ledger
	m *metrics.Metrics
}

func timed[T any](m *metrics.Metrics, op string, fn func() (T, error)) (T, error) {
	start := time.Now()
	v, err := fn()
	m.StoreOp(op, time.Since(start))
	return v, err
}

func (s timedState) UpdateHandled(ctx context.Context, id int64) (bool, error) {
	return timed(s.m, "update_handled", func() (bool, error) { return s.State.UpdateHandled(ctx, id) })
}

func (s timedState) CommitUpdate(ctx context.Context, c *store.UpdateCommit) (bool, error) {
	return timed(s.m, "commit_update", func() (bool, error) { return s.State.CommitUpdate(ctx, c) })
}

func (s timedState) ClaimDeliveries(ctx context.Context, now, until time.Time, limit int) ([]store.Delivery, error) {
	return timed(s.m, "claim_deliveries", func() ([]store.Delivery, error) {
		return s.State.ClaimDeliveries(ctx, now, until, limit)
	})
}

func (s timedState) DeleteDelivery(ctx context.Context, id int64) error {
	_, err := timed(s.m, "delete_delivery", func() (struct{}, error) { return struct{}{}, s.State.DeleteDelivery(ctx, id) })
	return err
}

func (s timedState) Session(ctx context.Context, chatID int64) (store.Session, error) {
	return timed(s.m, "session", func() (store.Session, error) { return s.State.Session(ctx, chatID) })
}

func (s timedState) ChatBlocked(ctx context.Context, chatID int64) (bool, error) {
	return timed(s.m, "chat_blocked", func() (bool, error) { return s.State.ChatBlocked(ctx, chatID) })
}

func (l timedLedger) Customer(ctx context.Context, id store.CustomerID) (store.Customer, error) {
	return timed(l.m, "ledger_customer", func() (store.Customer, error) { return l.Ledger.Customer(ctx, id) })
}

func (l timedLedger) Transfers(ctx context.Context, sender store.CustomerID, offset, limit int) ([]store.Transfer, int, error) {
	type page struct {
		list  []store.Transfer
		total int
	}
	p, err := timed(l.m, "ledger_transfers", func() (page, error) {
		list, total, err := l.Ledger.Transfers(ctx, sender, offset, limit)
		return page{list, total}, err
	})
	return p.list, p.total, err
}

func (l timedLedger) Withdrawals(ctx context.Context, id store.CustomerID, limit int) ([]store.Withdrawal, error) {
	return timed(l.m, "ledger_withdrawals", func() ([]store.Withdrawal, error) { return l.Ledger.Withdrawals(ctx, id, limit) })
}

// The nudge job's calls on every tick: its schedule, its claims (the
// delivery keys) and the ledger's stage changes.

func (s timedState) DueNudges(ctx context.Context, kind string, now time.Time, limit int) ([]store.ScheduledNudge, error) {
	return timed(s.m, "due_nudges", func() ([]store.ScheduledNudge, error) { return s.State.DueNudges(ctx, kind, now, limit) })
}

func (s timedState) ScheduleNudges(ctx context.Context, list ...store.ScheduledNudge) error {
	_, err := timed(s.m, "schedule_nudges", func() (struct{}, error) { return struct{}{}, s.State.ScheduleNudges(ctx, list...) })
	return err
}

func (s timedState) UnscheduleNudges(ctx context.Context, list ...store.ScheduledNudge) error {
	_, err := timed(s.m, "unschedule_nudges", func() (struct{}, error) { return struct{}{}, s.State.UnscheduleNudges(ctx, list...) })
	return err
}

func (s timedState) DeliveryKeyed(ctx context.Context, key string) (bool, error) {
	return timed(s.m, "delivery_keyed", func() (bool, error) { return s.State.DeliveryKeyed(ctx, key) })
}

func (l timedLedger) OpenWithdrawalsChangedAfter(ctx context.Context, afterSeq int64, limit int) ([]store.StagedWithdrawal, error) {
	return timed(l.m, "ledger_open_withdrawals_changed", func() ([]store.StagedWithdrawal, error) {
		return l.Ledger.OpenWithdrawalsChangedAfter(ctx, afterSeq, limit)
	})
}
