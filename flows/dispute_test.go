package flows_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"paydesk/flows"
	"paydesk/locales"
	"paydesk/store"
	"paydesk/store/sqlite"
)

// Demo return requests (store/sqlite/seed.go): each of the first three
// customers has one refused a day before t0 (disputable until t0+48h) and
// one refused four days before (closed).
const (
	aigerimRefused = 301 // customer 1, Asia/Almaty
	aigerimClosed  = 302
	johnRefused    = 309 // customer 3, Europe/Prague
	terezaRefused  = 305 // customer 2
)

var phones = map[store.CustomerID]string{1: "+77010000001", 2: "+420601000001", 3: "+447700900001"}

// restartable is a harness whose bot can be restarted: a new store over
// the same SQLite file and a new Engine, as after a deploy.
type restartable struct {
	*harness
	path string
}

func newRestartable(t *testing.T) *restartable {
	t.Helper()
	h := &restartable{harness: &harness{t: t, now: t0}, path: filepath.Join(t.TempDir(), "dispute.db")}
	h.restart()
	if err := h.db.SeedDemo(context.Background(), t0); err != nil {
		t.Fatal(err)
	}
	return h
}

func (h *restartable) restart() {
	h.t.Helper()
	if h.db != nil {
		if err := h.db.Close(); err != nil {
			h.t.Fatal(err)
		}
	}
	db, err := sqlite.Open(context.Background(), h.path)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { db.Close() })
	h.db = db
	h.engine = flows.New(db, db,
		flows.WithSecret([]byte("flows-test-secret-0123456789abcdef")),
		flows.WithClock(func() time.Time { return h.now }))
}

func (h *harness) linkAs(id store.CustomerID) {
	h.t.Helper()
	h.do(contact(phones[id], chat))
}

func (h *harness) pressData(data string) flows.Outcome {
	h.t.Helper()
	return h.do(flows.Event{Kind: flows.EventAction, Data: data})
}

func (h *harness) text(s string) flows.Outcome {
	h.t.Helper()
	return h.do(flows.Event{Kind: flows.EventText, Text: s})
}

func (h *harness) photo(fileID string) flows.Outcome {
	h.t.Helper()
	return h.do(flows.Event{Kind: flows.EventPhoto, FileID: fileID})
}

// buttonTo finds the button whose label is the message label and whose
// label names the order (the list has one button per request).
func buttonTo(t *testing.T, out flows.Outcome, label, order string) string {
	t.Helper()
	for _, r := range out.Replies {
		for _, row := range r.Screen.Inline {
			for _, b := range row {
				if b.Label.ID == label && b.Label.Args["Order"] == order {
					return b.Data
				}
			}
		}
	}
	t.Fatalf("no button %q for order %s in %v", label, order, ids(out))
	return ""
}

// openCard goes from the menu to the card of the request with this order.
func (h *harness) openCard(order string) flows.Outcome {
	h.t.Helper()
	menu := h.do(flows.Event{Kind: flows.EventCommand, Command: "menu"})
	list := h.pressData(button(h.t, menu, "menu.returns"))
	return h.pressData(buttonTo(h.t, list, "dispute.list_button", order))
}

// toSummary walks the form from a card to the summary: reason, text, photos.
func (h *harness) toSummary(card flows.Outcome, reason, text string, photos ...string) flows.Outcome {
	h.t.Helper()
	picker := h.pressData(button(h.t, card, "dispute.dispute_button"))
	h.pressData(button(h.t, picker, "dispute.reason_"+reason))
	out := h.text(text)
	for _, p := range photos {
		out = h.photo(p)
	}
	return h.pressData(button(h.t, out, "dispute.done_button"))
}

func (h *harness) dispute(id int64) (store.Dispute, bool) {
	h.t.Helper()
	d, err := h.db.DisputeOf(context.Background(), id)
	if errors.Is(err, store.ErrNotFound) {
		return d, false
	}
	if err != nil {
		h.t.Fatal(err)
	}
	return d, true
}

