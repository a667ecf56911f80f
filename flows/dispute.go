package flows

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"paydesk/locales"
	"paydesk/store"
)

// "Returns and disputes" (seed: «Мои заказы» → «Заявки на возврат» →
// «Детали заявки» → «Оспорить отказ»): the customer's return requests, a
// request's card, and the form that disputes a seller's refusal within 72
// hours (dispute_form.go). Every button re-reads the request and checks that
// it is the customer's and what may be done with it at that moment.

// Action names (actReturns, the menu entry, is in menu.go).
const (
	actReturnCard     = "rrd" // id: a return request's card
	actDisputeStart   = "rrs" // id: "Dispute the refusal"
	actDisputeReason  = "rrr" // id, reason index
	actDisputeDone    = "rrp" // id: photos done
	actDisputeConfirm = "rrc" // id: send the dispute
	actDisputeBack    = "rrx" // id: one step back in the form, what was typed kept
	actDisputeCancel  = "rrq" // id: leave the form (asks first when something would be lost)
	actDisputeDrop    = "rry" // id: leave the form for sure, dropping what was typed
	actDisputeResume  = "rrk" // id: stay in the form, at the step it is at
	actDisputeKeep    = "rrt" // id: keep the description typed before, on to the photos
	actDisputeSupport = "rrh" // id: talk to support about the request
)

func registerDispute(r *Router) {
	r.View(actReturns, RequireCustomer(showReturns))
	r.View(actReturnCard, RequireCustomer(func(c *Conv, a Action) error {
		return withReturn(c, a.Arg(0), func(v returnView) error {
			c.Leave()
			c.Show(returnNav(c, returnCard(c, v)))
			return nil
		})
	}))
	r.Action(actDisputeSupport, RequireCustomer(func(c *Conv, a Action) error {
		return withReturn(c, a.Arg(0), func(v returnView) error { return lateSupport(c, v) })
	}))
	registerDisputeForm(r)
	r.Job("dispute_reminder", remindDisputes)
}

// returnView is a return request with its dispute, if one was sent.
type returnView struct {
	r       store.ReturnRequest
	dispute *store.Dispute
}

func (v returnView) canDispute(now time.Time) bool { return CanDispute(v.r, v.dispute != nil, now) }

// loadReturn reads a return request and its dispute.
func loadReturn(c *Conv, r store.ReturnRequest) (returnView, error) {
	v := returnView{r: r}
	if r.Status != store.ReturnRefused && r.Status != store.ReturnDisputed {
		return v, nil
	}
	d, err := c.Ledger().DisputeOf(c.Context(), r.ID)
	switch {
	case err == nil:
		v.dispute = &d
	case !errors.Is(err, store.ErrNotFound):
		return v, fmt.Errorf("dispute of return request %d: %w", r.ID, err)
	}
	return v, nil
}

// withReturn runs fn on the customer's return request id. A request that
// does not exist or is another customer's is refused like a forged button,
// and nothing changes.
func withReturn(c *Conv, id int64, fn func(returnView) error) error {
	r, err := c.Ledger().ReturnRequest(c.Context(), id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (c.Customer == nil || r.CustomerID != c.Customer.ID)) {
		c.Log().Warn("refused button", "chat", c.Event.ChatID, "reason", "not the customer's return request", "return_request", id)
		return refuseButton(c)
	}
	if err != nil {
		return fmt.Errorf("load return request %d: %w", id, err)
	}
	v, err := loadReturn(c, r)
	if err != nil {
		return err
	}
	return fn(v)
}

// showReturns lists the customer's return requests, newest first.
func showReturns(c *Conv, _ Action) error {
	c.Leave()
	list, err := c.Ledger().ReturnRequests(c.Context(), c.Customer.ID)
	if err != nil {
		return fmt.Errorf("list return requests of customer %d: %w", c.Customer.ID, err)
	}
	refunds, err := payerRefundsRow(c) // refunds shops are sending the customer (refund_payer.go)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		s := Screen{Body: []Msg{M("dispute.list_empty")}, Inline: [][]Button{MenuRow(c)}}
		if refunds != nil {
			s.Inline = [][]Button{refunds, MenuRow(c)}
		}
		c.Show(returnNav(c, s))
		return nil
	}
	s := Screen{Body: []Msg{M("dispute.list_title")}}
	for _, r := range list {
		v, err := loadReturn(c, r)
		if err != nil {
			return err
		}
		item := M("dispute.list_item", "Order", r.OrderNo, "Item", r.Item, "Amount", returnAmount(r), "Status", returnStatus(v))
		if v.canDispute(c.Now) {
			item = M("dispute.list_item_open", "Order", r.OrderNo, "Item", r.Item, "Amount", returnAmount(r), "Status", returnStatus(v),
				"Deadline", returnTime(c, DisputeDeadline(r)))
		}
		s.Body = append(s.Body, item)
		s.Inline = append(s.Inline, []Button{c.Button(M("dispute.list_button", "Order", r.OrderNo, "Item", clip(r.Item, listButtonRunes)), actReturnCard, r.ID)})
	}
	if refunds != nil {
		s.Inline = append(s.Inline, refunds)
	}
	s.Inline = append(s.Inline, MenuRow(c))
	c.Show(returnNav(c, s))
	return nil
}

