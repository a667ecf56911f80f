package flows

import (
	"errors"
	"fmt"
	"strconv"

	"paydesk/locales"
	"paydesk/store"
)

// Refunds, the merchant's side (seeds: «Заявки на отмену» → choose a
// payment → the refund amount → «Подать заявку»; «Refundace – vrácení
// platby»): the payments the merchant received, newest first; a payment's
// card with its refunds and what is left; the amount, typed or the whole
// remainder; a summary with the fee and where the money goes; the request;
// a refund's card with its state and what happens next, and Cancel for a
// queued one; storno of an expected payment. Every press re-reads the
// payment and checks, at that moment, that it belongs to the chat's
// merchant and what may be done with it. The payer's side is in
// refund_payer.go, the notifications in refund_job.go, the rules in
// refund_rules.go.

// Action names; args in brackets.
const (
	actRefunds       = "rf"   // [page] the merchant's payments
	actRefundPayment = "rfp"  // [payment, page] a payment's card
	actRefundAmount  = "rfa"  // [payment, page] "Refund": ask for the amount
	actRefundWhole   = "rfw"  // [payment, amount, page] the whole remainder: the summary
	actRefundRequest = "rfk"  // [payment, amount, page, refunds] «Подать заявку»
	actRefundCard    = "rfr"  // [refund, page] a refund's card
	actRefundCancel  = "rfx"  // [refund, page] "Cancel the refund": confirm first
	actRefundCancelK = "rfxk" // [refund, page] confirmed
	actStorno        = "rfs"  // [payment, page] "Cancel the payment": confirm first
	actStornoK       = "rfsk" // [payment, page] confirmed
	actRefundSupport = "rfh"  // [refund] the merchant talks to support about a refund
)

const (
	flowRefund      = "refund"
	stepAmount      = "amount"
	keyPayment      = "payment"
	keyPage         = "page"
	paymentsPerPage = 5
)

func registerRefunds(r *Router) {
	r.View(actRefunds, RequireCustomer(withMerchant(func(c *Conv, m store.Merchant, a Action) error {
		c.Leave()
		return showPayments(c, m, int(a.Arg(0)))
	})))
	r.View(actRefundPayment, RequireCustomer(withPayment(func(c *Conv, v paymentView, a Action) error {
		c.Leave()
		c.Show(paymentCard(c, v, int(a.Arg(1))))
		return nil
	})))
	r.Action(actRefundAmount, RequireCustomer(withPayment(askAmount)))
	r.Action(actRefundWhole, RequireCustomer(withPayment(func(c *Conv, v paymentView, a Action) error {
		if !refundable(c, v, int(a.Arg(2))) {
			return nil
		}
		return showSummary(c, v, a.Arg(1), int(a.Arg(2)))
	})))
	r.Action(actRefundRequest, RequireCustomer(withPayment(requestRefund)))
	r.Input(flowRefund, stepAmount, typedAmount)
	r.View(actRefundCard, RequireCustomer(withMerchantRefund(func(c *Conv, v paymentView, rf store.Refund, a Action) error {
		c.Leave()
		c.Show(refundCard(c, v, rf, int(a.Arg(1))))
		return nil
	})))
	r.View(actRefundCancel, RequireCustomer(withMerchantRefund(askCancelRefund)))
	r.Action(actRefundCancelK, RequireCustomer(withMerchantRefund(cancelRefund)))
	r.Action(actRefundSupport, RequireCustomer(withMerchantRefund(func(c *Conv, _ paymentView, rf store.Refund, _ Action) error {
		c.Leave()
		_, _, err := Handoff(c, Subject("refund", rf.ID), "refund.handoff_merchant_"+string(rf.State))
		return err
	})))
	r.View(actStorno, RequireCustomer(withPayment(askStorno)))
	r.Action(actStornoK, RequireCustomer(withPayment(storno)))
	registerPayerRefunds(r)
	r.Job("refund.settled", refundJob)
	r.Describe("refund", describeRefund)
}

// merchantMenuRows is the main menu's «Заявки на отмену» entry, for a
// customer who runs a merchant account (none for anybody else).
func merchantMenuRows(c *Conv) [][]Button {
	if c.Customer == nil {
		return nil
	}
	if _, err := c.Ledger().MerchantOf(c.Context(), c.Customer.ID); err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			c.Log().Warn("menu without refunds", "chat", c.Event.ChatID, "err", err)
		}
		return nil
	}
	return [][]Button{{c.Button(M("refund.menu"), actRefunds)}}
}