func has(out flows.Outcome, id string) bool { return slices.Contains(ids(out), id) }

// hasOrder reports whether any paragraph names the order.
func hasOrder(out flows.Outcome, order string) bool {
	for _, r := range out.Replies {
		for _, m := range r.Screen.Body {
			if m.Args["Order"] == order {
				return true
			}
		}
	}
	return false
}

// TestDisputeSurvivesRestart restarts the bot (new store, new Engine, same
// file) between every two steps of the form; the dispute is recorded with
// everything the customer gave.
func TestDisputeSurvivesRestart(t *testing.T) {
	h := newRestartable(t)
	h.linkAs(1)
	h.restart()
	menu := h.do(flows.Event{Kind: flows.EventCommand, Command: "menu"})
	h.restart()
	list := h.pressData(button(t, menu, "menu.returns"))
	h.restart()
	card := h.pressData(buttonTo(t, list, "dispute.list_button", "KZ-458812"))
	h.restart()
	picker := h.pressData(button(t, card, "dispute.dispute_button"))
	h.restart()
	ask := h.pressData(button(t, picker, "dispute.reason_wrong_item"))
	wantIDs(t, ask, "dispute.ask_text")
	h.restart()
	const text = "  Пришёл другой цвет <b>&amp; размер</b>\nи без чека.  "
	wantIDs(t, h.text(text), "dispute.ask_photos")
	h.restart()
	wantIDs(t, h.photo("AgAC-first"), "dispute.photo_added")
	h.restart()
	out := h.photo("AgAC-second")
	h.restart()
	summary := h.pressData(button(t, out, "dispute.done_button"))
	wantIDs(t, summary, "dispute.summary")
	h.restart()
	if _, ok := h.dispute(aigerimRefused); ok {
		t.Fatal("a dispute was recorded before Send")
	}
	sent := h.pressData(button(t, summary, "dispute.confirm_button"))
	if got := ids(sent); len(got) < 2 || got[0] != "dispute.sent" || got[1] != "dispute.card" {
		t.Fatalf("after Send: %v", got)
	}
	d, ok := h.dispute(aigerimRefused)
	want := store.Dispute{ID: d.ID, ReturnRequestID: aigerimRefused, Reason: "wrong_item", Text: text,
		PhotoFileIDs: []string{"AgAC-first", "AgAC-second"}, Status: store.DisputeUnderReview, CreatedAt: t0}
	if !ok || d.Reason != want.Reason || d.Text != want.Text || !slices.Equal(d.PhotoFileIDs, want.PhotoFileIDs) ||
		d.Status != want.Status || !d.CreatedAt.Equal(t0) {
		t.Fatalf("recorded %+v, want %+v", d, want)
	}
	s := h.session()
	delete(s.Data, "view") // the card shown, for wrong input on it
	if s.Flow != "" || len(s.Data) != 0 {
		t.Fatalf("the form stays in the session after Send: %+v", s)
	}
	h.restart()
	if card := h.openCard("KZ-458812"); !has(card, "dispute.card_dispute") || has(card, "dispute.card_open") {
		t.Fatalf("card after the dispute: %v", ids(card))
	}
}

