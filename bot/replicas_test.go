package bot_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"paydesk/bot"
	"paydesk/bot/telegramtest"
	"paydesk/flows"
	"paydesk/locales"
	"paydesk/store"
	storeredis "paydesk/store/redis"
	"paydesk/store/redis/redistest"
	"paydesk/store/sqlite"
)

// The effects of an update and the messages it owes other chats are one
// unit, with the State in SQLite and in Redis: a commit lost after the
// ledger write, or the same update handled by two replicas at once, still
// asks the recipient once and tells the sender once.

// stateKinds are the States these tests run on.
var stateKinds = map[string]func(t *testing.T, db *sqlite.DB) store.State{
	"sqlite": nil, // the ledger's own file
	"redis":  redisState,
}

// redisState is a State on a redis-server of its own, stopped with the test.
func redisState(t *testing.T, _ *sqlite.DB) store.State {
	srv := redistest.Start(t)
	st, err := storeredis.Open(t.Context(), srv.URL(), storeredis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

const (
	senderPhone    = "+77010000001" // Айгерим, customer 1 of the demo ledger
	recipientPhone = "+77010000002" // Нурлан, customer 4: her newest transfer went to him
)

// updateIDs numbers the updates the tests post.
var updateIDs atomic.Int64

func nextID(u models.Update) models.Update { return withID(u, 1_000_000+updateIDs.Add(1)) }

// buttonOf is the callback data of the last button for action sent to chat
// (a call after the first skip ones), waiting for it to be sent.
func (r *rig) buttonOf(t *testing.T, chat int64, skip int, action string) (string, int) {
	t.Helper()
	var data string
	var at int
	bot.Eventually(t, "a "+action+" button in chat", func() bool {
		calls := r.api.SentTo(chat)
		for i := len(calls) - 1; i >= skip; i-- {
			if d, ok := findButton(calls[i], action); ok {
				data, at = d, i
				return true
			}
		}
		return false
	})
	return data, at
}

// findButton finds an inline button whose callback data is for action.
func findButton(c telegramtest.Call, action string) (string, bool) {
	kb, _ := c.Params["reply_markup"].(map[string]any)
	rows, _ := kb["inline_keyboard"].([]any)
	for _, row := range rows {
		for _, b := range row.([]any) {
			if d, _ := b.(map[string]any)["callback_data"].(string); strings.HasPrefix(d, action+"|") {
				return d, true
			}
		}
	}
	return "", false
}

// must posts an update and wants it handled.
func (r *rig) must(t *testing.T, u models.Update) {
	t.Helper()
	if resp := r.post(u, webhookSecret); resp.StatusCode != http.StatusOK {
		t.Fatalf("update %d: status %d", u.ID, resp.StatusCode)
	}
}

// pressIn is a button press in chat.
func pressIn(chat int64, data string) models.Update {
	u := telegramtest.CallbackUpdate(chat, chat, 1, data)
	u.CallbackQuery.From.LanguageCode = "ru"
	return nextID(u)
}

// link links chat to the demo customer with phone.
func (r *rig) link(t *testing.T, chat int64, phone string) {
	t.Helper()
	r.must(t, nextID(withLanguage(telegramtest.ContactUpdate(chat, chat, chat, phone), "ru")))
	bot.Eventually(t, "the chat linked", func() bool { return r.session(t, chat).CustomerID != 0 })
}

func withLanguage(u models.Update, lang string) models.Update {
	u.Message.From.LanguageCode = lang
	return u
}

// confirmPress walks the sender's chat to the "Request cancellation"
// confirmation of her newest transfer and returns the confirm update.
func (r *rig) confirmPress(t *testing.T, chat int64) models.Update {
	t.Helper()
	skip := len(r.api.SentTo(chat))
	r.must(t, nextID(telegramtest.CommandUpdate(chat, chat, "ru", "/menu")))
	data, at := r.buttonOf(t, chat, skip, "tr")
	r.must(t, pressIn(chat, data))
	data, at = r.buttonOf(t, chat, at+1, "trc") // the newest transfer first
	r.must(t, pressIn(chat, data))
	data, at = r.buttonOf(t, chat, at+1, "trr")
	r.must(t, pressIn(chat, data))
	data, _ = r.buttonOf(t, chat, at+1, "trk")
	return pressIn(chat, data)
}

// asks counts the messages to chat that ask it to return money.
func (r *rig) asks(chat int64) int {
	n := 0
	for _, c := range r.api.SentTo(chat) {
		if _, ok := findButton(c, "trg"); ok && strings.Contains(c.Text(), "просит вернуть деньги") {
			n++
		}
	}
	return n
}

// told counts the messages to chat that say the money came back.
func (r *rig) told(chat int64) int { return r.countText(chat, "Деньги вернулись") }

// failCommitOnce fails the first commit that owes chat a message: the
// flow ran and wrote to the ledger, the State commit did not happen.
type failCommitOnce struct {
	store.State
	chat   int64
	mu     sync.Mutex
	failed bool
}

func (f *failCommitOnce) CommitUpdate(ctx context.Context, c *store.UpdateCommit) (bool, error) {
	f.mu.Lock()
	fail := !f.failed && owes(c, f.chat)
	if fail {
		f.failed = true
	}
	f.mu.Unlock()
	if fail {
		return false, errors.New("commit lost")
	}
	return f.State.CommitUpdate(ctx, c)
}

func (f *failCommitOnce) arm(chat int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.chat, f.failed = chat, false
}

func owes(c *store.UpdateCommit, chat int64) bool {
	for _, d := range c.Deliveries {
		if d.ChatID == chat {
			return true
		}
	}
	return false
}

// TestLostCommitAfterTheLedgerWrite: the sender's confirmation reached the
// ledger (the request exists) but its commit was lost, so the webhook
// answers 500 and Telegram redelivers it; then the same for the
// recipient's answer. The recipient is asked once, the sender told once.
func TestLostCommitAfterTheLedgerWrite(t *testing.T) {
	for name, state := range stateKinds {
		t.Run(name, func(t *testing.T) {
			const sender, recipient = 911, 912
			fail := &failCommitOnce{}
			r := newRig(t, rigConfig{state: state, opts: []bot.Option{bot.WithLimits(bot.NoLimits())},
				wrap: func(s store.State) store.State { fail.State = s; return fail }})
			r.link(t, recipient, recipientPhone)
			r.link(t, sender, senderPhone)

			confirm := r.confirmPress(t, sender)
			fail.arm(recipient)
			if resp := r.post(confirm, webhookSecret); resp.StatusCode != http.StatusInternalServerError {
				t.Fatalf("lost commit: status %d, want 500", resp.StatusCode)
			}
			open, err := r.db.OpenCancellations(t.Context())
			if err != nil || len(open) != 1 {
				t.Fatalf("after the lost commit: %d open requests, %v; want the one the ledger wrote", len(open), err)
			}
			r.must(t, confirm) // Telegram's redelivery
			r.must(t, confirm) // and once more: a duplicate
			give, _ := r.buttonOf(t, recipient, 0, "trg")
			r.must(t, pressIn(recipient, give))
			give, _ = r.buttonOf(t, recipient, 0, "trgk")

			answer := pressIn(recipient, give)
			fail.arm(sender)
			if resp := r.post(answer, webhookSecret); resp.StatusCode != http.StatusInternalServerError {
				t.Fatalf("lost commit of the answer: status %d, want 500", resp.StatusCode)
			}
			r.must(t, answer)
			r.must(t, answer)
			defer func() {
				if t.Failed() {
					t.Logf("sender got:\n%s\nrecipient got:\n%s", strings.Join(r.sent(sender), "\n---\n"), strings.Join(r.sent(recipient), "\n---\n"))
				}
			}()
			bot.Eventually(t, "the sender told", func() bool { return r.told(sender) > 0 })
			r.close()
			if n := r.asks(recipient); n != 1 {
				t.Errorf("the recipient was asked %d times, want 1", n)
			}
			if n := r.told(sender); n != 1 {
				t.Errorf("the sender was told %d times, want 1", n)
			}
			if open, _ := r.db.OpenCancellations(t.Context()); len(open) != 0 {
				t.Errorf("%d requests still open after the answer", len(open))
			}
		})
	}
}

// replica is a second bot.Bot on the rig's State and Ledger, as another
// `paydesk serve` behind the same webhook URL.
type replica struct {
	bot      *bot.Bot
	dispatch *bot.Dispatcher
	webhook  http.Handler
}

func (r *rig) replica(t *testing.T, opts ...bot.Option) *replica {
	t.Helper()
	bundle, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	client, err := tg.New(telegramtest.Token, tg.WithServerURL(r.api.URL()), tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(r.logs, nil)).With("replica", 2)
	opts = append([]bot.Option{bot.WithLogger(log), bot.WithFlows(flows.WithSecret([]byte(testSecret)))}, opts...)
	p := &replica{bot: bot.New(client, r.st, r.db, bundle, opts...)}
	p.dispatch = bot.NewDispatcher(p.bot.HandleUpdate, 8, time.Minute)
	p.webhook = (&bot.Webhook{Path: "/hook", Secret: webhookSecret, Dispatch: p.dispatch, Ready: r.st.Ping, Log: log}).Handler()
	t.Cleanup(p.close)
	return p
}

func (p *replica) close() {
	p.dispatch.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p.bot.Close(ctx)
}

// TestSameUpdateOnTwoReplicasAtOnce: each round a new transfer to the
// recipient, and the sender's confirmation delivered to two replicas at
// the same moment, with a double tap of it beside. Whichever wins, the
// recipient is asked once.
func TestSameUpdateOnTwoReplicasAtOnce(t *testing.T) {
	const rounds = 10
	for name, state := range stateKinds {
		t.Run(name, func(t *testing.T) {
			const sender, recipient = 921, 922
			fast := []bot.Option{bot.WithLimits(bot.NoLimits())}
			r := newRig(t, rigConfig{state: state, opts: fast})
			other := r.replica(t, fast...)
			r.link(t, recipient, recipientPhone)
			r.link(t, sender, senderPhone)
			for round := range rounds {
				// A new transfer, the newest, so the sender's history opens with it.
				if _, err := r.db.AddTransfer(t.Context(), store.Transfer{ID: int64(900_000 + round), SenderID: 1, RecipientID: 4,
					RecipientName: "Нурлан Ахметов", Amount: int64(10_000 * (round + 1)), Currency: "KZT",
					CreatedAt: time.Now(), Status: store.TransferCompleted}); err != nil {
					t.Fatal(err)
				}
				confirm := r.confirmPress(t, sender)
				// A double tap is a second update with the same button: the
				// flow finds the request and owes the ask again, under its key.
				tap := confirm
				tap.ID = 1_000_000 + updateIDs.Add(1)
				var wg sync.WaitGroup
				codes := make([]int, 3)
				for i, post := range []struct {
					h http.Handler
					u models.Update
				}{{r.webhook, confirm}, {other.webhook, confirm}, {other.webhook, tap}} {
					// Two updates of one chat racing may conflict on its
					// session: 500, and Telegram delivers it again.
					wg.Go(func() {
						for range 5 {
							if codes[i] = postTo(post.h, post.u); codes[i] == http.StatusOK {
								return
							}
						}
					})
				}
				wg.Wait()
				for _, code := range codes {
					if code != http.StatusOK {
						t.Fatalf("round %d: statuses %v after redeliveries, want all 200", round, codes)
					}
				}
				bot.Eventually(t, "the recipient asked", func() bool { return r.asks(recipient) >= round+1 })
				if n := r.asks(recipient); n != round+1 {
					t.Fatalf("round %d: the recipient was asked %d times in all, want %d", round, n, round+1)
				}
			}
			r.close()
			other.close()
			if n := r.asks(recipient); n != rounds {
				t.Errorf("the recipient was asked %d times in %d rounds, want once a round", n, rounds)
			}
		})
	}
}

// TestLostTickCommitStillTellsOfTheExpiry: the periodic job expires a
// request the recipient never answered and owes the sender the news; the
// tick's commit is lost. The request stays open until the news is
// committed, so the next tick tells the sender, once, and expires it.
func TestLostTickCommitStillTellsOfTheExpiry(t *testing.T) {
	for name, state := range stateKinds {
		t.Run(name, func(t *testing.T) {
			const sender = 931
			fail := &failCommitOnce{}
			r := newRig(t, rigConfig{state: state, opts: []bot.Option{bot.WithLimits(bot.NoLimits())},
				wrap: func(s store.State) store.State { fail.State = s; return fail }})
			r.link(t, sender, senderPhone)
			ctx := t.Context()
			now := time.Now()
			tr, err := r.db.AddTransfer(ctx, store.Transfer{ID: 950_001, SenderID: 1, RecipientName: "Ерлан Касымов",
				Amount: 500_000, Currency: "KZT", CreatedAt: now.Add(-9 * 24 * time.Hour), Status: store.TransferCompleted})
			if err != nil {
				t.Fatal(err)
			}
			req, _, err := r.db.RequestCancellation(ctx, "test-request", tr, now.Add(-8*24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			const told = "Получатель не ответил"
			fail.arm(sender)
			if err := r.bot.Tick(ctx); err == nil {
				t.Fatal("the tick whose commit was lost reported no error")
			}
			if got, _ := r.db.Cancellation(ctx, req.ID); got.Status != store.CancellationNotified {
				t.Fatalf("after the lost tick commit the request is %q: expired with the sender not told", got.Status)
			}
			for range 2 { // the next tick, and one more
				if err := r.bot.Tick(ctx); err != nil {
					t.Fatal(err)
				}
			}
			bot.Eventually(t, "the sender told", func() bool { return r.countText(sender, told) > 0 })
			r.close()
			if got, _ := r.db.Cancellation(ctx, req.ID); got.Status != store.CancellationExpired {
				t.Errorf("request %q after the ticks, want expired", got.Status)
			}
			if n := r.countText(sender, told); n != 1 {
				t.Errorf("the sender was told of the expiry %d times, want once", n)
			}
		})
	}
}

// countText counts the messages to chat that contain s.
func (r *rig) countText(chat int64, s string) int {
	n := 0
	for _, c := range r.api.SentTo(chat) {
		if strings.Contains(c.Text(), s) {
			n++
		}
	}
	return n
}

// TestLostTickCommitStillNudges: the periodic job finds Айгерим's stuck
// withdrawals and owes her the nudges; the tick's commit is lost, so the
// nudges are not claimed, and the next ticks, on two replicas at once,
// send each of them once.
func TestLostTickCommitStillNudges(t *testing.T) {
	// Noon in Almaty, a few hours from now: not quiet hours, and the demo
	// ledger's stuck withdrawals are still stuck.
	almaty, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(almaty)
	noon := time.Date(now.Year(), now.Month(), now.Day(), 12, 0, 0, 0, almaty)
	if noon.Before(now) {
		noon = noon.Add(24 * time.Hour)
	}
	for name, state := range stateKinds {
		t.Run(name, func(t *testing.T) {
			const chat = 941
			opts := []bot.Option{bot.WithLimits(bot.NoLimits()), bot.WithFlows(flows.WithClock(func() time.Time { return noon }))}
			fail := &failCommitOnce{}
			r := newRig(t, rigConfig{state: state, opts: opts,
				wrap: func(s store.State) store.State { fail.State = s; return fail }})
			other := r.replica(t, opts...)
			r.link(t, chat, senderPhone)
			fail.arm(chat)
			if err := r.bot.Tick(t.Context()); err == nil {
				t.Fatal("the tick whose commit was lost reported no error")
			}
			for range 2 {
				var wg sync.WaitGroup
				for _, b := range []*bot.Bot{r.bot, other.bot} {
					wg.Go(func() {
						if err := b.Tick(t.Context()); err != nil {
							t.Error(err)
						}
					})
				}
				wg.Wait()
			}
			const nudge = "задерживается"
			// The two nudges of one tick come folded into one message, a
			// paragraph each: count paragraphs, not messages.
			paragraphs := func() map[string]int {
				seen := map[string]int{}
				for _, text := range r.sent(chat) {
					for _, p := range strings.Split(text, "\n\n") {
						if strings.Contains(p, nudge) {
							seen[p]++
						}
					}
				}
				return seen
			}
			bot.Eventually(t, "the nudges sent", func() bool { return len(paragraphs()) >= 2 })
			r.close()
			other.close()
			seen := paragraphs()
			if len(seen) != 2 {
				t.Errorf("nudged about %d withdrawals, want Айгерим's two stuck ones: %v", len(seen), seen)
			}
			for text, n := range seen {
				if n != 1 {
					t.Errorf("nudge sent %d times: %q", n, text)
				}
			}
		})
	}
}

// TestLostCommitOfTheDisputeSaysSent: the customer presses "Send" once;
// the dispute reaches the ledger, the commit is lost, and the redelivered
// press finds the dispute made. It is the same form, so the customer is
// told it was sent, not that it was sent already; and there is one dispute.
func TestLostCommitOfTheDisputeSaysSent(t *testing.T) {
	for name, state := range stateKinds {
		t.Run(name, func(t *testing.T) {
			const chat = 951
			fail := &failCommitOnce{}
			r := newRig(t, rigConfig{state: state, opts: []bot.Option{bot.WithLimits(bot.NoLimits())},
				wrap: func(s store.State) store.State { fail.State = s; return fail }})
			r.link(t, chat, senderPhone)
			// step posts u and waits for the reply with a button for
			// action ("": any reply to the chat).
			step := func(u models.Update, action string, nth int) string {
				t.Helper()
				skip := len(r.api.Calls())
				r.must(t, u)
				var data string
				bot.Eventually(t, "a "+action+" button", func() bool {
					calls := r.api.Calls()
					for i := len(calls) - 1; i >= skip; i-- {
						if calls[i].ChatID() == chat && calls[i].Status == http.StatusOK {
							if d, ok := nthButton(calls[i], action, nth); ok || action == "" {
								data = d
								return true
							}
						}
					}
					return false
				})
				return data
			}
			d := step(nextID(telegramtest.CommandUpdate(chat, chat, "ru", "/menu")), "rr", 0)
			d = step(pressIn(chat, d), "rrd", 1) // the request refused a day ago
			d = step(pressIn(chat, d), "rrs", 0)
			d = step(pressIn(chat, d), "rrr", 0)
			step(pressIn(chat, d), "", 0) // the reason; then the text
			d = step(nextID(withLanguage(telegramtest.TextUpdate(chat, chat, "ru", "Не заряжается левый наушник"), "ru")), "rrp", 0)
			d = step(pressIn(chat, d), "rrc", 0)
			send := pressIn(chat, d)
			fail.arm(chat)
			if resp := r.post(send, webhookSecret); resp.StatusCode != http.StatusInternalServerError {
				t.Fatalf("lost commit: status %d, want 500", resp.StatusCode)
			}
			r.must(t, send)
			const sent = "Спор отправлен"
			defer func() {
				if t.Failed() {
					t.Logf("chat got:\n%s", strings.Join(r.sent(chat), "\n---\n"))
				}
			}()
			bot.Eventually(t, "told the dispute was sent", func() bool { return r.countText(chat, sent) > 0 })
			r.close()
			if n := r.countText(chat, sent); n != 1 {
				t.Errorf("told %d times the dispute was sent, want once", n)
			}
			if n := r.countText(chat, "уже отправлен"); n != 0 {
				t.Errorf("told %d times the dispute was sent already", n)
			}
		})
	}
}

// nthButton is the nth inline button of a call for action.
// (cmd/paydesk's end-to-end test has its own: test files do not share.)
func nthButton(c telegramtest.Call, action string, nth int) (string, bool) {
	kb, _ := c.Params["reply_markup"].(map[string]any)
	rows, _ := kb["inline_keyboard"].([]any)
	for _, row := range rows {
		for _, b := range row.([]any) {
			if d, _ := b.(map[string]any)["callback_data"].(string); strings.HasPrefix(d, action+"|") {
				if nth == 0 {
					return d, true
				}
				nth--
			}
		}
	}
	return "", false
}
