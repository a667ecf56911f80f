package flows_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"paydesk/flows"
	"paydesk/locales"
)

// Demo withdrawals of customer 1 (KZ, Asia/Almaty, tier standard = 2
// business days, seeded at t0): 201 stuck at approval, 202 stuck at the
// provider, 203 fresh at approval (since t0-2h), 204 fresh at the provider,
// 205 received, 206 rejected. 207 belongs to customer 2.
const (
	wdStuck    = 201
	wdStuckPSP = 202
	wdFresh    = 203
	wdForeign  = 207
)

// withLimits rebuilds the harness's engine with overridden limits.
func (h *harness) withLimits(l flows.Limits) {
	h.engine = flows.New(h.db, h.db,
		flows.WithSecret([]byte("flows-test-secret-0123456789abcdef")),
		flows.WithClock(func() time.Time { return h.now }),
		flows.WithLimits(l))
}

// linked is a harness whose chat is linked to demo customer 1.
func linked(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	h.do(contact("+77010000001", chat))
	return h
}

// press presses a button of action for ids, signed for the harness chat.
func (h *harness) press(action string, ids ...int64) flows.Outcome {
	h.t.Helper()
	return h.do(flows.Event{Kind: flows.EventAction, Data: h.engine.SignButton(chat, action, ids...)})
}

// findButton returns the button labelled with message id, if any.
func findButton(out flows.Outcome, label string) (flows.Button, bool) {
	for _, r := range out.Replies {
		for _, row := range r.Screen.Inline {
			for _, b := range row {
				if b.Label.ID == label {
					return b, true
				}
			}
		}
	}
	return flows.Button{}, false
}

func TestWithdrawalListIsTheCustomers(t *testing.T) {
	h := linked(t)
	out := h.press("wd")
	wantIDs(t, out, "withdrawal.list_title")
	var items, stuck int
	for _, row := range out.Replies[0].Screen.Inline {
		switch row[0].Label.ID {
		case "withdrawal.list_item":
			items++
		case "withdrawal.list_item_stuck":
			items++
			stuck++
		}
	}
	if items != 6 || stuck != 2 {
		t.Fatalf("%d withdrawals listed, %d marked stuck; want customer 1's 6, 2 stuck", items, stuck)
	}
}

// TestWithdrawalButtonAtTheDeadline: the button appears at the deadline to
// the second, and the press re-checks it at that moment.
func TestWithdrawalButtonAtTheDeadline(t *testing.T) {
	h := linked(t)
	// Since Monday 23 November 12:00 in Almaty, two business days.
	deadline := time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC)

	h.now = deadline.Add(-time.Second)
	card := h.press("wdc", wdFresh)
	if _, ok := findButton(card, "withdrawal.waiting"); ok {
		t.Fatalf("a second before the deadline the card has the button: %v", ids(card))
	}
	if !slices.Contains(ids(card), "withdrawal.button_later") {
		t.Fatalf("the card does not say when the button appears: %v", ids(card))
	}
	wantIDs(t, h.press("wdx", wdFresh), "withdrawal.not_stuck", "withdrawal.card", "withdrawal.lines",
		"withdrawal.approval_limit", "withdrawal.expect", "withdrawal.button_later")

	h.now = deadline
	card = h.press("wdc", wdFresh)
	b, ok := findButton(card, "withdrawal.waiting")
	if !ok || b.Label.Count != 2 {
		t.Fatalf("at the deadline: button %+v (found %v) in %v, want it with N = 2", b.Label, ok, ids(card))
	}
	out := h.do(flows.Event{Kind: flows.EventAction, Data: b.Data})
	wantHandoff(t, out, "withdrawal.escalated")
	tk, err := h.db.OpenTicketOfChat(context.Background(), chat)
	if err != nil || tk.Subject != "withdrawal:203" || tk.Reason != flows.CountedReason("withdrawal.handoff_reason", 2) {
		t.Fatalf("ticket %+v, %v; want one about withdrawal 203", tk, err)
	}
	// The agents read the N the customer pressed, not a literal "N".
	if card := render(t, out.Relays[0].Note); !strings.Contains(card, "Why the bot handed off: The withdrawal is past its limit: the customer tapped “Waiting more than 2 days?”.") {
		t.Errorf("card does not give the button's N:\n%s", card)
	}
	// The second press finds the same ticket.
	second := h.do(flows.Event{Kind: flows.EventAction, Data: b.Data})
	wantIDs(t, second, "support.in_queue")
	if got := second.Replies[0].Screen.Body[0].Args["Ticket"]; got != flows.TicketNo(tk) {
		t.Fatalf("second press names ticket %v, want %s", got, flows.TicketNo(tk))
	}
}

