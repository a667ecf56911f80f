package flows

import (
	"errors"
	"fmt"

	"paydesk/locales"
	"paydesk/store"
)

// Cancel a transfer, the sender's side (seed: «История» -> квитанция ->
// «Запросить отмену»): the history, newest first, a receipt card per
// transfer, and the cancellation request while the transfer is less than a
// calendar month old. The recipient's side is in transfer_recipient.go, the
// request itself in transfer_request.go, the expiry in transfer_job.go.

// Action names of the transfer flow; args in brackets.
const (
	actTransferCard    = "trc"  // [transfer, page] the receipt card
	actTransferAsk     = "trr"  // [transfer, page] "Request cancellation": confirm first
	actTransferConfirm = "trk"  // [transfer, page] confirmed: create the request
	actTransferSupport = "trs"  // [transfer] talk to support about the transfer
	actIncomingCard    = "tri"  // [request] the recipient opens a request to them
	actIncomingReturn  = "trg"  // [request] "Return the money": confirm first
	actIncomingGive    = "trgk" // [request] confirmed: the money goes back
	actIncomingDecline = "trd"  // [request] the recipient declines
)

// transfersPerPage is how many transfers one history page lists.
const transfersPerPage = 5

func registerTransfer(r *Router) {
	// actTransfers comes from the menu without args (page 0) and from the
	// page buttons with the page.
	r.View(actTransfers, RequireCustomer(func(c *Conv, a Action) error {
		return showHistory(c, int(a.Arg(0)))
	}))
	r.View(actTransferCard, RequireCustomer(func(c *Conv, a Action) error {
		t, ok, err := ownTransfer(c, a)
		if !ok || err != nil {
			return err
		}
		return showCard(c, t, int(a.Arg(1)))
	}))
	r.View(actTransferAsk, RequireCustomer(askCancellation))
	r.Action(actTransferConfirm, RequireCustomer(confirmCancellation))
	r.Action(actTransferSupport, RequireCustomer(transferSupport))
	registerRecipient(r)
	r.Job("transfer.cancellations", cancellationJob)
}

// showHistory lists one page of the customer's transfers, with the requests
// addressed to them (as a recipient) on top of the first page.
func showHistory(c *Conv, page int) error {
	ctx, cust := c.Context(), c.Customer
	page = max(page, 0)
	list, total, err := c.Ledger().Transfers(ctx, cust.ID, page*transfersPerPage, transfersPerPage)
	if err != nil {
		return err
	}
	pages := max((total+transfersPerPage-1)/transfersPerPage, 1)
	if page >= pages { // a stale page button after the history shrank
		page = pages - 1
		if list, _, err = c.Ledger().Transfers(ctx, cust.ID, page*transfersPerPage, transfersPerPage); err != nil {
			return err
		}
	}
	s := Screen{Replace: c.Event.Kind == EventAction}
	if page == 0 {
		if err := addIncoming(c, &s); err != nil {
			return err
		}
	}
	if total == 0 {
		s.Body = append(s.Body, M("transfer.history_empty"))
		s.Inline = append(s.Inline, MenuRow(c))
		c.Show(s)
		return nil
	}
	title := M("transfer.history")
	if pages > 1 {
		title = M("transfer.history_paged", "Page", page+1, "Pages", pages)
	}
	s.Body = append(s.Body, title)
	for _, t := range list {
		s.Inline = append(s.Inline, []Button{c.Button(transferLine(c, t), actTransferCard, t.ID, int64(page))})
	}
	s.Inline = append(s.Inline, PageRows(c, actTransfers, page, pages)...)
	s.Inline = append(s.Inline, MenuRow(c))
	c.Show(s)
	return nil
}

// transferLine is a transfer as a history button: date, masked recipient,
// amount.
func transferLine(c *Conv, t store.Transfer) Msg {
	id := "transfer.line"
	if t.Status == store.TransferReturned {
		id = "transfer.line_returned"
	}
	return M(id, "Date", locales.Date{T: t.CreatedAt, Loc: c.Loc()},
		"Name", store.MaskName(t.RecipientName), "Amount", money(t))
}

func money(t store.Transfer) locales.Money {
	return locales.Money{Minor: t.Amount, Currency: t.Currency}
}

