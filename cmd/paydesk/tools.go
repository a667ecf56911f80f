package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"paydesk/flows"
	"paydesk/locales"
	"paydesk/store"
)

// runLinkToken prints a deep-link payload that links a chat to a customer,
// as the payments app would issue it.
func runLinkToken(_ context.Context, e *Env, args []string) error {
	fs := e.flags("link-token", nil)
	ttl := fs.Duration("ttl", time.Hour, "how long the token stays valid")
	rest, err := e.parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	e.warnUnknownVars(func(msg string) { fmt.Fprintln(e.Stderr, "paydesk: warning:", msg) })
	id, err := strconv.ParseInt(rest[0], 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("customer id %q: want a positive number", rest[0])
	}
	secret := e.Getenv("PAYDESK_SECRET")
	if err := checkSecret(secret); err != nil {
		return err
	}
	token := flows.IssueLinkToken([]byte(secret), store.CustomerID(id), time.Now().Add(*ttl))
	fmt.Fprintf(e.Stdout, "/start %s%s\n", flows.LinkPrefix, token)
	return nil
}

// runLocales runs the locale tools: check lints the locale files (every
// message in every language with its plural forms, and Lint's checks of
// copy); feedback exports the testers' suggestions.
func runLocales(ctx context.Context, e *Env, args []string) error {
	if len(args) >= 1 && args[0] == "feedback" {
		return runFeedback(ctx, e, args[1:])
	}
	rest, err := e.parse(e.flags("locales", nil), args, 1, 1)
	if err != nil {
		return err
	}
	if rest[0] != "check" {
		fmt.Fprintf(e.Stderr, "paydesk locales: unknown subcommand %q\n", rest[0])
		shortUsage(e.Stderr, "locales")
		return errUsage
	}
	stdout := e.Stdout
	b, err := locales.New()
	if err != nil {
		return err
	}
	cfg, err := locales.DefaultLintConfig()
	if err != nil {
		return err
	}
	var errs, warns, known int
	for _, p := range b.Lint(cfg) {
		level := "error"
		switch {
		case p.Allowed:
			level, known = "known", known+1
		case p.Warn:
			level, warns = "warning", warns+1
		default:
			errs++
		}
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\t%s\t%s\n", level, p.Kind, p.Lang, p.ID, p.Form, p.Detail)
	}
	if errs > 0 {
		return fmt.Errorf("%d locale errors (%d warnings, %d known in locales/lint-allow.toml)", errs, warns, known)
	}
	fmt.Fprintf(stdout, "locales: ok (%d warnings, %d known in locales/lint-allow.toml)\n", warns, known)
	return nil
}
