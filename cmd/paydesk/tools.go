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

// runLocales checks the locale files: every message in every language with
// the plural forms that language needs.
func runLocales(_ context.Context, e *Env, args []string) error {
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
	problems := b.Check()
	for _, p := range problems {
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\n", p.Lang, p.ID, p.Form, p.Detail)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d locale problems", len(problems))
	}
	fmt.Fprintln(stdout, "locales: ok")
	return nil
}
