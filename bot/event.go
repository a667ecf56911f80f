package bot

import (
	"strings"

	"github.com/go-telegram/bot/models"

	"paydesk/flows"
)

// incoming is a decoded update: the flows event and what the adapter needs
// to answer it (the callback query to acknowledge).
type incoming struct {
	event      flows.Event
	callbackID string
	messageID  int // the customer's message, which support relays copy
}

// decode turns a Telegram update into a flows event. It reports false for
// updates the customer flows do not handle (groups, channels, edits, ...);
// a button press among them still carries its callbackID, to be answered.
func decode(u *models.Update) (incoming, bool) {
	switch {
	case u.CallbackQuery != nil:
		// Every press is answered (callbackID), even one the flows do not
		// take, or its button spins until Telegram gives up.
		q := u.CallbackQuery
		ev := flows.Event{
			Kind:         flows.EventAction,
			UserID:       q.From.ID,
			LanguageCode: q.From.LanguageCode,
			Data:         q.Data,
		}
		switch msg, gone := q.Message.Message, q.Message.InaccessibleMessage; {
		case msg != nil:
			if msg.Chat.Type != models.ChatTypePrivate {
				return incoming{callbackID: q.ID}, false
			}
			ev.ChatID, ev.MessageID, ev.Label = msg.Chat.ID, msg.ID, buttonLabel(msg.ReplyMarkup, q.Data)
		case gone != nil:
			// Telegram no longer gives the bot the message (date 0): the
			// press is handled, and its screen is sent as a new message.
			if gone.Chat.Type != "" && gone.Chat.Type != models.ChatTypePrivate {
				return incoming{callbackID: q.ID}, false
			}
			ev.ChatID = gone.Chat.ID
		default:
			// No message at all: a button's private chat is its user's.
			ev.ChatID = q.From.ID
		}
		return incoming{callbackID: q.ID, event: ev}, true
	case u.Message != nil, u.EditedMessage != nil:
		m, edited := u.Message, false
		if m == nil {
			m, edited = u.EditedMessage, true
		}
		if m.Chat.Type != models.ChatTypePrivate || m.From == nil {
			return incoming{}, false
		}
		ev := flows.Event{ChatID: m.Chat.ID, UserID: m.From.ID, LanguageCode: m.From.LanguageCode, Edited: edited}
		switch {
		case m.Contact != nil:
			ev.Kind = flows.EventContact
			ev.Contact = &flows.Contact{Phone: m.Contact.PhoneNumber, UserID: m.Contact.UserID}
		case len(m.Photo) > 0:
			ev.Kind = flows.EventPhoto
			ev.FileID = m.Photo[len(m.Photo)-1].FileID // sizes ascend; keep the largest
			ev.Text = m.Caption
		case m.Document != nil:
			ev.Kind = flows.EventDocument
			ev.FileID = m.Document.FileID
			ev.Text = m.Caption
		case m.Text == "":
			ev.Kind = flows.EventOther // voice, sticker, video, location, ...: support relays it as is
			ev.Text = m.Caption
		case strings.HasPrefix(m.Text, "/"):
			ev.Command, ev.Args = splitCommand(m.Text)
			ev.Kind = flows.EventCommand
			if ev.Command == "start" {
				ev.Kind = flows.EventStart
			}
		default:
			ev.Kind = flows.EventText
			ev.Text = m.Text
		}
		return incoming{event: ev, messageID: m.ID}, true
	}
	return incoming{}, false
}

// buttonLabel is the text of the pressed button, for the conversation the
// agents see on a case card.
func buttonLabel(kb *models.InlineKeyboardMarkup, data string) string {
	if kb == nil {
		return ""
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData == data {
				return b.Text
			}
		}
	}
	return ""
}

// splitCommand reads "/name@bot args" into the lower-case name and the
// rest ("/start@paydesk_bot link-x", "/note\nsome text").
func splitCommand(text string) (name, args string) {
	cmd, args, _ := strings.Cut(strings.TrimPrefix(text, "/"), " ")
	if i := strings.IndexAny(cmd, "\n\t"); i >= 0 {
		cmd, args = cmd[:i], cmd[i+1:]+" "+args
	}
	cmd, _, _ = strings.Cut(cmd, "@")
	return strings.ToLower(cmd), strings.TrimSpace(args)
}
