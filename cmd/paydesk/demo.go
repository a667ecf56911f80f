package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"paydesk/flows"
	"paydesk/flows/console"
	"paydesk/locales"
	"paydesk/store"
	"paydesk/store/sqlite"
)

// runDemo chats with the bot in the terminal over the embedded store and the
// demo ledger: no token, no network. It reads lines until end of input.
func runDemo(ctx context.Context, e *Env, args []string) error {
	stdin, stdout := e.Stdin, e.Stdout
	fs := e.flags("demo", nil)
	dbPath := fs.String("db", "", "SQLite file to use (default: a temporary file)")
	as := fs.String("as", "", "link the chat to the demo customer with this phone, e.g. +77010000001")
	lang := fs.String("lang", "", "the customer's Telegram language: ru, cs or en (default: the account's with --as, else en)")
	tester := fs.Bool("tester", false, "chat as a locale tester: /language offers the pseudo-locale and message IDs, /fix suggests a wording for the latest message")
	if _, err := e.parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *dbPath == "" {
		dir, err := os.MkdirTemp("", "paydesk-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*dbPath = filepath.Join(dir, "demo.db")
	}
	db, err := sqlite.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SeedDemo(ctx, time.Now()); err != nil {
		return fmt.Errorf("seed demo ledger: %w", err)
	}
	bundle, err := locales.New()
	if err != nil {
		return err
	}
	secret := make([]byte, 32)
	rand.Read(secret)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	// The demo's clock runs with the wall clock, shifted by "/clock +2d".
	var shift time.Duration
	now := func() time.Time { return time.Now().Add(shift) }
	opts := []flows.Option{flows.WithSecret(secret), flows.WithLogger(quiet), flows.WithClock(now)}
	c := console.New(nil, bundle, stdout)
	c.Advance = func(d time.Duration) time.Time { shift += d; return now() }
	if *as != "" {
		cust, err := db.CustomerByPhone(ctx, store.NormalizePhone(*as))
		if err != nil {
			return fmt.Errorf("--as %s: no demo customer has this phone (try +77010000001, +420601000001, +447700900001 or +77010000002)", *as)
		}
		c.ChatID, c.UserID = console.ChatOf(cust.ID), console.ChatOf(cust.ID)
	}
	if *tester {
		opts = append(opts, flows.WithLocaleTesters([]int64{c.UserID}))
	}
	c.SetEngine(flows.New(db, db, opts...))
	c.LanguageCode = *lang
	c.Phone = *as
	if *as != "" {
		cust, _ := db.CustomerByPhone(ctx, store.NormalizePhone(*as))
		if *lang == "" {
			c.LanguageCode = cust.Language // a Telegram client set to the account's language
		}
		if err := c.Link(ctx, *as); err != nil {
			return err
		}
		// A linked customer starts at the menu, so "2" presses its second entry.
		if err := c.Send(ctx, flows.Event{Kind: flows.EventStart, Command: "start"}); err != nil {
			return err
		}
	}
	if f, ok := stdin.(*os.File); ok && isTerminal(f) {
		fmt.Fprintln(stdout, "paydesk demo — type /start, press buttons by number, end with Ctrl-D.")
	}
	return c.Run(ctx, stdin)
}

// isTerminal reports whether f is an interactive terminal (not a pipe or file).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
