package telegramtest

import (
	"net/http"
	"strings"
	"time"
)

// FloodLimits make the fake refuse messages past Telegram's flood limits
// as Telegram does: 429 Too Many Requests with retry_after. A support
// group (negative id) takes at most Group messages in any Window; a
// private chat one message per ChatEvery after a burst of ChatBurst. What
// counts is what puts a message into the chat: sends, copies, forwards,
// and in a group the forum-topic calls, which post a service message.
// Tests that must not take minutes pass shorter windows (Scale).
type FloodLimits struct {
	Group     int
	Window    time.Duration
	ChatEvery time.Duration
	ChatBurst int
}

// TelegramFloodLimits are Telegram's: 20 messages a minute per group,
// about one a second per private chat with short bursts of 3.
func TelegramFloodLimits() FloodLimits {
	return FloodLimits{Group: 20, Window: time.Minute, ChatEvery: time.Second, ChatBurst: 3}
}

// Scale divides every period by k: the same limits, k times faster.
func (l FloodLimits) Scale(k int) FloodLimits {
	l.Window /= time.Duration(k)
	l.ChatEvery /= time.Duration(k)
	return l
}

// WithFloodLimits turns the flood limits on.
func WithFloodLimits(l FloodLimits) Option { return func(s *Server) { s.flood = &l } }

// floodState is what the limits remember: recent group messages and each
// private chat's theoretical arrival time.
type floodState struct {
	group map[int64][]time.Time
	tat   map[int64]time.Time
}

// countsAsMessage: the call puts a message into its chat.
func countsAsMessage(method string, chatID int64) bool {
	if isSendMethod(method) {
		return true
	}
	return chatID < 0 && strings.HasSuffix(method, "ForumTopic")
}

// floodCheck charges a call against the limits at now, or refuses it with
// how long to wait (whole seconds, at least 1, as Telegram says it).
func (s *Server) floodCheck(method string, chatID int64, now time.Time) *apiError {
	if s.flood == nil || chatID == 0 || !countsAsMessage(method, chatID) {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l, f := s.flood, &s.floodSeen
	if f.group == nil {
		f.group, f.tat = map[int64][]time.Time{}, map[int64]time.Time{}
	}
	var wait time.Duration
	if chatID < 0 {
		recent := f.group[chatID][:0]
		for _, at := range f.group[chatID] {
			if now.Sub(at) < l.Window {
				recent = append(recent, at)
			}
		}
		f.group[chatID] = recent
		if len(recent) < l.Group {
			f.group[chatID] = append(recent, now)
			return nil
		}
		wait = recent[0].Add(l.Window).Sub(now)
	} else {
		tat := f.tat[chatID]
		if tat.Before(now) {
			tat = now
		}
		slack := time.Duration(max(l.ChatBurst, 1)-1) * l.ChatEvery
		if !now.Before(tat.Add(-slack)) {
			f.tat[chatID] = tat.Add(l.ChatEvery)
			return nil
		}
		wait = tat.Add(-slack).Sub(now)
	}
	retry := int((wait + time.Second - 1) / time.Second)
	return &apiError{Status: http.StatusTooManyRequests, Description: defaultDescription(http.StatusTooManyRequests, max(retry, 1)),
		RetryAfter: max(retry, 1)}
}
