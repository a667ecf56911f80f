package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"

	"paydesk/bot"
	"paydesk/bot/metrics"
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
	// Metrics are the metrics served at /metrics; Run makes them if nil.
	Metrics *metrics.Metrics
	// Limits bound the HTTP clients of both listeners; zero: bot.DefaultServerLimits.
	Limits bot.ServerLimits

	db       *sqlite.DB   // the demo ledger, and the State without Redis
	state    store.State  // db, or Redis (openState)
	ledger   store.Ledger // db, or the payments backend (openLedger)
	bot      *bot.Bot
	dispatch *bot.Dispatcher
	srv      *http.Server // the webhook; nil while polling
	addr     net.Addr
	opsSrv   *http.Server // /healthz, /readyz, /metrics
	opsAddr  net.Addr

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
	if m.Metrics == nil {
		m.Metrics = metrics.New()
	}
	if m.Limits == (bot.ServerLimits{}) {
		m.Limits = bot.DefaultServerLimits()
	}
	for _, w := range m.Config.Warnings {
		m.Log.Warn(w)
	}
	m.errs = make(chan error, 4)
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
		tg.WithHTTPClient(apiTimeout, bot.NewAPIClient(2*m.Config.Workers, apiTimeout)))
	if err != nil {
		return fmt.Errorf("telegram client: %w", err)
	}
	if m.ledger, err = openLedger(m.Config.Ledger, db, m.Log); err != nil {
		return err
	}
	b := bot.New(api, m.state, m.ledger, bundle, bot.WithLogger(m.Log), bot.WithMetrics(m.Metrics),
		bot.WithSupportGroups(m.Config.Support.SupportGroups(), m.Config.Support.Lang),
		bot.WithLease(m.Config.Lease),
		bot.WithFlows(append([]flows.Option{
			flows.WithSecret([]byte(m.Config.Secret)),
			flows.WithSessionTTL(m.Config.SessionTTL),
			flows.WithLimits(m.Config.Limits),
			flows.WithLocaleTesters(m.Config.LocaleTesters),
		}, m.Config.Support.engineOptions()...)...),
		bot.WithOptions(m.BotOptions...))
	if !m.Config.Support.configured() {
		m.Log.Warn("PAYDESK_SUPPORT_CHAT_ID and PAYDESK_SUPPORT_GROUPS are not set: tickets are recorded and customers told support will answer, but no agent sees them (README: Support group set-up)")
	}
	warnCalendars(m.Log, time.Now())
	m.bot = b
	m.Metrics.QueueDepth(b.QueueDepth)
	if tc, ok := m.state.(ticketCounter); ok {
		m.Metrics.TicketsOpen(openTicketsByLanguage(tc))
	}
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

	// Listening before setWebhook: Telegram's first post finds the server.
	if err := m.listen(); err != nil {
		return err
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
	m.Log.Info("paydesk serving", "mode", mode, "webhook", addrString(m.Addr()), "http", addrString(m.OpsAddr()), "db", m.Config.DB,
		"state", stateName(m.Config), "workers", m.Config.Workers,
		"ledger", ledgerName(m.Config.Ledger), "backend_events", m.Config.Ledger.EventsSecret != "")
	return nil
}

// resendEvery is how often to look for deliveries left behind: often
// enough that one whose lease ran out waits at most half a lease more.
func resendEvery(lease time.Duration) time.Duration {
	if lease <= 0 {
		return 10 * time.Second // the bot's default lease
	}
	return min(10*time.Second, max(lease/2, 100*time.Millisecond))
}

func (m *Main) startPolling(ctx context.Context) {
	poller := &bot.Poller{
		URL:      m.Config.APIURL,
		Token:    m.Config.Token,
		Offsets:  m.state,
		Dispatch: m.dispatch,
		Log:      m.Log,
		Metrics:  m.Metrics,
	}
	pctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	m.stopPoll = stop
	m.polling.Go(func() {
		if err := poller.Run(pctx); err != nil {
			m.errs <- err
		}
	})
}

// listen serves the health checks and metrics on the internal listener
// and, in webhook mode, the webhook on its own. /metrics is never on the
// webhook's listener: that one is what the public reverse proxy reaches.
func (m *Main) listen() error {
	if m.Config.HTTPListen != "" {
		ops := &bot.Webhook{Ready: m.ready, Log: m.Log, Exporter: m.Metrics.Handler()}
		if m.Config.WebhookURL == "" {
			ops.Events = m.events() // while polling, the backend's events come here
		}
		srv, addr, err := m.serve("PAYDESK_HTTP_LISTEN", m.Config.HTTPListen, ops.Handler())
		if err != nil {
			return err
		}
		m.opsSrv, m.opsAddr = srv, addr
	}
	if m.Config.WebhookURL != "" && m.Config.WebhookListen != "" {
		wh := &bot.Webhook{Path: m.Config.WebhookPath(), Secret: m.Config.WebhookSecret, Dispatch: m.dispatch, Ready: m.ready,
			Log: m.Log, Metrics: m.Metrics}
		wh.Events = m.events()
		srv, addr, err := m.serve("PAYDESK_WEBHOOK_LISTEN", m.Config.WebhookListen, wh.Handler())
		if err != nil {
			return err
		}
		m.srv, m.addr = srv, addr
	}
	return nil
}

