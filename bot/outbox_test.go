package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
)

// unlimited keeps rate limits out of the way of retry tests.
var unlimited = Limits{
	Global:  Limit{Every: time.Nanosecond, Burst: 1 << 20},
	Private: Limit{Every: time.Nanosecond, Burst: 1 << 20},
	Group:   Limit{Every: time.Nanosecond, Burst: 1 << 20},
}

// Errors as go-telegram/bot returns them, wrapped once more as a caller would.
var (
	errTooMany   = fmt.Errorf("send: %w", &tg.TooManyRequestsError{Message: "too many requests", RetryAfter: 7})
	errServer    = errors.New("error response from telegram for method sendMessage, 502 Bad Gateway")
	errDropped   = errors.New("error do request for method sendMessage, Post \"https://api.telegram.org/bot***/sendMessage\": EOF")
	errBad       = fmt.Errorf("%w, Bad Request: chat not found", tg.ErrorBadRequest)
	errForbidden = fmt.Errorf("%w, Forbidden: bot was blocked by the user", tg.ErrorForbidden)
)

func TestOutboxRetries(t *testing.T) {
	retry := Retry{Attempts: 6, Base: 100 * time.Millisecond, Max: 400 * time.Millisecond}
	for _, tc := range []struct {
		name      string
		errs      []error // what the calls return, in order; then success
		wantCalls int
		wantWaits []time.Duration
		wantErr   error
		blocked   bool
		logs      string
	}{
		{name: "ok at once", wantCalls: 1},
		{name: "429 waits retry_after", errs: []error{errTooMany}, wantCalls: 2, wantWaits: []time.Duration{7 * time.Second}},
		{name: "5xx and drops back off, capped", errs: []error{errServer, errDropped, errServer, errServer}, wantCalls: 5,
			wantWaits: []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 400 * time.Millisecond}},
		{name: "gives up after the attempts", errs: []error{errServer, errServer, errServer, errServer, errServer, errServer, errServer}, wantCalls: 6,
			wantWaits: []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 400 * time.Millisecond, 400 * time.Millisecond}, wantErr: errServer},
		{name: "400 is not retried and is logged with the method", errs: []error{errBad}, wantCalls: 1, wantErr: errBad, logs: "method=sendMessage"},
		{name: "403 marks the chat blocked", errs: []error{errForbidden}, wantCalls: 1, wantErr: errForbidden, blocked: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			var logs LogBuffer
			var blocked []int64
			o := NewOutbox(clock, unlimited, retry, slog.New(slog.NewTextHandler(&logs, nil)),
				func(_ context.Context, chat int64) { blocked = append(blocked, chat) })
			o.jitter = func(d time.Duration) time.Duration { return d } // the top of the range: the backoff itself
			calls := 0
			done := make(chan error, 1)
			go func() {
				done <- o.Do(t.Context(), 42, Interactive, "sendMessage", func(context.Context) error {
					calls++
					if calls <= len(tc.errs) {
						return tc.errs[calls-1]
					}
					return nil
				})
			}()
			var err error
			for finished := false; !finished; {
				select {
				case err = <-done:
					finished = true
				case <-time.After(time.Millisecond):
					clock.Advance(50 * time.Millisecond) // the retries' waits pass
				}
			}
			if calls != tc.wantCalls {
				t.Errorf("%d calls, want %d", calls, tc.wantCalls)
			}
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("error %v, want %v", err, tc.wantErr)
			}
			if got := clock.Waits(); fmt.Sprint(got) != fmt.Sprint(tc.wantWaits) && !(len(got) == 0 && len(tc.wantWaits) == 0) {
				t.Errorf("waited %v, want %v", got, tc.wantWaits)
			}
			if tc.blocked != (len(blocked) == 1 && blocked[0] == 42) {
				t.Errorf("blocked chats %v, want chat 42 blocked: %v", blocked, tc.blocked)
			}
			if !strings.Contains(logs.String(), tc.logs) {
				t.Errorf("logs lack %q:\n%s", tc.logs, logs.String())
			}
		})
	}
}

// TestOutboxRetriesWithJitter: chats that failed together do not retry
// together: each wait is between half the backoff and all of it, and they
// spread over that range.
func TestOutboxRetriesWithJitter(t *testing.T) {
	retry := Retry{Attempts: 3, Base: 100 * time.Millisecond, Max: 400 * time.Millisecond}
	distinct := map[time.Duration]bool{}
	for chat := range int64(50) {
		clock := newFakeClock()
		o := NewOutbox(clock, unlimited, retry, slog.New(slog.DiscardHandler), nil)
		calls := 0
		done := make(chan error, 1)
		go func() {
			done <- o.Do(t.Context(), chat+1, Interactive, "sendMessage", func(context.Context) error {
				if calls++; calls == 1 {
					return errServer
				}
				return nil
			})
		}()
		for finished := false; !finished; {
			select {
			case <-done:
				finished = true
			case <-time.After(time.Millisecond):
				clock.Advance(50 * time.Millisecond)
			}
		}
		waits := clock.Waits()
		if len(waits) != 1 || waits[0] < retry.Base/2 || waits[0] > retry.Base {
			t.Fatalf("chat %d waited %v, want one wait within [%v, %v]", chat, waits, retry.Base/2, retry.Base)
		}
		distinct[waits[0]] = true
	}
	if len(distinct) < 25 {
		t.Errorf("50 chats retried after only %d different waits: no jitter", len(distinct))
	}
}

