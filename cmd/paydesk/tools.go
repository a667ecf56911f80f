package main

import (
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

// runLocales checks the locale files: every message in every language with
// the plural forms that language needs.
func runLocales(args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 || args[0] != "check" {
		fmt.Fprintln(stderr, "usage: paydesk locales check")
		return errUsage
	}
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
