package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"

	"paydesk/bot"
	"paydesk/flows"
	"paydesk/locales"
	"paydesk/store"
	storeredis "paydesk/store/redis"
	"paydesk/store/sqlite"
)

// updateTimeout bounds the handling of one update, replies included.
const updateTimeout = 90 * time.Second

// apiTimeout bounds one Bot API call (go-telegram/bot's own default).
const apiTimeout = time.Minute

// apiClient is the HTTP client of the Bot API calls. The default transport
// keeps 2 idle connections per host, so a bot answering more than 2 chats
// at once dials (and TLS-handshakes) a new connection for most calls; this
// one keeps one per sender that can be busy at once.
func apiClient(workers int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = max(2*workers, 64)
	t.MaxIdleConnsPerHost = t.MaxIdleConns
	return &http.Client{Timeout: apiTimeout, Transport: t}
}

// shutdownGrace is how long Close lets webhook requests in flight finish,
// and then queued replies go out.
const shutdownGrace = time.Minute

// Main is the running bot: Run starts it, Close stops it. Tests drive it the
// same way main does.
type Main struct {
	Config Config
	Log    *slog.Logger
	// BotOptions are added to the bot's (paydesk bench lifts the limits).
	BotOptions []bot.Option

	db       *sqlite.DB  // the Ledger, and the State without Redis
	state    store.State // db, or Redis (openState)
	bot      *bot.Bot
	dispatch *bot.Dispatcher
	srv      *http.Server
	addr     net.Addr

	stopPoll       context.CancelFunc
	stopBackground context.CancelFunc
	polling        sync.WaitGroup
	background     sync.WaitGroup
	errs           chan error
}

// Run opens the store, connects to the Bot API and starts taking updates,
// by webhook when PAYDESK_WEBHOOK_URL is set, else by long polling. It
// returns once the bot is running.
func (m *Main) Run(ctx context.Context) error {
	if m.Config.Token == "" {
		return errors.New("set PAYDESK_TELEGRAM_TOKEN to your bot's token from @BotFather; to try the bot without Telegram run `go run ./cmd/paydesk demo`")
	}
	if err := checkSecret(m.Config.Secret); err != nil {
		return err
	}
	if m.Log == nil {
		m.Log = slog.Default()
	}
	m.errs = make(chan error, 2)
	// A read connection per worker, and a few for the background loops,
	// the webhook's readiness check and the senders.
	db, err := sqlite.Open(ctx, m.Config.DB, sqlite.WithReaders(m.Config.Workers+4))
	if err != nil {
		return err
	}
	m.db = db
	if m.state, err = openState(ctx, m.Config, db, m.Log); err != nil {
		return err
	}
	if m.Config.Demo {
		if err := db.SeedDemo(ctx, time.Now()); err != nil {
			return fmt.Errorf("seed demo ledger: %w", err)
		}
	}
	bundle, err := locales.New()
	if err != nil {
		return err
	}
	api, err := tg.New(m.Config.Token, tg.WithServerURL(m.Config.APIURL), tg.WithSkipGetMe(),
		tg.WithHTTPClient(apiTimeout, apiClient(m.Config.Workers)))
	if err != nil {
		return fmt.Errorf("telegram client: %w", err)
	}
	b := bot.New(api, m.state, db, bundle, bot.WithLogger(m.Log), bot.WithLease(m.Config.Lease),
		bot.WithSupport(m.Config.Support.ChatID, m.Config.Support.Lang),
		bot.WithFlows(append([]flows.Option{
			flows.WithSecret([]byte(m.Config.Secret)),
			flows.WithSessionTTL(m.Config.SessionTTL),
			flows.WithLimits(m.Config.Limits),
			flows.WithLocaleTesters(m.Config.LocaleTesters),
		}, m.Config.Support.engineOptions()...)...),
		bot.WithOptions(m.BotOptions...))
	if m.Config.Support.ChatID == 0 {
		m.Log.Warn("PAYDESK_SUPPORT_CHAT_ID is not set: tickets are recorded and customers told support will answer, but no agent sees them (README: Support group set-up)")
	}
	warnCalendars(m.Log, time.Now())
	m.bot = b
	m.dispatch = bot.NewDispatcher(b.HandleUpdate, m.Config.Workers, updateTimeout)

	bg, stop := context.WithCancel(context.WithoutCancel(ctx))
	m.stopBackground = stop
	m.background.Go(func() { b.Run(bg, bot.Background{Tick: m.Config.Tick, Resend: resendEvery(m.Config.Lease)}) })

	// The command menu and descriptions, per language; a restart only reads
	// them. Not being able to set them is no reason to stay down.
	if sets, err := b.SyncProfile(ctx); err != nil {
		m.Log.Warn("bot profile not set; the command menu or descriptions may be out of date", "err", err)
	} else if sets > 0 {
		m.Log.Info("bot profile updated", "calls", sets)
	}

	mode := "polling"
	if m.Config.WebhookURL != "" {
		mode = "webhook"
		if err := b.SetWebhook(ctx, m.Config.WebhookURL, m.Config.WebhookSecret, m.Config.WebhookConns); err != nil {
			return fmt.Errorf("set webhook: %w", err)
		}
	} else {
		// getUpdates is refused while a webhook is set.
		if err := b.DeleteWebhook(ctx); err != nil {
			return fmt.Errorf("delete webhook: %w", err)
		}
		m.startPolling(ctx)
	}
	if m.Config.WebhookListen != "" {
		if err := m.listen(); err != nil {
			return err
		}
	}
	state := "sqlite"
	if m.Config.RedisURL != "" {
		state = storeredis.Redact(m.Config.RedisURL)
	}
	m.Log.Info("paydesk serving", "mode", mode, "listen", m.Addr(), "db", m.Config.DB, "state", state, "workers", m.Config.Workers)
	return nil
}

