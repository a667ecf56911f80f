package store

import (
	"context"
	"time"
)

// Suggestion is a locale tester's better wording for a message, sent from
// the chat with /fix as a reply to a bot message. Exported with
// `paydesk locales feedback` for the translators.
type Suggestion struct {
	ID int64 // set by AddSuggestion; increases in the order suggestions are added
	// Key makes adding idempotent: a redelivered /fix carries the same key
	// (the chat and the tester's message id) and is stored once. Never
	// empty.
	Key string
	// MessageIDs are the locale message IDs the screen the tester answered
	// was made of, in the order shown; empty when the bot no longer knew
	// which screen it was.
	MessageIDs []string
	Lang       string // the locale the text is for: "ru", "cs" or "en"
	Seen       string // the text the tester saw, as Telegram showed it
	Text       string // the suggested text, as the tester wrote it
	UserID     int64  // the tester's Telegram user id
	ChatID     int64
	CreatedAt  time.Time
}

// Suggestions keeps the locale testers' suggestions (State).
type Suggestions interface {
	// AddSuggestion stores s and sets s.ID. When a suggestion with s.Key is
	// stored already it changes nothing and sets s to the stored one, so a
	// retried update adds nothing twice; first reports which. Every field
	// is kept as given (MessageIDs in order; times to the second at least).
	AddSuggestion(ctx context.Context, s *Suggestion) (first bool, err error)
	// Suggestions lists every stored suggestion, oldest (smallest ID) first.
	Suggestions(ctx context.Context) ([]Suggestion, error)
}
