package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"paydesk/bot/telegramtest"
	storeredis "paydesk/store/redis"
	"paydesk/store/redis/redistest"
)

// TestTwoReplicasOnOneRedis runs two real `paydesk serve` processes in
// webhook mode on one redis-server and one SQLite demo ledger, and plays
// Telegram: each chat's updates go, in order, to either replica at random,
// some to both at once. Russian, Czech and English customers check a
// withdrawal, cancel a transfer (the Russian one's recipient answers),
// dispute a refusal and ask for support. In the middle Redis goes away and
// comes back, and later one replica is killed with SIGKILL while it owes a
// reply. Every button press has one effect and nothing is lost or doubled.
func TestTwoReplicasOnOneRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary twice")
	}
	bin := buildPaydesk(t)
	rds := redistest.StartPersistent(t)
	api := telegramtest.New(t)
	ledger := filepath.Join(t.TempDir(), "ledger.db")
	const supportChat = -1001987654321
	env := func(port string) []string {
		return []string{
			"PAYDESK_REDIS_URL=" + rds.URL(),
			"PAYDESK_WEBHOOK_URL=https://bot.example.com/telegram/hook",
			"PAYDESK_WEBHOOK_LISTEN=127.0.0.1:" + port,
			"PAYDESK_WEBHOOK_SECRET=" + testWebhookSecret,
			"PAYDESK_SUPPORT_CHAT_ID=" + fmt.Sprint(supportChat),
			"PAYDESK_TICK=1s",           // both replicas run the nudge jobs, all the time
			"PAYDESK_DELIVERY_LEASE=5s", // a dead replica's replies go out 5 s later
		}
	}
	g := &telegram{t: t, api: api, rnd: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 10))}
	// One after the other: the first seeds the demo ledger and migrates.
	a := g.start(startProcess(t, bin, api, ledger, env(freePort(t))...))
	b := g.start(startProcess(t, bin, api, ledger, env(freePort(t))...))

	began := time.Now()
	phase := func(name string) { t.Logf("%5.1fs %s", time.Since(began).Seconds(), name) }
	aigerim := g.chat(8101, "ru")
	tereza := g.chat(8102, "cs")
	john := g.chat(8103, "en")
	nurlan := g.chat(8104, "ru")
	customers := []*conv{aigerim, tereza, john}
	phones := map[*conv]string{aigerim: "+77010000001", tereza: "+420601000001", john: "+447700900001", nurlan: "+77010000002"}

	// 1. Link every chat, then the withdrawal status.
	parallel(append(customers, nurlan), func(c *conv) {
		c.link(phones[c])
		if c != nurlan {
			c.withdrawal()
		}
	})

	phase("linked, withdrawals shown")
	// 2. Redis goes away: not ready, and updates are refused so Telegram
	// keeps them; once it is back the same update goes through.
	rds.Stop()
	menu := aigerim.update(telegramtest.CommandUpdate(aigerim.id, aigerim.id, "ru", "/menu"))
	for _, r := range g.replicas {
		if code := r.get("/readyz"); code != http.StatusServiceUnavailable {
			t.Errorf("replica %s /readyz with Redis down: %d, want 503", r.base, code)
		}
		if code := r.post(menu); code != http.StatusInternalServerError {
			t.Errorf("replica %s with Redis down answered %d, want 500", r.base, code)
		}
	}
	rds.Start()
	for _, r := range g.replicas {
		waitFor(t, "replica ready again", func() bool { return r.get("/readyz") == http.StatusOK })
	}
	aigerim.step(menu) // Telegram's redelivery

	phase("Redis back")
	// 3. Cancel a transfer (Нурлан answers Айгерим's) and dispute a refusal.
	parallel(append(customers, nurlan), func(c *conv) {
		if c == nurlan {
			c.waitButton("trg", 0)
			c.press("trg")
			c.press("trgk")
			return
		}
		c.cancel()
		c.dispute()
	})
	waitFor(t, "Айгерим told the money came back", func() bool { return aigerim.count("Деньги вернулись") == 1 })

	phase("cancelled and disputed")
	// 4. Replica a is killed with a reply it owes: the Bot API fails its
	// first two tries (502; the retries back off from 250 ms), and it dies
	// before a third. b resends the reply once its lease runs out.
	api.Fail("sendMessage", 2, telegramtest.Fault{Status: http.StatusBadGateway})
	help := john.update(telegramtest.CommandUpdate(john.id, john.id, "en", "/help"))
	before := len(john.replies())
	if code := a.post(help); code != http.StatusOK {
		t.Fatalf("replica a: %d", code)
	}
	a.p.kill(t)
	a.dead.Store(true)
	waitFor(t, "the dead replica's reply resent by the other", func() bool { return len(john.replies()) > before })

	phase("resent after the kill")
	// 5. Everyone asks for support, on the replica left.
	parallel(customers, func(c *conv) { c.support() })
	waitFor(t, "three case cards in the support group", func() bool { return len(g.sendsTo(supportChat)) >= 3 })
	phase("handed off")
	b.p.stop(t)

	// Each press had one effect, each owed message came once.
	for _, c := range append(customers, nurlan) {
		words := onceWords[c.lang]
		for _, w := range []string{words.linked} {
			if n := c.count(w); n != 1 {
				t.Errorf("chat %d (%s): %q %d times, want once", c.id, c.lang, w, n)
			}
		}
		if c == nurlan {
			continue
		}
		for _, w := range []string{words.disputed, words.handedOff} {
			if n := c.count(w); n != 1 {
				t.Errorf("chat %d (%s): %q %d times, want once", c.id, c.lang, w, n)
			}
		}
		nudges := map[string]int{}
		for _, call := range c.replies() {
			if strings.HasPrefix(call.Text(), words.nudge) {
				nudges[call.Text()]++
			}
		}
		for text, n := range nudges {
			if n != 1 {
				t.Errorf("chat %d: nudge sent %d times: %q", c.id, n, text)
			}
		}
		t.Logf("chat %d (%s): %d replies, %d nudges", c.id, c.lang, len(c.replies()), len(nudges))
	}
	if n := nurlan.count("просит вернуть деньги"); n != 1 {
		t.Errorf("Нурлан was asked %d times, want once", n)
	}
	if n := aigerim.count("Деньги вернулись"); n != 1 {
		t.Errorf("Айгерим was told %d times, want once", n)
	}
	if n := john.countAfter(before, "Help"); n > 1 {
		t.Errorf("the resent reply came %d times", n)
	}
	rows := ledgerCounts(t, ledger, "cancellation_requests", "disputes")
	if rows["cancellation_requests"] != 3 || rows["disputes"] != 3 {
		t.Errorf("ledger rows %v, want 3 cancellation requests and 3 disputes", rows)
	}
	st, err := storeredis.Open(t.Context(), rds.URL(), storeredis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, c := range customers {
		if _, err := st.OpenTicketOfChat(t.Context(), c.id); err != nil {
			t.Errorf("chat %d: no open ticket: %v", c.id, err)
		}
	}
	if tk, err := st.Ticket(t.Context(), 4); err == nil {
		t.Errorf("a fourth ticket %+v: a handoff opened two", tk)
	}
	topics := 0
	for _, call := range api.CallsTo("createForumTopic") {
		if call.Status == http.StatusOK {
			topics++
		}
	}
	if topics != 3 {
		t.Errorf("%d forum topics for 3 tickets", topics)
	}
	t.Logf("%d updates delivered to both replicas at once", g.dupes.Load())
	if out, _ := os.ReadFile(b.p.log); !bytes.Contains(out, []byte("resending replies left behind")) {
		t.Errorf("replica b did not resend what a left behind")
	}
}

