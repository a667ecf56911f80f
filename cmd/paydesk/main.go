// Command paydesk is the paydesk Telegram support bot. `paydesk help` lists
// its commands and the PAYDESK_* variables it reads; both lists live in
// tables (commands below, variables in vars.go) that the parsing, the
// help and the checks all use.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := &Env{Getenv: os.Getenv, Environ: os.Environ, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	code := exitCode(run(ctx, os.Args[1:], env), env.Stderr)
	stop()
	os.Exit(code)
}

// Env is the process as a command sees it: tests pass their own.
type Env struct {
	Getenv  func(string) string
	Environ func() []string // for the unknown-variable warning; nil: none
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
}

var (
	// errUsage: the command line is wrong; what is wrong and the usage
	// were printed already. Exit status 2, as flag and most tools use.
	errUsage = errors.New("usage")
	// errHelp: help was asked for and printed. Exit status 0.
	errHelp = errors.New("help")
)

// exitCode is the exit status of run's error, printing it when needed.
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintln(stderr, "paydesk:", err)
	return 1
}

// command is one subcommand of paydesk.
//
// Adding a command is one entry in commands: its name, the synopsis of its
// flags and arguments, a one-line summary for `paydesk help`, and run (and
// a row in README.md's table of commands, which a test checks).
// run gets the arguments after the command's name; it makes its flags with
// e.flags(name) and parses them with e.parse, so that -h, unknown flags and
// stray arguments behave the same in every command (help on stdout and
// exit 0; the error and the usage on stderr and exit 2).
type command struct {
	Name     string
	Synopsis string // what follows "paydesk <name>", e.g. "[--ttl 1h] <customer-id>"
	Summary  string
	run      func(ctx context.Context, e *Env, args []string) error
}

// commands are paydesk's subcommands, in the order help lists them.
var commands []command

func init() {
	commands = []command{
		{Name: "serve", Summary: "run the bot on Telegram: by webhook when PAYDESK_WEBHOOK_URL is set, else long polling",
			run: runServe},
		{Name: "demo", Synopsis: "[--db FILE] [--as PHONE] [--lang ru|cs|en] [--tester]",
			Summary: "chat with the bot in this terminal over the demo ledger: no token, no network",
			run:     runDemo},
		{Name: "link-token", Synopsis: "[--ttl 1h] <customer-id>",
			Summary: "print the /start deep link that links a chat to a customer (needs PAYDESK_SECRET)",
			run:     runLinkToken},
		{Name: "locales", Synopsis: "check | feedback [--format csv|toml] [--lang ru|cs|en] [--db FILE]",
			Summary: "check lints the locale files (every message in every language, plurals, HTML, length, button labels, glossary terms); feedback exports the locale testers' suggestions",
			run:     runLocales},
		{Name: "transcript", Synopsis: "--out DIR",
			Summary: "every scripted scenario in ru, cs and en: Markdown per language and a side-by-side HTML gallery for locale testers",
			run:     runTranscript},
		{Name: "bench", Synopsis: "[flags]",
			Summary: "measure the bot's throughput and latency against a fake Bot API on loopback",
			run:     runBench},
		{Name: "version", Summary: "print the module version and the VCS revision paydesk was built from",
			run: runVersion},
		{Name: "help", Synopsis: "[command]", Summary: "print this help, or a command's",
			run: runHelp},
	}
}

// lookupCommand finds a command by name.
func lookupCommand(name string) (command, bool) {
	for _, c := range commands {
		if c.Name == name {
			return c, true
		}
	}
	return command{}, false
}

// run is main without the process: tests call it with their own
// arguments, environment and streams.
func run(ctx context.Context, args []string, e *Env) error {
	if len(args) == 0 {
		printHelp(e.Stderr)
		return errUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		printHelp(e.Stdout)
		return errHelp
	}
	c, ok := lookupCommand(args[0])
	if !ok {
		fmt.Fprintf(e.Stderr, "paydesk: unknown command %q\n\n", args[0])
		printHelp(e.Stderr)
		return errUsage
	}
	return c.run(ctx, e, args[1:])
}

