package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"time"

	"paydesk/bot"
	"paydesk/cmd/paydesk/internal/loadtest"
	"paydesk/store"
	storeredis "paydesk/store/redis"
	"paydesk/store/sqlite"
)

// Bench secrets: the bench's own process only, never a real bot's.
const (
	benchToken         = "123456:BENCH-token"
	benchSecret        = "bench-secret-0123456789abcdef0123456789"
	benchWebhookSecret = "bench-webhook-secret-0123"
	benchFirstChat     = 700_000_000
)

// benchConfig is what the bench flags ask for.
type benchConfig struct {
	store    string
	redisURL string // --redis: the Redis of --store redis
	limits   string
	users    int
	duration time.Duration
	warmup   time.Duration
	rate     float64
	workers  int
	script   string
	baseline bool
	keep     string
	cpuprof  string
	memprof  string
}

// runBench measures serve's real webhook handler, dispatcher, flows and
// store in this process against a fast fake Bot API on loopback, with
// virtual customers posting updates over HTTP and pressing the buttons of
// the replies they get.
func runBench(ctx context.Context, e *Env, args []string) error {
	stdout, stderr := e.Stdout, e.Stderr
	fs := e.flags("bench", nil)
	var c benchConfig
	fs.StringVar(&c.store, "store", "sqlite", "the State store: sqlite or redis")
	fs.StringVar(&c.redisURL, "redis", "redis://127.0.0.1:6379/0", "with --store redis: the Redis to keep the State in (PAYDESK_REDIS_URL syntax); its keys under the prefix paydesk are overwritten")
	fs.StringVar(&c.limits, "limits", "telegram", "the outbox's rate limits: telegram (the default ones) or off (the bot's own capacity)")
	fs.IntVar(&c.users, "users", 50, "virtual customers, each in its own linked chat")
	fs.DurationVar(&c.duration, "duration", 20*time.Second, "how long to measure")
	fs.DurationVar(&c.warmup, "warmup", 3*time.Second, "how long to run before measuring")
	fs.Float64Var(&c.rate, "rate", 0, "open loop: updates a second over all customers; 0 is a closed loop (each customer goes on as soon as it is answered)")
	fs.IntVar(&c.workers, "workers", 16, "updates handled at once (PAYDESK_WORKERS)")
	fs.StringVar(&c.script, "script", "full", "the conversation: full (menu, withdrawal card, cancel a transfer, dispute a refusal) or withdrawal (/start, withdrawals, a card, menu)")
	fs.BoolVar(&c.baseline, "baseline", false, "also run the same harness against a bare go-telegram/bot echo bot, and print the ratio")
	fs.StringVar(&c.keep, "db", "", "the SQLite file to use (default: a new one in a temporary directory)")
	fs.StringVar(&c.cpuprof, "cpuprofile", "", "write a CPU profile of paydesk's measured part to this file (go tool pprof)")
	fs.StringVar(&c.memprof, "memprofile", "", "write an allocation profile of the whole run to this file when it ends (go tool pprof -sample_index=alloc_space)")
	if _, err := e.parse(fs, args, 0, 0); err != nil {
		return err
	}
	tuneGC(e.Getenv) // as serve does: the bench measures serve
	if c.users < 1 {
		return fmt.Errorf("bench: --users must be at least 1")
	}
	var limits bot.Limits
	switch c.limits {
	case "telegram":
		limits = bot.DefaultLimits()
	case "off":
		limits = bot.NoLimits()
	default:
		return fmt.Errorf("bench: --limits %q: want telegram or off", c.limits)
	}
	script := loadtest.Full
	switch c.script {
	case "full":
	case "withdrawal":
		script = loadtest.Withdrawal
	default:
		return fmt.Errorf("bench: --script %q: want full or withdrawal", c.script)
	}
	switch c.store {
	case "sqlite":
	case "redis":
		if _, err := storeredis.NewClient(c.redisURL); err != nil {
			return fmt.Errorf("bench: --redis: %w", err)
		}
	default:
		return fmt.Errorf("bench: --store %q: want sqlite or redis", c.store)
	}

	fmt.Fprintf(stdout, "paydesk bench: %d customers, %s, limits %s, store %s, %d workers, script %s, %d CPUs (GOMAXPROCS %d), %s\n",
		c.users, loopName(c.rate), c.limits, c.store, c.workers, c.script, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version())
	res, err := benchPaydesk(ctx, c, limits, script, stdout, stderr)
	if err != nil {
		return err
	}
	if !c.baseline {
		return nil
	}
	echoScript := loadtest.Echo
	base, err := benchEcho(ctx, c, echoScript)
	if err != nil {
		return err
	}
	base.Print(stdout, "go-telegram/bot echo (baseline), same harness")
	fmt.Fprintf(stdout, "paydesk / baseline: %.2f× the updates/s, %.1f× the p99, %.1f× the CPU per update\n",
		res.PerSecond()/base.PerSecond(), ratio(res.P99, base.P99), ratio(res.CPUPerUpdate(), base.CPUPerUpdate()))
	return nil
}

