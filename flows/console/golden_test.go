package console_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"paydesk/flows"
	"paydesk/flows/console"
	"paydesk/locales"
	"paydesk/store/sqlite"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/")

// goldenNow is the fixed moment every golden transcript is recorded at: a
// Monday morning, 14:00 in Almaty and 10:00 in Prague.
var goldenNow = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// Script is one customer's conversation for a golden transcript.
type Script struct {
	Lang  string // the Telegram language code of the customer
	As    string // phone of the demo customer the chat is linked to; "" for unlinked
	Lines []string
}

// Session is a demo ledger and an engine at a fixed time, shared by the
// customers of one transcript (a sender and a recipient, say).
type Session struct {
	t      *testing.T
	db     *sqlite.DB
	engine *flows.Engine
	bundle *locales.Bundle
	now    time.Time
}

// NewSession seeds a demo ledger in a temporary file at goldenNow.
func NewSession(t *testing.T) *Session {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "golden.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.SeedDemo(ctx, goldenNow); err != nil {
		t.Fatal(err)
	}
	bundle, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	s := &Session{t: t, db: db, bundle: bundle, now: goldenNow}
	s.engine = flows.New(db, db,
		flows.WithSecret([]byte("golden-transcripts-secret-0123456789")),
		flows.WithClock(func() time.Time { return s.now }))
	return s
}

// Advance moves the session's clock.
func (s *Session) Advance(d time.Duration) { s.now = s.now.Add(d) }

// Tick runs the periodic jobs at the session's clock, as seen from the chat
// of the demo customer with this phone, and returns that transcript.
func (s *Session) Tick(phone string) string {
	s.t.Helper()
	var out bytes.Buffer
	c := s.console(&out, Script{As: phone})
	if err := c.Tick(context.Background()); err != nil {
		s.t.Fatalf("tick: %v", err)
	}
	return out.String()
}

// Run plays a script and returns the transcript.
func (s *Session) Run(sc Script) string {
	s.t.Helper()
	var out bytes.Buffer
	c := s.console(&out, sc)
	ctx := context.Background()
	if sc.As != "" {
		if err := c.Link(ctx, sc.As); err != nil {
			s.t.Fatal(err)
		}
	}
	for _, line := range sc.Lines {
		if err := c.Line(ctx, line); err != nil {
			s.t.Fatalf("line %q: %v\ntranscript so far:\n%s", line, err, out.String())
		}
	}
	return out.String()
}

// console is a console for the script's customer: the demo customer's own
// chat when the script names a phone.
func (s *Session) console(out *bytes.Buffer, sc Script) *console.Console {
	s.t.Helper()
	c := console.New(s.engine, s.bundle, out)
	c.Echo, c.Strict, c.LanguageCode, c.Phone = true, true, sc.Lang, sc.As
	if sc.As != "" {
		cust, err := s.db.CustomerByPhone(context.Background(), sc.As)
		if err != nil {
			s.t.Fatalf("demo customer %s: %v", sc.As, err)
		}
		c.ChatID, c.UserID = console.ChatOf(cust.ID), console.ChatOf(cust.ID)
	}
	return c
}

// Golden compares got with testdata/name.golden, or rewrites it with -update.
func Golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./flows/console -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("transcript %s differs from %s (go test ./flows/console -update, then read the diff):\n%s", name, path, diff(string(want), got))
	}
}

// diff shows the first differing lines, enough to see what changed.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + itoa(i+1) + "\n  want: " + wl + "\n  got:  " + gl + "\n")
			shown++
		}
	}
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }
