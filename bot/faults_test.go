package bot_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"paydesk/bot"
	"paydesk/bot/telegramtest"
)

// TestEveryReplyArrivesOnceWithinTheLimits sends bursts of replies through
// a fake Bot API that answers 429 with retry_after, 500s and drops
// connections. Every reply arrives once, in order, and the send times the
// fake recorded keep to the limits. The clock is the real one.
func TestEveryReplyArrivesOnceWithinTheLimits(t *testing.T) {
	r := newRig(t, rigConfig{})
	r.api.Fail("sendMessage", 2, telegramtest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 1})
	r.api.Fail("sendMessage", 3, telegramtest.Fault{Status: http.StatusInternalServerError})
	r.api.Fail("sendMessage", 2, telegramtest.Fault{Drop: true})
	r.api.Fail("sendMessage", 1, telegramtest.Fault{Status: http.StatusBadGateway})
	r.poll(t)

	const chats, perChat = 10, 5
	commands := []string{"/start", "/zzz", "hello", "/start", "/qqq"}
	wantPrefix := map[string]string{"/start": "Hello! I'm", "/zzz": "I don't know", "hello": "I didn't understand", "/qqq": "I don't know"}
	for i := range perChat {
		for c := range int64(chats) {
			chat := 8000 + c
			u := telegramtest.CommandUpdate(chat, chat, "en", commands[i])
			if !strings.HasPrefix(commands[i], "/") {
				u = telegramtest.TextUpdate(chat, chat, "en", commands[i])
			}
			r.api.PushUpdate(u)
		}
	}
	// The fake records when a call arrives, the outbox limits when it lets
	// one go: under -race on a busy 2-core machine the loopback hop in
	// between has been seen to take 237 ms. A bot without limits sends a
	// chat's five replies within milliseconds, so the check still bites.
	const transit = 400 * time.Millisecond
	var all []time.Time
	for c := range int64(chats) {
		chat := 8000 + c
		got := r.waitSent(t, chat, perChat)
		all = append(all, r.api.SendTimes(chat)...)
		checkRate(t, fmt.Sprintf("chat %d", chat), r.api.SendTimes(chat), bot.DefaultLimits().Private, transit)
		for i, text := range got {
			if !strings.HasPrefix(text, wantPrefix[commands[i]]) {
				t.Errorf("chat %d reply %d = %q, want the answer to %q", chat, i+1, text, commands[i])
			}
		}
	}
	checkRate(t, "all chats", all, bot.DefaultLimits().Global, transit)

	// Once everything is in, nothing more arrives: no reply was sent twice.
	r.close()
	for c := range int64(chats) {
		if got := r.sent(8000 + c); len(got) != perChat {
			t.Errorf("chat %d got %d messages, want %d:\n%s", 8000+c, len(got), perChat, strings.Join(got, "\n"))
		}
	}
	if n := len(r.api.CallsTo("sendMessage")); n != chats*perChat+8 {
		t.Errorf("%d sendMessage calls, want %d replies + 8 faults", n, chats*perChat)
	}
}