func loopName(rate float64) string {
	if rate > 0 {
		return "open loop at " + strconv.FormatFloat(rate, 'f', -1, 64) + " updates/s"
	}
	return "closed loop"
}

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// benchPaydesk links the customers, starts serve's Main on the fake Bot
// API and drives it.
func benchPaydesk(ctx context.Context, c benchConfig, limits bot.Limits, script loadtest.Script, stdout, stderr io.Writer) (loadtest.Result, error) {
	api, err := loadtest.StartFakeAPI(benchToken)
	if err != nil {
		return loadtest.Result{}, err
	}
	defer api.Close()
	path := c.keep
	if path == "" {
		dir, err := os.MkdirTemp("", "paydesk-bench-")
		if err != nil {
			return loadtest.Result{}, err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "paydesk.db")
	}
	chats := benchChats(c.users)
	linkStart := time.Now()
	if err := linkCustomers(ctx, c, path, chats); err != nil {
		return loadtest.Result{}, err
	}
	fmt.Fprintf(stdout, "linked %d chats in %v\n", len(chats), time.Since(linkStart).Round(time.Millisecond))

	env := map[string]string{
		"PAYDESK_TELEGRAM_TOKEN":   benchToken,
		"PAYDESK_TELEGRAM_API_URL": api.URL(),
		"PAYDESK_DB":               path,
		"PAYDESK_DEMO":             "1",
		"PAYDESK_SECRET":           benchSecret,
		"PAYDESK_WEBHOOK_URL":      "https://bench.invalid/telegram/webhook",
		"PAYDESK_WEBHOOK_LISTEN":   "127.0.0.1:0",
		"PAYDESK_HTTP_LISTEN":      "127.0.0.1:0",
		"PAYDESK_WEBHOOK_SECRET":   benchWebhookSecret,
		"PAYDESK_WORKERS":          strconv.Itoa(c.workers),
		"PAYDESK_TICK":             "0", // no proactive nudges into the customers' chats
	}
	if c.store == "redis" {
		env["PAYDESK_REDIS_URL"] = c.redisURL
	}
	cfg, err := loadConfig(func(k string) string { return env[k] })
	if err != nil {
		return loadtest.Result{}, err
	}
	m := &Main{Config: cfg, Log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError})),
		BotOptions: []bot.Option{bot.WithLimits(limits)}}
	if err := m.Run(ctx); err != nil {
		return loadtest.Result{}, errors.Join(err, m.Close())
	}
	heapBefore := loadtest.LiveHeap()
	if c.cpuprof != "" {
		stop, err := startCPUProfile(c.cpuprof, c.warmup)
		if err != nil {
			return loadtest.Result{}, errors.Join(err, m.Close())
		}
		defer stop()
	}
	res, err := loadtest.Drive(ctx, loadtest.Run{
		Hook: "http://" + m.Addr().String() + cfg.WebhookPath(), Secret: benchWebhookSecret, API: api,
		Chats: chats, Script: script, Duration: c.duration, Warmup: c.warmup, Rate: c.rate,
	})
	heapAfter := loadtest.LiveHeap()
	if c.memprof != "" {
		err = errors.Join(err, writeAllocProfile(c.memprof))
	}
	stats := m.db.WriteStats()
	if cerr := m.Close(); cerr != nil {
		err = errors.Join(err, cerr)
	}
	res.Print(stdout, "paydesk")
	perChat := (float64(heapAfter) - float64(heapBefore)) / float64(len(chats))
	fmt.Fprintf(stdout, "  live heap        %.1f MiB after the run (%+.0f B per linked chat)\n", float64(heapAfter)/(1<<20), perChat)
	if stats.Commits > 0 {
		fmt.Fprintf(stdout, "  sqlite writer    %d writes in %d commits (%.1f per fsync), whole run\n",
			stats.Writes, stats.Commits, float64(stats.Writes)/float64(stats.Commits))
	}
	calls, messages := api.Calls()
	fmt.Fprintf(stdout, "  bot api calls    %d (%d new messages), whole run\n", calls, messages)
	return res, err
}