// onceWords are, per language, the start of messages each chat gets once,
// and of the withdrawal nudge.
var onceWords = map[string]struct{ linked, disputed, handedOff, nudge string }{
	"ru": {"Аккаунт привязан", "Спор отправлен", "Открыто обращение №", "Вывод средств"},
	"cs": {"Hotovo, chat je propojený", "Odvolání jsme přijali", "Založili jsme požadavek", "Výběr prostředků"},
	"en": {"Your account is linked", "Your dispute has been sent", "Ticket #", "Your withdrawal of"},
}

// telegram plays the Bot API's side of the webhook for two replicas.
type telegram struct {
	t        *testing.T
	api      *telegramtest.Server
	mu       sync.Mutex
	rnd      *rand.Rand
	replicas []*replica
	ids      atomic.Int64
	dupes    atomic.Int64
}

type replica struct {
	p    *process
	base string
	dead atomic.Bool
}

// start registers a started process and waits until it is ready.
func (g *telegram) start(p *process) *replica {
	g.t.Helper()
	var listen string
	for _, e := range p.cmd.Env {
		if v, ok := strings.CutPrefix(e, "PAYDESK_WEBHOOK_LISTEN="); ok {
			listen = v
		}
	}
	r := &replica{p: p, base: "http://" + listen}
	waitFor(g.t, "replica ready", func() bool { return r.get("/readyz") == http.StatusOK })
	g.replicas = append(g.replicas, r)
	return r
}

