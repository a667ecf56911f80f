package flows_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"paydesk/flows"
	"paydesk/store"
)

// Demo ledger (store/sqlite/seed_refunds.go) at t0: ElektroDům.cz is run by
// +420602000001; 501 is its newest payment, paid (1 234,50 Kč, no refunds);
// 502 is expected with a refund waiting for it. Алма Маркет is run by
// +77010000003.
const (
	eshopPhone   = "+420602000001"
	partnerPhone = "+77010000003"
	paidPayment  = int64(501)
	merchantA    = int64(801)
	merchantB    = int64(802)
)

// summaryFor walks a merchant chat from the menu to the refund summary of
// payment 501 for a typed amount ("" for the whole remainder).
func (h *transferHarness) summaryFor(chatID int64, amount string) flows.Outcome {
	h.t.Helper()
	menu := h.in(chatID, flows.Event{Kind: flows.EventCommand, Command: "menu"})
	list := h.press(chatID, button(h.t, menu, "refund.menu"))
	card := h.press(chatID, actionButton(h.t, list, "rfp", paidPayment))
	ask := h.press(chatID, button(h.t, card, "refund.refund_button"))
	if amount == "" {
		return h.press(chatID, button(h.t, ask, "refund.whole_button"))
	}
	return h.in(chatID, flows.Event{Kind: flows.EventText, Text: amount})
}

// pressOn presses a button carried by a given bot message, as Telegram
// reports it: a double tap sends the same message id twice.
func (h *transferHarness) pressOn(chatID int64, msgID int, data string) flows.Outcome {
	h.t.Helper()
	return h.in(chatID, flows.Event{Kind: flows.EventAction, Data: data, MessageID: msgID})
}

