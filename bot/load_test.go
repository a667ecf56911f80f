package bot_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"paydesk/bot"
	"paydesk/bot/telegramtest"
)

// floodScale runs Telegram's flood limits this many times faster, so the
// load test takes seconds: a group's minute is 600 ms.
const floodScale = 100

// scaledLimits are the outbox's limits for a fake floodScale times faster
// than Telegram, a little under the fake's so that the time between the
// outbox letting a call go and the fake receiving it cannot push a call
// past the fake's window.
func scaledLimits() bot.Limits {
	d := bot.DefaultLimits()
	scale := func(l bot.Limit) bot.Limit { l.Every /= floodScale; return l }
	d.Global, d.Proactive = scale(d.Global), scale(d.Proactive)
	d.Private = bot.Limit{Every: 5 * time.Second / 4 / floodScale, Burst: 3}
	d.Group = bot.Limit{Every: time.Minute / 16 / floodScale, Burst: 3}
	return d
}

// TestSupportUnderLoad: 100 customers hand off within a group's minute
// across three language groups, each then writing three messages at once,
// while 200 other customers use the flows; the fake Bot API enforces
// Telegram's flood limits (scaled). Every customer message reaches its
// ticket's topic exactly once and in order (copied, or folded with others
// while the group's budget is short), every topic is made once with one
// case card, no chat is answered 429 twice in a row, and the flow
// customers' replies are all there. Their latency (p99) is reported next
// to the same flows without handoffs; it is not asserted.
func TestSupportUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test")
	}
	groups := map[string]int64{"ru": -1001000000001, "cs": -1001000000002, "*": -1001000000003}
	phones := map[string]string{"ru": "+77010000001", "cs": "+420601000001", "en": "+447700900001"}
	langs := []string{"ru", "cs", "en"}
	r := &supportRig{t: t, opts: []bot.Option{bot.WithSupportGroups(groups, "en"), bot.WithLimits(scaledLimits())}}
	r.apiOpts = []telegramtest.Option{telegramtest.WithClock(time.Now), telegramtest.WithFloodLimits(telegramtest.TelegramFloodLimits().Scale(floodScale))}
	r = newSupportRigFrom(r)
	dispatch := bot.NewDispatcher(r.bot.HandleUpdate, 8, time.Minute)
	t.Cleanup(dispatch.Close)
	var updateID atomic.Int64
	push := func(u models.Update) <-chan error {
		u.ID = updateID.Add(1)
		r.api.PushUpdate(u)
		return dispatch.Enqueue(&u)
	}
	wait := func(results []<-chan error) {
		t.Helper()
		for _, res := range results {
			if err := <-res; err != nil {
				t.Fatalf("update: %v", err)
			}
		}
	}

	// The flow customers: /start, /menu, a text, each answered with one
	// message, sent one after another as each is committed. latencies are
	// from handing an update in to its answer's arrival at the fake.
	flowCustomers := func(first int64, n int) []time.Duration {
		starts := make([][]time.Time, n)
		var wg sync.WaitGroup
		for c := range n {
			chat := first + int64(c)
			wg.Go(func() {
				for _, text := range []string{"/start", "/menu", "hello"} {
					u := telegramtest.CommandUpdate(chat, chat, "en", text)
					if !strings.HasPrefix(text, "/") {
						u = telegramtest.TextUpdate(chat, chat, "en", text)
					}
					starts[c] = append(starts[c], time.Now())
					if err := <-push(u); err != nil {
						t.Errorf("chat %d: %v", chat, err)
						return
					}
				}
			})
		}
		wg.Wait()
		r.bot.WaitSent()
		var lat []time.Duration
		for c := range n {
			for i, call := range r.api.SentTo(first + int64(c)) {
				if i < len(starts[c]) {
					lat = append(lat, call.At.Sub(starts[c][i]))
				}
			}
		}
		return lat
	}
	baseline := flowCustomers(300000, 200)

	// The handoffs, spread over a group's (scaled) minute, alongside 200
	// other flow customers.
	const handoffs, perCustomer = 100, 3
	type sent struct {
		chat int64
		msg  map[int]int // message id -> its number, 1..perCustomer
	}
	customers := make([]sent, handoffs)
	var busy []time.Duration
	var flowsDone sync.WaitGroup
	flowsDone.Go(func() { busy = flowCustomers(400000, 200) })
	start := time.Now()
	var results []<-chan error
	for i := range handoffs {
		chat, lang := int64(200000+i), langs[i%3]
		customers[i] = sent{chat: chat, msg: map[int]int{}}
		results = append(results, push(withLang(telegramtest.ContactUpdate(chat, chat, chat, phones[lang]), lang)),
			push(telegramtest.CommandUpdate(chat, chat, lang, fmt.Sprintf("/escalate support %d", i+1))))
		for j := 1; j <= perCustomer; j++ {
			u := telegramtest.TextUpdate(chat, chat, lang, fmt.Sprintf("h%d-m%d", i, j))
			customers[i].msg[u.Message.ID] = j
			results = append(results, push(u))
		}
		time.Sleep(time.Minute / floodScale / handoffs)
	}
	wait(results)
	acked := time.Since(start)
	flowsDone.Wait()
	r.bot.WaitSent()
	allSent := time.Since(start)

	// Every topic once, one case card each, every message once and in order.
	calls := r.api.Calls()
	type topicKey struct{ chat, thread int64 }
	byTopic := map[topicKey][]telegramtest.Call{}
	groupMessages := 0
	for _, c := range calls {
		if c.Status != http.StatusOK || c.ChatID() >= 0 {
			continue
		}
		if c.Method == "sendMessage" || c.Method == "copyMessage" || c.Method == "createForumTopic" {
			groupMessages++
		}
		if c.Method != "createForumTopic" {
			byTopic[topicKey{c.ChatID(), thread(c)}] = append(byTopic[topicKey{c.ChatID(), thread(c)}], c)
		}
	}
	if n := len(r.api.CallsTo("createForumTopic")); n != handoffs {
		t.Errorf("%d createForumTopic calls, want %d", n, handoffs)
	}
	quoted := regexp.MustCompile(`h(\d+)-m(\d+)`)
	folds := 0
	for i, cu := range customers {
		tk, err := r.db.OpenTicketOfChat(context.Background(), cu.chat)
		if err != nil {
			t.Fatalf("ticket of chat %d: %v", cu.chat, err)
		}
		want, ok := groups[langs[i%3]]
		if !ok {
			want = groups["*"]
		}
		if tk.TopicChat != want {
			t.Errorf("chat %d (%s): topic in group %d", cu.chat, langs[i%3], tk.TopicChat)
		}
		var seen []int
		cards := 0
		for _, c := range byTopic[topicKey{tk.TopicChat, tk.TopicID}] {
			switch c.Method {
			case "copyMessage":
				seen = append(seen, cu.msg[int(param(c, "message_id"))])
			case "sendMessage":
				if strings.Contains(c.Text(), "<b>Ticket #"+strconv.FormatInt(tk.ID, 10)+"</b>") {
					cards++
				}
				found := quoted.FindAllStringSubmatch(c.Text(), -1)
				if len(found) > 1 {
					folds++
				}
				for _, m := range found {
					if m[1] != strconv.Itoa(i) {
						t.Errorf("topic of chat %d quotes another customer's message %s", cu.chat, m[0])
					}
					j, _ := strconv.Atoi(m[2])
					seen = append(seen, j)
				}
			}
		}
		if cards != 1 {
			t.Errorf("chat %d: %d case cards in its topic, want 1", cu.chat, cards)
		}
		if !slices.Equal(seen, []int{1, 2, 3}) {
			t.Errorf("chat %d: its messages reached the topic as %v, want [1 2 3] once each", cu.chat, seen)
		}
	}

	// No 429 twice in a row for one chat.
	last429 := map[int64]bool{}
	tooMany := 0
	for _, c := range calls {
		if c.ChatID() == 0 || c.Method == "getUpdates" || c.Method == "getChatMember" {
			continue
		}
		if c.Status == http.StatusTooManyRequests {
			tooMany++
			if last429[c.ChatID()] {
				t.Errorf("chat %d answered 429 twice in a row (%s)", c.ChatID(), c.Method)
			}
		}
		last429[c.ChatID()] = c.Status == http.StatusTooManyRequests
	}
	if len(busy) != 600 || len(baseline) != 600 {
		t.Errorf("%d and %d flow replies, want 600 each", len(baseline), len(busy))
	}
	t.Logf("flow replies p50/p99: %v/%v alone, %v/%v during the handoffs", pct(baseline, 50), pct(baseline, 99), pct(busy, 50), pct(busy, 99))
	t.Logf("%d handoffs with %d messages each: acknowledged within %v, all relayed within %v (a group's minute is %v)",
		handoffs, perCustomer, acked.Round(time.Millisecond), allSent.Round(time.Millisecond), time.Minute/floodScale)
	t.Logf("group messages: %d for %d handoffs (%.2f each, topic included; %d folded relays); 429 answers: %d",
		groupMessages, handoffs, float64(groupMessages)/handoffs, folds, tooMany)
}

// pct is the p-th percentile of list.
func pct(list []time.Duration, p int) time.Duration {
	if len(list) == 0 {
		return 0
	}
	s := slices.Clone(list)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(len(s)-1, len(s)*p/100)].Round(100 * time.Microsecond)
}
