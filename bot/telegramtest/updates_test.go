package telegramtest

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

// getUpdates calls the fake directly and returns the update ids.
func getUpdates(t *testing.T, s *Server, fields map[string]string) []int64 {
	t.Helper()
	status, answer := post(t, s.URL(), Token, "getUpdates", fields)
	if status != 200 {
		t.Fatalf("getUpdates(%v) = %d %+v", fields, status, answer)
	}
	var updates []models.Update
	if err := json.Unmarshal(answer.Result, &updates); err != nil {
		t.Fatalf("decode updates: %v", err)
	}
	ids := make([]int64, len(updates))
	for i, u := range updates {
		ids[i] = u.ID
	}
	return ids
}

func TestGetUpdatesOffsets(t *testing.T) {
	s, rec := newRecorded(t)
	for i := range 4 {
		if id := s.PushUpdate(TextUpdate(1, 1, "en", "m"+strconv.Itoa(i))); id != int64(i+1) {
			t.Fatalf("PushUpdate assigned %d, want %d", id, i+1)
		}
	}
	if id := s.PushUpdate(models.Update{ID: 10, Message: TextUpdate(1, 1, "en", "x").Message}); id != 10 {
		t.Errorf("PushUpdate with an id returned %d", id)
	}
	steps := []struct {
		fields        map[string]string
		want          []int64
		wantConfirmed int64
	}{
		{map[string]string{}, []int64{1, 2, 3, 4, 10}, 0},
		{map[string]string{"limit": "2"}, []int64{1, 2}, 0},
		{map[string]string{"offset": "3"}, []int64{3, 4, 10}, 3},
		{map[string]string{}, []int64{3, 4, 10}, 3}, // 1 and 2 are gone for good
		{map[string]string{"offset": "-1"}, []int64{10}, 3},
		{map[string]string{"offset": "11", "timeout": "0"}, []int64{}, 11},
	}
	for i, st := range steps {
		got := getUpdates(t, s, st.fields)
		if !equalIDs(got, st.want) || s.Confirmed() != st.wantConfirmed {
			t.Errorf("step %d getUpdates(%v) = %v confirmed %d, want %v confirmed %d", i, st.fields, got, s.Confirmed(), st.want, st.wantConfirmed)
		}
	}
	if next := s.PushUpdate(TextUpdate(1, 1, "en", "after")); next != 11 {
		t.Errorf("next id after 10 = %d, want 11", next)
	}
	wantClean(t, rec)
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLongPollWakesOnPush(t *testing.T) {
	s, rec := newRecorded(t)
	got := make(chan []int64, 1)
	go func() { got <- getUpdates(t, s, map[string]string{"timeout": "60"}) }()
	waitParked(t, s)
	id := s.PushUpdate(TextUpdate(1, 1, "ru", "привет"))
	select {
	case ids := <-got:
		if !equalIDs(ids, []int64{id}) {
			t.Errorf("long poll returned %v, want [%d]", ids, id)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("long poll not woken by PushUpdate within 10s (timeout was 60s)")
	}
	wantClean(t, rec)
}

func TestLongPollEndsWhenServerCloses(t *testing.T) {
	s, _ := newRecorded(t)
	got := make(chan []int64, 1)
	go func() { got <- getUpdates(t, s, map[string]string{"timeout": "60"}) }()
	waitParked(t, s)
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case ids := <-got:
		if len(ids) != 0 {
			t.Errorf("poll on close returned %v", ids)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("long poll still running 10s after Close (timeout was 60s)")
	}
	<-closed
}

func waitParked(t *testing.T, s *Server) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s.parked.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("getUpdates never started waiting")
		}
		time.Sleep(time.Millisecond)
	}
}

// Every builder makes an update the spec allows and the library decodes.
func TestBuildersMakeValidUpdates(t *testing.T) {
	s, rec := newRecorded(t)
	builders := map[string]models.Update{
		"text":     TextUpdate(5, 5, "cs", "Dobrý den"),
		"command":  CommandUpdate(5, 5, "ru", "/start link-abc"),
		"contact":  ContactUpdate(5, 5, 5, "+420777123456"),
		"callback": CallbackUpdate(5, 5, 3, "menu"),
		"photo":    PhotoUpdate(5, 5, "AgAD-photo"),
		"group":    TextUpdate(-1001234567890, 5, "en", "in a group"),
	}
	for name, u := range builders {
		s.PushUpdate(u)
		if errs := rec.Errors(); len(errs) > 0 {
			t.Errorf("%s: %q", name, errs)
			rec.errors = nil
		}
	}
	status, answer := post(t, s.URL(), Token, "getUpdates", nil)
	var updates []models.Update
	if err := json.Unmarshal(answer.Result, &updates); status != 200 || err != nil || len(updates) != len(builders) {
		t.Fatalf("getUpdates = %d, %d updates, %v", status, len(updates), err)
	}

	cmd := CommandUpdate(1, 1, "en", "/help me").Message.Entities[0]
	if cmd.Type != models.MessageEntityTypeBotCommand || cmd.Offset != 0 || cmd.Length != 5 {
		t.Errorf("command entity = %+v, want bot_command 0..5", cmd)
	}
	cb := CallbackUpdate(7, 7, 12, "x").CallbackQuery
	if cb.Message.Message.ID != 12 || cb.Message.Message.Chat.ID != 7 || cb.From.LanguageCode == "" {
		t.Errorf("callback = %+v", cb)
	}
	if CallbackUpdate(7, 7, 12, "x").CallbackQuery.ID == cb.ID {
		t.Errorf("two presses share a callback query id")
	}
}