// TestDisputeDeadlineToTheSecond opens the form in time and presses Send
// around the deadline, for customers in two zones: one second before it is
// recorded; at the deadline or a second after, it is refused with the
// card's own words and nothing is recorded.
func TestDisputeDeadlineToTheSecond(t *testing.T) {
	cases := []struct {
		customer store.CustomerID
		request  int64
		order    string
		send     time.Duration // after the deadline
		recorded bool
	}{
		{1, aigerimRefused, "KZ-458812", -time.Second, true},
		{1, aigerimRefused, "KZ-458812", 0, false},
		{1, aigerimRefused, "KZ-458812", time.Second, false},
		{3, johnRefused, "EU-310577", -time.Second, true},
		{3, johnRefused, "EU-310577", time.Second, false},
	}
	deadline := t0.Add(48 * time.Hour) // refused at t0 - 24 h
	for _, tc := range cases {
		t.Run(tc.order+tc.send.String(), func(t *testing.T) {
			h := newHarness(t)
			h.linkAs(tc.customer)
			h.now = deadline.Add(-time.Hour)
			summary := h.toSummary(h.openCard(tc.order), "other", "late")
			h.now = deadline.Add(tc.send)
			out := h.pressData(button(t, summary, "dispute.confirm_button"))
			_, recorded := h.dispute(tc.request)
			if recorded != tc.recorded {
				t.Fatalf("recorded = %v, want %v (%v)", recorded, tc.recorded, ids(out))
			}
			if !tc.recorded {
				// Not sent, and said so; support gets the description.
				wantIDs(t, out, "dispute.late.not_sent", "dispute.card", "dispute.card_refusal", "dispute.window_closed")
				handoff := h.pressData(button(t, out, "dispute.support_button"))
				wantHandoff(t, handoff)
				if len(handoff.Relays) == 0 {
					t.Fatal("no case card")
				}
				card := render(t, handoff.Relays[0].Note)
				for _, want := range []string{"Dispute not sent in time", "Description: late", "Reason: Other", "sent it after the 3-day window"} {
					if !strings.Contains(card, want) {
						t.Errorf("case card lacks %q:\n%s", want, card)
					}
				}
				if h.session().Flow != "" {
					t.Fatal("the form stays open after the handoff")
				}
			}
		})
	}
}

// TestDisputeCardAroundDeadline: the button is there until the deadline and
// gone from it on; the closed card offers support, which opens one ticket.
func TestDisputeCardAroundDeadline(t *testing.T) {
	h := newHarness(t)
	h.linkAs(1)
	deadline := t0.Add(48 * time.Hour)
	h.now = deadline.Add(-time.Second)
	card := h.openCard("KZ-458812")
	wantIDs(t, card, "dispute.card", "dispute.card_refusal", "dispute.card_open")
	start := button(t, card, "dispute.dispute_button")
	h.now = deadline
	closed := h.openCard("KZ-458812")
	wantIDs(t, closed, "dispute.card", "dispute.card_refusal", "dispute.window_closed")
	// The button of the card shown a second earlier opens nothing now.
	wantIDs(t, h.pressData(start), "dispute.card", "dispute.card_refusal", "dispute.window_closed")
	if h.session().Flow != "" {
		t.Fatal("a form opened after the deadline")
	}
	support := button(t, closed, "dispute.support_button")
	wantHandoff(t, h.pressData(support))
	// While the ticket is open the bot's buttons answer that support has the chat, naming the ticket.
	wantIDs(t, h.pressData(support), "support.in_queue")
	tk, err := h.db.OpenTicketOfChat(context.Background(), chat)
	if err != nil || tk.Subject != "return:301" || tk.Reason != "dispute.handoff_reason" {
		t.Fatalf("ticket %+v, %v", tk, err)
	}
}

