package flows_test

import (
	"slices"
	"testing"

	"paydesk/flows"
)

// wrongInputs are what a screen of buttons does not take.
var wrongInputs = []flows.Event{
	{Kind: flows.EventText, Text: "hello"},
	{Kind: flows.EventOther},
	{Kind: flows.EventPhoto, FileID: "AgAC"},
}

// wantScreenAgain checks the answer to wrong input ev on the screen named
// name, which showed the messages shown: "please use the buttons" above the
// same screen, sent as a new message.
func wantScreenAgain(t *testing.T, name string, ev flows.Event, shown []string, out flows.Outcome) {
	t.Helper()
	want := append([]string{"common.not_understood"}, shown...)
	if got := ids(out); !slices.Equal(got, want) {
		t.Errorf("%s, %s: screens %v, want %v", name, ev.Kind, got, want)
	}
	for _, r := range out.Replies {
		if r.Screen.Replace {
			t.Errorf("%s: the answer to typed input edits a message instead of sending one", name)
		}
	}
}

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
		for _, ev := range wrongInputs {
			h.pressData(tc.screen)
			wantScreenAgain(t, tc.name, ev, ids(tc.shown), h.do(ev))
		}
	}
	// Where no screen of buttons is known (after a command), the menu.
	h.do(flows.Event{Kind: flows.EventCommand, Command: "help"})
	wantIDs(t, h.text("hello"), "common.not_understood", "menu.title")
}

// TestWrongInputOnConfirmationsAndRefunds: the confirmations of the
// cancellation and refund flows (a transfer's cancellation, the
// recipient's "Return the money", a refund's cancel, a storno) and the
// refund screens (the merchant's payments, a payment, a refund, and the
// payer's refunds) answer wrong input with "please use the buttons" above
// the same screen, as every list and card does; nothing is asked or made.
func TestWrongInputOnConfirmationsAndRefunds(t *testing.T) {
	h := newTransferHarness(t)
	h.link(senderChat, "+77010000001")
	h.link(recipientChat, "+77010000002")
	h.link(merchantA, eshopPhone)
	const johnChat = int64(803)
	h.link(johnChat, "+447700900001")

	transferAsk := button(t, h.card(senderChat, toNurlanToo), "transfer.request_button")
	push := to(h.request(senderChat, toNurlan), recipientChat)
	giveBack := button(t, push, "transfer.return_button")
	menu := h.in(merchantA, flows.Event{Kind: flows.EventCommand, Command: "menu"})
	payments := button(t, menu, "refund.menu")
	list := h.press(merchantA, payments)
	paid := actionButton(t, list, "rfp", 505)
	refund := actionButton(t, h.press(merchantA, paid), "rfr", 603)
	refundCancel := button(t, h.press(merchantA, refund), "refund.cancel_button")
	storno := button(t, h.press(merchantA, actionButton(t, list, "rfp", 502)), "refund.storno_button")
	returns := button(t, h.in(johnChat, flows.Event{Kind: flows.EventCommand, Command: "menu"}), "menu.returns")
	payerRefunds := button(t, h.press(johnChat, returns), "refund.payer_button")
	payerRefund := actionButton(t, h.press(johnChat, payerRefunds), "rfyc", 602)

	for _, tc := range []struct {
		name   string
		chat   int64
		screen string // the data of the button that showed it
	}{
		{"transfer cancellation confirmation", senderChat, transferAsk},
		{"return the money confirmation", recipientChat, giveBack},
		{"merchant's payments", merchantA, payments},
		{"payment card", merchantA, paid},
		{"refund card", merchantA, refund},
		{"refund cancel confirmation", merchantA, refundCancel},
		{"storno confirmation", merchantA, storno},
		{"payer's refunds", johnChat, payerRefunds},
		{"payer's refund", johnChat, payerRefund},
	} {
		for _, ev := range wrongInputs {
			shown := ids(to(h.press(tc.chat, tc.screen), tc.chat))
			wantScreenAgain(t, tc.name, ev, shown, to(h.in(tc.chat, ev), tc.chat))
		}
	}
	if n := h.openCount(); n != 1 {
		t.Errorf("%d open cancellation requests, want the one made before", n)
	}
	if r, ok := h.latest(toNurlanToo); ok {
		t.Errorf("wrong input on the confirmation made a request: %+v", r)
	}
}

