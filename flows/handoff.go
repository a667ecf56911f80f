package flows

import (
	"errors"
	"fmt"

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
// agents see it on the case card.
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
	}
	return t, created, nil
}
