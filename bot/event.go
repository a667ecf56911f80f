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
}

// decode turns a Telegram update into a flows event. It reports false for
// updates the customer flows do not handle (groups, channels, edits, ...).
func decode(u *models.Update) (incoming, bool) {
	switch {
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		msg := q.Message.Message
		if msg == nil || msg.Chat.Type != models.ChatTypePrivate {
			return incoming{}, false
		}
		return incoming{
			callbackID: q.ID,
			event: flows.Event{
				Kind:         flows.EventAction,
				ChatID:       msg.Chat.ID,
				UserID:       q.From.ID,
				LanguageCode: q.From.LanguageCode,
				Data:         q.Data,
				MessageID:    msg.ID,
			},
		}, true
	case u.Message != nil:
		m := u.Message
		if m.Chat.Type != models.ChatTypePrivate || m.From == nil {
			return incoming{}, false
		}
		ev := flows.Event{ChatID: m.Chat.ID, UserID: m.From.ID, LanguageCode: m.From.LanguageCode}
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
		case strings.HasPrefix(m.Text, "/"):
			name, args, _ := strings.Cut(m.Text[1:], " ")
			name, _, _ = strings.Cut(name, "@") // "/start@paydesk_bot"
			ev.Command, ev.Args = strings.ToLower(name), strings.TrimSpace(args)
			ev.Kind = flows.EventCommand
			if ev.Command == "start" {
				ev.Kind = flows.EventStart
			}
		default:
			ev.Kind = flows.EventText
			ev.Text = m.Text
		}
		return incoming{event: ev}, true
	}
	return incoming{}, false
}
