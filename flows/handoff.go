package flows

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

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

// splitSubject reads a Subject back: ("withdrawal", 42).
func splitSubject(s string) (kind string, id int64) {
	kind, num, ok := strings.Cut(s, ":")
	if !ok {
		return s, 0
	}
	id, _ = strconv.ParseInt(num, 10, 64)
	return kind, id
}

// subjectName is a Subject as people read it, in the reader's language:
// "Вывод средств № 201", "Žádost o vrácení č. 306", "General question".
// The number is digits only, like a ticket's.
func subjectName(subject string) Msg {
	kind, id := splitSubject(subject)
	if id == 0 {
		return M("support.subject." + kind)
	}
	return M("support.subject."+kind, "ID", strconv.FormatInt(id, 10))
}

// CountedReason is a handoff reason whose message has plural forms, stored
// with its count so the agents read the real number: the withdrawal's
// reason names the "Waiting more than 2 days?" the customer pressed.
func CountedReason(id string, n int) string { return id + "#" + strconv.Itoa(n) }

// reasonMsg is the message a stored handoff reason stands for: a message
// ID, or a CountedReason.
func reasonMsg(reason string) Msg {
	id, num, ok := strings.Cut(reason, "#")
	if n, err := strconv.Atoi(num); ok && err == nil {
		return M(id).N(n)
	}
	return M(reason)
}

// Handoff hands the chat to human support about subject: it opens the
// customer's ticket for it (or finds the open one) and tells the customer
// that a person will answer. Every escalation goes through here: "Talk to
// support", a stuck withdrawal, a closed dispute window, an expired
// cancellation. reason is a message ID saying why the bot handed off; the
// agents see it on the case card (CountedReason for one with a number). It shows the customer the handoff screen
// naming the ticket (or, for a second press, that the ticket is already
// open); a flow may show its own line about the object before calling it.
//
// A ticket about the same subject closed less than ReopenWindow ago (by an
// agent, a handback or the customer leaving) is reopened, so the agents
// keep its topic and history.
// created reports whether this call handed the chat off (a new or reopened
// ticket) rather than finding the ticket already open. From here on, until
// the ticket closes, the customer's messages go to the agents (see
// supportIntercept) and the chat leaves whatever flow step it was at.
//
// An unlinked chat can be handed off too (its ticket has no customer, and
// the case card says the chat is not verified), but only about a general
// subject: an object belongs to a customer.
func Handoff(c *Conv, subject, reason string) (store.Ticket, bool, error) {
	var customer store.CustomerID
	if c.Customer != nil {
		customer = c.Customer.ID
	} else if _, id := splitSubject(subject); id != 0 {
		return store.Ticket{}, false, fmt.Errorf("handoff about %s: chat %d is not linked", subject, c.Event.ChatID)
	}
	t, reopened, err := reopenForHandoff(c, customer, subject)
	if err != nil {
		return store.Ticket{}, false, err
	}
	created := reopened
	if !reopened {
		t, created, err = c.State().OpenTicket(c.Context(), store.Ticket{
			CustomerID: customer,
			ChatID:     c.Event.ChatID,
			Subject:    subject,
			Reason:     reason,
			Status:     store.TicketOpen,
			Language:   c.Lang,
			CreatedAt:  c.Now,
		})
		if err != nil {
			return store.Ticket{}, false, fmt.Errorf("open ticket %s for customer %d, chat %d: %w", subject, customer, c.Event.ChatID, err)
		}
	}
	c.Leave()
	if !created && t.ChatID != c.Event.ChatID {
		// The customer's other chat has the ticket: the agents answer
		// there, so this chat is told where, not that they answer here.
		c.Show(withMenu(c, Text("support.scale.other_chat", "Ticket", TicketNo(t))))
		return t, false, nil
	}
	if !created {
		// The ticket's topic and card are owed again, once per ticket: a
		// handoff whose commit was lost (the ticket is stored before it)
		// still gets them when the update is handled again.
		if t.TopicID == 0 {
			if err := openingRelay(c, t); err != nil {
				return store.Ticket{}, false, err
			}
		}
		if len(c.handoffDetails) > 0 {
			c.note(t, c.handoffDetails...)
		}
		c.Show(queueScreen(c, t, M("support.already_open", "Ticket", TicketNo(t))))
		return t, false, nil
	}
	c.Log().Info("handed off", "chat", c.Event.ChatID, "ticket", t.ID, "subject", subject, "reason", reason, "reopened", reopened)
	c.e.recordEvent(c)
	card, err := c.e.card(c.ctx, t, c.Now, c.handoffDetails...)
	if err != nil {
		return store.Ticket{}, false, err
	}
	first := M("support.handed_off", "Ticket", TicketNo(t))
	if reopened {
		c.relay(Relay{Kind: RelayTopicReopened, Ticket: t})
		c.note(t, M("support.agent.reopened_handoff", "Ticket", TicketNo(t), "Reason", reasonMsg(reason)))
		first = M("support.reopened", "Ticket", TicketNo(t))
	}
	name, err := c.e.topicName(c.ctx, t)
	if err != nil {
		return store.Ticket{}, false, err
	}
	key := cardKey(t)
	if reopened {
		key = "" // the topic has its first card; this one is the reopening's
	}
	c.relay(Relay{Kind: RelayCard, Ticket: t, Note: card, TopicName: name, Key: key})
	c.Show(queueScreen(c, t, first))
	return t, true, nil
}

// cardKey keys the first case card of a ticket.
func cardKey(t store.Ticket) string { return "card:" + TicketNo(t) }

// openingRelay owes a ticket's topic and first card, keyed, so they are
// made once however many updates owe them.
func openingRelay(c *Conv, t store.Ticket) error {
	name, card, err := c.e.TopicOpening(c.ctx, t)
	if err != nil {
		return err
	}
	c.relay(Relay{Kind: RelayCard, Ticket: t, Note: card, TopicName: name, Key: cardKey(t)})
	return nil
}

// reopenForHandoff reopens the customer's ticket about subject if an agent
// closed it within the reopen window.
func reopenForHandoff(c *Conv, customer store.CustomerID, subject string) (store.Ticket, bool, error) {
	t, err := c.State().LastClosedTicket(c.ctx, customer, c.Event.ChatID, subject)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (c.Now.Sub(t.ClosedAt) > ReopenWindow || t.ChatID != c.Event.ChatID)) {
		return store.Ticket{}, false, nil
	}
	if err != nil {
		return store.Ticket{}, false, fmt.Errorf("last ticket %s of customer %d, chat %d: %w", subject, customer, c.Event.ChatID, err)
	}
	switch err := c.State().ReopenTicket(c.ctx, t.ID); {
	case errors.Is(err, store.ErrDuplicate), errors.Is(err, store.ErrNotFound):
		return store.Ticket{}, false, nil // another one is open: OpenTicket finds it
	case err != nil:
		return store.Ticket{}, false, fmt.Errorf("reopen ticket %d: %w", t.ID, err)
	}
	t.Status, t.ClosedAt = store.TicketOpen, time.Time{}
	return t, true, nil
}

// TicketNo is a ticket's number as shown to people: digits only, never
// grouped like an amount ("№ 1234", not "№ 1 234").
func TicketNo(t store.Ticket) string { return strconv.FormatInt(t.ID, 10) }
