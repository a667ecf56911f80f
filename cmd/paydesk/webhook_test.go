package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"paydesk/bot/telegramtest"
)

const testWebhookSecret = "serve-webhook-secret-0123456789"

func TestServeInWebhookMode(t *testing.T) {
	api := telegramtest.New(t)
	m := startServeWithEnv(t, map[string]string{
		"PAYDESK_TELEGRAM_TOKEN":          telegramtest.Token,
		"PAYDESK_TELEGRAM_API_URL":        api.URL(),
		"PAYDESK_DB":                      filepath.Join(t.TempDir(), "paydesk.db"),
		"PAYDESK_DEMO":                    "1",
		"PAYDESK_SECRET":                  testSecret,
		"PAYDESK_WEBHOOK_URL":             "https://bot.example.com/telegram/hook",
		"PAYDESK_WEBHOOK_LISTEN":          "127.0.0.1:0",
		"PAYDESK_HTTP_LISTEN":             "127.0.0.1:0",
		"PAYDESK_WEBHOOK_SECRET":          testWebhookSecret,
		"PAYDESK_WEBHOOK_MAX_CONNECTIONS": "20",
	})

	set := api.CallsTo("setWebhook")
	if len(set) != 1 {
		t.Fatalf("%d setWebhook calls, want 1", len(set))
	}
	p := set[0].Params
	if p["url"] != m.Config.WebhookURL || p["secret_token"] != testWebhookSecret || p["max_connections"] != int64(20) {
		t.Errorf("setWebhook %v", p)
	}
	// Edits reach support as marked notes, so they are asked for too.
	if allowed, _ := p["allowed_updates"].([]any); len(allowed) != 3 || allowed[0] != "message" || allowed[1] != "edited_message" || allowed[2] != "callback_query" {
		t.Errorf("allowed_updates %v, want message, edited_message and callback_query", p["allowed_updates"])
	}
	if n := len(api.CallsTo("getUpdates")); n != 0 {
		t.Errorf("%d getUpdates calls in webhook mode", n)
	}

	base := "http://" + m.Addr().String()
	post := func(path, secret string, body any) int {
		data, _ := json.Marshal(body)
		req, _ := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(data))
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	u := telegramtest.CommandUpdate(7201, 7201, "en", "/start")
	u.ID = 1
	if code := post("/telegram/hook", "nope-nope-nope-nope", u); code != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d", code)
	}
	if code := post("/telegram/hook", testWebhookSecret, u); code != http.StatusOK {
		t.Errorf("update: %d", code)
	}
	api.WaitCalls(t, 1, func(c telegramtest.Call) bool { return c.Method == "sendMessage" && c.ChatID() == 7201 }, 30*time.Second)
	if code := post("/elsewhere", testWebhookSecret, u); code != http.StatusNotFound {
		t.Errorf("another path: %d", code)
	}
	// The webhook's listener is the public one: no metrics there.
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the webhook's listener: %d, want 404", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/telegram/hook", bytes.NewReader([]byte(`{"update_id":`)))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", testWebhookSecret)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a body that is not an update: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if n := scrape(t, m.OpsAddr().String())[`paydesk_updates_total{kind="other",outcome="undecodable"}`]; n != 1 {
		t.Errorf("undecodable webhook bodies counted: %v, want 1", n)
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
}

func TestServePollingDeletesTheWebhookFirst(t *testing.T) {
	api := telegramtest.New(t)
	startServe(t, api, filepath.Join(t.TempDir(), "paydesk.db"))
	// Run calls deleteWebhook before it starts polling (a long poll is
	// recorded by the fake only when it returns).
	del := api.CallsTo("deleteWebhook")
	if len(del) != 1 {
		t.Fatalf("%d deleteWebhook calls by the time serve runs, want 1", len(del))
	}
	if drop, ok := del[0].Params["drop_pending_updates"]; ok && drop != false {
		t.Errorf("deleteWebhook drops pending updates: %v", del[0].Params)
	}
}

// startServeWithEnv runs serve's Main with env as its whole environment until the
// test ends.
func startServeWithEnv(t *testing.T, env map[string]string) *Main {
	t.Helper()
	cfg, err := loadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	m := &Main{Config: cfg, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := m.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}