func (h *transferHarness) payment(id int64) (store.Payment, []store.Refund) {
	h.t.Helper()
	p, err := h.db.Payment(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	refunds, err := h.db.RefundsOf(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return p, refunds
}

// TestRefundRequestedOnce: a double tap on «Подать заявку» (and the update
// redelivered) makes one refund; a second refund asked later from the same
// message (inline navigation keeps it) is a refund of its own.
func TestRefundRequestedOnce(t *testing.T) {
	h := newTransferHarness(t)
	h.link(merchantA, eshopPhone)
	request := button(t, h.summaryFor(merchantA, "500"), "refund.request_button")
	first := h.pressOn(merchantA, 42, request)
	second := h.pressOn(merchantA, 42, request)
	if first.Toast.ID != "refund.requested_toast" || second.Toast.ID != "" {
		t.Fatalf("toasts %q, %q; want the first press alone to request", first.Toast.ID, second.Toast.ID)
	}
	if got := ids(second); len(got) == 0 || got[0] != "refund.requested" {
		t.Fatalf("the second tap shows %v, want the same refund's card", got)
	}
	p, refunds := h.payment(paidPayment)
	if len(refunds) != 1 || p.Committed != 50000 {
		t.Fatalf("after a double tap: %d refunds, %d committed; want one of 50000", len(refunds), p.Committed)
	}
	again := button(t, h.summaryFor(merchantA, "200"), "refund.request_button")
	h.pressOn(merchantA, 42, again)
	if p, refunds := h.payment(paidPayment); len(refunds) != 2 || p.Committed != 70000 {
		t.Fatalf("a second refund from the same message: %d refunds, %d committed; want 2, 70000", len(refunds), p.Committed)
	}
}

// TestRefundTwoDevices: two devices of one merchant refunding the same
// payment at once never take it past what was paid; the one too late is
// told what is left, or that nothing is.
func TestRefundTwoDevices(t *testing.T) {
	h := newTransferHarness(t)
	h.link(merchantA, eshopPhone)
	h.link(merchantB, eshopPhone)
	a := button(t, h.summaryFor(merchantA, "1000"), "refund.request_button")
	b := button(t, h.summaryFor(merchantB, "500"), "refund.request_button")
	all := button(t, h.summaryFor(merchantB, ""), "refund.request_button")
	h.pressOn(merchantA, 1, a)
	late := h.pressOn(merchantB, 2, b)
	if got := ids(late); len(got) == 0 || got[0] != "refund.too_large" {
		t.Fatalf("the late device sees %v, want refund.too_large first", got)
	}
	if p, refunds := h.payment(paidPayment); len(refunds) != 1 || p.Committed != 100000 {
		t.Fatalf("%d refunds, %d committed; want one of 100000", len(refunds), p.Committed)
	}
	h.summaryFor(merchantA, "") // the rest, from the first device
	rest := button(t, h.summaryFor(merchantA, ""), "refund.request_button")
	h.pressOn(merchantA, 3, rest)
	stale := h.pressOn(merchantB, 4, all) // "Refund all" shown before anything was refunded
	if got := ids(stale); len(got) == 0 || got[0] != "refund.stale_nothing_left" {
		t.Fatalf("a stale 'refund all' shows %v, want refund.stale_nothing_left first", got)
	}
	if p, refunds := h.payment(paidPayment); len(refunds) != 2 || p.Committed != p.Amount {
		t.Fatalf("%d refunds, %d committed of %d; want two, the whole amount", len(refunds), p.Committed, p.Amount)
	}
}

// TestRefundStaleButtons: after the payment was refunded in full, the
// "Refund" and "Refund all" buttons shown before say there is nothing left
// and ask nothing; typed amounts too.
func TestRefundStaleButtons(t *testing.T) {
	h := newTransferHarness(t)
	h.link(merchantA, eshopPhone)
	h.link(merchantB, eshopPhone)
	menu := h.in(merchantB, flows.Event{Kind: flows.EventCommand, Command: "menu"})
	card := h.press(merchantB, actionButton(t, h.press(merchantB, button(t, menu, "refund.menu")), "rfp", paidPayment))
	refund := button(t, card, "refund.refund_button")
	ask := h.press(merchantB, refund)
	whole := button(t, ask, "refund.whole_button")

	h.pressOn(merchantA, 1, button(t, h.summaryFor(merchantA, ""), "refund.request_button"))
	typed := h.in(merchantB, flows.Event{Kind: flows.EventText, Text: "100"}) // B is still at the amount step
	if got := ids(typed); len(got) == 0 || got[0] != "refund.stale_nothing_left" {
		t.Errorf("an amount typed after the full refund: %v", got)
	}
	for name, data := range map[string]string{"refund": refund, "whole": whole} {
		out := h.press(merchantB, data)
		if got := ids(out); len(got) == 0 || got[0] != "refund.stale_nothing_left" || out.Toast.ID != "refund.stale_toast" {
			t.Errorf("stale %s: %v (toast %q)", name, got, out.Toast.ID)
		}
	}
	if _, refunds := h.payment(paidPayment); len(refunds) != 1 {
		t.Fatalf("%d refunds, want 1", len(refunds))
	}
}

// TestRefundBadAmounts: every wrong amount is answered with what is wrong
// and the question again; the step stays, nothing is requested.
func TestRefundBadAmounts(t *testing.T) {
	h := newTransferHarness(t)
	h.link(merchantA, eshopPhone)
	h.summaryFor(merchantA, "1") // at the amount step
	for in, want := range map[string]string{
		"0": "refund.amount_zero", "-5": "refund.amount_negative", "pět set": "refund.amount_not_number",
		"10,555": "refund.amount_too_precise", "1 000 000": "refund.amount_over", "1,5555": "refund.amount_too_precise", "500 ₸": "refund.amount_other_currency",
		"2000": "refund.amount_over", "99999999999999": "refund.amount_over",
	} {
		out := h.in(merchantA, flows.Event{Kind: flows.EventText, Text: in, LanguageCode: "cs"})
		if got := ids(out); len(got) != 2 || got[0] != want || got[1] != "refund.ask_amount" {
			t.Errorf("%q: %v, want %s then the question", in, got, want)
		}
	}
	if _, refunds := h.payment(paidPayment); len(refunds) != 0 {
		t.Fatalf("bad amounts made %d refunds", len(refunds))
	}
}

// TestRefundButtonsOfAnotherMerchant: buttons are bound to their chat and
// re-checked at the press: once the chat belongs to another merchant (or
// to a customer without a shop), the old buttons are refused and logged.
func TestRefundButtonsOfAnotherMerchant(t *testing.T) {
	h := newTransferHarness(t)
	h.link(merchantA, eshopPhone)
	menu := h.in(merchantA, flows.Event{Kind: flows.EventCommand, Command: "menu"})
	listBtn := button(t, menu, "refund.menu")
	list := h.press(merchantA, listBtn)
	card := h.press(merchantA, actionButton(t, list, "rfp", 502))
	presses := map[string]string{
		"card":    actionButton(t, list, "rfp", paidPayment),
		"refund":  button(t, card, "refund.refund_button"),
		"storno":  button(t, card, "refund.storno_button"),
		"request": button(t, h.summaryFor(merchantA, "100"), "refund.request_button"),
		"refunds": actionButton(t, card, "rfr", 601),
	}
	h.link(merchantA, partnerPhone) // now Алма Маркет's chat
	h.logs.Reset()
	for name, data := range presses {
		wantRefused(t, name, h.press(merchantA, data))
	}
	if n := strings.Count(h.logs.String(), "refused button"); n != len(presses) {
		t.Errorf("%d refusals logged, want %d:\n%s", n, len(presses), h.logs.String())
	}
	h.link(merchantA, "+420601000001") // Tereza has no shop
	wantRefused(t, "the list", h.press(merchantA, listBtn))
	if m := h.in(merchantA, flows.Event{Kind: flows.EventCommand, Command: "menu"}); hasLabel(m, "refund.menu") {
		t.Error("a customer without a shop sees the Refunds entry")
	}
	if p, refunds := h.payment(502); p.Status != store.PaymentExpected || len(refunds) != 1 || refunds[0].State != store.RefundAwaitingPayment {
		t.Fatalf("refused presses changed payment 502: %+v %+v", p, refunds)
	}
	if _, refunds := h.payment(paidPayment); len(refunds) != 0 {
		t.Fatal("a refused press made a refund")
	}
}

func hasLabel(out flows.Outcome, label string) bool {
	for _, r := range out.Replies {
		for _, row := range r.Screen.Inline {
			for _, b := range row {
				if b.Label.ID == label {
					return true
				}
			}
		}
	}
	return false
}

// TestRefundNoticesOnce: when the demo ledger's bank confirms a refund, the
// merchant and the payer are each told once, however often the job runs;
// a refund cancelled by its merchant is told to the payer alone.
func TestRefundNoticesOnce(t *testing.T) {
	h := newTransferHarness(t)
	const johnChat = int64(803)
	h.link(merchantA, eshopPhone)
	h.link(johnChat, "+447700900001")
	h.link(otherChat, "+420601000001") // Tereza, whose refund the shop cancels
	card := h.press(merchantA, actionButton(t, h.press(merchantA, button(t,
		h.in(merchantA, flows.Event{Kind: flows.EventCommand, Command: "menu"}), "refund.menu")), "rfp", 505))
	ask := h.press(merchantA, actionButton(t, card, "rfr", 603))
	h.press(merchantA, button(t, h.press(merchantA, button(t, ask, "refund.cancel_button")), "refund.cancel_confirm_button"))

	h.now = h.now.Add(25 * time.Hour)
	notices := func() map[int64][]string {
		out, err := h.engine.Tick(context.Background())
		if err == nil {
			err = h.engine.Settle(context.Background(), &out)
		}
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64][]string{}
		for _, r := range out.Replies {
			if id := r.Screen.Body[0].ID; strings.HasPrefix(id, "refund.") {
				got[r.ChatID] = append(got[r.ChatID], id)
			}
		}
		return got
	}
	got := notices()
	if m := got[merchantA]; len(m) != 1 || m[0] != "refund.told_merchant_refunded" {
		t.Errorf("merchant told %v, want the refund made", m)
	}
	if j := got[johnChat]; len(j) != 1 || j[0] != "refund.told_payer_refunded" {
		t.Errorf("payer told %v, want the refund arrived", j)
	}
	if p := got[otherChat]; len(p) != 1 || p[0] != "refund.told_payer_cancelled_merchant" {
		t.Errorf("payer of the cancelled refund told %v", p)
	}
	if again := notices(); len(again) != 0 {
		t.Errorf("a second tick told again: %v", again)
	}
}
