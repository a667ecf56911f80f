package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"paydesk/flows"
	"paydesk/locales"
	"paydesk/store"
)

// runLinkToken prints a deep-link payload that links a chat to a customer,
// as the payments app would issue it.
func runLinkToken(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("link-token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ttl := fs.Duration("ttl", time.Hour, "how long the token stays valid")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: paydesk link-token [--ttl 1h] <customer-id>")
		return errUsage
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("customer id %q: want a positive number", fs.Arg(0))
	}
	secret := getenv("PAYDESK_SECRET")
	if err := checkSecret(secret); err != nil {
		return err
	}
	token := flows.IssueLinkToken([]byte(secret), store.CustomerID(id), time.Now().Add(*ttl))
	fmt.Fprintf(stdout, "/start %s%s\n", flows.LinkPrefix, token)
	return nil
}

// runLocales runs the locale tools: check lints the locale files (every
// message in every language with its plural forms, and Lint's checks of
// copy); feedback exports the testers' suggestions.
func runLocales(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) >= 1 && args[0] == "feedback" {
		return runFeedback(ctx, args[1:], getenv, stdout, stderr)
	}
	if len(args) != 1 || args[0] != "check" {
		fmt.Fprintln(stderr, "usage: paydesk locales check | paydesk locales feedback [--format csv|toml] [--db FILE]")
		return errUsage
	}
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
