// Command paydesk is the paydesk Telegram support bot.
//
//	paydesk serve                 run the bot on Telegram (webhook or long polling)
//	paydesk demo                  chat with the bot in the terminal, offline
//	paydesk link-token <id>       print a deep-link token for a customer
//	paydesk locales check         lint the locale files
//	paydesk bench                 measure throughput and latency (bench.go)
//
// Configuration comes from PAYDESK_* environment variables (see config.go).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "paydesk:", err)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

const usage = `usage: paydesk <command> [flags]

commands:
  serve              run the bot on Telegram (needs PAYDESK_TELEGRAM_TOKEN and PAYDESK_SECRET)
  demo               chat with the bot in this terminal: no token, no network
  link-token <id>    print a /start deep-link token for a customer (needs PAYDESK_SECRET)
  locales check      check that every message exists in every language with its plural forms
  bench [flags]      measure the bot against a fake Bot API on loopback (bench -h for the flags)
`

// run is main without the process: tests call it with their own args,
// environment and streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], getenv, stderr)
	case "demo":
		return runDemo(ctx, args[1:], stdin, stdout, stderr)
	case "link-token":
		return runLinkToken(args[1:], getenv, stdout, stderr)
	case "locales":
		return runLocales(args[1:], stdout, stderr)
	case "bench":
		return runBench(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "paydesk: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}