// TestOutboxStopEndsRetrying: once stopped, a failing call is not tried
// again, and a call waiting to retry returns at once.
func TestOutboxStopEndsRetrying(t *testing.T) {
	clock := newFakeClock()
	o := NewOutbox(clock, unlimited, DefaultRetry(), slog.New(slog.DiscardHandler), nil)
	calls := 0
	done := make(chan error, 1)
	go func() {
		done <- o.Do(t.Context(), 42, Interactive, "sendMessage", func(context.Context) error { calls++; return errServer })
	}()
	Eventually(t, "the call waits to retry", func() bool { return clock.Timers() > 0 })
	o.Stop()
	if err := <-done; !errors.Is(err, errServer) {
		t.Fatalf("error %v, want the call's own", err)
	}
	if err := o.Do(t.Context(), 42, Interactive, "sendMessage", func(context.Context) error { calls++; return errServer }); !errors.Is(err, errServer) {
		t.Fatalf("after Stop: %v", err)
	}
	if calls != 2 {
		t.Fatalf("%d calls, want one each", calls)
	}
}

func TestOutboxSeparatesPrivateChatsAndGroups(t *testing.T) {
	clock := newFakeClock()
	l := Limits{Global: unlimited.Global, Private: Limit{Every: time.Second, Burst: 1}, Group: Limit{Every: time.Minute, Burst: 1}}
	o := NewOutbox(clock, l, DefaultRetry(), slog.New(slog.DiscardHandler), nil)
	ok := func(context.Context) error { return nil }
	for _, chat := range []int64{1, 2, -100} {
		if err := o.Do(t.Context(), chat, Interactive, "sendMessage", ok); err != nil {
			t.Fatal(err)
		}
	}
	// A second call to the group waits a minute, to a private chat a second.
	done := make(chan int64, 2)
	for _, chat := range []int64{1, -100} {
		go func() {
			if err := o.Do(t.Context(), chat, Interactive, "sendMessage", ok); err == nil {
				done <- chat
			}
		}()
	}
	Eventually(t, "both waiting", func() bool { return clock.Timers() == 2 })
	clock.Advance(time.Second)
	if got := <-done; got != 1 {
		t.Fatalf("after a second chat %d went, want the private chat 1", got)
	}
	select {
	case got := <-done:
		t.Fatalf("chat %d went after a second; the group must wait a minute", got)
	default:
	}
	clock.Advance(time.Minute)
	if got := <-done; got != -100 {
		t.Fatalf("after a minute chat %d went, want the group", got)
	}
}

// goesAtOnce reports whether a call passes the outbox without waiting on the
// clock; a call that waits is cancelled.
func goesAtOnce(t *testing.T, o *Outbox, clock *fakeClock, chat int64, prio Priority, method string) bool {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	waits := len(clock.Waits())
	done := make(chan error, 1)
	go func() { done <- o.Do(ctx, chat, prio, method, func(context.Context) error { return nil }) }()
	for {
		select {
		case err := <-done:
			return err == nil && len(clock.Waits()) == waits
		case <-time.After(time.Millisecond):
			if len(clock.Waits()) > waits {
				cancel()
				<-done
				return false
			}
		}
	}
}

func TestOutboxChargesOnlyMessages(t *testing.T) {
	for _, tc := range []struct {
		name   string
		chat   int64
		prio   Priority
		method string
		want   bool // goes at once after one message to chat 1 used the budget
	}{
		{"answerCallbackQuery is free", 0, Interactive, "answerCallbackQuery", true},
		{"getChatMember is free", 0, Interactive, "getChatMember", true},
		{"setWebhook is free", 0, Interactive, "setWebhook", true},
		{"a chat action is free", 1, Interactive, "sendChatAction", true},
		{"an edit in another chat is not charged to the overall budget", 2, Interactive, "editMessageText", true},
		{"a message to another chat waits for the overall budget", 3, Interactive, "sendMessage", false},
		{"a copy to another chat waits for the overall budget", 3, Interactive, "copyMessage", false},
		{"an edit in the same chat keeps the chat's pace", 1, Interactive, "editMessageText", false},
		{"a topic change in a paced group waits", -100, Interactive, "editForumTopic", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			l := Limits{Global: Limit{Every: time.Second, Burst: 1}, Private: Limit{Every: time.Second, Burst: 1},
				Group: Limit{Every: time.Minute, Burst: 1}}
			o := NewOutbox(clock, l, DefaultRetry(), slog.New(slog.DiscardHandler), nil)
			if !goesAtOnce(t, o, clock, 1, Interactive, "sendMessage") {
				t.Fatal("the first message waited")
			}
			if tc.chat < 0 && !goesAtOnce(t, o, clock, tc.chat, Interactive, "createForumTopic") {
				t.Fatal("the group's first topic waited")
			}
			if got := goesAtOnce(t, o, clock, tc.chat, tc.prio, tc.method); got != tc.want {
				t.Errorf("%s to chat %d went at once: %v, want %v", tc.method, tc.chat, got, tc.want)
			}
		})
	}
}

func TestOutboxProactiveMessagesWaitFirst(t *testing.T) {
	clock := newFakeClock()
	l := Limits{Global: Limit{Every: time.Second / 10, Burst: 10}, Proactive: Limit{Every: time.Second, Burst: 2}}
	o := NewOutbox(clock, l, DefaultRetry(), slog.New(slog.DiscardHandler), nil)
	for chat := range int64(2) {
		if !goesAtOnce(t, o, clock, 10+chat, Proactive, "sendMessage") {
			t.Fatalf("proactive message %d of the share waited", chat+1)
		}
	}
	if goesAtOnce(t, o, clock, 20, Proactive, "sendMessage") {
		t.Error("a third proactive message went at once; the proactive share is 2")
	}
	for chat := range int64(8) {
		if !goesAtOnce(t, o, clock, 30+chat, Interactive, "sendMessage") {
			t.Fatalf("reply %d waited while the overall budget had room", chat+1)
		}
	}
}
