package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"

	"paydesk/bot"
	"paydesk/flows"
	"paydesk/locales"
	"paydesk/store/sqlite"
)

// Main is the running bot: Run starts it, Close stops it. Tests drive it the
// same way main does.
type Main struct {
	Config Config
	Log    *slog.Logger

	db     *sqlite.DB
	cancel context.CancelFunc
	done   sync.WaitGroup
	runErr error
}

// Run opens the store, connects to the Bot API and starts taking updates.
// It returns once the bot is running.
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
	db, err := sqlite.Open(ctx, m.Config.DB)
	if err != nil {
		return err
	}
	m.db = db
	if m.Config.Demo {
		if err := db.SeedDemo(ctx, time.Now()); err != nil {
			return fmt.Errorf("seed demo ledger: %w", err)
		}
	}
	bundle, err := locales.New()
	if err != nil {
		return err
	}
	api, err := tg.New(m.Config.Token, tg.WithServerURL(m.Config.APIURL), tg.WithSkipGetMe())
	if err != nil {
		return fmt.Errorf("telegram client: %w", err)
	}
	engine := flows.New(db, append([]flows.Option{
		flows.WithSecret([]byte(m.Config.Secret)),
		flows.WithSessionTTL(m.Config.SessionTTL),
		flows.WithLimits(m.Config.Limits),
		flows.WithLogger(m.Log)}, m.Config.Support.engineOptions()...)...)
	b := bot.New(api, engine, bundle, bot.WithLogger(m.Log), bot.WithSupport(m.Config.Support.ChatID, m.Config.Support.Lang))
	if m.Config.Support.ChatID == 0 {
		m.Log.Warn("PAYDESK_SUPPORT_CHAT_ID is not set: tickets are recorded and customers told support will answer, but no agent sees them (README: Support group set-up)")
	}
	poller := &bot.Poller{
		URL:     m.Config.APIURL,
		Token:   m.Config.Token,
		Offsets: db,
		Handle:  b.HandleUpdate,
		Log:     m.Log,
	}
	ctx, m.cancel = context.WithCancel(context.WithoutCancel(ctx))
	m.done.Add(1)
	go func() {
		defer m.done.Done()
		m.runErr = poller.Run(ctx)
	}()
	m.Log.Info("paydesk serving", "mode", "polling", "db", m.Config.DB)
	return nil
}

// Close stops taking updates, waits for the one in flight and closes the store.
func (m *Main) Close() error {
	if m.cancel != nil {
		m.cancel()
	}
	m.done.Wait()
	var err error
	if m.db != nil {
		err = m.db.Close()
	}
	return errors.Join(m.runErr, err)
}

func runServe(ctx context.Context, _ []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	m := &Main{Config: cfg, Log: slog.New(slog.NewTextHandler(stderr, nil))}
	if err := m.Run(ctx); err != nil {
		m.Close()
		return err
	}
	<-ctx.Done()
	m.Log.Info("shutting down")
	return m.Close()
}