// withMerchant runs h for the merchant account of the chat's customer; a
// customer without one (a button kept from before, or forged) is refused.
func withMerchant(h func(c *Conv, m store.Merchant, a Action) error) ActionHandler {
	return func(c *Conv, a Action) error {
		m, err := c.Ledger().MerchantOf(c.Context(), c.Customer.ID)
		if errors.Is(err, store.ErrNotFound) {
			c.Log().Warn("refused button", "chat", c.Event.ChatID, "customer", c.Customer.ID, "action", a.Name, "reason", "no merchant account")
			return refuseButton(c)
		}
		if err != nil {
			return err
		}
		return h(c, m, a)
	}
}

// paymentView is a payment of the chat's merchant with its refunds.
type paymentView struct {
	m       store.Merchant
	p       store.Payment
	refunds []store.Refund
}

// loadPayment reads payment id for the chat's merchant, with its refunds.
// ok is false, and the press refused and logged, when it is not theirs.
func loadPayment(c *Conv, a Action, id int64) (paymentView, bool, error) {
	m, err := c.Ledger().MerchantOf(c.Context(), c.Customer.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return paymentView{}, false, err
	}
	p, perr := c.Ledger().Payment(c.Context(), id)
	if err != nil || errors.Is(perr, store.ErrNotFound) || (perr == nil && p.MerchantID != m.ID) {
		c.Log().Warn("refused button", "chat", c.Event.ChatID, "customer", c.Customer.ID, "action", a.Name,
			"payment", id, "reason", "not the merchant's payment")
		return paymentView{}, false, refuseButton(c)
	}
	if perr != nil {
		return paymentView{}, false, perr
	}
	refunds, err := c.Ledger().RefundsOf(c.Context(), p.ID)
	if err != nil {
		return paymentView{}, false, err
	}
	return paymentView{m: m, p: p, refunds: refunds}, true, nil
}

func withPayment(h func(c *Conv, v paymentView, a Action) error) ActionHandler {
	return func(c *Conv, a Action) error {
		v, ok, err := loadPayment(c, a, a.Arg(0))
		if !ok || err != nil {
			return err
		}
		return h(c, v, a)
	}
}

// withMerchantRefund runs h on a refund of one of the merchant's payments.
func withMerchantRefund(h func(c *Conv, v paymentView, rf store.Refund, a Action) error) ActionHandler {
	return func(c *Conv, a Action) error {
		rf, err := c.Ledger().Refund(c.Context(), a.Arg(0))
		if errors.Is(err, store.ErrNotFound) {
			c.Log().Warn("refused button", "chat", c.Event.ChatID, "action", a.Name, "refund", a.Arg(0), "reason", "no such refund")
			return refuseButton(c)
		}
		if err != nil {
			return err
		}
		v, ok, err := loadPayment(c, a, rf.PaymentID)
		if !ok || err != nil {
			return err
		}
		return h(c, v, rf, a)
	}
}

// showPayments lists one page of the merchant's payments, newest first.
func showPayments(c *Conv, m store.Merchant, page int) error {
	page = max(page, 0)
	list, total, err := c.Ledger().MerchantPayments(c.Context(), m.ID, page*paymentsPerPage, paymentsPerPage)
	if err != nil {
		return err
	}
	pages := max((total+paymentsPerPage-1)/paymentsPerPage, 1)
	if page >= pages { // a stale page button
		page = pages - 1
		if list, _, err = c.Ledger().MerchantPayments(c.Context(), m.ID, page*paymentsPerPage, paymentsPerPage); err != nil {
			return err
		}
	}
	s := Screen{Replace: c.Event.Kind == EventAction}
	if total == 0 {
		s.Body = []Msg{M("refund.list_empty", "Shop", m.Name)}
		s.Inline = [][]Button{MenuRow(c)}
		c.Show(s)
		return nil
	}
	title := M("refund.list", "Shop", m.Name)
	if pages > 1 {
		title = M("refund.list_paged", "Shop", m.Name, "Page", page+1, "Pages", pages)
	}
	s.Body = []Msg{title}
	for _, p := range list {
		s.Inline = append(s.Inline, []Button{c.Button(M("refund.line", "Date", locales.Date{T: p.CreatedAt, Loc: c.Loc()},
			"Payer", store.MaskName(p.PayerName), "Amount", paymentMoney(p, p.Amount), "State", M("refund.shown_"+string(ShowPayment(p)))),
			actRefundPayment, p.ID, int64(page))})
	}
	s.Inline = append(s.Inline, PageRows(c, actRefunds, page, pages)...)
	s.Inline = append(s.Inline, MenuRow(c))
	c.Show(s)
	return nil
}

