package telegramtest

import (
	"strconv"
	"sync/atomic"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// updateDate is the message date the builders use: a fixed time, so
// transcripts and assertions do not depend on the wall clock.
const updateDate = 1767225600 // 2026-01-01T00:00:00Z

// incoming numbers the messages and callback queries the builders make,
// so each one is distinct, as on Telegram.
var incoming atomic.Int64

// TextUpdate is a user typing text in a chat. Private chats have the
// user's (positive) id; pass a negative chatID for a group.
func TextUpdate(chatID, userID int64, langCode, text string) models.Update {
	msg := baseMessage(chatID, userID, langCode)
	msg.Text = text
	return models.Update{Message: msg}
}

// CommandUpdate is a user sending a command such as "/start link-abc"; the
// bot_command entity covers the command word, as Telegram marks it.
func CommandUpdate(chatID, userID int64, langCode, text string) models.Update {
	u := TextUpdate(chatID, userID, langCode, text)
	cmd := text
	for i, r := range text {
		if r == ' ' || r == '\n' {
			cmd = text[:i]
			break
		}
	}
	u.Message.Entities = []models.MessageEntity{{
		Type:   models.MessageEntityTypeBotCommand,
		Offset: 0,
		Length: len(utf16.Encode([]rune(cmd))),
	}}
	return u
}

// ContactUpdate is a user sharing a contact; contactUserID equal to userID
// means the user shared their own number with the contact button.
func ContactUpdate(chatID, userID, contactUserID int64, phone string) models.Update {
	msg := baseMessage(chatID, userID, "")
	msg.Contact = &models.Contact{PhoneNumber: phone, FirstName: "Customer", UserID: contactUserID}
	return models.Update{Message: msg}
}

// CallbackUpdate is a user pressing an inline button with data on the
// bot's message messageID.
func CallbackUpdate(chatID, userID int64, messageID int, data string) models.Update {
	from := user(userID, "")
	return models.Update{CallbackQuery: &models.CallbackQuery{
		ID:           strconv.FormatInt(9_000_000+incoming.Add(1), 10),
		From:         from,
		ChatInstance: "chat-instance-" + strconv.FormatInt(chatID, 10),
		Data:         data,
		Message: models.MaybeInaccessibleMessage{
			Type: models.MaybeInaccessibleMessageTypeMessage,
			Message: &models.Message{
				ID:   messageID,
				Date: updateDate,
				Chat: chat(chatID, userID),
				From: &models.User{ID: 123456, IsBot: true, FirstName: "Paydesk Test"},
				Text: "…",
			},
		},
	}}
}

// PhotoUpdate is a user sending a photo.
func PhotoUpdate(chatID, userID int64, fileID string) models.Update {
	msg := baseMessage(chatID, userID, "")
	msg.Photo = []models.PhotoSize{{FileID: fileID, FileUniqueID: "u-" + fileID, Width: 1280, Height: 960}}
	return models.Update{Message: msg}
}

func baseMessage(chatID, userID int64, langCode string) *models.Message {
	from := user(userID, langCode)
	return &models.Message{ID: int(incoming.Add(1)), Date: updateDate, From: &from, Chat: chat(chatID, userID)}
}

func user(id int64, langCode string) models.User {
	if langCode == "" {
		langCode = "en"
	}
	return models.User{ID: id, FirstName: "Customer", LanguageCode: langCode}
}

func chat(chatID, userID int64) models.Chat {
	if chatID > 0 {
		return models.Chat{ID: chatID, Type: models.ChatTypePrivate, FirstName: "Customer"}
	}
	c := chatObject(chatID)
	return models.Chat{ID: chatID, Type: models.ChatType(c["type"].(string)), Title: c["title"].(string), IsForum: c["is_forum"] == true}
}