// TestDisputeForeignButtonsRefused: a chat that was linked to one customer
// and is now linked to another cannot see or dispute the first one's
// requests with the old buttons; a tampered id is refused as forged.
func TestDisputeForeignButtonsRefused(t *testing.T) {
	h := newHarness(t)
	h.linkAs(1)
	list := h.pressData(button(t, h.do(flows.Event{Kind: flows.EventCommand, Command: "menu"}), "menu.returns"))
	details := buttonTo(t, list, "dispute.list_button", "KZ-458812")
	card := h.pressData(details)
	start := button(t, card, "dispute.dispute_button")
	summary := h.toSummary(card, "damaged", "mine")
	confirm := button(t, summary, "dispute.confirm_button")
	h.linkAs(2) // the chat now belongs to Tereza
	// "Back" to the list carries no id: it shows Tereza's own list.
	if out := h.pressData(button(t, card, "common.back")); !has(out, "dispute.list_title") || hasOrder(out, "KZ-458812") {
		t.Fatalf("back to the list: %v", ids(out))
	}
	h.pressData(button(t, h.openCard("CZ-702114"), "dispute.dispute_button")) // she starts her own dispute
	for name, data := range map[string]string{"details": details, "start": start, "confirm": confirm} {
		out := h.pressData(data)
		if out.Toast.ID != "common.button_invalid" || !has(out, "common.button_invalid") {
			t.Errorf("%s of another customer's request: %v (toast %q)", name, ids(out), out.Toast.ID)
		}
	}
	tampered := strings.Replace(confirm, "|8d|", "|8h|", 1) // 301 -> 305 in base 36, MAC unchanged
	if tampered == confirm {
		t.Fatalf("confirm data %q does not carry 301 as 8d", confirm)
	}
	if out := h.pressData(tampered); out.Toast.ID != "common.button_invalid" {
		t.Errorf("tampered id: %v", ids(out))
	}
	if _, ok := h.dispute(aigerimRefused); ok {
		t.Fatal("a foreign button recorded a dispute")
	}
	if s := h.session(); s.Flow != "dispute" || s.Data["rr"] != "305" {
		t.Fatalf("refused buttons changed Tereza's form: %+v", s)
	}
	if _, ok := h.dispute(terezaRefused); ok {
		t.Fatal("a tampered button recorded a dispute")
	}
}

// TestDisputeDoubleTap: a second Send, and Send on an old summary after the
// dispute went out, record nothing more and say it was already sent.
func TestDisputeDoubleTap(t *testing.T) {
	h := newHarness(t)
	h.linkAs(1)
	summary := h.toSummary(h.openCard("KZ-458812"), "damaged", "first")
	confirm := button(t, summary, "dispute.confirm_button")
	if got := ids(h.pressData(confirm)); got[0] != "dispute.sent" {
		t.Fatalf("first Send: %v", got)
	}
	first, _ := h.dispute(aigerimRefused)
	out := h.pressData(confirm)
	if got := ids(out); len(got) == 0 || got[0] != "dispute.already_sent" {
		t.Fatalf("second Send: %v", got)
	}
	again, _ := h.dispute(aigerimRefused)
	if again.ID != first.ID || again.Text != "first" {
		t.Fatalf("second Send changed the dispute: %+v, was %+v", again, first)
	}
}

// TestDisputeLeaveRecordsNothing: "Back" from the first step, "Cancel" at
// every step (after a confirmation once something was typed) and /cancel
// leave the form; nothing is recorded, and an old Send after that is refused.
func TestDisputeLeaveRecordsNothing(t *testing.T) {
	h := newHarness(t)
	h.linkAs(1)
	card := h.openCard("KZ-458812")
	picker := h.pressData(button(t, card, "dispute.dispute_button"))
	wantIDs(t, h.pressData(button(t, picker, "common.back")), "common.cancelled", "dispute.card", "dispute.card_refusal", "dispute.card_open")
	picker = h.pressData(button(t, card, "dispute.dispute_button"))
	ask := h.pressData(button(t, picker, "dispute.reason_other"))
	// Nothing typed yet: Cancel leaves at once.
	wantIDs(t, h.pressData(button(t, ask, "dispute.form.cancel_button")), "common.cancelled", "dispute.card", "dispute.card_refusal", "dispute.card_open")
	summary := h.toSummary(card, "other", "text")
	cancel := button(t, summary, "dispute.form.cancel_button")
	ask2 := h.pressData(cancel)
	wantIDs(t, ask2, "dispute.form.cancel_ask")
	wantIDs(t, h.pressData(button(t, ask2, "dispute.form.cancel_no")), "dispute.summary")
	if s := h.session(); s.Step != "confirm" || s.Data["text"] != "text" {
		t.Fatalf("after “Continue”: %+v", s)
	}
	wantIDs(t, h.pressData(button(t, h.pressData(cancel), "dispute.form.cancel_yes")), "common.cancelled", "dispute.card", "dispute.card_refusal", "dispute.card_open")
	if got := ids(h.pressData(button(t, summary, "dispute.confirm_button"))); got[0] != "dispute.form_closed" {
		t.Fatalf("Send after Cancel: %v", got)
	}
	summary = h.toSummary(card, "other", "text")
	wantIDs(t, h.pressData(button(t, h.do(flows.Event{Kind: flows.EventCommand, Command: "cancel"}), "dispute.form.cancel_yes")),
		"common.cancelled", "dispute.card", "dispute.card_refusal", "dispute.card_open")
	if got := ids(h.pressData(button(t, summary, "dispute.confirm_button"))); got[0] != "dispute.form_closed" {
		t.Fatalf("Send after /cancel: %v", got)
	}
	if _, ok := h.dispute(aigerimRefused); ok {
		t.Fatal("leaving the form recorded a dispute")
	}
	if s := h.session(); s.Flow != "" {
		t.Fatalf("session after leaving: %+v", s)
	}
}

