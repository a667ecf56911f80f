// Package store holds paydesk's domain types and the interfaces that flows and
// bot need from storage. Implementations live in sub-packages (store/sqlite is
// the embedded default); every implementation passes the conformance suite in
// store/storetest.
//
// Money is always an integer number of minor units with an ISO 4217 currency
// code. Times are instants (UTC in storage); a customer's time zone is applied
// only when something is shown to them or a calendar rule is evaluated.
package store

import (
	"errors"
	"sync"
	"time"
)

// Errors every implementation returns so callers can match them with errors.Is.
var (
	// ErrNotFound: the object does not exist (or is not visible to the caller).
	ErrNotFound = errors.New("not found")
	// ErrConflict: an optimistic-concurrency check failed (session version).
	ErrConflict = errors.New("version conflict")
	// ErrDuplicate: an idempotent create found the object already there.
	ErrDuplicate = errors.New("already exists")
)

// CustomerID identifies a customer of the payments backend.
type CustomerID int64

// Customer is a person with an account at the payments backend.
type Customer struct {
	ID       CustomerID
	Name     string // full name as the backend knows it; never logged
	Phone    string // E.164, e.g. +77010000001; never logged
	Language string // "ru", "cs" or "en": the language of the account
	Country  string // ISO 3166-1 alpha-2 of the business-day calendar: "KZ", "CZ"
	TimeZone string // IANA zone, e.g. "Asia/Almaty"
	Tier     string // approval tier, e.g. "standard", "gold"
	Currency string // ISO 4217 account currency, e.g. "KZT"
}

// Location returns the customer's time zone, or UTC if it is unknown.
func (c Customer) Location() *time.Location {
	if loc, ok := zones.Load(c.TimeZone); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	zones.Store(c.TimeZone, loc)
	return loc
}

// zones caches the time zones by name: time.LoadLocation reads and parses
// the zone file on every call, and a tick asks for one per withdrawal.
var zones sync.Map // string -> *time.Location

// ShortName is the customer's name as shown to other people: the first name
// and the initial of the last one ("Айгуль С."), so a full name never leaks.
func (c Customer) ShortName() string { return MaskName(c.Name) }

// TransferStatus is the state of a transfer in the ledger.
type TransferStatus string

const (
	TransferCompleted TransferStatus = "completed"
	TransferReturned  TransferStatus = "returned" // the recipient gave the money back
)

// Transfer is money sent by a customer to another person.
type Transfer struct {
	ID            int64
	SenderID      CustomerID
	RecipientID   CustomerID // 0 when the recipient is not a customer we know
	RecipientName string     // full name; shown masked
	Amount        int64      // minor units
	Currency      string
	CreatedAt     time.Time
	Status        TransferStatus
}

// CancellationStatus is the state of a request to cancel a transfer.
type CancellationStatus string

const (
	CancellationNotified CancellationStatus = "notified" // the recipient was asked to return the money
	CancellationReturned CancellationStatus = "returned"
	CancellationDeclined CancellationStatus = "declined"
	CancellationExpired  CancellationStatus = "expired"
)

// Open reports whether the request still waits for the recipient.
func (s CancellationStatus) Open() bool { return s == CancellationNotified }

// CancellationRequest asks the recipient of a transfer to return the money.
// There is at most one open request per transfer.
type CancellationRequest struct {
	ID         int64
	TransferID int64
	Status     CancellationStatus
	CreatedAt  time.Time
	ResolvedAt time.Time // zero while open
}

// WithdrawalStage is where a withdrawal is; the words shown for each are in
// the locale files (seed: "На одобрении", "В обработке").
type WithdrawalStage string

const (
	StageApproval   WithdrawalStage = "approval"   // awaiting our approval
	StageProcessing WithdrawalStage = "processing" // at the payment provider
	StageReceived   WithdrawalStage = "received"
	StageRejected   WithdrawalStage = "rejected"
)

// StageChange records when a withdrawal entered a stage.
type StageChange struct {
	Stage WithdrawalStage
	At    time.Time
}

// Withdrawal is money a customer takes out of their balance.
type Withdrawal struct {
	ID         int64
	CustomerID CustomerID
	Amount     int64
	Currency   string
	Method     string // e.g. "card *4417"
	Provider   string // payment provider code; see Provider
	Stage      WithdrawalStage
	History    []StageChange // oldest first; the last entry is the current stage
	CreatedAt  time.Time
}

// StageSince returns when the withdrawal entered its current stage.
func (w Withdrawal) StageSince() time.Time {
	if n := len(w.History); n > 0 {
		return w.History[n-1].At
	}
	return w.CreatedAt
}

