package store

import (
	"context"
	"time"
)

// TicketCloser says who ended a ticket, which decides what may reopen it: a
// ticket an agent closed reopens when the customer writes again within a
// day; one the customer left or an agent handed back to a flow does not.
type TicketCloser string

const (
	ClosedByAgent    TicketCloser = "agent"    // /close in the topic
	ClosedByCustomer TicketCloser = "customer" // "Back to the bot"
	ClosedByHandback TicketCloser = "handback" // /handback into a flow
)

// Assignee is the support agent who has a ticket, as the support group
// knows them.
type Assignee struct {
	UserID int64  // Telegram user id; 0 when only a @username is known
	Name   string // "@username" or the first name
}

// Agent is a user who wrote in a support group, as Telegram showed them.
type Agent struct {
	UserID    int64
	Username  string // without "@", as written
	FirstName string
}

// Exchange is one line of a chat's recent conversation, kept (bounded) so
// the case card can show agents what happened before the handoff.
type Exchange struct {
	At   time.Time
	Bot  bool   // said by the bot; otherwise by the customer
	Kind string // "text", "command", "button", "photo", "document", "contact", "other"
	Text string // what was said, plain text, already shortened
}

// Support keeps what the support relay needs beyond the ticket itself: the
// ticket's forum topic, who has it, how it ended and how it was rated, and
// the last exchanges of each chat.
type Support interface {
	// SetTicketTopic records the forum topic (topicID in support group
	// chatID) of a ticket that has none and returns the ticket's topic:
	// this one, or the one another replica recorded first. Topic ids are
	// per group: two groups both have a topic 2.
	SetTicketTopic(ctx context.Context, id, chatID, topicID int64) (topicChat, topic int64, err error)
	// TicketByTopic finds the ticket of a forum topic of a support group.
	TicketByTopic(ctx context.Context, chatID, topicID int64) (Ticket, error)
	// CloseTicketBy closes an open ticket at time at, recording who closed
	// it; a closed or missing ticket is ErrNotFound.
	CloseTicketBy(ctx context.Context, id int64, at time.Time, by TicketCloser) error
	// LastClosedTicketOfChat is the chat's most recently closed ticket and
	// who closed it.
	LastClosedTicketOfChat(ctx context.Context, chatID int64) (Ticket, TicketCloser, error)
	// LastClosedTicket is the most recently closed ticket of a customer
	// (or, while unlinked, of chatID) about subject.
	LastClosedTicket(ctx context.Context, customer CustomerID, chatID int64, subject string) (Ticket, error)
	// ReopenTicket opens a closed ticket again, keeping its id and topic.
	// ErrNotFound if it is not closed; ErrDuplicate if the customer has
	// opened another ticket about the same subject meanwhile.
	ReopenTicket(ctx context.Context, id int64) error
	// RateTicket stores the customer's rating (1..5) of a closed ticket;
	// ErrNotFound if the ticket is not closed.
	RateTicket(ctx context.Context, id int64, rating int) error
	// OpenTickets lists the open tickets, oldest first, at most limit
	// (the support groups' /queue, the customer's place in it).
	OpenTickets(ctx context.Context, limit int) ([]Ticket, error)
	// TicketActivity records that the customer (byCustomer) or an agent
	// wrote in the ticket at time at, keeping the later time; ErrNotFound
	// for a missing ticket.
	TicketActivity(ctx context.Context, id int64, at time.Time, byCustomer bool) error
	// SetRelayedCopy records that message fromMsg of chat fromChat (an
	// agent's answer) was copied as toMsg into chat toChat at time at, so
	// an edit of the answer can edit the copy. Records older than Telegram's
	// 48 hours for editing may be dropped.
	SetRelayedCopy(ctx context.Context, fromChat int64, fromMsg int, toChat int64, toMsg int, at time.Time) error
	// RelayedCopy finds the copy of a message; ErrNotFound if none.
	RelayedCopy(ctx context.Context, fromChat int64, fromMsg int) (toChat int64, toMsg int, err error)
	// AssignTicket records who has the ticket.
	AssignTicket(ctx context.Context, id int64, a Assignee) error
	// TicketAssignee is who has the ticket; zero if nobody took it yet.
	TicketAssignee(ctx context.Context, id int64) (Assignee, error)
	// RememberAgent records that a wrote in support group chatID, so
	// /assign @username can name them on every replica: Telegram tells
	// bots no user by username. Usernames are matched without case; the
	// latest user wins.
	RememberAgent(ctx context.Context, chatID int64, a Agent) error
	// AgentByUsername is who last wrote in the group under username;
	// ErrNotFound if nobody.
	AgentByUsername(ctx context.Context, chatID int64, username string) (Agent, error)
	// AddExchanges appends lines to a chat's recent conversation and keeps
	// only its newest keep lines.
	AddExchanges(ctx context.Context, chatID int64, lines []Exchange, keep int) error
	// Exchanges returns a chat's newest lines, at most limit, oldest first.
	Exchanges(ctx context.Context, chatID int64, limit int) ([]Exchange, error)
}
