package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"paydesk/bot/telegramtest"
	storeredis "paydesk/store/redis"
	"paydesk/store/redis/redistest"
)

func TestServeRefusesABadRedisURL(t *testing.T) {
	for name, url := range map[string]string{
		"not redis":       "http://127.0.0.1:6379",
		"no port number":  "redis://127.0.0.1:port",
		"empty cluster":   "redis+cluster://",
		"unreachable":     "redis://:hunter2@127.0.0.1:1/0",
		"cluster, no one": "redis+cluster://127.0.0.1:1,127.0.0.1:2",
	} {
		env := map[string]string{"PAYDESK_TELEGRAM_TOKEN": "1:x", "PAYDESK_SECRET": testSecret,
			"PAYDESK_DB": filepath.Join(t.TempDir(), "paydesk.db"), "PAYDESK_REDIS_URL": url}
		e, _, _ := testEnv(env)
		err := run(context.Background(), []string{"serve"}, e)
		if err == nil || !strings.Contains(err.Error(), "PAYDESK_REDIS_URL") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want a one-line error naming PAYDESK_REDIS_URL", name, err)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: the error shows the password: %v", name, err)
		}
	}
}

// TestServeWithRedisGoingAway: serve with the State in Redis answers
// updates; while Redis is down /readyz says not ready and updates get 500
// (Telegram keeps them); once it is back the redelivered update is handled,
// once.
func TestServeWithRedisGoingAway(t *testing.T) {
	srv := redistest.StartPersistent(t)
	api := telegramtest.New(t)
	m := startServeWithEnv(t, map[string]string{
		"PAYDESK_TELEGRAM_TOKEN":   telegramtest.Token,
		"PAYDESK_TELEGRAM_API_URL": api.URL(),
		"PAYDESK_DB":               filepath.Join(t.TempDir(), "paydesk.db"),
		"PAYDESK_DEMO":             "1",
		"PAYDESK_SECRET":           testSecret,
		"PAYDESK_REDIS_URL":        srv.URL(),
		"PAYDESK_WEBHOOK_URL":      "https://bot.example.com/telegram/hook",
		"PAYDESK_WEBHOOK_LISTEN":   "127.0.0.1:0",
		"PAYDESK_WEBHOOK_SECRET":   testWebhookSecret,
	})
	base := "http://" + m.Addr().String()
	post := func(id int64, text string) int {
		u := telegramtest.CommandUpdate(7301, 7301, "cs", text)
		u.ID = id
		data, _ := json.Marshal(u)
		req, _ := http.NewRequest(http.MethodPost, base+"/telegram/hook", bytes.NewReader(data))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", testWebhookSecret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	ready := func() int {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	replies := func(n int) {
		t.Helper()
		api.WaitCalls(t, n, func(c telegramtest.Call) bool { return c.Method == "sendMessage" && c.ChatID() == 7301 }, 30*time.Second)
	}

	if code := post(1, "/start"); code != http.StatusOK {
		t.Fatalf("update with Redis up: %d", code)
	}
	replies(1)
	st, err := storeredis.Open(t.Context(), srv.URL(), storeredis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if s, err := st.Session(t.Context(), 7301); err != nil || s.Version != 1 {
		t.Fatalf("the session in Redis: %+v, %v", s, err)
	}

	srv.Stop()
	if code := ready(); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with Redis down: %d, want 503", code)
	}
	for range 2 {
		if code := post(2, "/help"); code != http.StatusInternalServerError {
			t.Errorf("update with Redis down: %d, want 500", code)
		}
	}
	srv.Start()
	bot := func() bool { return ready() == http.StatusOK }
	for deadline := time.Now().Add(20 * time.Second); !bot() && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	if code := ready(); code != http.StatusOK {
		t.Fatalf("/readyz with Redis back: %d", code)
	}
	for range 2 { // redelivered, and once more
		if code := post(2, "/help"); code != http.StatusOK {
			t.Fatalf("redelivered update with Redis back: %d", code)
		}
	}
	replies(2)
	m.Close()
	if n := len(api.SentTo(7301)); n != 2 {
		t.Errorf("%d replies for two updates, want 2", n)
	}
	if s, err := st.Session(t.Context(), 7301); err != nil || s.Version != 2 {
		t.Errorf("the session after Redis came back: %+v, %v; want version 2", s, err)
	}
}
