package backend_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"paydesk/store"
	"paydesk/store/backend"
)

// TestCircuitOpensAndCloses: after enough unavailable calls the client
// stops asking the backend, answers busy at once, and asks again after the
// cooldown.
func TestCircuitOpensAndCloses(t *testing.T) {
	var asked atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer srv.Close()
	now := time.Unix(1_800_000_000, 0)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	c, err := backend.New(backend.Config{URL: srv.URL, Attempts: 1, BreakerThreshold: 3, BreakerCooldown: time.Minute, Now: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for range 10 {
		if _, err := c.Customer(context.Background(), 1); !errors.Is(err, store.ErrUnavailable) {
			t.Fatalf("Customer: %v, want ErrUnavailable", err)
		}
	}
	if n := asked.Load(); n != 3 {
		t.Fatalf("backend asked %d times in 10 calls, want 3 (then the circuit is open)", n)
	}
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	c.Customer(context.Background(), 1)
	c.Customer(context.Background(), 1)
	if n := asked.Load(); n != 4 {
		t.Fatalf("after the cooldown the backend was asked %d times in all, want one probe (4)", n)
	}
}
