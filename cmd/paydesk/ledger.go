package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"paydesk/store"
	"paydesk/store/backend"
	"paydesk/store/sqlite"
)

// LedgerConfig says which payments ledger the bot uses: the backend at URL
// (PAYDESK_LEDGER_URL, PAYDESK_LEDGER_TOKEN, PAYDESK_LEDGER_TIMEOUT), or,
// without a URL, the SQLite demo ledger in the bot's own database file.
//
// EventsSecret (PAYDESK_BACKEND_EVENTS_SECRET) turns on POST /backend/events,
// the backend's signed events: on the webhook's listener in webhook mode,
// else on PAYDESK_HTTP_LISTEN.
type LedgerConfig struct {
	URL          string
	Token        string
	Timeout      time.Duration
	EventsSecret string
}

// openLedger is the one place that picks the Ledger: the backend's client
// when a URL is configured, else db (the SQLite demo ledger). Closing the
// result does not close db.
func openLedger(cfg LedgerConfig, db *sqlite.DB, log *slog.Logger) (store.Ledger, error) {
	if cfg.URL == "" {
		return noClose{db}, nil
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	c, err := backend.New(backend.Config{URL: cfg.URL, Token: cfg.Token, Timeout: cfg.Timeout, Now: time.Now, Log: log})
	if err != nil {
		return nil, fmt.Errorf("PAYDESK_LEDGER_URL: %w", err)
	}
	return c, nil
}

// ledgerName says which ledger is used, for the start-up log (never the token).
func ledgerName(cfg LedgerConfig) string {
	if cfg.URL == "" {
		return "demo (sqlite)"
	}
	if u, err := url.Parse(cfg.URL); err == nil {
		return u.Redacted()
	}
	return "backend"
}

// noClose is the demo ledger in the bot's own database, which the caller
// closes as the State.
type noClose struct{ *sqlite.DB }

func (noClose) Close() error { return nil }

// runDemoBackend serves the ledger contract (store/backend/openapi.yaml)
// over the seeded SQLite demo ledger on a loopback port: the reference
// backend that `serve` and `demo --ledger-url` can run against.
func runDemoBackend(ctx context.Context, e *Env, args []string) error {
	fs := e.flags("demo-backend", nil)
	listen := fs.String("listen", "127.0.0.1:8480", "where to serve the contract")
	dbPath := fs.String("db", "", "SQLite file of the demo ledger (default: a temporary file, seeded)")
	token := fs.String("token", e.Getenv("PAYDESK_LEDGER_TOKEN"), "bearer token clients must send (default PAYDESK_LEDGER_TOKEN; empty: none)")
	if _, err := e.parse(fs, args, 0, 0); err != nil {
		return err
	}
	db, closeDB, err := openDemoDB(ctx, *dbPath, "ledger.db")
	if err != nil {
		return err
	}
	defer closeDB()
	if err := db.SeedDemo(ctx, time.Now()); err != nil {
		return fmt.Errorf("seed demo ledger: %w", err)
	}
	log := slog.New(slog.NewTextHandler(e.Stderr, nil))
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("--listen: %w", err)
	}
	srv := &http.Server{Handler: backend.NewServer(db, backend.WithToken(*token), backend.WithServerLogger(log)),
		ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(e.Stdout, "demo backend: http://%s (PAYDESK_LEDGER_URL=http://%s)\n", ln.Addr(), ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err := <-errc:
		return fmt.Errorf("demo backend: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// openDemoDB opens the SQLite file at path, or a new one in a temporary
// directory (named name) removed again by the returned close.
func openDemoDB(ctx context.Context, path, name string) (*sqlite.DB, func(), error) {
	dir := ""
	if path == "" {
		var err error
		if dir, err = os.MkdirTemp("", "paydesk-"); err != nil {
			return nil, nil, err
		}
		path = filepath.Join(dir, name)
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return db, func() {
		db.Close()
		if dir != "" {
			os.RemoveAll(dir)
		}
	}, nil
}