func TestWithdrawalRefusesForeignAndMissingIDs(t *testing.T) {
	h := linked(t)
	for _, tt := range []struct {
		name   string
		action string
		id     int64
	}{
		{"another customer's card", "wdc", wdForeign},
		{"another customer's escalation", "wdx", wdForeign},
		{"no such withdrawal", "wdc", 999},
		{"a transfer's id", "wdx", 101},
	} {
		out := h.press(tt.action, tt.id)
		if out.Toast.ID != "common.button_invalid" || ids(out)[0] != "common.button_invalid" {
			t.Errorf("%s: %v (toast %q), want a refusal", tt.name, ids(out), out.Toast.ID)
		}
	}
	forged := h.engine.SignButton(chat, "wdx", wdStuck)
	forged = forged[:strings.LastIndexByte(forged, '|')] + "|AAAAAAAAAAAA"
	if out := h.do(flows.Event{Kind: flows.EventAction, Data: forged}); out.Toast.ID != "common.button_invalid" {
		t.Errorf("forged escalation: %v", ids(out))
	}
	if _, err := h.db.OpenTicketOfChat(context.Background(), chat); err == nil {
		t.Fatal("a refused press opened a ticket")
	}
	// After switching to another account, the old card's buttons are foreign.
	old := h.press("wdc", wdStuck)
	b, _ := findButton(old, "withdrawal.waiting")
	h.do(contact("+420601000001", chat))
	if out := h.do(flows.Event{Kind: flows.EventAction, Data: b.Data}); out.Toast.ID != "common.button_invalid" {
		t.Errorf("a button of the previous account: %v", ids(out))
	}
}

// TestWithdrawalWaitingPlurals renders the button for limits in every
// plural form of Russian and Czech (GLOSSARY: «более N дня/дней», «déle
// než N den/dny/dní»), with the limit set through WithLimits. 22 is "few"
// in Russian but "other" in Czech.
func TestWithdrawalWaitingPlurals(t *testing.T) {
	bundle, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]map[string]string{
		1:  {"ru": "Ожидание более 1 дня?", "cs": "Čekáte déle než 1 den?", "en": "Waiting more than 1 day?"},
		2:  {"ru": "Ожидание более 2 дней?", "cs": "Čekáte déle než 2 dny?", "en": "Waiting more than 2 days?"},
		5:  {"ru": "Ожидание более 5 дней?", "cs": "Čekáte déle než 5 dní?", "en": "Waiting more than 5 days?"},
		21: {"ru": "Ожидание более 21 дня?", "cs": "Čekáte déle než 21 dní?", "en": "Waiting more than 21 days?"},
		22: {"ru": "Ожидание более 22 дней?", "cs": "Čekáte déle než 22 dní?", "en": "Waiting more than 22 days?"},
	}
	h := linked(t)
	h.now = t0.AddDate(0, 3, 0) // past every limit above
	for n, byLang := range want {
		h.withLimits(flows.Limits{Tiers: map[string]int{"standard": n}})
		b, ok := findButton(h.press("wdc", wdStuck), "withdrawal.waiting")
		if !ok {
			t.Fatalf("limit %d: no button", n)
		}
		for lang, text := range byLang {
			if got, err := bundle.For(lang).Render(b.Label); err != nil || got != text {
				t.Errorf("limit %d in %s: %q, %v; want %q", n, lang, got, err, text)
			}
		}
	}
	// Fractions take the other form in Russian and "many" in Czech.
	for lang, text := range map[string]string{"ru": "Ожидание более 1,5 дня?", "cs": "Čekáte déle než 1,5 dne?"} {
		if got, _ := bundle.For(lang).Render(locales.M("withdrawal.waiting").N("1.5")); got != text {
			t.Errorf("1.5 in %s: %q, want %q", lang, got, text)
		}
	}
}

