package bot_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"paydesk/bot"
	"paydesk/bot/telegramtest"
)

// TestManyChatsEachInOrder: 100 chats send 20 updates each, queued at the
// fake in a shuffled interleaving that keeps each chat's order; the bot
// takes them by long polling (100 per batch, so a batch holds several
// updates of one chat). Every chat's replies come back in its order. Rate
// limits are lifted: they would only make the test slow.
func TestManyChatsEachInOrder(t *testing.T) {
	const chats, perChat = 100, 20
	fast := bot.Limit{Every: time.Microsecond, Burst: 1000}
	r := newRig(t, rigConfig{opts: []bot.Option{bot.WithLimits(bot.Limits{Global: fast, Private: fast, Group: fast})}})

	// Three kinds of update with three recognisable answers; the kind of a
	// chat's i-th update shifts with the chat, so any swap shows.
	kinds := []struct{ send, answer string }{
		{"/start", "Hello! I'm"},
		{"/nope", "I don't know this command"},
		{"hi", "I didn't understand"},
	}
	update := func(chat int64, i int) models.Update {
		k := kinds[(int(chat)+i)%len(kinds)]
		if strings.HasPrefix(k.send, "/") {
			return telegramtest.CommandUpdate(chat, chat, "en", k.send)
		}
		return telegramtest.TextUpdate(chat, chat, "en", k.send)
	}
	rng := rand.New(rand.NewPCG(3, 1))
	next := make([]int, chats)
	for left := chats * perChat; left > 0; left-- {
		c := rng.IntN(chats)
		for next[c] == perChat {
			c = (c + 1) % chats
		}
		r.api.PushUpdate(update(int64(9000+c), next[c]))
		next[c]++
	}
	r.poll(t)
	for c := range int64(chats) {
		chat := 9000 + c
		got := r.waitSent(t, chat, perChat)
		for i, text := range got {
			if want := kinds[(int(chat)+i)%len(kinds)].answer; !strings.HasPrefix(text, want) {
				t.Fatalf("chat %d, reply %d: %q, want the answer starting %q; all replies:\n%s",
					chat, i+1, text, want, strings.Join(got, "\n"))
			}
		}
	}
	r.close()
	for c := range int64(chats) {
		if n := len(r.sent(9000 + c)); n != perChat {
			t.Errorf("chat %d: %d replies, want %d", 9000+c, n, perChat)
		}
	}
}
