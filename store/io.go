package store

import (
	"context"
	"strings"
	"time"
)

// Delivery is a rendered Bot API message that a handled update (or a
// periodic tick) owes a chat. It is stored in the same transaction as the
// update's effects, so a crash between "the session moved on" and "the
// customer saw the reply" resends the reply instead of losing it.
type Delivery struct {
	ID        int64
	ChatID    int64
	Proactive bool   // a nudge or reminder, not an answer to the customer
	Method    string // one of the Delivery* methods below
	// MessageID is the message an edit replaces (if it can no longer be
	// edited the text is sent as a new message), or the message of
	// FromChatID a copy copies.
	MessageID int
	// Text is Telegram HTML: the message, or the new name of a topic
	// (DeliveryCreateTopic, DeliveryEditTopic). For a copy of a text
	// message into a topic it is the message quoted with its time, so a
	// sender may fold several copies into one message when a group's
	// budget is short; empty for a copy that cannot be folded (a photo).
	Text   string
	Markup string // reply_markup as JSON; empty for none
	// FromChatID is the chat a copy (DeliveryCopy) is copied from. On an
	// edit (DeliveryEdit) it says the edit is of the copy of message
	// MessageID of FromChatID (an agent's answer the agent edited), which
	// is looked up when the edit is sent (State.RelayedCopy).
	FromChatID int64
	// TicketID, for a delivery to a support group (ChatID), is the ticket
	// whose forum topic it goes into. The topic is looked up in the State
	// when the delivery is sent, not when it is committed: the topic's
	// creation is itself a delivery (DeliveryCreateTopic, keyed per
	// ticket), the first of the ticket's, so the ones after it find the
	// topic it recorded (SetTicketTopic), after a restart or on another
	// replica too. For a copy to a customer it names the ticket the copy
	// belongs to. 0: a delivery of no ticket.
	TicketID int64
	// Key, when set, makes the delivery once-only: CommitUpdate does not
	// store a delivery whose Key an earlier commit stored. An effect that
	// owes a message to another chat (the recipient asked, the sender told)
	// keys it by the effect and the chat, and flows owe it every time they
	// see the effect, not only when they caused it. So an update handled
	// again after a lost commit, or by a second replica at the same time,
	// owes the message again and it is still sent once. Keys are kept at
	// least DeliveryKeyRetention.
	//
	// One message may be owed for several effects (the nudges a tick folds
	// into one): its Key is then their keys joined by KeySep (JoinKeys).
	// Such a delivery is stored only if none of its keys was committed
	// before, and then all of them are recorded, in the same transaction:
	// of two replicas that folded overlapping nudges differently, the
	// second stores nothing, and what only it owed is owed again later
	// (each key is still unrecorded), never twice.
	Key string
}

// KeySep joins the keys of a delivery owed for several effects; a key of
// one effect never contains it.
const KeySep = "+"

// JoinKeys is the Key of a delivery owed for each of keys; empty keys are
// skipped.
func JoinKeys(keys ...string) string {
	kept := keys[:0:0]
	for _, k := range keys {
		if k != "" {
			kept = append(kept, k)
		}
	}
	return strings.Join(kept, KeySep)
}

// KeyParts are the keys a delivery's Key is made of (JoinKeys): the key
// itself when it is one effect's, none when it is empty.
func KeyParts(key string) []string {
	if key == "" {
		return nil
	}
	return strings.Split(key, KeySep)
}

// DeliveryKeyRetention is how long a store remembers a delivery's Key: longer
// than anything that can re-derive the message (a cancellation request is
// open 7 days; a stale button can be pressed for weeks).
const DeliveryKeyRetention = 90 * 24 * time.Hour

// Delivery methods: the Bot API method each makes.
const (
	DeliverySend        = "sendMessage"
	DeliveryEdit        = "editMessageText"
	DeliveryCopy        = "copyMessage"      // FromChatID/MessageID to ChatID (into TicketID's topic for a group)
	DeliveryCreateTopic = "createForumTopic" // TicketID's topic in ChatID, named Text; once per ticket
	DeliveryEditTopic   = "editForumTopic"   // rename TicketID's topic to Text
	DeliveryCloseTopic  = "closeForumTopic"
	DeliveryReopenTopic = "reopenForumTopic"
)

// UpdateCommit is everything one handled update changes, applied at once.
type UpdateCommit struct {
	// UpdateID is marked as handled (as MarkUpdate); 0 for a commit that is
	// not an update, such as the deliveries of a periodic tick.
	UpdateID int64
	At       time.Time
	// FromChat is the chat the update came from, 0 if none: a chat that
	// writes to the bot has unblocked it.
	FromChat int64
	// Sessions are saved with compare-and-swap, as SaveSession does; their
	// versions are incremented on success.
	Sessions []*Session
	// Deliveries are stored in order. On success the slice holds only the
	// deliveries stored (those whose Key was committed before are dropped),
	// with their IDs set. They are not handed out by ClaimDeliveries before
	// LeaseUntil, so the process that committed them sends them first.
	Deliveries []Delivery
	LeaseUntil time.Time
	// Exchanges are appended to the chats' recent conversations, in order,
	// as AddExchanges would: the lines an update adds to a case card are
	// there exactly when the update is.
	Exchanges []ExchangeLines
}

// ExchangeLines are lines for one chat's recent conversation, of which the
// newest Keep are kept (AddExchanges' arguments).
type ExchangeLines struct {
	ChatID int64
	Lines  []Exchange
	Keep   int
}

// Journal makes the handling of an update all or nothing: the update mark,
// the sessions it changed and the replies it owes are stored together.
type Journal interface {
	// UpdateHandled reports whether the update was marked (MarkUpdate or
	// CommitUpdate) and not forgotten yet.
	UpdateHandled(ctx context.Context, updateID int64) (bool, error)
	// CommitUpdate applies c in one transaction. first is false, and
	// nothing is changed, when c.UpdateID was already marked: a duplicate
	// lost the race. A session saved in between is ErrConflict, and nothing
	// is changed either.
	CommitUpdate(ctx context.Context, c *UpdateCommit) (first bool, err error)
	// ClaimDeliveries returns up to limit deliveries whose lease ran out by
	// now, oldest first, leasing them until until: the ones a crashed or
	// stuck sender left behind.
	ClaimDeliveries(ctx context.Context, now, until time.Time, limit int) ([]Delivery, error)
	// DeleteDelivery forgets a delivery that was sent (or refused for good).
	DeleteDelivery(ctx context.Context, id int64) error
	// DeliveryKeyed reports whether a delivery keyed key, alone or as a
	// part of a joined Key (JoinKeys), was committed, and the key not
	// forgotten yet (DeliveryKeyRetention).
	DeliveryKeyed(ctx context.Context, key string) (bool, error)
}

// BlockedChats remembers the chats whose user blocked the bot (Telegram
// answers 403), so proactive messages skip them.
type BlockedChats interface {
	BlockChat(ctx context.Context, chatID int64, at time.Time) error
	ChatBlocked(ctx context.Context, chatID int64) (bool, error)
}
