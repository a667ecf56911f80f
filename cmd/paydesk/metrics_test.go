package main

import (
	"bufio"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"paydesk/bot/telegramtest"
)

// scrape reads /metrics and returns each sample line's value by its name
// and labels as printed ("paydesk_nudges_sent_total",
// `paydesk_updates_total{kind="message",outcome="handled"}`).
func scrape(t *testing.T, addr string) map[string]float64 {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("/metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

// scrapeUntil scrapes addr's /metrics until settled accepts what it read,
// for at most 10 s, and returns the last read.
func scrapeUntil(t *testing.T, addr string, settled func(map[string]float64) bool) map[string]float64 {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		got := scrape(t, addr)
		if settled(got) || time.Now().After(deadline) {
			return got
		}
	}
}

func TestServeExportsMetrics(t *testing.T) {
	api := telegramtest.New(t)
	m := startServe(t, api, filepath.Join(t.TempDir(), "paydesk.db"))
	const chat, blocked = 7501, 7502
	sent := func(n int) []telegramtest.Call {
		return api.WaitCalls(t, n, func(c telegramtest.Call) bool {
			return c.Method == "sendMessage" && c.ChatID() == chat && c.Status == 200
		}, 30*time.Second)
	}
	api.Fail("sendMessage", 1, telegramtest.Fault{Status: 429, RetryAfter: 1})
	start := telegramtest.CommandUpdate(chat, chat, "en", "/start")
	start.ID = 1
	api.PushUpdate(start)
	sent(1)
	if err := m.dispatch.Submit(t.Context(), &start); err != nil { // delivered again
		t.Fatal(err)
	}
	api.PushUpdate(withLang(telegramtest.ContactUpdate(chat, chat, chat, "+447700900001"), "en"))
	sent(3)
	api.PushUpdate(telegramtest.CommandUpdate(chat, chat, "en", "/support"))
	sent(4)
	api.PushBrokenUpdate(`{"message":{"message_id":"not a number","date":0,"chat":{"id":7503,"type":"private"}}}`)
	api.Block(blocked)
	api.PushUpdate(telegramtest.CommandUpdate(blocked, blocked, "cs", "/start"))
	api.WaitCalls(t, 1, func(c telegramtest.Call) bool { return c.ChatID() == blocked && c.Status == 403 }, 30*time.Second)

	want := map[string]float64{
		`paydesk_updates_total{kind="message",outcome="handled"}`:          4,
		`paydesk_updates_total{kind="message",outcome="duplicate"}`:        1,
		`paydesk_updates_total{kind="other",outcome="undecodable"}`:        1,
		`paydesk_update_handling_seconds_count{kind="message"}`:            5,
		`paydesk_botapi_calls_total{method="sendMessage",status="429"}`:    1,
		`paydesk_botapi_retries_total{method="sendMessage",reason="429"}`:  1,
		`paydesk_botapi_calls_total{method="sendMessage",status="403"}`:    1,
		`paydesk_botapi_calls_total{method="sendMessage",status="200"}`:    4,
		`paydesk_botapi_calls_total{method="deleteWebhook",status="200"}`:  1,
		`paydesk_chats_blocked_total`:                                      1,
		`paydesk_tickets_open{language="en"}`:                              1,
		`paydesk_tickets_open{language="ru"}`:                              0,
		`paydesk_outbox_queue_depth`:                                       0,
		`paydesk_nudges_sent_total`:                                        0,
		`paydesk_replies_given_up_total`:                                   0,
		`paydesk_replies_set_aside_total`:                                  0,
		`paydesk_store_operation_seconds_count{op="commit_update"}`:        4,
		`paydesk_store_operation_seconds_count{op="update_handled"}`:       5,
		`paydesk_outbox_wait_seconds_count{priority="interactive"}`:        7,
		`paydesk_update_handling_seconds_bucket{kind="message",le="+Inf"}`: 5,
	}
	// The counters settle once the last reply's bookkeeping is done.
	got := scrapeUntil(t, m.OpsAddr().String(), func(got map[string]float64) bool {
		for k, v := range want {
			if got[k] != v {
				return false
			}
		}
		return true
	})
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("%s = %v (present %v), want %v", k, g, ok, v)
		}
	}
	if _, ok := got["go_goroutines"]; !ok {
		t.Error("no Go runtime metrics")
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get("http://" + m.OpsAddr().String() + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || string(body) != "ok\n" {
			t.Errorf("%s: %d %q", path, resp.StatusCode, body)
		}
	}
}

// TestServeTimesTheNudgeJob: the nudge job's store and ledger calls are in
// paydesk_store_operation_seconds, from the tick serve runs at its start.
func TestServeTimesTheNudgeJob(t *testing.T) {
	api := telegramtest.New(t)
	m := startServe(t, api, filepath.Join(t.TempDir(), "paydesk.db"), func(c *Config) { c.Tick = time.Hour })
	ops := []string{"due_nudges", "ledger_open_withdrawals_changed", "schedule_nudges"}
	got := scrapeUntil(t, m.OpsAddr().String(), func(got map[string]float64) bool {
		for _, op := range ops {
			if got[`paydesk_store_operation_seconds_count{op="`+op+`"}`] < 1 {
				return false
			}
		}
		return true
	})
	for _, op := range ops {
		if n := got[`paydesk_store_operation_seconds_count{op="`+op+`"}`]; n < 1 {
			t.Errorf("%s timed %v times after a tick, want at least once", op, n)
		}
	}
}
