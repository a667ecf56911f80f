package loadtest

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// Step is one thing a customer does: type Text ("/..." is a command), or
// press a button of the last reply whose action is Press (callback_data up
// to its first '|', as flows encodes it).
type Step struct {
	Text  string
	Press string
}

// Script is sections of steps, each starting from the menu. When a button
// a step wants is not there (the transfer was cancelled by an earlier
// round, the refusal already disputed), the customer sends /start and goes
// on with the next section; Result.Diverged counts those.
type Script [][]Step

// Full is the conversation: the menu, a withdrawal's card, cancel
// a transfer with the confirmation, dispute a refused return with a reason
// and a text, back to the menu each time.
var Full = Script{
	{{Text: "/start"}, {Press: "wd"}, {Press: "wdc"}, {Press: "menu"}},
	{{Press: "tr"}, {Press: "trc"}, {Press: "trr"}, {Press: "trk"}, {Press: "menu"}},
	{{Press: "rr"}, {Press: "rrd"}, {Press: "rrs"}, {Press: "rrr"},
		{Text: "The seller refused the return although the parcel came back unopened."},
		{Press: "rrp"}, {Press: "rrc"}, {Press: "menu"}},
}

// Withdrawal is the loop measured in the table: /start, Withdrawal
// status, a withdrawal's card, Menu.
var Withdrawal = Script{{{Text: "/start"}, {Press: "wd"}, {Press: "wdc"}, {Press: "menu"}}}

// Echo is the same number of steps as Withdrawal, all typed, for a bot
// that only echoes (the baseline has no buttons).
var Echo = Script{{{Text: "/start"}, {Text: "withdrawals"}, {Text: "card"}, {Text: "menu"}}}

// pick chooses one of the buttons of markup whose action is action.
func pick(markup, action string, rng *rand.Rand) (string, bool) {
	if markup == "" {
		return "", false
	}
	var kb struct {
		Rows [][]struct {
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if json.Unmarshal([]byte(markup), &kb) != nil {
		return "", false
	}
	var found []string
	for _, row := range kb.Rows {
		for _, b := range row {
			if name, _, _ := strings.Cut(b.Data, "|"); name == action && b.Data != "" {
				found = append(found, b.Data)
			}
		}
	}
	if len(found) == 0 {
		return "", false
	}
	return found[rng.IntN(len(found))], true
}

// updateDate is the date of the messages the customers send.
const updateDate = 1767225600 // 2026-01-01T00:00:00Z

func customerOf(chat int64) (models.User, models.Chat) {
	return models.User{ID: chat, FirstName: "Bench", LanguageCode: "en"},
		models.Chat{ID: chat, Type: models.ChatTypePrivate, FirstName: "Bench"}
}

// textUpdate is the customer typing text; a command gets its entity.
func textUpdate(id, chat int64, msgID int, text string) *models.Update {
	from, c := customerOf(chat)
	m := &models.Message{ID: msgID, Date: updateDate, From: &from, Chat: c, Text: text}
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		m.Entities = []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Length: len(utf16.Encode([]rune(cmd)))}}
	}
	return &models.Update{ID: id, Message: m}
}

// pressUpdate is the customer pressing a button of the bot's message msgID.
func pressUpdate(id, chat int64, msgID int, data string) *models.Update {
	from, c := customerOf(chat)
	return &models.Update{ID: id, CallbackQuery: &models.CallbackQuery{
		ID: "q" + itoa(id), From: from, ChatInstance: "bench", Data: data,
		Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
			Message: &models.Message{ID: msgID, Date: updateDate, Chat: c, From: &models.User{ID: 1, IsBot: true, FirstName: "paydesk"}, Text: "…"}},
	}}
}
