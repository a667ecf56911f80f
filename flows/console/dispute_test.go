package console_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// disputeCustomers are the demo customers, one per language, each with a
// refusal from a day ago (disputable, the second request in the list) and
// one from four days ago (closed, the third).
var disputeCustomers = []struct{ lang, phone, order, text string }{
	{"ru", "+77010000001", "KZ-458812", "Левый наушник не заряжается <b>& не подключается</b> с первого дня. Следов использования нет."},
	{"cs", "+420601000001", "CZ-702114", "Levé sluchátko se nenabíjí <b>& nepřipojí</b> se od prvního dne. Stopy používání nemá."},
	{"en", "+447700900001", "EU-310577", "The left earphone does not charge <b>& won't pair</b> since day one. There are no signs of use."},
}

// TestGoldenDispute is the demo walk of each customer: the list, a refused
// request's card with its deadline, the whole form (a wrong answer at two
// steps, two photos), sending it, the list again, and the closed request
// that offers support.
func TestGoldenDispute(t *testing.T) {
	for _, tc := range disputeCustomers {
		t.Run(tc.lang, func(t *testing.T) {
			s := NewSession(t)
			got := s.Run(Script{Lang: tc.lang, As: tc.phone, Lines: []string{
				"/menu",
				"3",                                // Returns and disputes
				"2",                                // the request refused a day ago
				"1",                                // Dispute the refusal
				"hello",                            // typed instead of choosing a reason
				"2",                                // Item is damaged
				"#photo AgACAgIAAxkBAAIBWmZ0early", // a photo instead of words
				tc.text,
				"#photo AgACAgIAAxkBAAIBW2Z0one",
				"#photo AgACAgIAAxkBAAIBXGZ0two",
				"hello", // text while photos are expected
				"1",     // Done
				"1",     // Send
				"/menu",
				"3", // the list shows the dispute under review
				"3", // the request refused four days ago: closed
				"1", // Talk to support
			}})
			Golden(t, "dispute."+tc.lang, got)
		})
	}
}

// TestGoldenDisputeWindow walks the clock: the time left with two plural
// numbers, "Back" keeping the description, leaving the form by "Cancel"
// (confirmed) and by /cancel, the reminder when 24 h
// are left (sent once), and a form sent one second after the deadline.
func TestGoldenDisputeWindow(t *testing.T) {
	for _, tc := range disputeCustomers {
		t.Run(tc.lang, func(t *testing.T) {
			s := NewSession(t)
			ctx := context.Background()
			var out bytes.Buffer
			c := s.console(&out, Script{Lang: tc.lang, As: tc.phone})
			if err := c.Link(ctx, tc.phone); err != nil {
				t.Fatal(err)
			}
			play := func(lines ...string) {
				t.Helper()
				for _, line := range lines {
					if err := c.Line(ctx, line); err != nil {
						t.Fatalf("line %q: %v\ntranscript so far:\n%s", line, err, out.String())
					}
				}
			}
			tick := func() string {
				t.Helper()
				got := s.Tick(tc.phone)
				out.WriteString(got)
				return got
			}

			s.Advance(19 * time.Hour) // 1 day 5 hours left
			play("/menu", "3", "2",
				"1", "4", tc.text, "2", // Back at the photos step: the description, kept
				"3", "1", // Cancel, confirmed: nothing recorded
				"1", "5", "/cancel") // /cancel at the text step
			if got := tick(); strings.Contains(got, tc.order) {
				t.Fatalf("a reminder with more than 24 h left:\n%s", got)
			}
			s.Advance(6 * time.Hour) // 23 hours left: the reminder
			if got := tick(); !strings.Contains(got, tc.order) {
				t.Fatalf("no reminder with 23 h left:\n%s", got)
			}
			if got := tick(); strings.Contains(got, tc.order) {
				t.Fatalf("the reminder was sent twice:\n%s", got)
			}
			play("/menu", "3", "2", "1", "1", tc.text, "1") // up to the summary, in time
			s.Advance(23*time.Hour + time.Second)           // one second past the deadline
			play("1",                                       // Send: refused in the card's words
				"1") // Talk to support
			Golden(t, "dispute-window."+tc.lang, out.String())
		})
	}
}