func (r *replica) get(path string) int {
	resp, err := http.Get(r.base + path)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// post delivers an update as Telegram does; 0 when nobody answers.
func (r *replica) post(u models.Update) int {
	body, _ := json.Marshal(u)
	req, _ := http.NewRequest(http.MethodPost, r.base+"/telegram/hook", bytes.NewReader(body))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", testWebhookSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// live picks a random replica that is not dead.
func (g *telegram) live() *replica {
	g.mu.Lock()
	defer g.mu.Unlock()
	var alive []*replica
	for _, r := range g.replicas {
		if !r.dead.Load() {
			alive = append(alive, r)
		}
	}
	return alive[g.rnd.IntN(len(alive))]
}

func (g *telegram) chance(p float64) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.rnd.Float64() < p
}

// deliver posts u until a replica answers 200, to a random one each try;
// a third of the updates go to a second replica at the same time, as a
// redelivery racing the first delivery would.
func (g *telegram) deliver(u models.Update) {
	g.t.Helper()
	copies := 1
	if g.chance(1.0 / 3) {
		copies = 2
		g.dupes.Add(1)
	}
	var wg sync.WaitGroup
	ok := make([]bool, copies)
	for i := range copies {
		wg.Go(func() {
			for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				if g.live().post(u) == http.StatusOK {
					ok[i] = true
					return
				}
			}
		})
	}
	wg.Wait()
	for _, k := range ok {
		if !k {
			g.t.Fatalf("update %d: no replica took it within a minute", u.ID)
		}
	}
}

// sendsTo are the messages sent to a chat, edits included.
func (g *telegram) sendsTo(chat int64) []telegramtest.Call {
	var out []telegramtest.Call
	for _, c := range g.api.Calls() {
		if c.ChatID() == chat && c.Status == http.StatusOK && (c.Method == "sendMessage" || c.Method == "editMessageText") {
			out = append(out, c)
		}
	}
	return out
}

// conv is one customer's chat, updates in order.
type conv struct {
	g    *telegram
	id   int64
	lang string
}

func (g *telegram) chat(id int64, lang string) *conv { return &conv{g: g, id: id, lang: lang} }

func (c *conv) replies() []telegramtest.Call { return c.g.sendsTo(c.id) }

// update gives u the next update id.
func (c *conv) update(u models.Update) models.Update {
	u.ID = 5_000_000 + c.g.ids.Add(1)
	return u
}

