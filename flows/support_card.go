package flows

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"paydesk/locales"
	"paydesk/store"
)

// The case card: the first post of a ticket's topic, and what /card posts
// again. It tells the agents who the customer is, what the ticket is about
// with the object's stage and clocks read from the ledger now, why the bot
// handed off, who has the ticket, and the last exchanges before the handoff.

// Describer tells the agents about the object of a ticket — what it is, its
// stage and its clocks — read from the ledger when the card is made. A flow
// registers one per subject kind with Router.Describe; support registers
// plain ones for withdrawals, transfers and return requests that a flow's
// own replaces. A describer returns store.ErrNotFound for an object that is
// not the customer's.
type Describer func(d CardContext, id int64) ([]Msg, error)

// CardContext is what a Describer reads: the customer the ticket belongs to
// and the moment the card is made.
type CardContext struct {
	Ctx      context.Context
	Ledger   store.Ledger
	Customer store.Customer
	Now      time.Time
}

// Describe sets the describer of a subject kind ("withdrawal", "transfer",
// "return").
func (r *Router) Describe(kind string, d Describer) { r.describers[kind] = d }

// registerDescribers adds the plain describers for kinds no flow described.
func registerDescribers(r *Router) {
	for kind, d := range map[string]Describer{
		"withdrawal": describeWithdrawal,
		"transfer":   describeTransfer,
		"return":     describeReturn,
	} {
		if _, ok := r.describers[kind]; !ok {
			r.Describe(kind, d)
		}
	}
}

// State is the engine's State, for the adapter's topic mapping.
func (e *Engine) State() store.State { return e.state }

// TopicOpening is what a ticket's new topic is named and first shows.
func (e *Engine) TopicOpening(ctx context.Context, t store.Ticket) (name Msg, card []Msg, err error) {
	if name, err = e.topicName(ctx, t); err != nil {
		return Msg{}, nil, err
	}
	card, err = e.card(ctx, t, e.now())
	return name, card, err
}

// TeamZone is the support team's time zone, in which the agents read
// times.
func (e *Engine) TeamZone() *time.Location {
	if e.hours.Loc == nil {
		return time.UTC
	}
	return e.hours.Loc
}

// maxTopicName is Telegram's limit on a forum topic's name, in UTF-16
// code units.
const maxTopicName = 128

// topicName names a ticket's topic with its number, the customer's language
// and the subject, and who has it: "#12 · RU · Вывод средств № 201 · @anna".
// It is rendered in the agents' language (TopicTitle).
func (e *Engine) topicName(ctx context.Context, t store.Ticket) (Msg, error) {
	a, err := e.state.TicketAssignee(ctx, t.ID)
	if err != nil {
		return Msg{}, fmt.Errorf("name topic of ticket %d: %w", t.ID, err)
	}
	kv := []any{"Ticket", TicketNo(t), "Lang", strings.ToUpper(cmpOr(t.Language, "?")), "Subject", subjectName(t.Subject)}
	if a.Name != "" {
		return M("support.card.topic_assigned", append(kv, "Agent", a.Name)...), nil
	}
	return M("support.card.topic", kv...), nil
}