// TestDisputeBackKeepsWhatWasTyped: "Back" from the summary walks the form
// back one step at a time, keeping the photos, the description and the
// reason; a new reason keeps the rest, and the dispute sent has it all.
// TestDisputeSlashCancelAsksFirst: /cancel typed in the form is its Cancel
// button: with nothing typed it leaves at once; with a description or
// photos it asks first, "Continue" keeps the form at its step with what was
// typed, and only "Yes" leaves it, recording nothing.
func TestDisputeSlashCancelAsksFirst(t *testing.T) {
	h := newHarness(t)
	h.linkAs(1)
	slashCancel := flows.Event{Kind: flows.EventCommand, Command: "cancel"}
	card := h.openCard("KZ-458812")
	h.pressData(button(t, h.pressData(button(t, card, "dispute.dispute_button")), "dispute.reason_damaged"))
	wantIDs(t, h.do(slashCancel), "common.cancelled", "menu.title") // nothing typed yet
	if s := h.session(); s.Flow != "" {
		t.Fatalf("/cancel with nothing typed kept the form: %+v", s)
	}

	h.pressData(button(t, h.pressData(button(t, card, "dispute.dispute_button")), "dispute.reason_damaged"))
	h.text("The box was crushed")
	ask := h.do(slashCancel)
	wantIDs(t, ask, "dispute.form.cancel_ask")
	if s := h.session(); s.Flow != "dispute" || s.Step != "photos" || s.Data["text"] != "The box was crushed" {
		t.Fatalf("/cancel's question changed the form: %+v", s)
	}
	wantIDs(t, h.pressData(button(t, ask, "dispute.form.cancel_no")), "dispute.ask_photos")
	out := h.photo("P1")
	summary := h.pressData(button(t, out, "dispute.done_button"))
	ask = h.do(slashCancel)
	wantIDs(t, ask, "dispute.form.cancel_ask")
	wantIDs(t, h.pressData(button(t, ask, "dispute.form.cancel_no")), "dispute.summary")
	if s := h.session(); s.Step != "confirm" || s.Data["text"] != "The box was crushed" || s.Data["photos"] != "P1" {
		t.Fatalf("after “Continue”: %+v", s)
	}
	wantIDs(t, h.pressData(button(t, h.do(slashCancel), "dispute.form.cancel_yes")),
		"common.cancelled", "dispute.card", "dispute.card_refusal", "dispute.card_open")
	if got := ids(h.pressData(button(t, summary, "dispute.confirm_button"))); got[0] != "dispute.form_closed" {
		t.Fatalf("Send after /cancel: %v", got)
	}
	if _, ok := h.dispute(aigerimRefused); ok {
		t.Fatal("/cancel recorded a dispute")
	}
}