func (m *Main) startPolling(ctx context.Context) {
	poller := &bot.Poller{
		URL:      m.Config.APIURL,
		Token:    m.Config.Token,
		Offsets:  m.state,
		Dispatch: m.dispatch,
		Log:      m.Log,
	}
	pctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	m.stopPoll = stop
	m.polling.Go(func() {
		if err := poller.Run(pctx); err != nil {
			m.errs <- err
		}
	})
}

// listen serves the webhook (in webhook mode) and the health checks.
func (m *Main) listen() error {
	wh := &bot.Webhook{Secret: m.Config.WebhookSecret, Dispatch: m.dispatch, Ready: m.ready, Log: m.Log}
	if m.Config.WebhookURL != "" {
		wh.Path = m.Config.WebhookPath()
	}
	ln, err := net.Listen("tcp", m.Config.WebhookListen)
	if err != nil {
		return fmt.Errorf("PAYDESK_WEBHOOK_LISTEN: %w", err)
	}
	m.addr = ln.Addr()
	m.srv = &http.Server{Handler: wh.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := m.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			m.errs <- fmt.Errorf("webhook server: %w", err)
		}
	}()
	return nil
}

// openState opens the State: in Redis when PAYDESK_REDIS_URL is set
// (several replicas share it), else in the SQLite file beside the ledger.
// A malformed or unreachable URL is a one-line error at start.
func openState(ctx context.Context, cfg Config, db *sqlite.DB, log *slog.Logger) (store.State, error) {
	if cfg.RedisURL == "" {
		return db, nil
	}
	storeredis.LogTo(log)
	st, err := storeredis.Open(ctx, cfg.RedisURL, storeredis.Options{})
	if err != nil {
		return nil, fmt.Errorf("PAYDESK_REDIS_URL: %w", err)
	}
	return st, nil
}

// resendEvery is how often the replies left behind are looked for: often
// enough that a reply comes at most about a lease and a bit late.
func resendEvery(lease time.Duration) time.Duration {
	return min(max(lease/6, time.Second), 10*time.Second)
}

// ready is /readyz: both stores answer.
func (m *Main) ready(ctx context.Context) error {
	if err := m.state.Ping(ctx); err != nil {
		return fmt.Errorf("state: %w", err)
	}
	if m.state != store.State(m.db) {
		return m.db.Ping(ctx)
	}
	return nil
}

// Addr is the address the webhook and health checks listen on, nil if none.
func (m *Main) Addr() net.Addr { return m.addr }

// Err reports an intake that stopped by itself (the listener failed).
func (m *Main) Err() <-chan error { return m.errs }

// Close stops taking updates, finishes the ones in flight (replies
// included), stops the background loops and closes the store. Replies that
// could not be sent stay in the store for the next start.
func (m *Main) Close() error {
	var errs []error
	if m.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		errs = append(errs, m.srv.Shutdown(ctx))
		cancel()
	}
	if m.stopPoll != nil {
		m.stopPoll()
	}
	m.polling.Wait()
	if m.dispatch != nil {
		m.dispatch.Close()
	}
	if m.stopBackground != nil {
		m.stopBackground()
	}
	m.background.Wait()
	if m.bot != nil {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		m.bot.Close(ctx) // replies not sent by then go out after the next start
		cancel()
	}
	if m.state != nil && m.state != store.State(m.db) {
		errs = append(errs, m.state.Close())
	}
	if m.db != nil {
		errs = append(errs, m.db.Close())
	}
	return errors.Join(errs...)
}

func runServe(ctx context.Context, _ []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	m := &Main{Config: cfg, Log: slog.New(slog.NewTextHandler(stderr, nil))}
	if err := m.Run(ctx); err != nil {
		return errors.Join(err, m.Close())
	}
	select {
	case <-ctx.Done():
		m.Log.Info("shutting down: finishing the updates in flight")
	case err := <-m.Err():
		m.Log.Error("intake stopped", "err", err)
	}
	return m.Close()
}
