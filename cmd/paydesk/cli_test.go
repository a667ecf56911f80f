package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a bytes.Buffer that a running serve and the test can
// share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testEnv is a process environment of env alone, with stdout and stderr
// captured.
func testEnv(env map[string]string) (e *Env, stdout, stderr *syncBuffer) {
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	e = &Env{
		Getenv: func(k string) string { return env[k] },
		Environ: func() []string {
			var out []string
			for k, v := range env {
				out = append(out, k+"="+v)
			}
			return out
		},
		Stdin:  strings.NewReader(""),
		Stdout: stdout,
		Stderr: stderr,
	}
	return e, stdout, stderr
}

func TestHelpListsEveryCommandAndVariable(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		e, stdout, stderr := testEnv(nil)
		code := exitCode(run(context.Background(), args, e), e.Stderr)
		if code != 0 || stderr.String() != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
		}
		for _, c := range commands {
			if !strings.Contains(stdout.String(), "  "+c.Name) || !strings.Contains(stdout.String(), c.Summary) {
				t.Errorf("%v: command %s missing from help", args, c.Name)
			}
		}
		for _, v := range variables {
			if !strings.Contains(stdout.String(), v.Name) {
				t.Errorf("%v: variable %s missing from help", args, v.Name)
			}
		}
	}
}

// Every command answers -h with its help on stdout, exit 0, and starts
// nothing: serve -h with no token would otherwise fail to start.
func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range commands {
		for _, args := range [][]string{{c.Name, "-h"}, {c.Name, "--help"}, {"help", c.Name}} {
			e, stdout, stderr := testEnv(nil)
			err := run(context.Background(), args, e)
			if code := exitCode(err, e.Stderr); code != 0 {
				t.Errorf("%v: exit %d (%v), stderr %q", args, code, err, stderr)
			}
			if !strings.Contains(stdout.String(), "usage: paydesk "+c.Name) || stderr.String() != "" {
				t.Errorf("%v: stdout %q, stderr %q", args, stdout, stderr)
			}
		}
	}
	e, stdout, _ := testEnv(nil)
	run(context.Background(), []string{"serve", "-h"}, e)
	if !strings.Contains(stdout.String(), "PAYDESK_TELEGRAM_TOKEN") {
		t.Errorf("serve -h does not list the variables:\n%s", stdout)
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // in stderr
	}{
		{nil, "usage: paydesk <command>"},
		{[]string{"serv"}, `unknown command "serv"`},
		{[]string{"serve", "--port", "80"}, "flag provided but not defined: -port"},
		{[]string{"serve", "now"}, `unexpected argument "now"`},
		{[]string{"demo", "--as"}, "flag needs an argument: -as"},
		{[]string{"demo", "extra"}, `unexpected argument "extra"`},
		{[]string{"link-token"}, "missing argument"},
		{[]string{"link-token", "1", "2"}, `unexpected argument "2"`},
		{[]string{"link-token", "--ttl", "soon", "1"}, "invalid value"},
		{[]string{"locales"}, "missing argument"},
		{[]string{"locales", "fix"}, `unknown subcommand "fix"`},
		{[]string{"version", "--short"}, "flag provided but not defined"},
		{[]string{"help", "nope"}, `unknown command "nope"`},
	} {
		e, stdout, stderr := testEnv(map[string]string{"PAYDESK_SECRET": testSecret})
		err := run(context.Background(), tc.args, e)
		if code := exitCode(err, e.Stderr); code != 2 {
			t.Errorf("%v: exit %d (%v), want 2", tc.args, code, err)
		}
		if !strings.Contains(stderr.String(), tc.want) || stdout.String() != "" {
			t.Errorf("%v: stderr %q (want %q), stdout %q", tc.args, stderr, tc.want, stdout)
		}
	}
	// A runtime error is not a usage error.
	e, _, stderr := testEnv(nil)
	if code := exitCode(run(context.Background(), []string{"link-token", "7"}, e), e.Stderr); code != 1 ||
		!strings.Contains(stderr.String(), "PAYDESK_SECRET") {
		t.Errorf("link-token without a secret: exit %d, stderr %q; want 1 naming PAYDESK_SECRET", code, stderr)
	}
}