func paymentMoney(p store.Payment, minor int64) locales.Money {
	return locales.Money{Minor: minor, Currency: p.Currency}
}

// paymentRef names a payment: the merchant's reference, else its id.
func paymentRef(p store.Payment) string {
	if p.Reference != "" {
		return p.Reference
	}
	return strconv.FormatInt(p.ID, 10)
}

// paidBy is how a payment was paid, and so where its refunds go.
func paidBy(p store.Payment) Msg {
	if p.Method == store.MethodCard {
		return M("refund.method_card", "Last4", p.CardLast4)
	}
	return M("refund.method_bank_transfer")
}

// destination is where a refund of p goes: the same card, or the account
// the payment came from.
func destination(p store.Payment) Msg {
	if p.Method == store.MethodCard {
		return M("refund.dest_card", "Last4", p.CardLast4)
	}
	return M("refund.dest_account")
}

// paymentCard is a payment with its refunds and what may be done now.
func paymentCard(c *Conv, v paymentView, page int) Screen {
	p, loc := v.p, c.Loc()
	c.showsView(actRefundPayment, p.ID, int64(page)) // whoever shows it: after a storno, say
	s := Screen{Replace: c.Event.Kind == EventAction}
	s.Body = append(s.Body, M("refund.payment", "Ref", paymentRef(p), "Amount", paymentMoney(p, p.Amount),
		"Payer", store.MaskName(p.PayerName), "State", M("refund.shown_"+string(ShowPayment(p)))))
	switch p.Status {
	case store.PaymentPaid:
		s.Body = append(s.Body, M("refund.payment_paid", "When", locales.DateTime{T: p.PaidAt, Loc: loc}, "How", paidBy(p)))
	case store.PaymentExpected:
		s.Body = append(s.Body, M("refund.payment_expected", "When", locales.DateTime{T: p.CreatedAt, Loc: loc}, "How", paidBy(p)))
	case store.PaymentCancelled:
		s.Body = append(s.Body, M("refund.payment_cancelled", "When", locales.DateTime{T: p.CancelledAt, Loc: loc}))
	}
	if len(v.refunds) > 0 {
		s.Body = append(s.Body, M("refund.refunds_title").N(len(v.refunds)))
		for _, rf := range v.refunds {
			s.Inline = append(s.Inline, []Button{c.Button(M("refund.refund_line", "Amount", paymentMoney(p, rf.Amount),
				"State", M("refund.state_"+string(rf.State)), "Date", locales.Date{T: rf.CreatedAt, Loc: loc}), actRefundCard, rf.ID, int64(page))})
		}
	}
	if p.Status != store.PaymentCancelled && p.Left() > 0 {
		s.Body = append(s.Body, M("refund.left", "Left", paymentMoney(p, max(p.Left(), 0)), "Amount", paymentMoney(p, p.Amount)))
	}
	switch CanRefund(p) {
	case RefundOK:
		s.Inline = append(s.Inline, []Button{c.Button(M("refund.refund_button"), actRefundAmount, p.ID, int64(page))})
	case RefundWaitsForPayment:
		s.Body = append(s.Body, M("refund.expected_hint"))
		s.Inline = append(s.Inline, []Button{c.Button(M("refund.refund_button"), actRefundAmount, p.ID, int64(page))},
			[]Button{c.Button(M("refund.storno_button"), actStorno, p.ID, int64(page))})
	case RefundNothingLeft:
		s.Body = append(s.Body, M("refund.nothing_left"))
		if p.Status == store.PaymentExpected {
			s.Inline = append(s.Inline, []Button{c.Button(M("refund.storno_button"), actStorno, p.ID, int64(page))})
		}
	}
	s.Inline = append(s.Inline, BackRow(c, actRefunds, int64(page)))
	return s
}

// refundable checks at the press that a refund may still be asked for the
// payment; if not (a stale button after a full refund, a cancelled
// payment) the card says why and false is returned.
func refundable(c *Conv, v paymentView, page int) bool {
	switch CanRefund(v.p) {
	case RefundOK, RefundWaitsForPayment:
		return true
	}
	c.Leave()
	c.Toast(M("refund.stale_toast"))
	s := paymentCard(c, v, page)
	s.Body = append([]Msg{M("refund.stale_" + string(CanRefund(v.p)))}, s.Body...)
	c.Show(s)
	return false
}

