package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"paydesk/bot"
	"paydesk/bot/telegramtest"
)

// TestReplyThatNeverGoesIsGivenUp: an answer the client cannot decode is
// never final, so a reply that only ever gets one is retried a bounded
// number of times, logged and dropped; the later replies to the chat go.
func TestReplyThatNeverGoesIsGivenUp(t *testing.T) {
	retry := bot.Retry{Attempts: 2, Base: time.Millisecond, Max: 5 * time.Millisecond}
	r := newRig(t, rigConfig{opts: []bot.Option{bot.WithRetry(retry), bot.WithLimits(bot.NoLimits())}})
	const rounds = 3 // bot.deliveryRounds
	r.api.Fail("sendMessage", retry.Attempts*rounds, telegramtest.Fault{Garbage: true})
	r.handle(t, withID(telegramtest.CommandUpdate(611, 611, "en", "/start"), 1))
	r.handle(t, withID(telegramtest.CommandUpdate(611, 611, "en", "/zzz"), 2))
	got := r.waitSent(t, 611, 1)
	if !strings.HasPrefix(got[0], "I don't know") {
		t.Fatalf("the chat got %q, want the answer to the second update", got[0])
	}
	r.close()
	if n := len(r.api.CallsTo("sendMessage")); n != retry.Attempts*rounds+1 {
		t.Errorf("%d sendMessage calls, want %d tries of the first reply and the second", n, retry.Attempts*rounds+1)
	}
	if sent := r.sent(611); len(sent) != 1 {
		t.Errorf("chat got %d messages, want only the second reply: %q", len(sent), sent)
	}
	if n := r.bot.GivenUp.Load(); n != 1 {
		t.Errorf("%d replies counted as given up, want 1", n)
	}
	if !strings.Contains(r.logs.String(), "reply given up") {
		t.Errorf("giving up is not logged:\n%s", r.logs)
	}
}

// TestCloseDoesNotWaitOutRetries: stopping with a reply stuck in retries
// returns as soon as the call in flight ends; the reply stays in the store
// for the next start.
func TestCloseDoesNotWaitOutRetries(t *testing.T) {
	r := newRig(t, rigConfig{})
	r.api.Fail("sendMessage", 1_000_000, telegramtest.Fault{Garbage: true})
	u := withID(telegramtest.CommandUpdate(612, 612, "en", "/start"), 1)
	r.api.PushUpdate(u)
	if err := r.bot.HandleUpdate(context.Background(), &u); err != nil {
		t.Fatal(err)
	}
	bot.Eventually(t, "a failed try", func() bool { return len(r.api.CallsTo("sendMessage")) > 0 })
	r.dispatch.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r.bot.Close(ctx)
	if ctx.Err() != nil {
		t.Fatal("Close waited until its deadline for a reply that kept failing")
	}
	left, err := r.db.ClaimDeliveries(t.Context(), time.Now().Add(2*time.Minute), time.Now().Add(3*time.Minute), 10)
	if err != nil || len(left) != 1 || left[0].ChatID != 612 {
		t.Fatalf("deliveries kept for the next start: %+v, %v", left, err)
	}
}
