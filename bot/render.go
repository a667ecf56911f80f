package bot

import (
	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"paydesk/flows"
	"paydesk/locales"
)

// maxText is Telegram's limit on a message's text after entity parsing.
const maxText = 4096

// inlineMarkup renders the inline keyboard, nil when there is none.
func inlineMarkup(loc *locales.Localizer, rows [][]flows.Button) *models.InlineKeyboardMarkup {
	if len(rows) == 0 {
		return nil
	}
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: make([][]models.InlineKeyboardButton, 0, len(rows))}
	for _, row := range rows {
		out := make([]models.InlineKeyboardButton, 0, len(row))
		for _, b := range row {
			out = append(out, models.InlineKeyboardButton{Text: locales.PlainText(loc.Text(b.Label)), CallbackData: b.Data})
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, out)
	}
	return kb
}

// markup picks the one reply_markup a new message can carry: a reply
// keyboard, its removal, or the inline keyboard.
func markup(loc *locales.Localizer, s flows.Screen) models.ReplyMarkup {
	switch {
	case s.Reply != nil:
		kb := &models.ReplyKeyboardMarkup{ResizeKeyboard: true, OneTimeKeyboard: true}
		for _, row := range s.Reply.Rows {
			var out []models.KeyboardButton
			for _, b := range row {
				out = append(out, models.KeyboardButton{Text: locales.PlainText(loc.Text(b.Label)), RequestContact: b.RequestContact})
			}
			kb.Keyboard = append(kb.Keyboard, out)
		}
		return kb
	case s.RemoveReply:
		return &models.ReplyKeyboardRemove{RemoveKeyboard: true}
	}
	if kb := inlineMarkup(loc, s.Inline); kb != nil {
		return kb
	}
	return nil
}

// sendParams is a new message carrying the screen.
func sendParams(loc *locales.Localizer, chatID int64, s flows.Screen) *tg.SendMessageParams {
	return &tg.SendMessageParams{
		ChatID:      chatID,
		Text:        s.HTML(loc, false),
		ParseMode:   models.ParseModeHTML,
		ReplyMarkup: markup(loc, s),
	}
}

// editParams replaces the text and inline keyboard of a message in place.
func editParams(loc *locales.Localizer, chatID int64, messageID int, s flows.Screen) *tg.EditMessageTextParams {
	p := &tg.EditMessageTextParams{
		ChatID:    chatID,
		MessageID: messageID,
		Text:      s.HTML(loc, false),
		ParseMode: models.ParseModeHTML,
	}
	if kb := inlineMarkup(loc, s.Inline); kb != nil {
		p.ReplyMarkup = kb
	}
	return p
}
