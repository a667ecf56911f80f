package flows

import "paydesk/locales"

// Screen is what the bot shows: text made of localizable paragraphs and the
// keyboards under it. It is language-neutral; a renderer (Telegram, terminal,
// transcript) localizes it for the chat it goes to.
type Screen struct {
	// Body paragraphs, rendered one after another separated by a blank line.
	Body []locales.Msg
	// Inline keyboard rows under the message.
	Inline [][]Button
	// Reply keyboard shown instead of the typing keyboard (e.g. "Share my
	// phone number"); nil keeps whatever the client shows.
	Reply *ReplyKeyboard
	// RemoveReply hides a reply keyboard shown earlier.
	RemoveReply bool
	// Replace edits the message whose button was pressed instead of sending
	// a new one (inline navigation). Ignored for events that are not presses.
	Replace bool
}

// listButtonRunes is how much of a ledger's name (an item, say) a list
// button takes. Phones cut a label of a full-width button (one per row)
// past about 35 characters, and a half-width one past 24; a list has one
// per row and the message above it gives the whole name.
const listButtonRunes = 32

// Button is an inline button: a label and signed, self-contained callback data.
type Button struct {
	Label locales.Msg
	Data  string
}

// ReplyKeyboard is a keyboard of buttons that send text or a contact.
type ReplyKeyboard struct {
	Rows [][]ReplyButton
}

// ReplyButton is one reply-keyboard button.
type ReplyButton struct {
	Label          locales.Msg
	RequestContact bool // Telegram asks the user to share their own phone number
}

// Reply is a screen addressed to a chat, in that chat's language.
type Reply struct {
	ChatID int64
	Lang   string
	Screen Screen
	// Key makes the reply once-only (store.Delivery.Key): a message owed to
	// another chat because of an effect, keyed by the effect and the chat,
	// so the flow can owe it each time it sees the effect.
	Key string
	// ShowIDs ends the message with the message IDs it is made of (a
	// locale tester's IDs mode; see Screen.HTML).
	ShowIDs bool
	// nudge: Key is a nudge's (Tick.Nudge), or several nudges' folded
	// into one reply (fold), the commit of which is their claim.
	nudge bool
}

// Outcome is everything one event produced: screens for this chat and
// others, and the short notice for the pressed button, if any.
type Outcome struct {
	Replies []Reply
	// Toast is the callback-query answer text shown briefly over the chat;
	// zero for a silent answer.
	Toast locales.Msg
	// Relays are what the support group gets, in order (see Relay).
	Relays []Relay
	// Lang is the language of the event's own chat, the one the Toast is
	// shown in: Replies may go to other chats, in their languages, first.
	Lang string
	// Effects are ledger writes to make only once Replies are committed
	// (Tick.After): the caller runs them after its commit, or not at all
	// when the commit fails, and the job owes the replies again next time.
	Effects []Effect
}

// Text is a one-paragraph screen.
func Text(id string, kv ...any) Screen {
	return Screen{Body: []locales.Msg{locales.M(id, kv...)}}
}
