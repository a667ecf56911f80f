package bot

import (
	"context"
	"sync"
	"time"
)

// Background are the periods of the loops Run runs.
type Background struct {
	Tick   time.Duration // periodic jobs (proactive messages); 0: never
	Resend time.Duration // replies a crash or an outage left behind; 0: 10s
	Prune  time.Duration // forget update marks older than KeepUpdates; 0: 1h
}

// KeepUpdates is how long an update stays marked as handled: Telegram
// redelivers an update for up to a day, so a day and an hour.
const KeepUpdates = 25 * time.Hour

// resendBatch bounds the deliveries one resend round takes.
const resendBatch = 100

// Run runs the background loops until ctx is done.
func (b *Bot) Run(ctx context.Context, bg Background) {
	if bg.Resend <= 0 {
		bg.Resend = 10 * time.Second
	}
	if bg.Prune <= 0 {
		bg.Prune = time.Hour
	}
	var wg sync.WaitGroup
	wg.Go(func() { b.every(ctx, bg.Resend, b.Resend) })
	wg.Go(func() { b.every(ctx, bg.Prune, b.Prune) })
	if bg.Tick > 0 {
		wg.Go(func() { b.every(ctx, bg.Tick, b.Tick) })
	}
	wg.Wait()
}

// every runs fn now and then every period until ctx is done.
func (b *Bot) every(ctx context.Context, period time.Duration, fn func(context.Context) error) {
	for {
		if err := fn(ctx); err != nil && ctx.Err() == nil {
			b.log.Error("background", "err", err)
		}
		if sleep(ctx, b.clock, period) != nil {
			return
		}
	}
}

// Resend sends the deliveries whose lease ran out: left by a process that
// crashed after its commit, or by an outbox that gave up.
func (b *Bot) Resend(ctx context.Context) error {
	now := b.clock.Now()
	list, err := b.st.ClaimDeliveries(ctx, now, now.Add(b.lease), resendBatch)
	if err != nil {
		return err
	}
	if len(list) > 0 {
		b.log.Info("resending replies left behind", "count", len(list))
		b.enqueue(list)
	}
	return nil
}

// Prune forgets update marks older than KeepUpdates.
func (b *Bot) Prune(ctx context.Context) error {
	return b.st.ForgetUpdates(ctx, b.clock.Now().Add(-KeepUpdates))
}