// askAmount asks how much to refund: the whole remainder with one button,
// or typed.
func askAmount(c *Conv, v paymentView, a Action) error {
	page := int(a.Arg(1))
	if !refundable(c, v, page) {
		return nil
	}
	c.Goto(flowRefund, stepAmount)
	c.Set(keyPayment, strconv.FormatInt(v.p.ID, 10))
	c.Set(keyPage, strconv.Itoa(page))
	c.Show(amountScreen(c, v, page, nil))
	return nil
}

// amountScreen is the question, after problem when the last answer was wrong.
func amountScreen(c *Conv, v paymentView, page int, problem *Msg) Screen {
	p := v.p
	s := Screen{Replace: c.Event.Kind == EventAction}
	if problem != nil {
		s.Body = append(s.Body, *problem)
	}
	s.Body = append(s.Body, M("refund.ask_amount", "Ref", paymentRef(p), "Amount", paymentMoney(p, p.Amount),
		"Left", paymentMoney(p, p.Left())))
	s.Inline = [][]Button{
		{c.Button(M("refund.whole_button", "Left", paymentMoney(p, p.Left())), actRefundWhole, p.ID, p.Left(), int64(page))},
		BackRow(c, actRefundPayment, p.ID, int64(page)),
	}
	return s
}

// typedAmount reads an amount the merchant typed. A wrong one is answered
// with what is wrong and the question again; nothing is lost.
func typedAmount(c *Conv) error {
	id, _ := strconv.ParseInt(c.Get(keyPayment), 10, 64)
	page, _ := strconv.Atoi(c.Get(keyPage))
	v, ok, err := loadPayment(c, Action{Name: "refund.amount"}, id)
	if !ok || err != nil {
		return err
	}
	if !refundable(c, v, page) {
		return nil
	}
	if c.Event.Kind != EventText {
		problem := M("refund.amount_not_number")
		c.Show(amountScreen(c, v, page, &problem))
		return nil
	}
	amount, err := ParseAmount(c.Event.Text, c.Lang, v.p.Currency)
	if err == nil {
		err = CheckRefundAmount(v.p, amount)
	}
	if err != nil {
		problem := amountProblem(v.p, err)
		c.Show(amountScreen(c, v, page, &problem))
		return nil
	}
	return showSummary(c, v, amount, page)
}

// amountProblem says what is wrong with a typed amount.
func amountProblem(p store.Payment, err error) Msg {
	left := paymentMoney(p, p.Left())
	switch {
	case errors.Is(err, ErrAmountZero):
		return M("refund.amount_zero")
	case errors.Is(err, ErrAmountNegative):
		return M("refund.amount_negative")
	case errors.Is(err, ErrAmountTooPrecise):
		return M("refund.amount_too_precise")
	case errors.Is(err, ErrAmountOtherCurrency):
		return M("refund.amount_other_currency", "Currency", M("currency."+p.Currency))
	case errors.Is(err, ErrAmountOverLeft), errors.Is(err, ErrAmountTooLarge):
		return M("refund.amount_over", "Left", left)
	}
	return M("refund.amount_not_number")
}

// showSummary is what the merchant confirms: the amount, the fee, where
// the money goes, and how the queue works.
func showSummary(c *Conv, v paymentView, amount int64, page int) error {
	p := v.p
	if err := CheckRefundAmount(p, amount); err != nil { // a "whole" button from before another refund
		problem := amountProblem(p, err)
		c.Goto(flowRefund, stepAmount)
		c.Set(keyPayment, strconv.FormatInt(p.ID, 10))
		c.Set(keyPage, strconv.Itoa(page))
		c.Show(amountScreen(c, v, page, &problem))
		return nil
	}
	deadline, err := RefundDeadline(c.Now, *c.Customer)
	if err != nil {
		return err
	}
	s := Screen{Replace: c.Event.Kind == EventAction}
	s.Body = []Msg{
		M("refund.summary", "Ref", paymentRef(p), "Payer", store.MaskName(p.PayerName), "Amount", paymentMoney(p, amount),
			"Fee", paymentMoney(p, RefundFee(v.m, p.Currency)), "Dest", destination(p)),
		M("refund.summary_where"),
	}
	if p.Status == store.PaymentExpected {
		s.Body = append(s.Body, M("refund.summary_expected"))
	}
	s.Body = append(s.Body, M("refund.summary_queue", "Days", RefundQueueDays,
		"Deadline", locales.DateTime{T: deadline, Loc: c.Loc()}))
	s.Inline = [][]Button{
		{c.Button(M("refund.request_button"), actRefundRequest, p.ID, amount, int64(page), int64(len(v.refunds)))},
		{c.Button(M("refund.change_amount"), actRefundAmount, p.ID, int64(page))},
		BackRow(c, actRefundPayment, p.ID, int64(page)),
	}
	// Typing another amount here shows a new summary.
	c.Goto(flowRefund, stepAmount)
	c.Set(keyPayment, strconv.FormatInt(p.ID, 10))
	c.Set(keyPage, strconv.Itoa(page))
	c.Show(s)
	return nil
}

