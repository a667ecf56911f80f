package flows

// EventKind says what the customer did.
type EventKind int

const (
	EventStart    EventKind = iota + 1 // /start, possibly with a deep-link payload in Args
	EventCommand                       // another /command; Command holds its name
	EventText                          // plain text
	EventContact                       // a shared contact (reply-keyboard button)
	EventPhoto                         // a photo; FileID is the largest size
	EventDocument                      // a document; FileID
	EventAction                        // an inline button; Data is its callback_data
	EventOther                         // any other message (voice, sticker, video, ...): only support relays it
)

func (k EventKind) String() string {
	switch k {
	case EventStart:
		return "start"
	case EventCommand:
		return "command"
	case EventText:
		return "text"
	case EventContact:
		return "contact"
	case EventPhoto:
		return "photo"
	case EventDocument:
		return "document"
	case EventAction:
		return "action"
	case EventOther:
		return "other"
	}
	return "unknown"
}

// Event is one thing a customer did in a private chat, stripped of Telegram.
type Event struct {
	Kind         EventKind
	ChatID       int64
	UserID       int64
	LanguageCode string // the client's language as Telegram reports it, e.g. "ru-RU"
	Command      string // lower-case command name without the slash
	Args         string // what follows the command ("link-..." for a deep link)
	Text         string
	Contact      *Contact
	FileID       string
	Data         string // callback_data of the pressed button
	MessageID    int    // the bot message that carried the pressed button
	Label        string // the pressed button's text as the customer saw it, if the adapter knows it
	Edited       bool   // the customer edited an earlier message; only support relays edits
	// FromMessageID is the customer's own message (a text, a command, a
	// photo); 0 for presses and where the adapter has none (the console).
	FromMessageID int
	// ReplyTo is the bot message the customer's message replies to, if any.
	ReplyTo *Quote
}

// Quote is a bot message a customer replied to, as Telegram quotes it.
type Quote struct {
	MessageID int
	Text      string // the plain text the customer saw (Telegram drops the markup)
}

// Contact is a phone number shared through Telegram.
type Contact struct {
	Phone  string
	UserID int64 // the Telegram user the contact belongs to; 0 if not a Telegram user
}

// input reports whether the event is free input that a flow step consumes.
func (e Event) input() bool {
	switch e.Kind {
	case EventText, EventPhoto, EventDocument:
		return true
	}
	return false
}
