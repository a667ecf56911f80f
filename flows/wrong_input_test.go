package flows_test

import (
	"slices"
	"testing"

	"paydesk/flows"
)

// TestWrongInputShowsTheSameScreen: text, a sticker or a photo where a
// screen of buttons waits is answered "please use the buttons" above that
// same screen, not the main menu; nothing changes.
func TestWrongInputShowsTheSameScreen(t *testing.T) {
	h := newHarness(t)
	h.linkAs(1)
	menu := h.do(flows.Event{Kind: flows.EventCommand, Command: "menu"})
	withdrawals := h.pressData(button(t, menu, "menu.withdrawals"))
	card := h.pressData(withdrawals.Replies[0].Screen.Inline[0][0].Data)
	history := h.pressData(button(t, menu, "menu.transfers"))
	returns := h.pressData(button(t, menu, "menu.returns"))
	for _, tc := range []struct {
		name   string
		screen string // the data of the button that showed it
		shown  flows.Outcome
	}{
		{"withdrawals", button(t, menu, "menu.withdrawals"), withdrawals},
		{"withdrawal card", withdrawals.Replies[0].Screen.Inline[0][0].Data, card},
		{"transfer history", button(t, menu, "menu.transfers"), history},
		{"returns", button(t, menu, "menu.returns"), returns},
		{"language", button(t, menu, "menu.language"), h.pressData(button(t, menu, "menu.language"))},
	} {
		for _, ev := range []flows.Event{
			{Kind: flows.EventText, Text: "hello"},
			{Kind: flows.EventOther},
			{Kind: flows.EventPhoto, FileID: "AgAC"},
		} {
			h.pressData(tc.screen)
			out := h.do(ev)
			want := append([]string{"common.not_understood"}, ids(tc.shown)...)
			if got := ids(out); !slices.Equal(got, want) {
				t.Errorf("%s, %s: screens %v, want %v", tc.name, ev.Kind, got, want)
			}
			for _, r := range out.Replies {
				if r.Screen.Replace {
					t.Errorf("%s: the answer to typed input edits a message instead of sending one", tc.name)
				}
			}
		}
	}
	// Where no screen of buttons is known (after a command), the menu.
	h.do(flows.Event{Kind: flows.EventCommand, Command: "help"})
	wantIDs(t, h.text("hello"), "common.not_understood", "menu.title")
}