// requestRefund is «Подать заявку»: the refund is queued once. A double tap
// (the same message, so the same key) finds the refund it made; a second
// device whose refund would take the payment past what was paid is told
// what is left; a stale button on a payment refunded meanwhile says so.
func requestRefund(c *Conv, v paymentView, a Action) error {
	amount, page := a.Arg(1), int(a.Arg(2))
	deadline, err := RefundDeadline(c.Now, *c.Customer)
	if err != nil {
		return err
	}
	// The key is the button's: a double tap on it is one request. Inline
	// navigation keeps the message, so the button also names the amount
	// and how many refunds the payment had when the summary was shown: a
	// second refund asked later from the same message is another request.
	key := fmt.Sprintf("%s:%d:%d", c.OpKey("refund.create", v.p.ID), amount, a.Arg(3))
	rf, created, err := c.Ledger().CreateRefund(c.Context(), key, store.Refund{
		PaymentID: v.p.ID, Amount: amount, Fee: RefundFee(v.m, v.p.Currency), CreatedAt: c.Now, Deadline: deadline})
	switch {
	case errors.Is(err, store.ErrRefundTooLarge), errors.Is(err, store.ErrNotRefundable):
		c.Log().Info("refund refused", "chat", c.Event.ChatID, "payment", v.p.ID, "reason", err)
		v, _, lerr := loadPayment(c, a, v.p.ID)
		if lerr != nil {
			return lerr
		}
		c.Leave()
		c.Toast(M("refund.stale_toast"))
		s := paymentCard(c, v, page)
		notice := M("refund.too_large", "Left", paymentMoney(v.p, max(v.p.Left(), 0)))
		if verdict := CanRefund(v.p); verdict != RefundOK && verdict != RefundWaitsForPayment {
			notice = M("refund.stale_" + string(verdict))
		}
		s.Body = append([]Msg{notice}, s.Body...)
		c.Show(s)
		return nil
	case err != nil:
		return fmt.Errorf("refund payment %d: %w", v.p.ID, err)
	}
	if created {
		c.Log().Info("refund requested", "chat", c.Event.ChatID, "payment", v.p.ID, "refund", rf.ID, "state", rf.State)
		c.Toast(M("refund.requested_toast"))
	}
	c.Leave()
	if v, _, err = loadPayment(c, a, v.p.ID); err != nil {
		return err
	}
	s := refundCard(c, v, rf, page)
	s.Body = append([]Msg{M("refund.requested")}, s.Body...)
	c.Show(s)
	return nil
}

// refundCard is a refund as its merchant sees it: the state, what it means
// and what happens next.
func refundCard(c *Conv, v paymentView, rf store.Refund, page int) Screen {
	p, loc := v.p, c.Loc()
	c.showsView(actRefundCard, rf.ID, int64(page)) // whoever shows it: after the refund was requested, say
	s := Screen{Replace: c.Event.Kind == EventAction}
	s.Body = []Msg{M("refund.card", "Amount", paymentMoney(p, rf.Amount), "Ref", paymentRef(p), "Payer", store.MaskName(p.PayerName),
		"PaymentAmount", paymentMoney(p, p.Amount), "At", locales.DateTime{T: rf.CreatedAt, Loc: loc},
		"Fee", paymentMoney(p, rf.Fee), "Dest", destination(p), "State", M("refund.state_"+string(rf.State))),
		refundExplain(c, "refund.explain_", p, rf)}
	switch {
	case rf.State.Cancellable():
		s.Inline = append(s.Inline, []Button{c.Button(M("refund.cancel_button"), actRefundCancel, rf.ID, int64(page))})
	case rf.State == store.RefundRejected || rf.CancelledBy == store.CancelledByDeadline:
		s.Inline = append(s.Inline, []Button{c.Button(M("transfer.support_button"), actRefundSupport, rf.ID)})
	}
	s.Inline = append(s.Inline, BackRow(c, actRefundPayment, p.ID, int64(page)))
	return s
}

