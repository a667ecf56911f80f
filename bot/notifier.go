package bot

import (
	"context"
	"fmt"

	"paydesk/flows"
	"paydesk/store"
)

// Ticker runs the periodic jobs that find proactive messages to send.
// *flows.Engine is one; tests use their own.
type Ticker interface {
	Tick(ctx context.Context) (flows.Outcome, error)
}

// WithTicker replaces the engine's periodic jobs (tests).
func WithTicker(t Ticker) Option { return func(b *Bot) { b.ticker = t } }

// Tick runs the periodic jobs once and sends what they found at proactive
// priority, skipping chats that blocked the bot. Each message is claimed
// once, by its key recorded in the commit (a nudge, flows.Tick.Nudge) or
// by a claim the job recorded before owing it (a notice), so replicas
// ticking at once send nothing twice; the messages are committed before
// they are sent, so a crash
// resends them rather than losing them, and the effects that wait for
// them (flows.Tick.After) are made only after that commit.
func (b *Bot) Tick(ctx context.Context) error {
	t := b.ticker
	if t == nil {
		t = b.engine
	}
	out, jobErr := t.Tick(ctx)
	if jobErr != nil {
		b.log.Error("periodic jobs", "err", jobErr) // the others' messages still go
	}
	if err := b.sendProactive(ctx, out); err != nil {
		return fmt.Errorf("tick: %w", err)
	}
	return jobErr
}

// sendProactive commits the messages of a proactive outcome (a tick's, a
// backend event's) and queues them, skipping chats that blocked the bot.
func (b *Bot) sendProactive(ctx context.Context, out flows.Outcome) error {
	list := make([]store.Delivery, 0, len(out.Replies))
	for _, d := range b.render(flows.Event{}, out) {
		blocked, err := b.st.ChatBlocked(ctx, d.ChatID)
		if err != nil {
			return err
		}
		if blocked {
			b.log.Info("proactive message skipped: the chat blocked the bot", "chat", d.ChatID)
			continue
		}
		d.Proactive = true
		list = append(list, d)
	}
	if len(list) > 0 {
		now := b.clock.Now()
		c := &store.UpdateCommit{At: now, Deliveries: list, LeaseUntil: now.Add(b.lease)}
		if _, err := b.st.CommitUpdate(ctx, c); err != nil {
			// The effects waiting for these messages are not made either:
			// the next tick owes the messages again and makes them then.
			return fmt.Errorf("%d messages not committed: %w", len(list), err)
		}
		b.enqueue(c.Deliveries)
	}
	return flows.RunEffects(ctx, &out)
}