// step delivers u and waits for the bot's answer to it.
func (c *conv) step(u models.Update) {
	c.g.t.Helper()
	before := len(c.replies())
	c.g.deliver(u)
	waitFor(c.g.t, fmt.Sprintf("chat %d answered update %d", c.id, u.ID), func() bool { return len(c.replies()) > before })
}

func (c *conv) command(text string) {
	c.step(c.update(telegramtest.CommandUpdate(c.id, c.id, c.lang, text)))
}

func (c *conv) text(text string) {
	c.step(c.update(telegramtest.TextUpdate(c.id, c.id, c.lang, text)))
}

// waitButton waits for a button of action in the chat and returns its
// data; of several in one message, the nth (0: the first).
func (c *conv) waitButton(action string, nth int) string {
	c.g.t.Helper()
	var data string
	waitFor(c.g.t, fmt.Sprintf("chat %d: a %s button", c.id, action), func() bool {
		calls := c.replies()
		for i := len(calls) - 1; i >= 0; i-- {
			if d, ok := buttonFor(calls[i], action, nth); ok {
				data = d
				return true
			}
		}
		return false
	})
	return data
}

// press presses the newest button of action in the chat (the nth of the
// message's, see waitButton).
func (c *conv) press(action string, nth ...int) {
	c.g.t.Helper()
	u := telegramtest.CallbackUpdate(c.id, c.id, 1, c.waitButton(action, append(nth, 0)[0]))
	u.CallbackQuery.From.LanguageCode = c.lang
	c.step(c.update(u))
}

func buttonFor(call telegramtest.Call, action string, nth int) (string, bool) {
	kb, _ := call.Params["reply_markup"].(map[string]any)
	rows, _ := kb["inline_keyboard"].([]any)
	for _, row := range rows {
		for _, b := range row.([]any) {
			d, _ := b.(map[string]any)["callback_data"].(string)
			if strings.HasPrefix(d, action+"|") {
				if nth == 0 {
					return d, true
				}
				nth--
			}
		}
	}
	return "", false
}

func (c *conv) count(prefix string) int { return c.countAfter(0, prefix) }

// countAfter counts the chat's messages from the i-th on that contain s.
func (c *conv) countAfter(i int, s string) int {
	n := 0
	for _, call := range c.replies()[i:] {
		if strings.Contains(call.Text(), s) {
			n++
		}
	}
	return n
}

func (c *conv) link(phone string) {
	c.command("/start")
	u := telegramtest.ContactUpdate(c.id, c.id, c.id, phone)
	u.Message.From.LanguageCode = c.lang
	c.step(c.update(u))
}

func (c *conv) withdrawal() {
	c.command("/menu")
	c.press("wd")
	c.press("wdc")
}

// cancel requests the cancellation of the newest transfer.
func (c *conv) cancel() {
	c.command("/menu")
	c.press("tr")
	c.press("trc")
	c.press("trr")
	c.press("trk")
}

// dispute disputes the refusal of the second newest return request (the
// demo ledger's refused a day ago).
func (c *conv) dispute() {
	c.command("/menu")
	c.press("rr")
	c.press("rrd", 1)
	c.press("rrs")
	c.press("rrr")
	c.text("Не заряжается / Nenabíjí se / Does not charge")
	c.press("rrp")
	c.press("rrc")
}

func (c *conv) support() {
	c.command("/menu")
	c.press("sup")
}

// parallel runs each chat's part at once and waits for all.
func parallel(chats []*conv, part func(*conv)) {
	var wg sync.WaitGroup
	for _, c := range chats {
		wg.Go(func() { part(c) })
	}
	wg.Wait()
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// freePort is a loopback port nobody listens on.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// ledgerCounts counts the rows of tables in the SQLite ledger.
func ledgerCounts(t *testing.T, path string, tables ...string) map[string]int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]int{}
	for _, table := range tables {
		var n int
		if err := db.QueryRowContext(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}
