package console_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"paydesk/flows"
	"paydesk/flows/console"
)

// Demo customers of the transfer transcripts: Айгерим sends, Нурлан
// received three of her recent transfers (store/sqlite/seed.go).
const (
	sender    = "+77010000001"
	recipient = "+77010000002"
)

// TestGoldenTransferCancellation pins "Cancel a transfer" end to end, in
// each language, for both sides: the recipient links the bot first (so the
// request reaches them), the sender browses the history, sees why an old
// transfer cannot be cancelled and requests cancellation of three recent
// ones; the recipient returns the money of one, declines another and leaves
// the third open; a week later it expires, and the recipient's late press
// finds it closed; the sender finds each outcome on the receipt and talks to
// support about the expired one.
func TestGoldenTransferCancellation(t *testing.T) {
	for _, tc := range []struct{ lang, label string }{
		{"ru", "Русский"},
		{"cs", "Čeština"},
		{"en", "English"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			s := NewSession(t)
			var b strings.Builder
			part := func(title, transcript string) {
				b.WriteString("======== " + title + " ========\n" + transcript)
			}
			part("recipient links the bot and picks a language", s.Run(Script{Lang: tc.lang, As: recipient, Lines: []string{
				"/language", tc.label,
			}}))
			part("sender: history, an old transfer, three requests", s.Run(Script{Lang: tc.lang, As: sender, Lines: []string{
				"/language", tc.label,
				"/menu",
				"1", // Transfers: history, page 1
				"6", // Next: page 2
				"3", // a transfer older than a month
				"2", // Back to page 2
				"5", // Previous: page 1
				"1", // the newest transfer, to Нурлан
				"1", // Request cancellation
				"1", // Yes: the recipient is asked
				"1", // Back to the history
				"3", // another transfer to Нурлан
				"1", "1",
				"1",
				"4", // a third one
				"1", "1",
			}}))
			r := s.keep(Script{Lang: tc.lang, As: recipient})
			part("recipient: returns one, declines another, leaves the third", r.lines(
				"/menu",
				"1", // Transfers: the requests to them on top
				"1", // the first request
				"1", // Return the money
				"1", // Yes, return
				"/menu",
				"1",
				"1", // the next request
				"2", // Decline
				"/menu",
				"1",
				"1", // the last one, opened and left unanswered
			))
			s.Advance(flows.RecipientAnswerTime)
			part("a week later: the third request expires", s.Tick(sender))
			part("recipient presses Return the money on the old message", r.lines("1"))
			part("sender: the outcomes on the receipts, support", s.Run(Script{Lang: tc.lang, As: sender, Lines: []string{
				"/menu",
				"1",
				"1", // the returned transfer
				"1", // Back
				"3", // the declined one
				"2", // Back
				"4", // the expired one
				"1", // Talk to support
			}}))
			Golden(t, "transfer-cancel."+tc.lang, b.String())
		})
	}
}

// liveChat is a customer's console kept across clock moves, so a transcript
// can press a button on a message shown before time passed.
type liveChat struct {
	t   *testing.T
	c   *console.Console
	out *bytes.Buffer
}

// keep opens a console for an already linked demo customer.
func (s *Session) keep(sc Script) *liveChat {
	out := new(bytes.Buffer)
	return &liveChat{t: s.t, c: s.console(out, sc), out: out}
}

// lines plays lines and returns what they printed.
func (l *liveChat) lines(lines ...string) string {
	l.t.Helper()
	for _, line := range lines {
		if err := l.c.Line(context.Background(), line); err != nil {
			l.t.Fatalf("line %q: %v\ntranscript so far:\n%s", line, err, l.out.String())
		}
	}
	got := l.out.String()
	l.out.Reset()
	return got
}