// nudged lists the withdrawals the outcome nudged, from their card buttons.
func nudged(t *testing.T, out flows.Outcome) []int64 {
	t.Helper()
	var got []int64
	for _, r := range out.Replies {
		nudges := 0
		for _, m := range r.Screen.Body {
			if m.ID == "withdrawal.nudge" {
				nudges++
			}
		}
		if nudges == 0 {
			continue
		}
		// One tick's nudges to a chat come folded in one message, each
		// with its row: the escalation and the details.
		var details []int64
		for _, row := range r.Screen.Inline {
			if len(row) != 2 || row[0].Label.ID != "withdrawal.waiting" || row[1].Label.ID != "notice.details_of" {
				continue
			}
			id, err := strconv.ParseInt(strings.Split(row[1].Data, "|")[1], 36, 64)
			if err != nil {
				t.Fatal(err)
			}
			details = append(details, id)
		}
		if len(details) != nudges {
			t.Fatalf("%d nudges with %d details buttons: %+v", nudges, len(details), r.Screen)
		}
		got = append(got, details...)
	}
	slices.Sort(got)
	return got
}

func (h *harness) tick() flows.Outcome {
	h.t.Helper()
	out, err := h.engine.Tick(context.Background())
	if err == nil {
		err = h.engine.Settle(context.Background(), &out)
	}
	if err != nil {
		h.t.Fatalf("tick: %v", err)
	}
	return out
}

func TestWithdrawalNudge(t *testing.T) {
	h := linked(t)
	// 22:30 in Almaty: quiet hours.
	h.now = time.Date(2026, 11, 23, 17, 30, 0, 0, time.UTC)
	if got := nudged(t, h.tick()); len(got) != 0 {
		t.Fatalf("nudged %v during quiet hours", got)
	}
	h.now = time.Date(2026, 11, 24, 3, 59, 59, 0, time.UTC) // 08:59:59
	if got := nudged(t, h.tick()); len(got) != 0 {
		t.Fatalf("nudged %v before 9:00", got)
	}
	h.now = time.Date(2026, 11, 24, 4, 0, 0, 0, time.UTC) // 09:00
	out := h.tick()
	if got := nudged(t, out); !slices.Equal(got, []int64{wdStuck, wdStuckPSP}) {
		t.Fatalf("nudged %v, want the two stuck withdrawals and not the fresh ones", got)
	}
	// The chat never chose a language; its Telegram client reports "en"
	// (the harness default), and that wins over the account's "ru".
	if r := out.Replies[0]; r.ChatID != chat || r.Lang != "en" {
		t.Fatalf("nudge to chat %d in %q, want the linked chat in its client's language", r.ChatID, r.Lang)
	}
	if got := nudged(t, h.tick()); len(got) != 0 {
		t.Fatalf("a second tick nudged %v again", got)
	}
	// The fresh one reaches its limit: it alone is nudged.
	h.now = time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC)
	out = h.tick()
	if got := nudged(t, out); !slices.Equal(got, []int64{wdFresh}) {
		t.Fatalf("nudged %v, want only %d", got, wdFresh)
	}
	// Its button escalates like the card's.
	b, _ := findButton(out, "withdrawal.waiting")
	wantHandoff(t, h.do(flows.Event{Kind: flows.EventAction, Data: b.Data}), "withdrawal.escalated")
}

// TestWithdrawalNudgeTwoReplicas: two engines over one database tick, and
// commit, at the same moment; each stuck withdrawal is nudged once between
// them.
func TestWithdrawalNudgeTwoReplicas(t *testing.T) {
	h := linked(t)
	other := flows.New(h.db, h.db, flows.WithSecret([]byte("flows-test-secret-0123456789abcdef")),
		flows.WithClock(func() time.Time { return t0 }))
	if got := tickAtOnce(t, h.engine, other); !slices.Equal(got, []int64{wdStuck, wdStuckPSP}) {
		t.Fatalf("two replicas nudged %v, want each stuck withdrawal once", got)
	}
}

// tickAtOnce ticks, and settles, the engines at the same moment, and lists
// the withdrawals they nudged between them, in order.
func tickAtOnce(t *testing.T, engines ...*flows.Engine) []int64 {
	t.Helper()
	outs := make(chan flows.Outcome, len(engines))
	for _, e := range engines {
		go func() {
			out, err := e.Tick(context.Background())
			if err == nil {
				err = e.Settle(context.Background(), &out)
			}
			if err != nil {
				t.Error(err)
			}
			outs <- out
		}()
	}
	var got []int64
	for range engines {
		got = append(got, nudged(t, <-outs)...)
	}
	slices.Sort(got)
	return got
}
