package telegramtest

import (
	"net/http"
	"strings"
)

// answer produces what Telegram would return for a valid call.
func (s *Server) answer(m *specMethod, params map[string]any) (any, *apiError) {
	chatID, _ := params["chat_id"].(int64)
	if s.isBlocked(chatID) && (isSendMethod(m.Name) || strings.HasPrefix(m.Name, "edit")) {
		return nil, &apiError{Status: http.StatusForbidden, Description: "Forbidden: bot was blocked by the user"}
	}
	if result, ok := s.profileAnswer(m.Name, params); ok {
		return result, nil
	}
	switch m.Name {
	case "getMe":
		return s.botUserObject(), nil
	case "copyMessage":
		return map[string]any{"message_id": s.nextMessageID(chatID)}, nil
	case "createForumTopic":
		return s.forumTopic(chatID, params), nil
	case "getChatMember":
		userID, _ := params["user_id"].(int64)
		return s.chatMember(chatID, userID), nil
	}
	if strings.HasPrefix(m.Name, "edit") && returns(m, "Message") {
		if _, inline := params["inline_message_id"]; inline {
			return true, nil // edits of inline messages return True
		}
		msgID, _ := params["message_id"].(int64)
		msg := s.message(chatID, msgID, params)
		msg["edit_date"] = s.now().Unix()
		return msg, nil
	}
	if returns(m, "Message") {
		return s.message(chatID, s.nextMessageID(chatID), params), nil
	}
	if returns(m, "Boolean") {
		return true, nil
	}
	return s.spec.minimal(m.Returns[0]), nil
}

func returns(m *specMethod, typ string) bool {
	for _, r := range m.Returns {
		if r == typ {
			return true
		}
	}
	return false
}

func (s *Server) botUserObject() map[string]any {
	return map[string]any{
		"id": s.bot.id, "is_bot": true, "first_name": "Paydesk Test",
		"username": s.bot.username, "can_join_groups": true,
		"can_read_all_group_messages": false, "supports_inline_queries": false,
	}
}

func (s *Server) nextMessageID(chatID int64) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastMsgID[chatID]++
	return s.lastMsgID[chatID]
}

// message builds the Message Telegram returns for a send or edit: the
// visible text (HTML already parsed), the inline keyboard echoed, the
// topic kept, and a stand-in for any photo or document.
func (s *Server) message(chatID, msgID int64, params map[string]any) map[string]any {
	msg := map[string]any{
		"message_id": msgID,
		"date":       s.now().Unix(),
		"chat":       chatObject(chatID),
		"from":       s.botUserObject(),
	}
	if text, ok := params["text"].(string); ok {
		msg["text"] = visibleText(text, params["parse_mode"])
	}
	if caption, ok := params["caption"].(string); ok && caption != "" {
		msg["caption"] = visibleText(caption, params["parse_mode"])
	}
	if markup, ok := params["reply_markup"].(map[string]any); ok {
		if _, inline := markup["inline_keyboard"]; inline {
			msg["reply_markup"] = markup // only inline keyboards show on a message
		}
	}
	if thread, ok := params["message_thread_id"].(int64); ok {
		msg["message_thread_id"] = thread
		msg["is_topic_message"] = true
	}
	if _, ok := params["photo"]; ok {
		msg["photo"] = []any{map[string]any{"file_id": "photo-file-id", "file_unique_id": "photo-unique", "width": 640, "height": 480}}
	}
	if _, ok := params["document"]; ok {
		msg["document"] = map[string]any{"file_id": "document-file-id", "file_unique_id": "document-unique"}
	}
	return msg
}

func visibleText(text string, parseMode any) string {
	if parseMode == "HTML" {
		if v, err := parseHTML(text); err == nil {
			return v
		}
	}
	return text
}

// chatObject guesses the chat type from the id the way Telegram assigns
// them: users positive, supergroups -100..., basic groups other negatives.
func chatObject(id int64) map[string]any {
	switch {
	case id > 0:
		return map[string]any{"id": id, "type": "private", "first_name": "Customer"}
	case id < -1_000_000_000_000:
		return map[string]any{"id": id, "type": "supergroup", "title": "Support", "is_forum": true}
	default:
		return map[string]any{"id": id, "type": "group", "title": "Group"}
	}
}

// defaultTopicColor is the first of Telegram's allowed topic icon colors.
const defaultTopicColor = 7322096

func (s *Server) forumTopic(chatID int64, params map[string]any) map[string]any {
	s.mu.Lock()
	s.lastTopic[chatID]++
	id := s.lastTopic[chatID] + 1 // thread 1 is the General topic
	s.mu.Unlock()
	color, ok := params["icon_color"].(int64)
	if !ok {
		color = defaultTopicColor
	}
	topic := map[string]any{"message_thread_id": id, "name": params["name"], "icon_color": color}
	if emoji, ok := params["icon_custom_emoji_id"].(string); ok {
		topic["icon_custom_emoji_id"] = emoji
	}
	return topic
}
