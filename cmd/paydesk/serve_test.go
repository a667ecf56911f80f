package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"paydesk/bot/telegramtest"
)

const testSecret = "serve-test-secret-0123456789abcdef"

// startServe runs serve's code path (Main.Run) against the fake Bot API,
// with the Config changed by configure.
func startServe(t *testing.T, api *telegramtest.Server, dbPath string, configure ...func(*Config)) *Main {
	t.Helper()
	m := &Main{
		Config: Config{
			Token:      telegramtest.Token,
			APIURL:     api.URL(),
			DB:         dbPath,
			Demo:       true,
			Secret:     testSecret,
			SessionTTL: 24 * time.Hour,
			HTTPListen: "127.0.0.1:0",
		},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, c := range configure {
		c(&m.Config)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// withLang sets the sender's Telegram language on a message update, as
// Telegram does on every message.
func withLang(u models.Update, lang string) models.Update {
	u.Message.From.LanguageCode = lang
	return u
}

func TestServeGreetsLinksAndShowsMenuInEachLanguage(t *testing.T) {
	api := telegramtest.New(t)
	startServe(t, api, filepath.Join(t.TempDir(), "paydesk.db"))

	cases := []struct {
		lang, phone     string
		chat            int64
		greeting, title string
		linked          string
	}{
		{"ru", "+77010000001", 7001, "Здравствуйте! Я бот поддержки", "Чем могу помочь?", "Аккаунт привязан. Здравствуйте, Айгерим!"},
		{"cs", "420601000001", 7002, "Dobrý den, jsem virtuální asistent", "S čím vám mohu pomoci?", "Hotovo, chat je propojený s vaším účtem (Tereza)."},
		{"en", "+447700900001", 7003, "Hello! I'm the paydesk support bot", "What can I help you with?", "Your account is linked. Hello, John!"},
	}
	for _, tc := range cases {
		t.Run(tc.lang, func(t *testing.T) {
			sent := func(n int) []telegramtest.Call {
				return api.WaitCalls(t, n, func(c telegramtest.Call) bool {
					return c.Method == "sendMessage" && c.ChatID() == tc.chat
				}, 10*time.Second)
			}
			api.PushUpdate(telegramtest.CommandUpdate(tc.chat, tc.chat, tc.lang, "/start"))
			greet := sent(1)[0]
			if !strings.Contains(greet.Text(), tc.greeting) || !strings.Contains(greet.Text(), tc.title) {
				t.Fatalf("greeting in %s: %q", tc.lang, greet.Text())
			}
			if greet.Params["parse_mode"] != "HTML" {
				t.Errorf("parse_mode %v", greet.Params["parse_mode"])
			}

			// Money entries ask for the phone number first.
			api.PushUpdate(telegramtest.CallbackUpdate(tc.chat, tc.chat, 1, firstButton(t, greet)))
			ask := sent(2)[1]
			kb, _ := ask.Params["reply_markup"].(map[string]any)
			if kb == nil || kb["keyboard"] == nil {
				t.Fatalf("no share-phone keyboard: %v", ask.Params)
			}

			api.PushUpdate(withLang(telegramtest.ContactUpdate(tc.chat, tc.chat, tc.chat, tc.phone), tc.lang))
			got := sent(4)
			if !strings.Contains(got[2].Text(), tc.linked) {
				t.Fatalf("after sharing the phone: %q, want %q", got[2].Text(), tc.linked)
			}
			if rm, _ := got[2].Params["reply_markup"].(map[string]any); rm["remove_keyboard"] != true {
				t.Errorf("share-phone keyboard not removed: %v", got[2].Params["reply_markup"])
			}
		})
	}
}

// firstButton is the callback data of the first inline button of a message.
func firstButton(t *testing.T, c telegramtest.Call) string {
	t.Helper()
	kb, _ := c.Params["reply_markup"].(map[string]any)
	rows, _ := kb["inline_keyboard"].([]any)
	if len(rows) == 0 {
		t.Fatalf("no inline keyboard: %v", c.Params)
	}
	b := rows[0].([]any)[0].(map[string]any)
	return b["callback_data"].(string)
}

func TestServeRefusesToStartWithoutTokenOrSecret(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"no token":     {"PAYDESK_SECRET": testSecret},
		"no secret":    {"PAYDESK_TELEGRAM_TOKEN": "1:x"},
		"short secret": {"PAYDESK_TELEGRAM_TOKEN": "1:x", "PAYDESK_SECRET": "short"},
	} {
		e, _, _ := testEnv(env)
		err := run(context.Background(), []string{"serve"}, e)
		if err == nil || !strings.Contains(err.Error(), "PAYDESK_") || !strings.Contains(err.Error(), "demo") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want a one-line error naming the variable and the demo", name, err)
		}
	}
}