// flags is a command's flag set: its usage is the command's synopsis and
// flags, plus more (a paragraph, may be nil).
func (e *Env) flags(name string, more func(w io.Writer)) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	fs.Usage = func() {
		c, _ := lookupCommand(name)
		w := fs.Output()
		fmt.Fprintf(w, "usage: %s\n\n%s.\n", synopsis(c), c.Summary)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(w, "\nflags:")
			fs.PrintDefaults()
		}
		if more != nil {
			fmt.Fprintln(w)
			more(w)
		}
	}
	return fs
}

// parse parses a command's flags and checks that between minArgs and
// maxArgs arguments are left (maxArgs < 0: any number).
func (e *Env) parse(fs *flag.FlagSet, args []string, minArgs, maxArgs int) ([]string, error) {
	// flag prints the usage itself on -h and on errors, to one output;
	// paydesk prints help to stdout and errors to stderr.
	usage := fs.Usage
	fs.Usage = func() {}
	fs.SetOutput(e.Stderr)
	err := fs.Parse(args)
	fs.Usage = usage
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(e.Stdout)
		fs.Usage()
		return nil, errHelp
	}
	if err != nil { // flag printed a line naming the bad flag
		shortUsage(e.Stderr, fs.Name())
		return nil, errUsage
	}
	rest := fs.Args()
	if len(rest) < minArgs || (maxArgs >= 0 && len(rest) > maxArgs) {
		switch {
		case len(rest) < minArgs:
			fmt.Fprintf(e.Stderr, "paydesk %s: missing argument\n", fs.Name())
		default:
			fmt.Fprintf(e.Stderr, "paydesk %s: unexpected argument %q\n", fs.Name(), rest[maxArgs])
		}
		shortUsage(e.Stderr, fs.Name())
		return nil, errUsage
	}
	return rest, nil
}

// synopsis is "paydesk <name> <synopsis>".
func synopsis(c command) string {
	return strings.TrimSpace("paydesk " + c.Name + " " + c.Synopsis)
}

// shortUsage is what follows a usage error: the synopsis and where the
// help is.
func shortUsage(w io.Writer, name string) {
	c, _ := lookupCommand(name)
	fmt.Fprintf(w, "usage: %s\nRun 'paydesk %s -h' for help.\n", synopsis(c), name)
}

// warnUnknownVars reports the PAYDESK_* variables in the environment that
// paydesk does not know.
func (e *Env) warnUnknownVars(warn func(msg string)) {
	if e.Environ == nil {
		return
	}
	for _, msg := range unknownVars(e.Environ()) {
		warn(msg)
	}
}

func runHelp(_ context.Context, e *Env, args []string) error {
	rest, err := e.parse(e.flags("help", nil), args, 0, 1)
	if err != nil {
		return err
	}
	if len(rest) == 1 {
		if _, ok := lookupCommand(rest[0]); !ok {
			fmt.Fprintf(e.Stderr, "paydesk help: unknown command %q\n", rest[0])
			return errUsage
		}
		return run(context.Background(), []string{rest[0], "-h"}, e)
	}
	printHelp(e.Stdout)
	return nil
}

// printHelp lists every command and every variable.
func printHelp(w io.Writer) {
	fmt.Fprint(w, "paydesk is the Telegram support bot of a payments app, in Russian, Czech and English.\n\n")
	fmt.Fprint(w, "usage: paydesk <command> [flags] [arguments]\n\ncommands:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "  %s\t%s\n", strings.TrimPrefix(synopsis(c), "paydesk "), c.Summary)
	}
	tw.Flush()
	fmt.Fprint(w, "\n`paydesk <command> -h` shows a command's flags.\n\n")
	printVariables(w)
}

// printVariables is the table of variables, as help shows it.
func printVariables(w io.Writer) {
	fmt.Fprint(w, "environment (serve reads them all; other commands say which they need):\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, v := range variables {
		def := v.Default
		if def == "" {
			def = "-"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", v.Name, def, v.Help)
	}
	tw.Flush()
}
