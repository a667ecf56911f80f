package bot

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"paydesk/bot/metrics"
)

func TestAPIStatusLabels(t *testing.T) {
	for want, err := range map[string]error{
		"200":      nil,
		"429":      fmt.Errorf("send: %w", &tg.TooManyRequestsError{Message: "Too Many Requests", RetryAfter: 3}),
		"403":      fmt.Errorf("%w, Forbidden: bot was blocked by the user", tg.ErrorForbidden),
		"400":      fmt.Errorf("%w, Bad Request: message is not modified", tg.ErrorBadRequest),
		"401":      fmt.Errorf("%w, Unauthorized", tg.ErrorUnauthorized),
		"502":      errors.New("error response from telegram for method sendMessage, 502 Bad Gateway"),
		"network":  fmt.Errorf("error do request for method sendMessage, %w", &url.Error{Op: "Post", URL: "http://x/bot***/sendMessage", Err: errors.New("EOF")}),
		"canceled": fmt.Errorf("sendMessage to chat 1: %w", context.Canceled),
		"other":    errors.New("error decode response body for method sendMessage"),
	} {
		if got := apiStatus(err); got != want {
			t.Errorf("apiStatus(%v) = %q, want %q", err, got, want)
		}
	}
}

func TestUpdateKindLabels(t *testing.T) {
	for want, u := range map[string]*models.Update{
		"message":        {Message: &models.Message{}},
		"edited_message": {EditedMessage: &models.Message{}},
		"callback_query": {CallbackQuery: &models.CallbackQuery{}},
		"other":          {MyChatMember: &models.ChatMemberUpdated{}},
	} {
		if got := updateKind(u); got != want {
			t.Errorf("updateKind = %q, want %q", got, want)
		}
	}
}

// A bot built without metrics calls the hooks on a nil *metrics.Metrics.
func TestNilMetricsDoNothing(t *testing.T) {
	var m *metrics.Metrics
	m.Update("message", metrics.Handled, 1)
	m.APICall("sendMessage", "200")
	m.Retry("sendMessage", "429")
	m.OutboxWait("interactive", 1)
	m.Blocked()
	m.NudgeSent()
	m.GivenUp()
	m.SetAside()
	m.StoreOp("commit_update", 1)
	m.QueueDepth(func() int { return 0 })
	m.TicketsOpen(nil)
}
