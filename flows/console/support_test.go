package console_test

import (
	"strings"
	"testing"

	"paydesk/flows/console/scenario"
)

// TestReadmeSupportWalkUnlinked plays the README's support walk in a chat
// that is not linked: the person reaches support, "hello" is copied to the
// agents (not refused as a typed phone number), and the agent closes it.
func TestReadmeSupportWalkUnlinked(t *testing.T) {
	got := run(t, newPlayer(t, "en"), scenario.Script{Lines: []string{"/start", "4", "hello", "agent: /close"}})
	for _, want := range []string{"Ticket #1 is open", "Not verified", "the customer's message, copied", "Support has closed ticket #1"} {
		if !strings.Contains(got, want) {
			t.Errorf("the walk lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Share my phone number") {
		t.Errorf("an unlinked chat was asked to link before reaching support:\n%s", got)
	}
}
