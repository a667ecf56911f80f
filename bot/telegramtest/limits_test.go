package telegramtest

import (
	"strings"
	"testing"
)

func TestLengthLimitsAtTheEdge(t *testing.T) {
	s, rec := newRecorded(t)
	ok := []map[string]string{
		{"chat_id": "1", "text": strings.Repeat("я", 4096)},
		{"chat_id": "1", "text": "<b>" + strings.Repeat("&lt;", 4096) + "</b>", "parse_mode": "HTML"},
		{"chat_id": "@paydesk_channel", "text": strings.Repeat("😀", 2048)},
		{"chat_id": "1", "text": "*bold*", "parse_mode": "MarkdownV2"},
	}
	for _, fields := range ok {
		if status, answer := post(t, s.URL(), Token, "sendMessage", fields); status != 200 {
			t.Errorf("sendMessage(%.40v) = %d %s", fields, status, answer.Description)
		}
	}
	if status, _ := post(t, s.URL(), Token, "sendPhoto", map[string]string{"chat_id": "1", "photo": "id", "caption": strings.Repeat("x", 1024)}); status != 200 {
		t.Errorf("1024-character caption refused")
	}
	wantClean(t, rec)
}