// events is the handler of the backend's events, nil when
// PAYDESK_BACKEND_EVENTS_SECRET is not set.
func (m *Main) events() http.Handler {
	if m.Config.Ledger.EventsSecret == "" {
		return nil
	}
	return m.bot.EventsHandler([]byte(m.Config.Ledger.EventsSecret))
}

// serve listens on addr (named by the variable that set it) within Limits.
func (m *Main) serve(variable, addr string, h http.Handler) (*http.Server, net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", variable, err)
	}
	errc := make(chan error, 1)
	srv := bot.Serve(ln, h, m.Limits, errc)
	go func() {
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			m.errs <- fmt.Errorf("%s server: %w", variable, err)
		}
	}()
	return srv, ln.Addr(), nil
}

// Addr is the address the webhook listens on, nil if none.
func (m *Main) Addr() net.Addr { return m.addr }

// OpsAddr is the address of /healthz, /readyz and /metrics, nil if none.
func (m *Main) OpsAddr() net.Addr { return m.opsAddr }

// openState opens the State: in Redis when PAYDESK_REDIS_URL is set
// (several replicas share it), else in the SQLite file beside the ledger.
// An unreachable Redis is a one-line error at start (a malformed URL is
// refused by loadConfig).
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

// stateName says where the State is, for the start-up line.
func stateName(cfg Config) string {
	if cfg.RedisURL == "" {
		return "sqlite"
	}
	return storeredis.Redact(cfg.RedisURL)
}

// ready is /readyz: both stores answer.
func (m *Main) ready(ctx context.Context) error {
	if err := m.state.Ping(ctx); err != nil {
		return fmt.Errorf("state: %w", err)
	}
	if err := m.ledger.Ping(ctx); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	return nil
}

// ticketCounter is a State that counts its open tickets per language,
// for the tickets_open metric (store/sqlite does).
type ticketCounter interface {
	OpenTicketsByLanguage(ctx context.Context) (map[string]int, error)
}

// openTicketsByLanguage counts with tc and reports every language, 0
// included, so a dashboard shows a zero rather than no line.
func openTicketsByLanguage(tc ticketCounter) func(ctx context.Context) (map[string]int, error) {
	return func(ctx context.Context) (map[string]int, error) {
		n, err := tc.OpenTicketsByLanguage(ctx)
		if err != nil {
			return nil, err
		}
		for _, lang := range locales.Languages {
			if _, ok := n[lang]; !ok {
				n[lang] = 0
			}
		}
		return n, nil
	}
}

// addrString is addr for the logs, "" for none.
func addrString(addr net.Addr) string {
	if addr == nil {
		return ""
	}
	return addr.String()
}

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
	if m.opsSrv != nil {
		// Health checks and scrapes are short; the store is about to close.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		errs = append(errs, m.opsSrv.Shutdown(ctx))
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
	if m.ledger != nil && m.ledger != store.Ledger(m.db) {
		errs = append(errs, m.ledger.Close())
	}
	if m.state != nil && m.state != store.State(m.db) {
		errs = append(errs, m.state.Close())
	}
	if m.db != nil {
		errs = append(errs, m.db.Close())
	}
	return errors.Join(errs...)
}

// serveGCPercent is the garbage collector's target in serve unless GOGC
// is set. The bot's live heap is small (a few MiB and about 1 KiB a
// chat), so at Go's default of 100 it collects very often; at 400 the
// heap grows to about five times the live one, tens of MiB, and paydesk
// bench spent about a fifth less CPU per update.
const serveGCPercent = 400

// tuneGC sets serveGCPercent unless the operator set GOGC.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
}

func runServe(ctx context.Context, e *Env, args []string) error {
	fs := e.flags("serve", func(w io.Writer) {
		fmt.Fprint(w, "serve takes no flags or arguments: it is configured by the environment.\n\n")
		printVariables(w)
	})
	if _, err := e.parse(fs, args, 0, 0); err != nil {
		return err
	}
	cfg, err := loadConfig(e.Getenv)
	if err != nil {
		return err
	}
	log := newLogger(e.Stderr, cfg.LogFormat, cfg.LogLevel, secretValues(e.Getenv))
	e.warnUnknownVars(func(msg string) { log.Warn(msg) })
	tuneGC(e.Getenv)
	m := &Main{Config: cfg, Log: log}
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