// Tier is a customer tier with its approval period in business days.
type Tier struct {
	Code         string
	ApprovalDays int
}

// Provider is a payment provider with its processing times in business days.
type Provider struct {
	Code    string
	Name    string
	AvgDays int
	MaxDays int
}

// ReturnStatus is the state of a return request for an order.
type ReturnStatus string

const (
	ReturnPending  ReturnStatus = "pending"
	ReturnApproved ReturnStatus = "approved"
	ReturnRefused  ReturnStatus = "refused"
	ReturnDisputed ReturnStatus = "disputed"
)

// ReturnRequest is a customer's request to return an ordered item.
type ReturnRequest struct {
	ID           int64
	CustomerID   CustomerID
	OrderNo      string
	Item         string
	Amount       int64
	Currency     string
	Status       ReturnStatus
	SellerReason string    // why the seller refused; empty unless refused
	RefusedAt    time.Time // zero unless refused
	CreatedAt    time.Time
}

// DisputeStatus is the state of a dispute of a seller's refusal.
type DisputeStatus string

const (
	DisputeUnderReview DisputeStatus = "under_review"
	DisputeAccepted    DisputeStatus = "accepted"
	DisputeRejected    DisputeStatus = "rejected"
)

// Dispute contests a seller's refusal. There is at most one per return request.
type Dispute struct {
	ID              int64
	ReturnRequestID int64
	Reason          string // reason code, e.g. "not_as_described"
	Text            string // the customer's own words, stored as given
	PhotoFileIDs    []string
	Status          DisputeStatus
	CreatedAt       time.Time
}

// TicketStatus is the state of a support ticket.
type TicketStatus string

const (
	TicketOpen   TicketStatus = "open"
	TicketClosed TicketStatus = "closed"
)

// Ticket is a conversation handed to human support. There is at most one open
// ticket per customer and subject.
type Ticket struct {
	ID         int64
	CustomerID CustomerID
	ChatID     int64  // the customer's private chat
	Subject    string // e.g. "withdrawal:42", "support"
	Reason     string // why the bot handed off (message ID or code)
	Status     TicketStatus
	TopicID    int64 // forum topic in the support group TopicChat; 0 if none
	// TopicChat is the support group (supergroup id) the topic is in; 0
	// for a topic recorded before groups were stored (the one group then).
	TopicChat int64
	Language  string
	CreatedAt time.Time
	ClosedAt  time.Time
	Rating    int // 1..5 after closing; 0 if not rated
	// LastCustomerAt and LastAgentAt are when the customer last wrote to
	// the agents and when an agent last answered (TicketActivity): the
	// customer waits while the first is the later one. Zero: never.
	LastCustomerAt time.Time
	LastAgentAt    time.Time
}

// Session is the per-chat conversation state. Flows keep only small step data
// here; everything else is re-read from the ledger on every event.
type Session struct {
	ChatID     int64
	CustomerID CustomerID // 0 while the chat is not linked
	Language   string     // the chat's chosen language; empty if never chosen
	// ClientLanguage is what the chat's Telegram client last reported,
	// matched to a supported language; the fallback when none was chosen.
	ClientLanguage string
	Flow           string // current flow, empty at the menu
	Step           string // current step within the flow
	Data           map[string]string
	Version        int64 // incremented on every save; compare-and-swap guard
	UpdatedAt      time.Time
	// Tester is what a locale tester's chat keeps; zero for everyone else.
	// Reset leaves it alone.
	Tester TesterState
}

// TesterState is a locale tester's own settings and the screens recently
// shown to them, so that a /fix sent as a reply to a bot message can name
// the message IDs that message was made of.
type TesterState struct {
	ShowIDs bool          // every bot message is followed by its message IDs
	Recent  []ShownScreen // oldest first; flows keeps the last few
}

// ShownScreen is one bot message as a tester saw it.
type ShownScreen struct {
	Sum  uint64   // hash of the message's text as Telegram shows it (see flows.ShownSum)
	Lang string   // the language it was shown in
	IDs  []string // the message IDs it was made of, in order
}

// Lang is the language to write to the chat in: the chosen one, else the
// client's, else def.
func (s Session) Lang(def string) string {
	switch {
	case s.Language != "":
		return s.Language
	case s.ClientLanguage != "":
		return s.ClientLanguage
	}
	return def
}

// Reset clears the flow position and its data, keeping link and language.
func (s *Session) Reset() {
	s.Flow, s.Step, s.Data = "", "", nil
}
