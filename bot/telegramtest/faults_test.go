package telegramtest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	tg "github.com/go-telegram/bot"
)

func TestFaults(t *testing.T) {
	tests := []struct {
		name       string
		fault      Fault
		wantStatus int
		check      func(t *testing.T, err error)
	}{
		{"429 with retry_after", Fault{Status: 429, RetryAfter: 7}, 429, func(t *testing.T, err error) {
			var tooMany *tg.TooManyRequestsError
			if !errors.As(err, &tooMany) || tooMany.RetryAfter != 7 {
				t.Errorf("err = %v, want *tg.TooManyRequestsError with RetryAfter 7", err)
			}
		}},
		{"500", Fault{Status: 500}, 500, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "500 Internal Server Error") {
				t.Errorf("err = %v, want the 500 answer", err)
			}
		}},
		{"502 with description", Fault{Status: 502, Description: "Bad Gateway"}, 502, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "502 Bad Gateway") {
				t.Errorf("err = %v, want the 502 answer", err)
			}
		}},
		{"403", Fault{Status: 403}, 403, func(t *testing.T, err error) {
			if !errors.Is(err, tg.ErrorForbidden) {
				t.Errorf("err = %v, want tg.ErrorForbidden", err)
			}
		}},
		{"dropped connection", Fault{Drop: true}, 0, func(t *testing.T, err error) {
			var tooMany *tg.TooManyRequestsError
			if err == nil || errors.As(err, &tooMany) || !strings.Contains(err.Error(), "error do request") {
				t.Errorf("err = %v, want a transport error", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, rec := newRecorded(t)
			b := newClient(t, s)
			ctx := context.Background()
			s.Fail("sendMessage", 1, tt.fault)

			// Other methods are not affected.
			if _, err := b.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: "1"}); err != nil {
				t.Errorf("AnswerCallbackQuery under a sendMessage fault: %v", err)
			}
			_, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: 9, Text: "hi"})
			tt.check(t, err)
			if _, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: 9, Text: "again"}); err != nil {
				t.Errorf("retry after the fault was used up: %v", err)
			}

			calls := s.CallsTo("sendMessage")
			if len(calls) != 2 || calls[0].Status != tt.wantStatus || calls[1].Status != http.StatusOK {
				t.Errorf("recorded %s", describe(calls))
			}
			if sent := s.SentTo(9); len(sent) != 1 || sent[0].Text() != "again" {
				t.Errorf("SentTo = %s, want only the retry", describe(sent))
			}
			if n := len(s.SendTimes(9)); n != 1 {
				t.Errorf("SendTimes has %d, want 1: faults are not sends", n)
			}
			wantClean(t, rec)
		})
	}
}

func TestFaultForAnyMethodCountsDown(t *testing.T) {
	s, rec := newRecorded(t)
	b := newClient(t, s)
	ctx := context.Background()
	s.Fail("", 2, Fault{Status: 429, RetryAfter: 1})

	// A request that breaks the spec is refused before faults apply.
	if status, _ := post(t, s.URL(), Token, "sendMessage", map[string]string{"chat_id": "1"}); status != 400 {
		t.Errorf("invalid request got %d, want 400", status)
	}
	if errs := rec.Errors(); len(errs) != 1 {
		t.Fatalf("complaints %q, want exactly the missing text", errs)
	}
	rec.errors = nil

	for i := range 2 {
		if _, err := b.DeleteMessage(ctx, &tg.DeleteMessageParams{ChatID: 1, MessageID: 1}); !tg.IsTooManyRequestsError(err) {
			t.Errorf("call %d: %v, want 429", i, err)
		}
	}
	if _, err := b.DeleteMessage(ctx, &tg.DeleteMessageParams{ChatID: 1, MessageID: 1}); err != nil {
		t.Errorf("third call: %v, want success", err)
	}
	wantClean(t, rec)
}