func TestVersion(t *testing.T) {
	e, stdout, _ := testEnv(nil)
	if err := run(context.Background(), []string{"version"}, e); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stdout.String(), "paydesk ") {
		t.Errorf("version: %q", stdout)
	}
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "paydesk", Version: "v1.4.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.time", Value: "2026-12-01T20:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	if got, want := versionLine(bi), "paydesk v1.4.0 revision 0123abcd with uncommitted changes (2026-12-01T20:00:00Z) go1.26.8"; got != want {
		t.Errorf("versionLine = %q, want %q", got, want)
	}
	if got := versionLine(&debug.BuildInfo{GoVersion: "go1.26.8"}); !strings.Contains(got, "(devel)") || !strings.Contains(got, "revision unknown") {
		t.Errorf("versionLine without VCS info = %q", got)
	}
}

// A binary built in this git checkout says which revision it is.
func TestVersionOfABuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skip("not in a git checkout")
	}
	// The go command stamps only a checkout whose .git is a directory: not
	// a `git worktree` (whose .git is a file).
	if st, err := os.Stat(filepath.Join(strings.TrimSpace(string(top)), ".git")); err != nil || !st.IsDir() {
		t.Skip("a git worktree: go build records no VCS information")
	}
	rev, _ := exec.Command("git", "rev-parse", "HEAD").Output()
	bin := buildPaydesk(t, "-buildvcs=true")
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "revision "+strings.TrimSpace(string(rev))) {
		t.Errorf("version: %q, want revision %s", out, rev)
	}
}

func TestUnknownVariablesAreWarned(t *testing.T) {
	got := unknownVars([]string{"PAYDESK_TELEGRAM_TOKEN=x", "PAYDESK_WEBHOOK_SECERT=y", "PAYDESK_COLOR=z", "HOME=/root"})
	if len(got) != 2 || !strings.Contains(got[0], "PAYDESK_WEBHOOK_SECERT") || !strings.Contains(got[0], "did you mean PAYDESK_WEBHOOK_SECRET?") ||
		!strings.Contains(got[1], "PAYDESK_COLOR") || strings.Contains(got[1], "did you mean") {
		t.Errorf("warnings %q", got)
	}
	// link-token warns on stderr and still works.
	e, stdout, stderr := testEnv(map[string]string{"PAYDESK_SECRET": testSecret, "PAYDESK_SECERT": testSecret})
	if err := run(context.Background(), []string{"link-token", "7"}, e); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "PAYDESK_SECERT is not a paydesk variable") || !strings.HasPrefix(stdout.String(), "/start link-") {
		t.Errorf("stdout %q, stderr %q", stdout, stderr)
	}
}

func TestExitCodes(t *testing.T) {
	var stderr bytes.Buffer
	for err, want := range map[error]int{nil: 0, errHelp: 0, errUsage: 2, errors.New("store unreachable"): 1} {
		if got := exitCode(err, &stderr); got != want {
			t.Errorf("exitCode(%v) = %d, want %d", err, got, want)
		}
	}
	if stderr.String() != "paydesk: store unreachable\n" {
		t.Errorf("stderr %q", stderr.String())
	}
}

// The README documents every variable and command of the tables, so
// adding one to a table without a word for operators fails here.
func TestReadmeDocumentsEveryVariableAndCommand(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range variables {
		if !strings.Contains(string(readme), v.Name) {
			t.Errorf("README.md does not mention `%s`", v.Name)
		}
	}
	for _, c := range commands {
		if !strings.Contains(string(readme), "`paydesk "+c.Name) {
			t.Errorf("README.md does not mention `paydesk %s`", c.Name)
		}
	}
}
