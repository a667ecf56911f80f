package console_test

import (
	"strings"
	"testing"
	"time"
)

// TestGoldenSupport pins the support handoff in each language, both sides:
// "Talk to support" and the case card, the relay both ways, canned replies,
// taking the ticket, closing and rating, reopening by a message within a
// day, leaving the queue, and the answer outside working hours.
func TestGoldenSupport(t *testing.T) {
	for _, tc := range []struct{ lang, phone, hello, more, back string }{
		{"ru", "+77010000001", "Где мои деньги за вывод?", "И ещё вопрос по переводу", "Вернуться к боту"},
		{"cs", "+420601000001", "Kde jsou moje peníze?", "Ještě jeden dotaz", "Zpět k botovi"},
		{"en", "+447700900001", "Where is my money?", "One more question", "Back to the bot"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			s := NewSession(t)
			got := s.Run(Script{Lang: tc.lang, As: tc.phone, Lines: []string{
				"/start",
				"4", // Talk to support
				tc.hello,
				"#photo screenshot-1",
				"/start", // goes to the agents, not to the bot
				"agent: Hello, I'm looking into it",
				"agent: /canned",
				"agent: /canned checking",
				"agent: /assign",
				"agent: /assign @maria", // passes it on: the customer is told
				"agent: /note customer is worried",
				"agent: /close",
				"4", // rates the help 4 of 5
				tc.more,
				"agent: /done",
			}})
			s.Advance(10 * time.Hour) // 19:00 UTC: support has gone home
			got += s.Run(Script{Lang: tc.lang, As: tc.phone, Lines: []string{
				"/support",
				tc.back,
			}})
			Golden(t, "support."+tc.lang, got)
		})
	}
}

// TestReadmeSupportWalkUnlinked plays the README's support walk in a chat
// that is not linked: the person reaches support, "hello" is copied to the
// agents (not refused as a typed phone number), and the agent closes it.
func TestReadmeSupportWalkUnlinked(t *testing.T) {
	s := NewSession(t)
	got := s.Run(Script{Lang: "en", Lines: []string{"/start", "4", "hello", "agent: /close"}})
	for _, want := range []string{"Ticket #1 is open", "Not verified", "the customer's message, copied", "Support has closed ticket #1"} {
		if !strings.Contains(got, want) {
			t.Errorf("the walk lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Share my phone number") {
		t.Errorf("an unlinked chat was asked to link before reaching support:\n%s", got)
	}
}