func TestDisputeBackKeepsWhatWasTyped(t *testing.T) {
	h := newHarness(t)
	h.linkAs(1)
	summary := h.toSummary(h.openCard("KZ-458812"), "damaged", "The box was crushed", "P1", "P2")
	photos := h.pressData(button(t, summary, "common.back"))
	wantIDs(t, photos, "dispute.ask_photos", "dispute.form.photos_kept")
	if n := photos.Replies[0].Screen.Body[1].Count; n != 2 {
		t.Errorf("photos kept says %v, want 2", n)
	}
	ask := h.pressData(button(t, photos, "common.back"))
	wantIDs(t, ask, "dispute.ask_text", "dispute.form.text_kept")
	if got := ask.Replies[0].Screen.Body[1].Args["Text"]; got != "The box was crushed" {
		t.Errorf("kept text shown as %q", got)
	}
	picker := h.pressData(button(t, ask, "common.back"))
	wantIDs(t, picker, "dispute.ask_reason")
	ask = h.pressData(button(t, picker, "dispute.reason_wrong_item"))
	wantIDs(t, ask, "dispute.ask_text", "dispute.form.text_kept")
	photos = h.pressData(button(t, ask, "dispute.form.keep_button"))
	wantIDs(t, photos, "dispute.ask_photos", "dispute.form.photos_kept")
	h.photo("P3")
	summary = h.pressData(button(t, photos, "dispute.done_button"))
	wantIDs(t, summary, "dispute.summary")
	// From the summary back to the description, a new one replaces it.
	h.pressData(button(t, h.pressData(button(t, summary, "common.back")), "common.back"))
	h.text("Wrong colour, and the box was crushed")
	summary = h.pressData(button(t, photos, "dispute.done_button"))
	h.pressData(button(t, summary, "dispute.confirm_button"))
	d, ok := h.dispute(aigerimRefused)
	if !ok || d.Reason != "wrong_item" || d.Text != "Wrong colour, and the box was crushed" || !slices.Equal(d.PhotoFileIDs, []string{"P1", "P2", "P3"}) {
		t.Fatalf("dispute %+v (recorded %v)", d, ok)
	}
}

// TestDisputeTextRules: 1 to 1000 characters of text; anything else gets a
// clear answer and the question again, at the same step.
func TestDisputeTextRules(t *testing.T) {
	cases := []struct {
		name string
		ev   flows.Event
		want []string
	}{
		{"one character", flows.Event{Kind: flows.EventText, Text: "a"}, []string{"dispute.ask_photos"}},
		{"1000 Cyrillic characters", flows.Event{Kind: flows.EventText, Text: strings.Repeat("я", 1000)}, []string{"dispute.ask_photos"}},
		{"1001 characters", flows.Event{Kind: flows.EventText, Text: strings.Repeat("я", 1001)}, []string{"dispute.text_too_long", "dispute.ask_text"}},
		{"only spaces", flows.Event{Kind: flows.EventText, Text: " \n\t "}, []string{"dispute.text_empty", "dispute.ask_text"}},
		{"only zero-width marks", flows.Event{Kind: flows.EventText, Text: "\u200b\u200c\u200d\u2060\ufeff"}, []string{"dispute.text_empty", "dispute.ask_text"}},
		{"only controls and bidi marks", flows.Event{Kind: flows.EventText, Text: "\x00\x1b\u202e\u2066 \u200f"}, []string{"dispute.text_empty", "dispute.ask_text"}},
		{"a lone emoji", flows.Event{Kind: flows.EventText, Text: "😡"}, []string{"dispute.form.text_words", "dispute.ask_text"}},
		{"emoji and punctuation", flows.Event{Kind: flows.EventText, Text: "👎👎 !!! 123"}, []string{"dispute.form.text_words", "dispute.ask_text"}},
		{"words with an emoji", flows.Event{Kind: flows.EventText, Text: "сломан 😡"}, []string{"dispute.ask_photos"}},
		{"a photo", flows.Event{Kind: flows.EventPhoto, FileID: "AgAC"}, []string{"dispute.text_expected", "dispute.ask_text"}},
		{"a document", flows.Event{Kind: flows.EventDocument, FileID: "BQAC"}, []string{"dispute.text_expected", "dispute.ask_text"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.linkAs(1)
			picker := h.pressData(button(t, h.openCard("KZ-458812"), "dispute.dispute_button"))
			h.pressData(button(t, picker, "dispute.reason_other"))
			out := h.do(tc.ev)
			wantIDs(t, out, tc.want...)
			if tc.want[0] == "dispute.text_too_long" && out.Replies[0].Screen.Body[0].Count != 1001 {
				t.Errorf("too long says %v characters", out.Replies[0].Screen.Body[0].Count)
			}
			wantStep := "text"
			if tc.want[0] == "dispute.ask_photos" {
				wantStep = "photos"
			}
			if s := h.session(); s.Step != wantStep {
				t.Errorf("step %q, want %q", s.Step, wantStep)
			}
		})
	}
}

