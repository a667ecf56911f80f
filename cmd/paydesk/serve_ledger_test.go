package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"paydesk/bot/telegramtest"
	"paydesk/store/backend"
	"paydesk/store/sqlite"
)

// TestServeAgainstABackend: with PAYDESK_LEDGER_URL serve reads customers
// from the backend (its own database has no ledger at all), and with
// PAYDESK_BACKEND_EVENTS_SECRET its listener takes the backend's events.
func TestServeAgainstABackend(t *testing.T) {
	ledger, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ledger.Close()
	if err := ledger.SeedDemo(t.Context(), time.Now()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(backend.NewServer(ledger, backend.WithToken("serve-ledger-token")))
	defer srv.Close()

	const eventsSecret = "serve-events-secret-0123456789abcdef"
	api := telegramtest.New(t)
	m := &Main{
		Config: Config{Token: telegramtest.Token, APIURL: api.URL(), DB: filepath.Join(t.TempDir(), "bot.db"),
			Secret: testSecret, SessionTTL: time.Hour, HTTPListen: "127.0.0.1:0", Workers: 4,
			Ledger: LedgerConfig{URL: srv.URL, Token: "serve-ledger-token", Timeout: time.Second, EventsSecret: eventsSecret}},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()

	const chat = 7101
	api.PushUpdate(withLang(telegramtest.ContactUpdate(chat, chat, chat, "+77010000001"), "ru"))
	got := api.WaitCalls(t, 1, func(c telegramtest.Call) bool { return c.Method == "sendMessage" && c.ChatID() == chat }, 10*time.Second)
	if !strings.Contains(got[0].Text(), "Айгерим") {
		t.Fatalf("linking through the backend: %q", got[0].Text())
	}

	body, _ := json.Marshal(map[string]any{"id": "serve-1", "type": "return_request.refused", "customer_id": 1,
		"sent_at": time.Now().Format(time.RFC3339), "occurred_at": time.Now().Format(time.RFC3339),
		"data": map[string]any{"return_request_id": 999999}})
	post := func(sig string) int {
		// While polling the events come to the internal listener.
		req, _ := http.NewRequest(http.MethodPost, "http://"+m.OpsAddr().String()+"/backend/events", bytes.NewReader(body))
		req.Header.Set(backend.SignatureHeader, sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("sha256=00"); code != http.StatusUnauthorized {
		t.Errorf("unsigned event: %d, want 401", code)
	}
	if code := post(backend.Sign([]byte(eventsSecret), body)); code != http.StatusOK {
		t.Errorf("signed event about an unknown return request: %d, want 200 (nothing to tell)", code)
	}
}
