package store

import (
	"context"
	"time"
)

// Customers finds customers of the payments backend.
type Customers interface {
	Customer(ctx context.Context, id CustomerID) (Customer, error)
	// CustomerByPhone matches an E.164 number; callers normalise it first
	// (see NormalizePhone).
	CustomerByPhone(ctx context.Context, phone string) (Customer, error)
}

// Sessions keeps the per-chat conversation state.
type Sessions interface {
	// Session returns the chat's session, or a fresh one (Version 0, ChatID
	// set) when the chat has none yet.
	Session(ctx context.Context, chatID int64) (Session, error)
	// SaveSession stores s if nobody saved the chat since s was read
	// (s.Version matches), then increments s.Version. Otherwise ErrConflict.
	SaveSession(ctx context.Context, s *Session) error
	// ChatsOf lists the private chats linked to a customer, most recently
	// active first; used to notify a customer outside their own conversation.
	ChatsOf(ctx context.Context, id CustomerID) ([]int64, error)
}

// Payments reads the payments data: transfers, withdrawals, return requests
// and the reference data that rules need.
type Payments interface {
	// Transfers lists the transfers a customer sent, newest first.
	Transfers(ctx context.Context, sender CustomerID, offset, limit int) (list []Transfer, total int, err error)
	Transfer(ctx context.Context, id int64) (Transfer, error)
	// Withdrawals lists a customer's withdrawals, newest first.
	Withdrawals(ctx context.Context, id CustomerID, limit int) ([]Withdrawal, error)
	Withdrawal(ctx context.Context, id int64) (Withdrawal, error)
	Tier(ctx context.Context, code string) (Tier, error)
	Provider(ctx context.Context, code string) (Provider, error)
	// ReturnRequests lists a customer's return requests, newest first.
	ReturnRequests(ctx context.Context, id CustomerID) ([]ReturnRequest, error)
	ReturnRequest(ctx context.Context, id int64) (ReturnRequest, error)
	// OpenWithdrawals lists withdrawals awaiting approval or processing with
	// an id above after, by id, at most limit of them (limit <= 0: all), so
	// a job can walk them page by page.
	OpenWithdrawals(ctx context.Context, after int64, limit int) ([]Withdrawal, error)
	// OpenWithdrawalsChangedAfter lists withdrawals awaiting approval or
	// processing whose current stage was recorded after the record
	// afterSeq, in the order the ledger recorded them (by StageSeq), at
	// most limit of them (limit <= 0: all). A job that remembers the
	// highest StageSeq it read reads each stage change once, whenever the
	// change happened: one reported late (its At in the past) gets a number
	// above every one listed before.
	OpenWithdrawalsChangedAfter(ctx context.Context, afterSeq int64, limit int) ([]StagedWithdrawal, error)
}

// StagedWithdrawal is a withdrawal with the sequence number of the record
// of its current stage. The numbers grow in the order the ledger made the
// records visible, across all withdrawals: a reader that has seen number
// n never later sees a new record numbered n or below. Creating a
// withdrawal records its first stage.
type StagedWithdrawal struct {
	Withdrawal
	StageSeq int64
}

// Updates remembers which Telegram updates were handled, so a redelivered
// update has no second effect, and where long polling left off.
type Updates interface {
	// MarkUpdate records updateID as handled at time at. It returns false if
	// it had been recorded before.
	MarkUpdate(ctx context.Context, updateID int64, at time.Time) (first bool, err error)
	// ForgetUpdates drops records older than before (kept at least 25 h).
	ForgetUpdates(ctx context.Context, before time.Time) error
	// PollOffset is the next getUpdates offset; 0 if none was stored.
	PollOffset(ctx context.Context) (int64, error)
	SetPollOffset(ctx context.Context, offset int64) error
}

// Tickets keeps the conversations handed to human support.
type Tickets interface {
	// OpenTicket returns the customer's open ticket for t.Subject, creating
	// it from t when there is none; created reports which. A double tap or a
	// redelivered update never opens a second ticket for one subject.
	OpenTicket(ctx context.Context, t Ticket) (ticket Ticket, created bool, err error)
	Ticket(ctx context.Context, id int64) (Ticket, error)
	// OpenTicketOfChat returns the open ticket of a customer's chat, if any.
	OpenTicketOfChat(ctx context.Context, chatID int64) (Ticket, error)
	// CloseTicket closes an open ticket at time at.
	CloseTicket(ctx context.Context, id int64, at time.Time) error
}

// State is what the bot itself keeps, and all it needs to run several
// replicas: sessions, update marks and the poll offset, the journal of
// owed replies, blocked chats, nudge claims, tickets and the support relay.
// store/sqlite keeps it in one file; store/redis shares it between replicas.
type State interface {
	Sessions
	Updates
	Journal      // Telegram I/O: an update's effects and replies committed at once
	BlockedChats // chats whose user blocked the bot
	Nudges       // proactive messages, claimed once
	Tickets
	Support     // topics, assignment, the exchanges on a case card
	Suggestions // locale testers' /fix suggestions
	Notices     // the backend's events handled, notices held back by quiet hours
	// Ping reports whether the store is reachable (readiness).
	Ping(ctx context.Context) error
	Close() error
}

// Ledger is the payments backend's data and the writes paydesk asks of it:
// customers, transfers, withdrawals, return requests, cancellation requests,
// disputes, and merchants' payments with their refunds. store/sqlite holds a demo ledger; a bank's backend is
// reached over HTTP. Writes are idempotent: asking twice (a redelivered
// update, a retried request) has the effect of asking once.
type Ledger interface {
	Customers
	Payments
	Cancellations
	Disputes
	Refunds // merchants' payments and their refunds
	// Ping reports whether the ledger is reachable (readiness).
	Ping(ctx context.Context) error
	Close() error
}