// benchEcho drives the baseline echo bot with the same harness.
func benchEcho(ctx context.Context, c benchConfig, script loadtest.Script) (loadtest.Result, error) {
	api, err := loadtest.StartFakeAPI(benchToken)
	if err != nil {
		return loadtest.Result{}, err
	}
	defer api.Close()
	echo, err := loadtest.StartEcho(api.URL(), benchToken, benchWebhookSecret)
	if err != nil {
		return loadtest.Result{}, err
	}
	defer echo.Close()
	return loadtest.Drive(ctx, loadtest.Run{Hook: echo.Hook(), Secret: benchWebhookSecret, API: api,
		Chats: benchChats(c.users), Script: script, Duration: c.duration, Warmup: c.warmup, Rate: c.rate})
}

func benchChats(n int) []int64 {
	chats := make([]int64, n)
	for i := range chats {
		chats[i] = benchFirstChat + int64(i)
	}
	return chats
}

// linkCustomers seeds the demo ledger and links every chat to one of its
// customers, in English, as if each had followed a link from the app.
func linkCustomers(ctx context.Context, c benchConfig, path string, chats []int64) error {
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	now := time.Now()
	if err := db.SeedDemo(ctx, now); err != nil {
		return errors.Join(err, db.Close())
	}
	var sessions store.Sessions = db
	if c.store == "redis" {
		st, err := storeredis.Open(ctx, c.redisURL, storeredis.Options{})
		if err != nil {
			return errors.Join(fmt.Errorf("bench: --redis: %w", err), db.Close())
		}
		defer st.Close()
		sessions = st
	}
	customers := []store.CustomerID{1, 2, 3, 4} // the demo ledger's
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		next = make(chan int64)
	)
	for range 64 {
		wg.Go(func() {
			for chat := range next {
				s := &store.Session{ChatID: chat, CustomerID: customers[int(chat)%len(customers)], Language: "en", UpdatedAt: now}
				if err := sessions.SaveSession(ctx, s); err != nil && !errors.Is(err, store.ErrConflict) { // linked by an earlier run
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	for _, chat := range chats {
		next <- chat
	}
	close(next)
	wg.Wait()
	return errors.Join(errors.Join(errs...), db.Close())
}

// writeAllocProfile writes the allocations made since the process started.
func writeAllocProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("bench: --memprofile: %w", err)
	}
	return errors.Join(pprof.Lookup("allocs").WriteTo(f, 0), f.Close())
}

// startCPUProfile profiles from the end of the warm-up; stop ends it.
func startCPUProfile(path string, after time.Duration) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("bench: --cpuprofile: %w", err)
	}
	started := make(chan bool, 1)
	timer := time.AfterFunc(after, func() { started <- pprof.StartCPUProfile(f) == nil })
	return func() {
		if timer.Stop() {
			f.Close()
			return
		}
		if <-started {
			pprof.StopCPUProfile()
		}
		f.Close()
	}, nil
}
