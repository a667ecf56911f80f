package console_test

import (
	"strings"
	"testing"
	"time"
)

// withdrawalCustomers are the demo customers of the withdrawal transcripts,
// one per language: KZ on the standard tier, CZ on gold, CZ on standard.
var withdrawalCustomers = []struct{ lang, phone string }{
	{"ru", "+77010000001"},
	{"cs", "+420601000001"},
	{"en", "+447700900001"},
}

// The demo's withdrawals, newest first, are the buttons of the list:
// [1] fresh at approval, [2] fresh at the provider, [3] rejected, [4] stuck
// at approval, [5] received, [6] stuck at the provider, [7] Menu.

// TestGoldenWithdrawal pins the withdrawal status flow in each language:
// the list, a stuck card, the escalation and a second press of it, the
// card stuck at the provider, fresh cards at both stages, a received and a
// rejected one.
func TestGoldenWithdrawal(t *testing.T) {
	for _, tc := range withdrawalCustomers {
		t.Run(tc.lang, func(t *testing.T) {
			s := NewSession(t)
			got := s.Run(Script{Lang: tc.lang, As: tc.phone, Lines: []string{
				"/start",
				"2", // Withdrawals
				"4", // stuck at approval: the card has the button
				"1", // Waiting more than N days?: a ticket is opened
				"1", // Menu
				"2",
				"4",
				"1", // the same button again: already escalated, same ticket
				"1",
				"2",
				"6", // stuck at the provider
				"2", // Back
				"1", // fresh at approval: no button yet, says when it would appear
				"1", // Back
				"2", // fresh at the provider
				"1",
				"5", // received
				"2",
				"3", // rejected
			}})
			Golden(t, "withdrawal."+tc.lang, got)
		})
	}
}

// TestGoldenWithdrawalNudge pins the proactive nudge: a stuck withdrawal at
// each stage is nudged once, with the button; the next tick sends nothing.
func TestGoldenWithdrawalNudge(t *testing.T) {
	for _, tc := range withdrawalCustomers {
		t.Run(tc.lang, func(t *testing.T) {
			s := NewSession(t)
			got := s.Run(Script{Lang: tc.lang, As: tc.phone, Lines: []string{"/menu"}})
			got += s.Tick(tc.phone)
			s.Advance(time.Hour)
			second := s.Tick(tc.phone)
			if strings.Count(second, "\n") > 2 {
				t.Errorf("a second tick sent again:\n%s", second)
			}
			Golden(t, "withdrawal-nudge."+tc.lang, got+second)
		})
	}
}

// TestDemoHasStuckAndFreshWithdrawals: every demo customer, the recipient
// of transfers too, can try the button on a stuck withdrawal and see a
// fresh one without it, whatever language they speak.
func TestDemoHasStuckAndFreshWithdrawals(t *testing.T) {
	phones := []string{"+77010000001", "+420601000001", "+447700900001", "+77010000002"}
	for _, phone := range phones {
		t.Run(phone, func(t *testing.T) {
			s := NewSession(t)
			list := s.Run(Script{Lang: "en", As: phone, Lines: []string{"/menu", "Withdrawals"}})
			var items int
			for _, line := range strings.Split(list, "\n") {
				if strings.Contains(line, " · ") {
					items++
				}
			}
			var stuck, fresh int
			for i := 1; i <= items; i++ {
				card := s.Run(Script{Lang: "en", As: phone, Lines: []string{"/menu", "Withdrawals", itoa(i)}})
				switch {
				case strings.Contains(card, "[1] Waiting more than"):
					stuck++
				case strings.Contains(card, "button will appear here"):
					fresh++
				}
			}
			if stuck == 0 || fresh == 0 {
				t.Errorf("%d withdrawals: %d stuck with the button, %d fresh; want at least one of each\n%s", items, stuck, fresh, list)
			}
		})
	}
}
