package telegramtest

import (
	"context"
	"errors"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
)

// TestFloodLimits: past the group's messages in a window, or a private
// chat's burst, the fake answers 429 with retry_after; calls that post no
// message and other chats are not affected; the window moves on.
func TestFloodLimits(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	s, rec := newRecorded(t, WithClock(func() time.Time { return now }),
		WithFloodLimits(FloodLimits{Group: 2, Window: time.Minute, ChatEvery: time.Second, ChatBurst: 2}))
	b := newClient(t, s)
	ctx := context.Background()
	const group = int64(-1001000000001)
	send := func(chat int64) error {
		_, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: chat, Text: "hi"})
		return err
	}
	tooMany := func(err error) int {
		var e *tg.TooManyRequestsError
		if !errors.As(err, &e) {
			return 0
		}
		return e.RetryAfter
	}
	if err := send(group); err != nil {
		t.Fatal(err)
	}
	if _, err := b.CreateForumTopic(ctx, &tg.CreateForumTopicParams{ChatID: group, Name: "t"}); err != nil {
		t.Fatal(err)
	}
	if got := tooMany(send(group)); got != 60 {
		t.Errorf("third message in the group's minute: retry_after %d, want 60", got)
	}
	if _, err := b.GetChatMember(ctx, &tg.GetChatMemberParams{ChatID: group, UserID: 1}); err != nil {
		t.Errorf("getChatMember is no message: %v", err)
	}
	for range 2 {
		if err := send(42); err != nil {
			t.Fatalf("private burst: %v", err)
		}
	}
	if got := tooMany(send(42)); got != 1 {
		t.Errorf("past the private chat's burst: retry_after %d, want 1", got)
	}
	now = now.Add(time.Minute)
	if err := send(group); err != nil {
		t.Errorf("a minute later: %v", err)
	}
	if err := send(42); err != nil {
		t.Errorf("a minute later in the private chat: %v", err)
	}
	wantClean(t, rec)
}
