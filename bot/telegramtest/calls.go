package telegramtest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Calls returns every call so far, in the order they were answered.
func (s *Server) Calls() []Call {
	return s.filter(func(Call) bool { return true })
}

// CallsTo returns the calls to one method, in order.
func (s *Server) CallsTo(method string) []Call {
	return s.filter(func(c Call) bool { return c.Method == method })
}

// SentTo returns what a chat was successfully sent or had edited
// (send*, copy*, forward*, edit* addressed to chatID), in order. Failed
// attempts are left out; Calls and CallsTo have them.
func (s *Server) SentTo(chatID int64) []Call {
	return s.filter(func(c Call) bool {
		return c.Status == http.StatusOK && c.ChatID() == chatID &&
			(isSendMethod(c.Method) || strings.HasPrefix(c.Method, "edit"))
	})
}

// SendTimes returns, per chat, when each successful message-sending call
// (send*, copy*, forward*; not edits, not sendChatAction) arrived, for
// checking the outbox's rate limits.
func (s *Server) SendTimes(chatID int64) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.sendTimes[chatID]...)
}

// isSendMethod tells the methods that put a new message in a chat, which
// are what Telegram's per-chat rate limits count.
func isSendMethod(method string) bool {
	switch {
	case method == "sendChatAction":
		return false
	case strings.HasPrefix(method, "send"),
		strings.HasPrefix(method, "copyMessage"),
		strings.HasPrefix(method, "forwardMessage"):
		return true
	}
	return false
}

func (s *Server) filter(keep func(Call) bool) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if keep(c) {
			out = append(out, c)
		}
	}
	return out
}

// WaitCalls waits until at least n calls match (nil matches all) and
// returns all matching calls. On timeout it fails the test, listing every
// call seen, so the failure says what the bot did instead. Call it from the
// test goroutine.
func (s *Server) WaitCalls(t testing.TB, n int, match func(Call) bool, timeout time.Duration) []Call {
	t.Helper()
	if match == nil {
		match = func(Call) bool { return true }
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if got := s.filter(match); len(got) >= n {
			return got
		}
		select {
		case <-changed:
		case <-deadline.C:
			got := s.filter(match)
			t.Fatalf("telegramtest: waited %v for %d matching calls, got %d; all calls:\n%s", timeout, n, len(got), describe(s.Calls()))
			return got
		}
	}
}

// describe lists calls for failure messages; successful getUpdates polls
// are only counted, they would drown the rest.
func describe(calls []Call) string {
	var b strings.Builder
	polls := 0
	for i, c := range calls {
		if c.Method == "getUpdates" && c.Status == http.StatusOK {
			polls++
			continue
		}
		fmt.Fprintf(&b, "  %d. %s %d chat=%v", i+1, c.Method, c.Status, c.Params["chat_id"])
		if text := c.Text(); text != "" {
			fmt.Fprintf(&b, " %q", text)
		}
		b.WriteByte('\n')
	}
	if polls > 0 {
		fmt.Fprintf(&b, "  (and %d getUpdates polls)\n", polls)
	}
	if b.Len() == 0 {
		return "  (none)\n"
	}
	return b.String()
}
