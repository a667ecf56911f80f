package bot_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"paydesk/bot"
	"paydesk/bot/telegramtest"
)

// countingClock moves only when waited on: each wait ends at once, moving
// the clock by its length, so a test of "nothing waits" fails quickly
// instead of waiting for real, and the waits it asked are counted.
type countingClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (c *countingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *countingClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(max(d, 0))
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

func (c *countingClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// TestThousandChatsPressingAButtonAreAnsweredAtOnce: 1,000 customers each
// press a button of the menu at the same moment. Each press costs an
// answerCallbackQuery and an edit of the menu, neither of which is a new
// message, so under Telegram's limits the outbox lets all of them through
// without waiting at all (the clock it would wait on stands still), and the
// fake Bot API saw no new message beyond the menus.
func TestThousandChatsPressingAButtonAreAnsweredAtOnce(t *testing.T) {
	const chats, first = 1000, int64(500000)
	menus := newRig(t, rigConfig{opts: []bot.Option{bot.WithLimits(bot.NoLimits())}})
	for c := range int64(chats) {
		menus.dispatch.Enqueue(ptr(withID(telegramtest.CommandUpdate(first+c, first+c, "en", "/start"), c+1)))
	}
	data := make(map[int64]string, chats)
	for c := range int64(chats) {
		chat := first + c
		calls := menus.api.WaitCalls(t, 1, func(call telegramtest.Call) bool {
			return call.Method == "sendMessage" && call.ChatID() == chat && call.Status == http.StatusOK
		}, 3*time.Minute)
		data[chat] = buttonData(t, calls[0], "Help")
	}
	menus.close()
	sent := len(menus.api.CallsTo("sendMessage"))

	clock := &countingClock{now: time.Now()}
	r := newRig(t, rigConfig{api: menus.api, dbPath: menus.path,
		opts: []bot.Option{bot.WithLimits(bot.DefaultLimits()), bot.WithClock(clock)}})
	results := make([]<-chan error, 0, chats)
	for c := range int64(chats) {
		chat := first + c
		u := withID(telegramtest.CallbackUpdate(chat, chat, 1, data[chat]), chats+c+1)
		results = append(results, r.dispatch.Enqueue(&u))
	}
	for i, res := range results {
		if err := <-res; err != nil {
			t.Fatalf("press %d: %v", i+1, err)
		}
	}
	r.bot.WaitSent()

	if n := len(r.api.CallsTo("answerCallbackQuery")); n != chats {
		t.Errorf("%d answerCallbackQuery calls, want %d", n, chats)
	}
	for c := range int64(chats) {
		got := r.api.SentTo(first + c)
		if len(got) != 2 || got[1].Method != "editMessageText" {
			t.Fatalf("chat %d got %d calls (%v), want the menu then an edit to help", first+c, len(got), got)
		}
	}
	if n := len(r.api.CallsTo("sendMessage")); n != sent {
		t.Errorf("%d new messages after the presses, want none", n-sent)
	}
	if w := clock.Waits(); len(w) != 0 {
		var total time.Duration
		for _, d := range w {
			total += d
		}
		t.Errorf("the outbox waited %d times, %v in all, for calls that send no new message", len(w), total)
	}
}

func ptr(u models.Update) *models.Update { return &u }
