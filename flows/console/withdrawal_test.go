package console_test

import (
	"strings"
	"testing"

	"paydesk/flows/console/scenario"
)

// TestDemoHasStuckAndFreshWithdrawals: every demo customer, the recipient
// of transfers too, can try the button on a stuck withdrawal and see a
// fresh one without it, whatever language they speak.
func TestDemoHasStuckAndFreshWithdrawals(t *testing.T) {
	phones := []string{"+77010000001", "+420601000001", "+447700900001", "+77010000002"}
	for _, phone := range phones {
		t.Run(phone, func(t *testing.T) {
			p := newPlayer(t, "en")
			list := run(t, p, scenario.Script{As: phone, Lines: []string{"/menu", "Withdrawals"}})
			var items int
			for _, line := range strings.Split(list, "\n") {
				if strings.Contains(line, " · ") {
					items++
				}
			}
			var stuck, fresh int
			for i := 1; i <= items; i++ {
				card := run(t, p, scenario.Script{As: phone, Lines: []string{"/menu", "Withdrawals", itoa(i)}})
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
