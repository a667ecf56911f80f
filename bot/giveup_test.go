package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"paydesk/bot"
	"paydesk/bot/telegramtest"
)

// TestReplyThatKeepsFailingIsSetAsideNotLost: an answer the client cannot
// decode is never final (a proxy's error page in an outage looks the same),
// so a reply that only ever gets one is tried a bounded number of rounds,
// then set aside: the chat's later replies go, and the set-aside reply stays
// stored and goes out when the resend loop finds it, once its lease has run
// out. Before, it was dropped: an outage of a few minutes lost replies.
func TestReplyThatKeepsFailingIsSetAsideNotLost(t *testing.T) {
	retry := bot.Retry{Attempts: 2, Base: time.Millisecond, Max: 5 * time.Millisecond}
	clock := &countingClock{now: time.Now()}
	r := newRig(t, rigConfig{opts: []bot.Option{bot.WithRetry(retry), bot.WithLimits(bot.NoLimits()), bot.WithClock(clock)}})
	const rounds = 3 // bot.deliveryRounds
	r.api.Fail("sendMessage", retry.Attempts*rounds, telegramtest.Fault{Garbage: true})
	r.handle(t, withID(telegramtest.CommandUpdate(611, 611, "en", "/start"), 1))
	r.handle(t, withID(telegramtest.CommandUpdate(611, 611, "en", "/zzz"), 2))
	got := r.waitSent(t, 611, 1)
	if !strings.HasPrefix(got[0], "I don't know") {
		t.Fatalf("the chat got %q, want the answer to the second update first", got[0])
	}
	if !strings.Contains(r.logs.String(), "reply set aside") {
		t.Errorf("setting the reply aside is not logged:\n%s", r.logs)
	}

	clock.After(2 * time.Minute) // the first reply's lease runs out
	if err := r.bot.Resend(t.Context()); err != nil {
		t.Fatal(err)
	}
	got = r.waitSent(t, 611, 2)
	if strings.HasPrefix(got[1], "I don't know") {
		t.Errorf("the set-aside reply did not come after the resend: %q", got)
	}
	r.close()
	if n := r.bot.GivenUp.Load(); n != 0 {
		t.Errorf("%d replies given up, want none", n)
	}
	if n := len(r.api.CallsTo("sendMessage")); n != retry.Attempts*rounds+2 {
		t.Errorf("%d sendMessage calls, want %d tries of the first reply, the second, and the first again", n, retry.Attempts*rounds+2)
	}
}

// TestReplyFailingForADayIsGivenUp: a reply that has been set aside and
// tried again for deliveryPatience (a day) without a final answer is given
// up for good, logged and counted, and leaves the store.
func TestReplyFailingForADayIsGivenUp(t *testing.T) {
	retry := bot.Retry{Attempts: 1, Base: time.Millisecond, Max: time.Millisecond}
	clock := &countingClock{now: time.Now()}
	r := newRig(t, rigConfig{opts: []bot.Option{bot.WithRetry(retry), bot.WithLimits(bot.NoLimits()), bot.WithClock(clock)}})
	r.api.Fail("sendMessage", 1_000_000, telegramtest.Fault{Garbage: true})
	r.handle(t, withID(telegramtest.CommandUpdate(613, 613, "en", "/start"), 1))
	bot.Eventually(t, "the reply set aside", func() bool { return strings.Contains(r.logs.String(), "reply set aside") })

	clock.After(25 * time.Hour)
	if err := r.bot.Resend(t.Context()); err != nil {
		t.Fatal(err)
	}
	bot.Eventually(t, "the reply given up", func() bool { return r.bot.GivenUp.Load() == 1 })
	r.close()
	if !strings.Contains(r.logs.String(), "reply given up") {
		t.Errorf("giving up is not logged:\n%s", r.logs)
	}
	now := clock.Now()
	left, err := r.db.ClaimDeliveries(t.Context(), now.Add(time.Hour), now.Add(2*time.Hour), 10)
	if err != nil || len(left) != 0 {
		t.Errorf("deliveries left after giving up: %+v, %v", left, err)
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
