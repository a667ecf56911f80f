package bot_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"paydesk/bot"
	"paydesk/bot/telegramtest"
	"paydesk/store"
)

func TestWebhookRefusesRequestsWithoutTheSecret(t *testing.T) {
	r := newRig(t, rigConfig{})
	u := withID(telegramtest.CommandUpdate(501, 501, "en", "/start"), 100)
	for _, secret := range []string{"", "wrong-secret-0123456789", webhookSecret + "x", strings.ToUpper(webhookSecret)} {
		if resp := r.post(u, secret); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("secret %q: status %d, want 401", secret, resp.StatusCode)
		}
	}
	// No effect: nothing sent, the update not marked, the session untouched.
	r.close()
	if calls := r.api.Calls(); len(calls) != 0 {
		t.Errorf("calls after refused requests: %v", calls)
	}
	if handled, _ := r.db.UpdateHandled(t.Context(), 100); handled {
		t.Error("a refused update was marked handled")
	}
	if s := r.session(t, 501); s.Version != 0 {
		t.Errorf("a refused update saved the session: %+v", s)
	}
}

func TestWebhookAnswersAfterHandling(t *testing.T) {
	r := newRig(t, rigConfig{})
	for _, body := range []any{"not an update", map[string]any{"message": "x"}, map[string]any{"update_id": 0}} {
		if resp := r.post(body, webhookSecret); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("body %v: status %d, want 400", body, resp.StatusCode)
		}
	}
	u := withID(telegramtest.CommandUpdate(502, 502, "en", "/start"), 101)
	if resp := r.post(u, webhookSecret); resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200", resp.StatusCode)
	}
	// By the time Telegram has its 200, the update is committed.
	if handled, _ := r.db.UpdateHandled(t.Context(), 101); !handled {
		t.Error("200 before the update was marked")
	}
	if s := r.session(t, 502); s.Version != 1 {
		t.Errorf("200 before the session was saved: %+v", s)
	}
	r.waitSent(t, 502, 1)

	get := func(path string) int {
		rec := httptest.NewRecorder()
		r.webhook.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec.Code
	}
	if code := get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz %d", code)
	}
	if code := get("/readyz"); code != http.StatusOK {
		t.Errorf("/readyz %d", code)
	}

	// The store is gone: not ready, and an update is answered 500 so that
	// Telegram delivers it again.
	r.db.Close()
	if code := get("/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the store closed: %d, want 503", code)
	}
	if code := get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz with the store closed: %d, want 200 (the process is alive)", code)
	}
	u = withID(telegramtest.CommandUpdate(502, 502, "en", "/help"), 102)
	if resp := r.post(u, webhookSecret); resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("with the store closed: status %d, want 500", resp.StatusCode)
	}
}

// TestSameUpdateByWebhookAndPolling delivers one update to two replicas
// over one database at once, one by webhook and one by long polling, then
// once more to each: one effect.
func TestSameUpdateByWebhookAndPolling(t *testing.T) {
	api := telegramtest.New(t)
	path := filepath.Join(t.TempDir(), "paydesk.db")
	polling := newRig(t, rigConfig{api: api, dbPath: path})
	hooked := newRig(t, rigConfig{api: api, dbPath: path})
	const chat = 503
	for i, text := range []string{"/start", "/help", "hello"} {
		u := telegramtest.CommandUpdate(chat, chat, "en", text)
		u.ID = api.PushUpdate(u)
		var wg sync.WaitGroup
		wg.Go(func() {
			if resp := hooked.post(u, webhookSecret); resp.StatusCode != http.StatusOK {
				t.Errorf("webhook: status %d", resp.StatusCode)
			}
		})
		if i == 0 {
			polling.poll(t)
		}
		wg.Wait()
		bot.Eventually(t, "polling to confirm the update", func() bool { return api.Confirmed() > u.ID })
		// And a late redelivery to each.
		if resp := hooked.post(u, webhookSecret); resp.StatusCode != http.StatusOK {
			t.Errorf("redelivery by webhook: status %d", resp.StatusCode)
		}
		if err := polling.dispatch.Submit(t.Context(), &u); err != nil {
			t.Errorf("redelivery by polling: %v", err)
		}
	}
	hooked.close()
	polling.close()
	if got := polling.sent(chat); len(got) != 3 {
		t.Errorf("%d replies to 3 updates each delivered 4 times, want 3:\n%s", len(got), strings.Join(got, "\n---\n"))
	}
	if s := polling.session(t, chat); s.Version != 3 {
		t.Errorf("session version %d after 3 updates, want 3", s.Version)
	}
}

// flakyStore fails UpdateHandled while failing is set, as a store that is
// briefly unreachable.
type flakyStore struct {
	store.State
	failing atomic.Bool
	tries   atomic.Int32
}

func (f *flakyStore) UpdateHandled(ctx context.Context, id int64) (bool, error) {
	if f.failing.Load() {
		f.tries.Add(1)
		return false, errors.New("store unreachable")
	}
	return f.State.UpdateHandled(ctx, id)
}

func TestPollingConfirmsOnlyHandledUpdates(t *testing.T) {
	flaky := &flakyStore{}
	flaky.failing.Store(true)
	r := newRig(t, rigConfig{wrap: func(s store.State) store.State { flaky.State = s; return flaky }})
	id := r.api.PushUpdate(telegramtest.CommandUpdate(504, 504, "en", "/start"))
	r.poll(t)
	// It is tried, fails, and is fetched again: never confirmed meanwhile.
	bot.Eventually(t, "two failed tries", func() bool { return flaky.tries.Load() >= 2 })
	if c := r.api.Confirmed(); c > id {
		t.Fatalf("offset %d confirmed update %d, which failed", c, id)
	}
	if off, _ := r.db.PollOffset(t.Context()); off > id {
		t.Fatalf("stored offset %d passes update %d, which failed", off, id)
	}
	flaky.failing.Store(false)
	r.waitSent(t, 504, 1)
	bot.Eventually(t, "the offset stored", func() bool {
		off, _ := r.db.PollOffset(t.Context())
		return off == id+1
	})
}

// An update the client cannot decode is skipped, logged with its id and
// counted; the updates behind it, of every chat, are handled.
func TestPollingSkipsAnUndecodableUpdate(t *testing.T) {
	r := newRig(t, rigConfig{})
	r.api.PushUpdate(telegramtest.CommandUpdate(505, 505, "en", "/start"))
	bad := r.api.PushBrokenUpdate(`{"message":{"message_id":"not a number","date":0,"chat":{"id":506,"type":"private"}}}`)
	after := r.api.PushUpdate(telegramtest.CommandUpdate(507, 507, "en", "/start"))
	p := r.poll(t)
	r.waitSent(t, 505, 1)
	r.waitSent(t, 507, 1)
	bot.Eventually(t, "the offset past every update", func() bool {
		off, _ := r.db.PollOffset(t.Context())
		return off == after+1
	})
	if n := p.Undecodable.Load(); n != 1 {
		t.Errorf("%d undecodable updates counted, want 1", n)
	}
	if logs := r.logs.String(); !strings.Contains(logs, "update="+strconv.FormatInt(bad, 10)) || !strings.Contains(logs, "undecodable") {
		t.Errorf("the skipped update %d is not logged with its id:\n%s", bad, logs)
	}
}