// TestWrongInputAfterAConfirmedStep: the card a confirmed step ends on
// (the transfer's after its cancellation was requested, the return
// request's after the dispute was sent, the refund's after it was
// requested or cancelled, the payment's after its storno) answers wrong
// input like the same card opened from its list: "please use the buttons"
// above the card as it is now. Nothing is made twice.
func TestWrongInputAfterAConfirmedStep(t *testing.T) {
	h := newTransferHarness(t)
	h.link(senderChat, "+77010000001")
	h.link(merchantA, eshopPhone)
	const aigerimChat = senderChat // customer 1 sent the transfers and had the return refused

	cardIDs := func(out flows.Outcome) []string { return ids(to(out, out.Replies[0].ChatID))[1:] } // without the notice above
	for _, tc := range []struct {
		name string
		chat int64
		done func() flows.Outcome // the confirmed step
		card func(flows.Outcome) []string
	}{
		{"transfer cancellation requested", senderChat, func() flows.Outcome { return h.request(senderChat, toNurlan) }, func(o flows.Outcome) []string { return ids(to(o, senderChat)) }},
		{"dispute sent", aigerimChat, func() flows.Outcome {
			menu := h.in(aigerimChat, flows.Event{Kind: flows.EventCommand, Command: "menu"})
			list := h.press(aigerimChat, button(t, menu, "menu.returns"))
			card := h.press(aigerimChat, buttonTo(t, list, "dispute.list_button", "KZ-458812"))
			picker := h.press(aigerimChat, button(t, card, "dispute.dispute_button"))
			h.press(aigerimChat, button(t, picker, "dispute.reason_damaged"))
			photos := h.in(aigerimChat, flows.Event{Kind: flows.EventText, Text: "The box was crushed"})
			summary := h.press(aigerimChat, button(t, photos, "dispute.done_button"))
			return h.press(aigerimChat, button(t, summary, "dispute.confirm_button"))
		}, cardIDs},
		{"refund requested", merchantA, func() flows.Outcome {
			return h.press(merchantA, button(t, h.summaryFor(merchantA, "500"), "refund.request_button"))
		}, cardIDs},
		{"refund cancelled", merchantA, func() flows.Outcome {
			list := h.press(merchantA, button(t, h.in(merchantA, flows.Event{Kind: flows.EventCommand, Command: "menu"}), "refund.menu"))
			refund := h.press(merchantA, actionButton(t, h.press(merchantA, actionButton(t, list, "rfp", 505)), "rfr", 603))
			ask := h.press(merchantA, button(t, refund, "refund.cancel_button"))
			return h.press(merchantA, button(t, ask, "refund.cancel_confirm_button"))
		}, func(o flows.Outcome) []string { return ids(to(o, merchantA)) }},
		{"storno", merchantA, func() flows.Outcome {
			list := h.press(merchantA, button(t, h.in(merchantA, flows.Event{Kind: flows.EventCommand, Command: "menu"}), "refund.menu"))
			ask := h.press(merchantA, button(t, h.press(merchantA, actionButton(t, list, "rfp", 502)), "refund.storno_button"))
			return h.press(merchantA, button(t, ask, "refund.storno_confirm_button"))
		}, func(o flows.Outcome) []string { return ids(to(o, merchantA)) }},
	} {
		shown := tc.card(tc.done())
		for _, ev := range wrongInputs {
			wantScreenAgain(t, tc.name, ev, shown, to(h.in(tc.chat, ev), tc.chat))
		}
	}
	if n := h.openCount(); n != 1 {
		t.Errorf("%d open cancellation requests, want 1", n)
	}
	if _, refunds := h.payment(paidPayment); len(refunds) != 1 {
		t.Errorf("%d refunds of payment %d, want the one requested", len(refunds), paidPayment)
	}
}
