package flows

import (
	"errors"
	"fmt"

	"paydesk/locales"
	"paydesk/store"
)

// Refunds, the payer's side: under "Returns and disputes" a customer sees
// the refunds shops are sending them — the shop, the amount, to which card,
// the state in customer words — and "Talk to support" when one was
// rejected by the bank or cancelled.

const (
	actPayerRefunds = "rfy"  // the refunds coming to the customer
	actPayerRefund  = "rfyc" // [refund] one of them
	actPayerSupport = "rfyh" // [refund] talk to support about it
)

func registerPayerRefunds(r *Router) {
	r.View(actPayerRefunds, RequireCustomer(showPayerRefunds))
	r.View(actPayerRefund, RequireCustomer(withPayerRefund(func(c *Conv, v payerRefund) error {
		c.Leave()
		c.Show(payerRefundCard(c, v))
		return nil
	})))
	r.Action(actPayerSupport, RequireCustomer(withPayerRefund(func(c *Conv, v payerRefund) error {
		c.Leave()
		_, _, err := Handoff(c, Subject("refund", v.r.ID), "refund.handoff_"+string(v.r.State))
		return err
	})))
}

// payerRefundsRow is the "Refunds from shops" button of the returns list,
// shown when shops are refunding something to the customer.
func payerRefundsRow(c *Conv) ([]Button, error) {
	list, err := c.Ledger().RefundsTo(c.Context(), c.Customer.ID)
	if err != nil {
		return nil, fmt.Errorf("refunds to customer %d: %w", c.Customer.ID, err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	return []Button{c.Button(M("refund.payer_button", "Count", len(list)), actPayerRefunds)}, nil
}

// payerRefund is a refund with its payment and shop, as its payer sees it.
type payerRefund struct {
	r    store.Refund
	p    store.Payment
	shop store.Merchant
}

func loadPayerRefund(c *Conv, r store.Refund) (payerRefund, error) {
	p, err := c.Ledger().Payment(c.Context(), r.PaymentID)
	if err != nil {
		return payerRefund{}, err
	}
	m, err := c.Ledger().Merchant(c.Context(), p.MerchantID)
	if err != nil {
		return payerRefund{}, err
	}
	return payerRefund{r: r, p: p, shop: m}, nil
}

// withPayerRefund runs h on a refund coming to the customer; anybody
// else's is refused like a forged button.
func withPayerRefund(h func(c *Conv, v payerRefund) error) ActionHandler {
	return func(c *Conv, a Action) error {
		r, err := c.Ledger().Refund(c.Context(), a.Arg(0))
		if errors.Is(err, store.ErrNotFound) || (err == nil && r.PayerID != c.Customer.ID) {
			c.Log().Warn("refused button", "chat", c.Event.ChatID, "action", a.Name, "refund", a.Arg(0), "reason", "not a refund to the customer")
			return refuseButton(c)
		}
		if err != nil {
			return err
		}
		v, err := loadPayerRefund(c, r)
		if err != nil {
			return err
		}
		return h(c, v)
	}
}

// showPayerRefunds lists the refunds coming to the customer, newest first.
func showPayerRefunds(c *Conv, _ Action) error {
	c.Leave()
	list, err := c.Ledger().RefundsTo(c.Context(), c.Customer.ID)
	if err != nil {
		return err
	}
	s := Screen{Replace: c.Event.Kind == EventAction}
	if len(list) == 0 {
		s.Body = []Msg{M("refund.payer_empty")}
		s.Inline = [][]Button{BackRow(c, actReturns)}
		c.Show(s)
		return nil
	}
	s.Body = []Msg{M("refund.payer_list")}
	for _, r := range list {
		v, err := loadPayerRefund(c, r)
		if err != nil {
			return err
		}
		s.Inline = append(s.Inline, []Button{c.Button(M("refund.payer_line", "Shop", v.shop.Name,
			"Amount", paymentMoney(v.p, r.Amount), "State", M("refund.payer_state_"+string(r.State))), actPayerRefund, r.ID)})
	}
	s.Inline = append(s.Inline, BackRow(c, actReturns))
	c.Show(s)
	return nil
}

// payerRefundCard is one refund in the payer's words, with support when
// it did not go through.
func payerRefundCard(c *Conv, v payerRefund) Screen {
	loc := c.Loc()
	s := Screen{Replace: c.Event.Kind == EventAction}
	s.Body = []Msg{
		M("refund.payer_card", "Shop", v.shop.Name, "Amount", paymentMoney(v.p, v.r.Amount), "Dest", destination(v.p),
			"PaymentAmount", paymentMoney(v.p, v.p.Amount), "Date", locales.Date{T: v.p.CreatedAt, Loc: loc},
			"State", M("refund.payer_state_"+string(v.r.State))),
		refundExplain(c, "refund.payer_explain_", v.p, v.r),
	}
	if payerMaySeekHelp(v.r.State) {
		s.Inline = append(s.Inline, []Button{c.Button(M("transfer.support_button"), actPayerSupport, v.r.ID)})
	}
	s.Inline = append(s.Inline, BackRow(c, actPayerRefunds))
	return s
}

// payerMaySeekHelp: a refund that did not reach the payer (rejected by the
// bank, cancelled) gets "Talk to support".
func payerMaySeekHelp(s store.RefundState) bool {
	return s == store.RefundRejected || s == store.RefundCancelled
}

// describeRefund tells the agents about a refund: shop, payer, amount,
// where it goes and its state with the clock, for the refund's payer or
// its merchant.
func describeRefund(d CardContext, id int64) ([]Msg, error) {
	r, err := d.Ledger.Refund(d.Ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := d.Ledger.Payment(d.Ctx, r.PaymentID)
	if err != nil {
		return nil, err
	}
	m, err := d.Ledger.Merchant(d.Ctx, p.MerchantID)
	if err != nil {
		return nil, err
	}
	if r.PayerID != d.Customer.ID && m.CustomerID != d.Customer.ID {
		return nil, store.ErrNotFound
	}
	loc := d.Customer.Location()
	msgs := []Msg{M("refund.describe", "ID", fmt.Sprint(r.ID), "Shop", m.Name, "Ref", paymentRef(p),
		"Amount", paymentMoney(p, r.Amount), "PaymentAmount", paymentMoney(p, p.Amount), "How", paidBy(p),
		"Payer", store.MaskName(p.PayerName), "State", M("refund.state_"+string(r.State)),
		"Since", locales.DateTime{T: r.Since(), Loc: loc}, "At", locales.DateTime{T: r.CreatedAt, Loc: loc})}
	if r.State.Queued() {
		msgs = append(msgs, M("refund.describe_deadline", "Deadline", locales.DateTime{T: r.Deadline, Loc: loc}))
	}
	return msgs, nil
}