// refundExplain says what a refund's state means and what happens next;
// prefix picks the merchant's or the payer's words.
func refundExplain(c *Conv, prefix string, p store.Payment, rf store.Refund) Msg {
	loc := c.Loc()
	id := prefix + string(rf.State)
	if rf.State == store.RefundCancelled {
		id += "_" + string(cmpOrReason(rf.CancelledBy))
	}
	return M(id, "Since", locales.DateTime{T: rf.Since(), Loc: loc}, "Deadline", locales.DateTime{T: rf.Deadline, Loc: loc},
		"Missing", paymentMoney(p, rf.Missing), "Dest", destination(p), "Days", RefundQueueDays)
}

func cmpOrReason(r store.RefundCancelReason) store.RefundCancelReason {
	if r == "" {
		return store.CancelledByMerchant
	}
	return r
}

// askCancelRefund confirms cancelling a queued refund.
func askCancelRefund(c *Conv, v paymentView, rf store.Refund, a Action) error {
	page := int(a.Arg(1))
	if !rf.State.Cancellable() {
		c.Show(refundCard(c, v, rf, page))
		return nil
	}
	c.Show(Screen{Replace: true,
		Body: []Msg{M("refund.cancel_confirm", "Amount", paymentMoney(v.p, rf.Amount), "Ref", paymentRef(v.p))},
		Inline: [][]Button{
			{c.Button(M("refund.cancel_confirm_button"), actRefundCancelK, rf.ID, int64(page))},
			BackRow(c, actRefundCard, rf.ID, int64(page)),
		}})
	return nil
}

// cancelRefund cancels a queued refund, once; one that went on meanwhile
// (to the bank, or refunded) shows its card with its state.
func cancelRefund(c *Conv, v paymentView, rf store.Refund, a Action) error {
	page := int(a.Arg(1))
	rf, changed, err := c.Ledger().CancelRefund(c.Context(), c.OpKey("refund.cancel", rf.ID), rf.ID, c.Now)
	if err != nil {
		return err
	}
	if changed {
		c.Log().Info("refund cancelled", "chat", c.Event.ChatID, "refund", rf.ID)
		c.Toast(M("refund.cancelled_toast"))
	}
	if v, _, err = loadPayment(c, a, rf.PaymentID); err != nil {
		return err
	}
	c.Show(refundCard(c, v, rf, page))
	return nil
}

// askStorno confirms cancelling an expected payment.
func askStorno(c *Conv, v paymentView, a Action) error {
	page := int(a.Arg(1))
	if v.p.Status != store.PaymentExpected {
		c.Show(paymentCard(c, v, page))
		return nil
	}
	waiting := 0
	for _, rf := range v.refunds {
		if rf.State == store.RefundAwaitingPayment {
			waiting++
		}
	}
	s := Screen{Replace: true,
		Body: []Msg{M("refund.storno_confirm", "Ref", paymentRef(v.p), "Amount", paymentMoney(v.p, v.p.Amount),
			"Payer", store.MaskName(v.p.PayerName))},
		Inline: [][]Button{
			{c.Button(M("refund.storno_confirm_button"), actStornoK, v.p.ID, int64(page))},
			BackRow(c, actRefundPayment, v.p.ID, int64(page)),
		}}
	if waiting > 0 {
		s.Body = append(s.Body, M("refund.storno_refunds").N(waiting))
	}
	c.Show(s)
	return nil
}

// storno cancels an expected payment, once; one paid meanwhile shows its
// card (it can be refunded now instead).
func storno(c *Conv, v paymentView, a Action) error {
	page := int(a.Arg(1))
	_, changed, err := c.Ledger().CancelPayment(c.Context(), c.OpKey("refund.storno", v.p.ID), v.p.ID, c.Now)
	if err != nil {
		return err
	}
	if changed {
		c.Log().Info("payment cancelled", "chat", c.Event.ChatID, "payment", v.p.ID)
		c.Toast(M("refund.storno_toast"))
	}
	if v, _, err = loadPayment(c, a, v.p.ID); err != nil {
		return err
	}
	c.Show(paymentCard(c, v, page))
	return nil
}
