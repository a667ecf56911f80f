package telegramtest

import (
	"net/http"
	"strings"
	"testing"
)

func button(fields string) string {
	return `{"inline_keyboard":[[{"text":"Go"` + fields + `}]]}`
}

func TestValidatorRejects(t *testing.T) {
	long := strings.Repeat("я", 4097)
	tests := []struct {
		name   string
		method string
		fields map[string]string
		status int
		want   string // part of the complaint
	}{
		{"unknown method", "sendMessages", map[string]string{"chat_id": "1", "text": "hi"}, 404, "not in the Bot API spec"},
		{"wrong case method", "SendMessage", map[string]string{"chat_id": "1", "text": "hi"}, 404, "not in the Bot API spec"},
		{"missing required", "sendMessage", map[string]string{"chat_id": "1"}, 400, "text: required parameter is missing"},
		{"unknown field", "sendMessage", map[string]string{"chat_id": "1", "text": "hi", "colour": "red"}, 400, `no parameter "colour"`},
		{"text too long", "sendMessage", map[string]string{"chat_id": "1", "text": long}, 400, "4097 characters"},
		{"text empty", "sendMessage", map[string]string{"chat_id": "1", "text": ""}, 400, "text is empty"},
		{"text only spaces", "sendMessage", map[string]string{"chat_id": "1", "text": "  \n "}, 400, "text is empty"},
		{"text empty after HTML", "sendMessage", map[string]string{"chat_id": "1", "text": "<b></b>", "parse_mode": "HTML"}, 400, "text is empty"},
		{"HTML counted after parsing", "sendMessage", map[string]string{"chat_id": "1", "text": "<b>" + strings.Repeat("&amp;", 4097) + "</b>", "parse_mode": "HTML"}, 400, "4097 characters"},
		{"emoji counted in UTF-16", "sendMessage", map[string]string{"chat_id": "1", "text": strings.Repeat("😀", 2049)}, 400, "4098 characters"},
		{"chat_id not a number", "sendMessage", map[string]string{"chat_id": "abc", "text": "hi"}, 400, "want Integer or String"},
		{"integer field with fraction", "sendMessage", map[string]string{"chat_id": "1", "text": "hi", "message_thread_id": "1.5"}, 400, "message_thread_id"},
		{"boolean field with yes", "sendMessage", map[string]string{"chat_id": "1", "text": "hi", "disable_notification": "yes"}, 400, "disable_notification"},
		{"parse mode lowercase", "sendMessage", map[string]string{"chat_id": "1", "text": "hi", "parse_mode": "html"}, 400, "unsupported parse mode"},
		{"HTML unclosed tag", "sendMessage", map[string]string{"chat_id": "1", "text": "<b>hi", "parse_mode": "HTML"}, 400, "can't find end tag"},
		{"HTML bare <", "sendMessage", map[string]string{"chat_id": "1", "text": "1 < 2", "parse_mode": "HTML"}, 400, "raw '<'"},
		{"HTML bare &", "sendMessage", map[string]string{"chat_id": "1", "text": "R&D", "parse_mode": "HTML"}, 400, "&amp;"},
		{"HTML unsupported tag", "sendMessage", map[string]string{"chat_id": "1", "text": "<p>hi</p>", "parse_mode": "HTML"}, 400, `unsupported start tag "p"`},
		{"HTML crossed tags", "sendMessage", map[string]string{"chat_id": "1", "text": "<b><i>x</b></i>", "parse_mode": "HTML"}, 400, "does not match"},
		{"caption too long", "sendPhoto", map[string]string{"chat_id": "1", "photo": "file-id", "caption": strings.Repeat("x", 1025)}, 400, "1025 characters"},
		{"bad reply_markup JSON", "sendMessage", map[string]string{"chat_id": "1", "text": "hi", "reply_markup": `{"inline_keyboard":[[`}, 400, "want JSON-serialized"},
		{"reply_markup not an object", "sendMessage", map[string]string{"chat_id": "1", "text": "hi", "reply_markup": `[1]`}, 400, "reply_markup"},
		{"inline button without action", "sendMessage", map[string]string{"chat_id": "1", "text": "hi", "reply_markup": button(``)}, 400, "exactly one action"},
		{"inline button with only empty copy_text", "sendMessage", map[string]string{"chat_id": "1", "text": "hi", "reply_markup": button(`,"copy_text":{"text":""}`)}, 400, "exactly one action"},
		{"inline button with two actions", "sendMessage", map[string]string{"chat_id": "1", "text": "hi", "reply_markup": button(`,"url":"https://x.example","callback_data":"a"`)}, 400, "has 2"},
		{"callback_data 65 bytes", "sendMessage", map[string]string{"chat_id": "1", "text": "hi", "reply_markup": button(`,"callback_data":"` + strings.Repeat("ž", 32) + `x"`)}, 400, "65 bytes"},
		{"callback_data empty", "sendMessage", map[string]string{"chat_id": "1", "text": "hi", "reply_markup": button(`,"callback_data":""`)}, 400, "0 bytes"},
		{"inline button empty text", "sendMessage", map[string]string{"chat_id": "1", "text": "hi", "reply_markup": `{"inline_keyboard":[[{"text":"","callback_data":"a"}]]}`}, 400, "button text is empty"},
		{"inline button unknown field", "sendMessage", map[string]string{"chat_id": "1", "text": "hi", "reply_markup": button(`,"callback_data":"a","colour":"red"`)}, 400, `no field "colour"`},
		{"keyboard not array of arrays", "sendMessage", map[string]string{"chat_id": "1", "text": "hi", "reply_markup": `{"inline_keyboard":[{"text":"a","callback_data":"a"}]}`}, 400, "inline_keyboard[0]"},
		{"reply button empty text", "sendMessage", map[string]string{"chat_id": "1", "text": "hi", "reply_markup": `{"keyboard":[[{"text":"","request_contact":true}]]}`}, 400, "button text is empty"},
		{"callback answer too long", "answerCallbackQuery", map[string]string{"callback_query_id": "1", "text": strings.Repeat("x", 201)}, 400, "at most 200"},
		{"topic name too long", "createForumTopic", map[string]string{"chat_id": "-1001", "name": strings.Repeat("x", 129)}, 400, "want 1-128"},
		{"topic name empty", "createForumTopic", map[string]string{"chat_id": "-1001", "name": ""}, 400, "want 1-128"},
		{"nested union variant mismatch", "setMyCommands", map[string]string{"commands": `[]`, "scope": `{"type":"chat"}`}, 400, "scope.chat_id"},
		{"nested integer as string", "setMyCommands", map[string]string{"commands": `[]`, "scope": `{"type":"chat","chat_id":true}`}, 400, "scope.chat_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, rec := newRecorded(t)
			status, answer := post(t, s.URL(), Token, tt.method, tt.fields)
			if status != tt.status || answer.OK || answer.ErrorCode != tt.status {
				t.Errorf("answer = %d %+v, want %d and ok=false", status, answer, tt.status)
			}
			if errs := rec.Errors(); !containsAny(errs, tt.want) {
				t.Errorf("complaints %q, want one containing %q", errs, tt.want)
			}
			if tt.status == http.StatusBadRequest && !strings.HasPrefix(answer.Description, "Bad Request: ") {
				t.Errorf("description %q, want the Bad Request: prefix", answer.Description)
			}
			if calls := s.Calls(); len(calls) != 1 || calls[0].Status != tt.status {
				t.Errorf("recorded %+v, want one call with status %d", calls, tt.status)
			}
		})
	}
}

func TestWrongTokenIsUnauthorizedWithoutComplaint(t *testing.T) {
	s, rec := newRecorded(t)
	status, answer := post(t, s.URL(), "654321:other", "getMe", nil)
	if status != http.StatusUnauthorized || answer.ErrorCode != 401 || answer.Description != "Unauthorized" {
		t.Errorf("answer = %d %+v, want 401 Unauthorized", status, answer)
	}
	wantClean(t, rec)
}