// TopicTitle renders a topic name as Telegram shows it: plain text in l's
// language, cut to Telegram's limit.
func TopicTitle(l *locales.Localizer, name Msg) string {
	s := locales.PlainText(l.Text(name))
	units := 0
	for i, r := range s {
		if units += len(utf16.Encode([]rune{r})); units > maxTopicName {
			return s[:i]
		}
	}
	return s
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// card builds the case card of a ticket at now; details (what the
// customer gave the flow that handed off) go under the reason.
func (e *Engine) card(ctx context.Context, t store.Ticket, now time.Time, details ...Msg) ([]Msg, error) {
	body := []Msg{M("support.card.title", "Ticket", TicketNo(t), "Subject", subjectName(t.Subject))}
	lang := M("lang." + cmpOr(t.Language, "en"))
	// Every time on the card is in one zone, named on it: the customer's,
	// whose deadlines and calendar the clocks run on; the team's for a chat
	// that is not linked to a customer.
	loc := e.hours.Loc
	cust, err := store.Customer{}, store.ErrNotFound
	if t.CustomerID != 0 {
		cust, err = e.ledger.Customer(ctx, t.CustomerID)
	}
	switch {
	case err == nil:
		loc = cust.Location()
		body = append(body, M("support.card.customer", "Name", cust.Name, "Account", fmt.Sprint(cust.ID),
			"Country", cust.Country, "Tier", cust.Tier, "Currency", cust.Currency, "Lang", lang),
			M("support.card.zone_customer", "Zone", locales.ZoneName(now, loc)))
		obj, err := e.describe(ctx, cust, t.Subject, now)
		if err != nil {
			return nil, err
		}
		body = append(body, obj...)
	case errors.Is(err, store.ErrNotFound):
		// Whoever writes has not proved who they are: the agents must
		// not take their word for an account.
		body = append(body, M("support.card.unlinked", "Chat", fmt.Sprint(t.ChatID), "Lang", lang),
			M("support.unverified.card"),
			M("support.card.zone_team", "Zone", locales.ZoneName(now, loc)))
	default:
		return nil, fmt.Errorf("card of ticket %d: %w", t.ID, err)
	}
	if t.Reason != "" {
		body = append(body, M("support.card.reason", "Reason", reasonMsg(t.Reason)))
	}
	body = append(body, details...)
	a, err := e.state.TicketAssignee(ctx, t.ID)
	if err != nil {
		return nil, fmt.Errorf("card of ticket %d: %w", t.ID, err)
	}
	if a.Name != "" {
		body = append(body, M("support.card.assignee", "Agent", a.Name))
	} else {
		body = append(body, M("support.card.unassigned"))
	}
	history, err := e.history(ctx, t.ChatID, loc)
	if err != nil {
		return nil, fmt.Errorf("card of ticket %d: %w", t.ID, err)
	}
	body = append(body, history, M("support.card.commands"))
	return body, nil
}

// describe tells about the ticket's object with its kind's describer.
func (e *Engine) describe(ctx context.Context, cust store.Customer, subject string, now time.Time) ([]Msg, error) {
	kind, id := splitSubject(subject)
	d, ok := e.router.describers[kind]
	if !ok || id == 0 {
		return nil, nil // a general question: the title says so, and there is no object
	}
	msgs, err := d(CardContext{Ctx: ctx, Ledger: e.ledger, Customer: cust, Now: now}, id)
	if errors.Is(err, store.ErrNotFound) {
		return []Msg{M("support.card.object_missing", "Subject", subjectName(subject))}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("describe %s: %w", subject, err)
	}
	return msgs, nil
}

// history is the chat's last exchanges, one per line, stamped in loc.
func (e *Engine) history(ctx context.Context, chatID int64, loc *time.Location) (Msg, error) {
	list, err := e.state.Exchanges(ctx, chatID, exchangesShown)
	if err != nil || len(list) == 0 {
		return M("support.card.no_history"), err
	}
	out := M("support.card.history")
	for _, x := range list {
		id := "support.card.line_customer"
		if x.Bot {
			id = "support.card.line_bot"
		}
		var text any = x.Text
		if x.Kind != "text" && x.Kind != "command" {
			text = M("support.card.kind_"+x.Kind, "Text", x.Text)
		}
		line := M(id, "At", locales.DateTime{T: x.At, Loc: loc}, "Text", text)
		out = M("support.card.line_join", "A", out, "B", line)
	}
	return out, nil
}

func describeWithdrawal(d CardContext, id int64) ([]Msg, error) {
	w, err := d.Ledger.Withdrawal(d.Ctx, id)
	if err != nil || w.CustomerID != d.Customer.ID {
		return nil, cmpErr(err)
	}
	// The same clock the customer's card runs on (tier period, provider
	// maximum, business days of the customer's country, config overrides).
	k, err := assessWithdrawal(d.Ctx, d.Ledger, d.Customer, w, d.Now)
	if err != nil {
		return nil, err
	}
	loc := d.Customer.Location()
	msgs := []Msg{
		M("support.card.withdrawal", "ID", fmt.Sprint(w.ID), "Amount", locales.Money{Minor: w.Amount, Currency: w.Currency},
			"Method", w.Method, "Provider", cmpOr(k.provider.Name, w.Provider), "Created", locales.DateTime{T: w.CreatedAt, Loc: loc}),
		M("support.card.stage", "Stage", M("withdrawal.status."+string(w.Stage)),
			"Since", locales.DateTime{T: k.since, Loc: loc}, "Elapsed", durationMsg(d.Now.Sub(k.since))),
	}
	switch {
	case !k.open:
		return msgs, nil // received or rejected: no clock runs
	case !k.overdue:
		return append(msgs, M("support.card.limit_ok", "Deadline", locales.DateTime{T: k.deadline, Loc: loc},
			"Left", durationMsg(k.deadline.Sub(d.Now))).N(k.limit)), nil
	}
	return append(msgs, M("support.card.limit_over", "Deadline", locales.DateTime{T: k.deadline, Loc: loc},
		"Over", durationMsg(d.Now.Sub(k.deadline))).N(k.limit)), nil
}

func describeTransfer(d CardContext, id int64) ([]Msg, error) {
	tr, err := d.Ledger.Transfer(d.Ctx, id)
	if err != nil || tr.SenderID != d.Customer.ID {
		return nil, cmpErr(err)
	}
	loc := d.Customer.Location()
	msgs := []Msg{M("support.card.transfer", "ID", fmt.Sprint(tr.ID), "Amount", locales.Money{Minor: tr.Amount, Currency: tr.Currency},
		"Recipient", store.MaskName(tr.RecipientName), "Created", locales.DateTime{T: tr.CreatedAt, Loc: loc})}
	until := CancelDeadline(tr.CreatedAt, loc)
	if req, err := d.Ledger.LatestCancellation(d.Ctx, tr.ID); err == nil {
		msgs = append(msgs, M("transfer.request_status", "At", locales.DateTime{T: req.CreatedAt, Loc: loc},
			"Status", M("transfer.state_"+string(req.Status))))
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	switch {
	case tr.Status == store.TransferReturned:
		msgs = append(msgs, M("support.card.transfer_returned"))
	case d.Now.Before(until):
		msgs = append(msgs, M("support.card.window_open", "Until", locales.DateTime{T: until, Loc: loc}, "Left", durationMsg(until.Sub(d.Now))))
	default:
		msgs = append(msgs, M("support.card.window_closed", "Until", locales.DateTime{T: until, Loc: loc}))
	}
	return msgs, nil
}

func describeReturn(d CardContext, id int64) ([]Msg, error) {
	rr, err := d.Ledger.ReturnRequest(d.Ctx, id)
	if err != nil || rr.CustomerID != d.Customer.ID {
		return nil, cmpErr(err)
	}
	loc := d.Customer.Location()
	msgs := []Msg{
		M("support.card.return", "ID", fmt.Sprint(rr.ID), "Order", rr.OrderNo, "Item", rr.Item,
			"Amount", locales.Money{Minor: rr.Amount, Currency: rr.Currency}),
		M("support.card.return_status", "Status", M("support.card.return_"+string(rr.Status))),
	}
	if rr.RefusedAt.IsZero() {
		return msgs, nil
	}
	msgs = append(msgs, M("support.card.refused", "At", locales.DateTime{T: rr.RefusedAt, Loc: loc}, "Reason", rr.SellerReason))
	if rr.Status != store.ReturnRefused {
		return msgs, nil
	}
	deadline := DisputeDeadline(rr)
	if d.Now.Before(deadline) {
		return append(msgs, M("support.card.dispute_open", "Deadline", locales.DateTime{T: deadline, Loc: loc}, "Left", durationMsg(deadline.Sub(d.Now)))), nil
	}
	return append(msgs, M("support.card.dispute_closed", "Deadline", locales.DateTime{T: deadline, Loc: loc})), nil
}

// cmpErr is err, or store.ErrNotFound when the object was found but is not
// the customer's.
func cmpErr(err error) error {
	if err == nil {
		return store.ErrNotFound
	}
	return err
}