// TestDisputePhotoLimit: five photos at most; a file or text is answered
// without adding anything.
func TestDisputePhotoLimit(t *testing.T) {
	h := newHarness(t)
	h.linkAs(1)
	picker := h.pressData(button(t, h.openCard("KZ-458812"), "dispute.dispute_button"))
	h.pressData(button(t, picker, "dispute.reason_damaged"))
	h.text("broken")
	wantIDs(t, h.do(flows.Event{Kind: flows.EventDocument, FileID: "BQAC"}), "dispute.photo_as_file")
	wantIDs(t, h.text("here"), "dispute.photo_expected")
	var out flows.Outcome
	for i, want := range []string{"dispute.photo_added", "dispute.photo_added", "dispute.photo_added", "dispute.photo_added",
		"dispute.photo_added_last", "dispute.photos_limit"} {
		out = h.photo("AgAC-" + string(rune('1'+i)))
		wantIDs(t, out, want)
	}
	h.pressData(button(t, h.pressData(button(t, out, "dispute.done_button")), "dispute.confirm_button"))
	d, _ := h.dispute(aigerimRefused)
	if want := []string{"AgAC-1", "AgAC-2", "AgAC-3", "AgAC-4", "AgAC-5"}; !slices.Equal(d.PhotoFileIDs, want) {
		t.Fatalf("photos %v, want %v", d.PhotoFileIDs, want)
	}
}

// TestDisputeTextIsEscaped: the customer's words are stored as given and
// every screen that shows them escapes them.
func TestDisputeTextIsEscaped(t *testing.T) {
	b, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t)
	h.linkAs(1)
	const text = `<b>& "not bold"`
	summary := h.toSummary(h.openCard("KZ-458812"), "reason_untrue", text)
	sent := h.pressData(button(t, summary, "dispute.confirm_button"))
	for name, out := range map[string]flows.Outcome{"summary": summary, "card": sent} {
		var html string
		for _, m := range out.Replies[0].Screen.Body {
			s, err := b.For("en").Render(m)
			if err != nil {
				t.Fatal(err)
			}
			html += s
		}
		if !strings.Contains(html, `&lt;b&gt;&amp; &#34;not bold&#34;`) || strings.Contains(html, text) {
			t.Errorf("%s shows the text unescaped:\n%s", name, html)
		}
	}
	if d, _ := h.dispute(aigerimRefused); d.Text != text {
		t.Fatalf("stored %q, want %q as given", d.Text, text)
	}
}

// TestDisputeTextIsCleaned: control characters, bidi overrides and
// zero-width marks are neither stored nor shown back.
func TestDisputeTextIsCleaned(t *testing.T) {
	h := newHarness(t)
	h.linkAs(1)
	summary := h.toSummary(h.openCard("KZ-458812"), "damaged", "Box\x00 crushed\x1b[2J, see \u202eFDP.exe\u202c\u200b")
	if got := summary.Replies[0].Screen.Body[0].Args["Text"]; got != "Box crushed[2J, see FDP.exe" {
		t.Errorf("summary shows %q", got)
	}
	h.pressData(button(t, summary, "dispute.confirm_button"))
	if d, _ := h.dispute(aigerimRefused); d.Text != "Box crushed[2J, see FDP.exe" {
		t.Fatalf("stored %q", d.Text)
	}
}

