package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"paydesk/bot"
	"paydesk/bot/telegramtest"
	"paydesk/flows"
	"paydesk/locales"
	"paydesk/store"
	"paydesk/store/sqlite"
)

const (
	testSecret    = "bot-test-secret-0123456789abcdef0123"
	webhookSecret = "webhook-secret-0123456789"
)

// rig is the bot against the fake Bot API and a real SQLite file: one
// replica, with both intakes available.
type rig struct {
	api      *telegramtest.Server
	db       *sqlite.DB
	st       store.State // what the bot was given (db, or a wrapper of it)
	bot      *bot.Bot
	dispatch *bot.Dispatcher
	webhook  http.Handler
	logs     *bot.LogBuffer
	path     string
}

type rigConfig struct {
	api    *telegramtest.Server // nil: a new fake
	dbPath string               // "": a new file
	wrap   func(store.State) store.State
	opts   []bot.Option
	// state opens the State beside the SQLite ledger; nil: the ledger's
	// own file holds it.
	state func(t *testing.T, db *sqlite.DB) store.State
}

func newRig(t *testing.T, cfg rigConfig) *rig {
	t.Helper()
	r := &rig{api: cfg.api, logs: &bot.LogBuffer{}}
	if r.api == nil {
		r.api = telegramtest.New(t)
	}
	if cfg.dbPath == "" {
		cfg.dbPath = filepath.Join(t.TempDir(), "paydesk.db")
	}
	db, err := sqlite.Open(t.Context(), cfg.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SeedDemo(t.Context(), time.Now()); err != nil {
		t.Fatal(err)
	}
	r.db, r.st, r.path = db, store.State(db), cfg.dbPath
	if cfg.state != nil {
		r.st = cfg.state(t, db)
	}
	if cfg.wrap != nil {
		r.st = cfg.wrap(r.st)
	}
	bundle, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	client, err := tg.New(telegramtest.Token, tg.WithServerURL(r.api.URL()), tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(r.logs, nil))
	opts := append([]bot.Option{bot.WithLogger(log), bot.WithFlows(flows.WithSecret([]byte(testSecret)))}, cfg.opts...)
	r.bot = bot.New(client, r.st, db, bundle, opts...)
	r.dispatch = bot.NewDispatcher(r.bot.HandleUpdate, 8, time.Minute)
	r.webhook = (&bot.Webhook{Path: "/hook", Secret: webhookSecret, Dispatch: r.dispatch, Ready: r.st.Ping, Log: log}).Handler()
	t.Cleanup(func() {
		r.close()
		db.Close()
		if t.Failed() {
			t.Logf("bot logs:\n%s", r.logs)
		}
	})
	return r
}

// dbPath is the rig's database file, for a second replica or a restart.
func (r *rig) dbPath(t *testing.T) string { return r.path }

// close stops taking updates and waits until the replies are sent.
func (r *rig) close() {
	r.dispatch.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r.bot.Close(ctx)
}

// poll starts long polling until the test ends.
func (r *rig) poll(t *testing.T) *bot.Poller {
	ctx, cancel := context.WithCancel(context.Background())
	p := &bot.Poller{URL: r.api.URL(), Token: telegramtest.Token, Offsets: r.st, Dispatch: r.dispatch,
		Log: slog.New(slog.NewTextHandler(r.logs, nil)), Timeout: time.Second}
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := p.Run(ctx); err != nil {
			t.Errorf("poller: %v", err)
		}
	})
	t.Cleanup(func() { cancel(); wg.Wait() })
	return p
}

// post delivers u by webhook with the given secret header ("" for none).
func (r *rig) post(u any, secret string) *http.Response { return postWith(r.webhook, u, secret) }

// postTo delivers u to a webhook handler with the right secret and returns
// the status it answered.
func postTo(h http.Handler, u any) int { return postWith(h, u, webhookSecret).StatusCode }

func postWith(h http.Handler, u any, secret string) *http.Response {
	body, _ := json.Marshal(u)
	req := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(body))
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

// sent is what chat was sent, in order.
func (r *rig) sent(chat int64) []string {
	var out []string
	for _, c := range r.api.SentTo(chat) {
		out = append(out, c.Text())
	}
	return out
}

// waitSent waits until chat was sent n messages and returns their texts.
// The wait is long: under -race, SQLite handles a few dozen updates a
// second on a shared 2-core machine.
func (r *rig) waitSent(t *testing.T, chat int64, n int) []string {
	t.Helper()
	calls := r.api.WaitCalls(t, n, func(c telegramtest.Call) bool {
		return c.Status == http.StatusOK && c.ChatID() == chat && (c.Method == "sendMessage" || c.Method == "editMessageText")
	}, 3*time.Minute)
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.Text()
	}
	return out
}

// session is the chat's stored session.
func (r *rig) session(t *testing.T, chat int64) store.Session {
	t.Helper()
	s, err := r.st.Session(t.Context(), chat)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// withID gives a builder's update an id, as Telegram would.
func withID(u models.Update, id int64) models.Update {
	u.ID = id
	return u
}

// checkRate fails unless the send times keep to l: any run of n sends
// spans at least (n-burst) intervals. jitter allows for the time between the
// outbox letting a call go and the fake receiving it.
func checkRate(t *testing.T, what string, times []time.Time, l bot.Limit, jitter time.Duration) {
	t.Helper()
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	for i := range times {
		for j := i + l.Burst; j < len(times); j++ {
			n := j - i + 1
			need := time.Duration(n-l.Burst) * l.Every
			if span := times[j].Sub(times[i]); span+jitter < need {
				t.Errorf("%s: %d sends within %v, the limit allows %d then one per %v", what, n, span, l.Burst, l.Every)
				return
			}
		}
	}
}
