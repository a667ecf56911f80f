package metrics_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"paydesk/bot/metrics"
)

func TestHandlerServesTheTextFormat(t *testing.T) {
	m := metrics.New()
	m.Update("message", metrics.Handled, 30*time.Millisecond)
	m.APICall("sendMessage", "429")
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`paydesk_updates_total{kind="message",outcome="handled"} 1`,
		`paydesk_update_handling_seconds_bucket{kind="message",le="0.05"} 1`,
		`paydesk_botapi_calls_total{method="sendMessage",status="429"} 1`,
		"# HELP paydesk_nudges_sent_total",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// BenchmarkUpdateHooks is the cost the hooks add to one update with one
// reply: the update counted and timed, one store operation, one Bot API
// call with its rate-limit wait.
func BenchmarkUpdateHooks(b *testing.B) {
	m := metrics.New()
	for b.Loop() {
		m.Update("message", metrics.Handled, 3*time.Millisecond)
		m.StoreOp("commit_update", time.Millisecond)
		m.OutboxWait("interactive", 0)
		m.APICall("sendMessage", "200")
	}
}