// ownTransfer loads the transfer a button names and checks, at the moment
// of the press, that the customer sent it. A button for somebody else's
// transfer (forged, replayed from another account, or an id that does not
// exist) is refused and logged; ok is false then and the screen is shown.
func ownTransfer(c *Conv, a Action) (store.Transfer, bool, error) {
	t, err := c.Ledger().Transfer(c.Context(), a.Arg(0))
	if errors.Is(err, store.ErrNotFound) || (err == nil && t.SenderID != c.Customer.ID) {
		c.Log().Warn("refused button", "chat", c.Event.ChatID, "customer", c.Customer.ID,
			"action", a.Name, "transfer", a.Arg(0), "reason", "not the customer's transfer")
		return t, false, refuseButton(c)
	}
	if err != nil {
		return t, false, err
	}
	return t, true, nil
}

// showCard shows a transfer's receipt and what can be done about it now.
func showCard(c *Conv, t store.Transfer, page int) error {
	c.showsView(actTransferCard, t.ID, int64(page)) // whoever shows it: after the request was made, say
	req, err := c.Ledger().LatestCancellation(c.Context(), t.ID)
	hasRequest := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	status := M("transfer.status_completed")
	if t.Status == store.TransferReturned {
		status = M("transfer.status_returned")
	}
	s := Screen{Replace: c.Event.Kind == EventAction}
	s.Body = append(s.Body, M("transfer.receipt",
		"Amount", money(t), "Name", store.MaskName(t.RecipientName),
		"When", locales.DateTime{T: t.CreatedAt, Loc: c.Loc()}, "Status", status))
	support := c.Button(M("transfer.support_button"), actTransferSupport, t.ID)
	switch deadline := CancelDeadline(t.CreatedAt, c.Loc()); {
	case hasRequest:
		s.Body = append(s.Body, requestStatus(c, req)...)
		if req.Status == store.CancellationDeclined || req.Status == store.CancellationExpired {
			s.Inline = append(s.Inline, []Button{support})
		}
	case t.Status == store.TransferReturned:
		s.Body = append(s.Body, M("transfer.already_returned"))
	case c.Now.Before(deadline):
		s.Body = append(s.Body, M("transfer.can_cancel", "Deadline", locales.DateTime{T: deadline, Loc: c.Loc()}))
		s.Inline = append(s.Inline, []Button{c.Button(M("transfer.request_button"), actTransferAsk, t.ID, int64(page))})
	default:
		s.Body = append(s.Body, M("transfer.too_old", "Deadline", locales.DateTime{T: deadline, Loc: c.Loc()}))
		s.Inline = append(s.Inline, []Button{support})
	}
	s.Inline = append(s.Inline, BackRow(c, actTransfers, int64(page)))
	c.Show(s)
	return nil
}

// requestStatus is the sender's view of a cancellation request: its status
// in one word and what it means.
func requestStatus(c *Conv, r store.CancellationRequest) []Msg {
	out := []Msg{M("transfer.request_status",
		"At", locales.DateTime{T: r.CreatedAt, Loc: c.Loc()}, "Status", statusName(r.Status))}
	switch r.Status {
	case store.CancellationNotified:
		out = append(out, M("transfer.explain_notified",
			"Until", locales.DateTime{T: r.CreatedAt.Add(RecipientAnswerTime), Loc: c.Loc()}))
	default:
		out = append(out, M("transfer.explain_"+string(r.Status),
			"At", locales.DateTime{T: r.ResolvedAt, Loc: c.Loc()}, "Days", answerTime()))
	}
	return out
}

func statusName(s store.CancellationStatus) Msg { return M("transfer.state_" + string(s)) }

// transferSupport hands the chat to support about a transfer. The reason
// the agents see is worked out now, from the transfer's state at the press.
func transferSupport(c *Conv, a Action) error {
	t, ok, err := ownTransfer(c, a)
	if !ok || err != nil {
		return err
	}
	reason := "transfer.handoff_question"
	req, err := c.Ledger().LatestCancellation(c.Context(), t.ID)
	switch {
	case err == nil && !req.Status.Open() && req.Status != store.CancellationReturned:
		reason = "transfer.handoff_" + string(req.Status)
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return err
	case !CanCancel(t.CreatedAt, c.Now, c.Loc()):
		reason = "transfer.handoff_too_old"
	}
	if _, _, err := Handoff(c, Subject("transfer", t.ID), reason); err != nil {
		return fmt.Errorf("transfer %d: %w", t.ID, err)
	}
	return nil
}
