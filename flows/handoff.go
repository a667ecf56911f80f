package flows

import (
	"errors"
	"fmt"
	"strconv"

	"paydesk/store"
)

// Subject names what a ticket is about, so one customer has at most one open
// ticket per thing: "withdrawal:42", "transfer:7", "return:3", "support".
func Subject(kind string, id int64) string {
	if id == 0 {
		return kind
	}
	return fmt.Sprintf("%s:%d", kind, id)
}

// Handoff hands the chat to human support about subject: it opens the
// customer's ticket for it (or finds the open one) and tells the customer
// that a person will answer. Every escalation goes through here: "Talk to
// support", a stuck withdrawal, a closed dispute window, an expired
// cancellation. reason is a message ID saying why the bot handed off; the
// agents see it on the case card. It shows the customer the handoff screen
// naming the ticket (or, for a second press, that the ticket is already
// open); a flow may show its own line about the object before calling it.
func Handoff(c *Conv, subject, reason string) (store.Ticket, bool, error) {
	if c.Customer == nil {
		return store.Ticket{}, false, errors.New("handoff: chat is not linked")
	}
	t, created, err := c.Store().OpenTicket(c.Context(), store.Ticket{
		CustomerID: c.Customer.ID,
		ChatID:     c.Event.ChatID,
		Subject:    subject,
		Reason:     reason,
		Status:     store.TicketOpen,
		Language:   c.Lang,
		CreatedAt:  c.Now,
	})
	if err != nil {
		return store.Ticket{}, false, fmt.Errorf("open ticket %s for customer %d: %w", subject, c.Customer.ID, err)
	}
	if created {
		c.Log().Info("handed off", "chat", c.Event.ChatID, "ticket", t.ID, "subject", subject, "reason", reason)
		c.Show(Screen{Body: []Msg{M("support.handed_off", "Ticket", TicketNo(t))}, Inline: [][]Button{MenuRow(c)}})
	} else {
		c.Show(Screen{Body: []Msg{M("support.already_open", "Ticket", TicketNo(t))}, Inline: [][]Button{MenuRow(c)}})
	}
	return t, created, nil
}

// TicketNo is a ticket's number as shown to people: digits only, never
// grouped like an amount ("№ 1234", not "№ 1 234").
func TicketNo(t store.Ticket) string { return strconv.FormatInt(t.ID, 10) }
