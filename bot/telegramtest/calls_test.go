package telegramtest

import (
	"context"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
)

func TestWaitCalls(t *testing.T) {
	s, rec := newRecorded(t)
	b := newClient(t, s)
	go func() {
		for _, text := range []string{"one", "two", "three"} {
			if _, err := b.SendMessage(context.Background(), &tg.SendMessageParams{ChatID: 3, Text: text}); err != nil {
				t.Errorf("SendMessage: %v", err)
			}
		}
	}()
	toChat3 := func(c Call) bool { return c.Method == "sendMessage" && c.ChatID() == 3 }
	got := s.WaitCalls(t, 3, toChat3, 10*time.Second)
	if len(got) != 3 || got[0].Text() != "one" || got[2].Text() != "three" {
		t.Errorf("WaitCalls = %s", describe(got))
	}
	if sent := s.SentTo(3); len(sent) != 3 {
		t.Errorf("SentTo = %s", describe(sent))
	}
	wantClean(t, rec)
}

func TestWaitCallsTimeoutListsWhatWasSeen(t *testing.T) {
	s, _ := newRecorded(t)
	if status, _ := post(t, s.URL(), Token, "sendMessage", map[string]string{"chat_id": "8", "text": "seen"}); status != 200 {
		t.Fatalf("sendMessage = %d", status)
	}
	waiter := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.WaitCalls(waiter, 1, func(c Call) bool { return c.Method == "copyMessage" }, 50*time.Millisecond)
	}()
	<-done
	errs := waiter.Errors()
	if len(errs) != 1 || !strings.Contains(errs[0], `sendMessage 200 chat=8 "seen"`) {
		t.Errorf("timeout message %q, want it to list the sendMessage", errs)
	}
}