// returnCard is «Детали заявки»: the request, the seller's refusal, and
// what the customer can do about it now.
func returnCard(c *Conv, v returnView) Screen {
	r := v.r
	c.showsView(actReturnCard, r.ID) // whoever shows it: after a dispute was sent, say
	s := Screen{Body: []Msg{M("dispute.card", "Order", r.OrderNo, "Item", r.Item, "Amount", returnAmount(r), "Status", returnStatus(v))}}
	if !r.RefusedAt.IsZero() {
		s.Body = append(s.Body, M("dispute.card_refusal", "RefusedAt", returnTime(c, r.RefusedAt), "Reason", r.SellerReason))
	}
	switch {
	case v.dispute != nil:
		s.Body = append(s.Body, disputeDetails("dispute.card_dispute", v.dispute.Reason, v.dispute.Text, len(v.dispute.PhotoFileIDs),
			"At", returnTime(c, v.dispute.CreatedAt)))
	case v.canDispute(c.Now):
		s.Body = append(s.Body, M("dispute.card_open", "Deadline", returnTime(c, DisputeDeadline(r)), "Left", disputeTimeLeft(DisputeDeadline(r).Sub(c.Now))))
		s.Inline = append(s.Inline, []Button{c.Button(M("dispute.dispute_button"), actDisputeStart, r.ID)})
	case r.Status == store.ReturnRefused:
		s.Body = append(s.Body, M("dispute.window_closed", "Deadline", returnTime(c, DisputeDeadline(r))))
		s.Inline = append(s.Inline, []Button{c.Button(M("dispute.support_button"), actDisputeSupport, r.ID)})
	}
	s.Inline = append(s.Inline, BackRow(c, actReturns))
	return s
}

// returnStatus names where a request is; once disputed, the dispute's status.
func returnStatus(v returnView) Msg {
	if v.dispute != nil {
		return M("dispute.status." + string(v.dispute.Status))
	}
	if v.r.Status == store.ReturnDisputed {
		return M("dispute.status." + string(store.DisputeUnderReview))
	}
	return M("dispute.status." + string(v.r.Status))
}

// disputeDetails is a message with the fields of a dispute, and kv: its
// reason, the customer's own words (a string, so always HTML-escaped) and
// how many photos it carries.
func disputeDetails(id, reason, text string, photos int, kv ...any) Msg {
	var n any = photos
	if photos == 0 {
		n = M("dispute.photos_none")
	}
	return M(id, append([]any{"Reason", M("dispute.reason_" + reason), "Text", text, "Photos", n}, kv...)...)
}

// disputeTimeLeft is the time left to dispute, in words; under a minute it says so
// rather than "0 minutes".
func disputeTimeLeft(d time.Duration) any {
	if d < time.Minute {
		return M("dispute.under_a_minute")
	}
	return locales.Duration(d)
}

func returnAmount(r store.ReturnRequest) locales.Money {
	return locales.Money{Minor: r.Amount, Currency: r.Currency}
}

// returnTime is an instant as the customer reads it, in their time zone.
func returnTime(c *Conv, t time.Time) locales.DateTime { return locales.DateTime{T: t, Loc: c.Loc()} }

// returnNav makes a screen edit the pressed message when it answers a
// button, as inline navigation does.
func returnNav(c *Conv, s Screen) Screen {
	s.Replace = c.Event.Kind == EventAction
	return s
}

// disputePhotos and joinDisputePhotos keep the form's photo file ids in one session
// value; file ids never contain a newline.
func disputePhotos(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func joinDisputePhotos(ids []string) string { return strings.Join(ids, "\n") }