// TestDisputeReminder: sent once per request when 24 h are left, to the
// customer's chat in its language, recorded once it is committed (a
// restarted bot does not send it again); not for a disputed request.
func TestDisputeReminder(t *testing.T) {
	h := newRestartable(t)
	h.linkAs(1)
	tick := func() flows.Outcome { // and commit, as the bot does
		t.Helper()
		out, err := h.engine.Tick(context.Background())
		if err == nil {
			err = h.engine.Settle(context.Background(), &out)
		}
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	h.now = t0.Add(24*time.Hour - time.Second) // 24 h and a second left
	if out := tick(); has(out, "dispute.reminder") {
		t.Fatalf("reminder with more than 24 h left: %v", ids(out))
	}
	h.now = t0.Add(24 * time.Hour)
	out := tick()
	var reminders []flows.Reply
	for _, r := range out.Replies {
		if len(r.Screen.Body) > 0 && r.Screen.Body[0].ID == "dispute.reminder" {
			reminders = append(reminders, r)
		}
	}
	// Only Aigerim has a linked chat; Tereza's and John's refusals wait.
	if len(reminders) != 1 || reminders[0].ChatID != chat || reminders[0].Lang != "en" /* the client reports en */ ||
		reminders[0].Screen.Body[0].Args["Order"] != "KZ-458812" {
		t.Fatalf("reminders %+v", reminders)
	}
	h.restart()
	if out := tick(); has(out, "dispute.reminder") {
		t.Fatalf("second reminder after a restart: %v", ids(out))
	}
	// The reminder's buttons work in the chat.
	h.pressData(button(t, out, "dispute.details_button"))
	wantIDs(t, h.pressData(button(t, out, "dispute.dispute_button")), "dispute.ask_reason")

	// Tereza links a chat and disputes at once: she gets no reminder.
	h.do(flows.Event{Kind: flows.EventContact, ChatID: chat + 2, UserID: chat + 2, Contact: &flows.Contact{Phone: phones[2], UserID: chat + 2}})
	if _, _, err := h.db.CreateDispute(context.Background(), "test-dispute", store.Dispute{ReturnRequestID: terezaRefused, Reason: "other", Text: "x",
		Status: store.DisputeUnderReview, CreatedAt: h.now}); err != nil {
		t.Fatal(err)
	}
	if out := tick(); has(out, "dispute.reminder") {
		t.Fatalf("reminder for a disputed request: %v", ids(out))
	}
}

// TestDisputeReminderSkipsBlockedChats: the reminder goes to the customer's
// most recently active chat that has not blocked the bot, and to nobody
// when every chat of theirs has.
func TestDisputeReminderSkipsBlockedChats(t *testing.T) {
	ctx := context.Background()
	reminded := func(h *harness) []int64 {
		t.Helper()
		out, err := h.engine.Tick(ctx)
		if err == nil {
			err = h.engine.Settle(ctx, &out)
		}
		if err != nil {
			t.Fatal(err)
		}
		var chats []int64
		for _, r := range out.Replies { // folded with the tick's other nudges
			for _, m := range r.Screen.Body {
				if m.ID == "dispute.reminder" {
					chats = append(chats, r.ChatID)
				}
			}
		}
		return chats
	}
	const phone = chat + 7 // Aigerim's second chat, the one she used last
	link := func(h *harness) {
		h.linkAs(1)
		h.now = h.now.Add(time.Minute)
		h.do(flows.Event{Kind: flows.EventContact, ChatID: phone, UserID: phone, Contact: &flows.Contact{Phone: phones[1], UserID: phone}})
		h.now = t0.Add(24 * time.Hour)
	}

	h := newHarness(t)
	link(h)
	if err := h.db.BlockChat(ctx, phone, t0); err != nil {
		t.Fatal(err)
	}
	if got := reminded(h); !slices.Equal(got, []int64{chat}) {
		t.Errorf("with the last chat blocked, reminded %v, want the other chat %d", got, chat)
	}

	h = newHarness(t)
	link(h)
	for _, c := range []int64{chat, phone} {
		if err := h.db.BlockChat(ctx, c, t0); err != nil {
			t.Fatal(err)
		}
	}
	if got := reminded(h); len(got) != 0 {
		t.Errorf("with every chat blocked, reminded %v", got)
	}
}
