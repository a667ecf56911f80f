package redis_test

import (
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"paydesk/store"
	"paydesk/store/redis"
	"paydesk/store/redis/redistest"
	"paydesk/store/storetest"
)

// prefixes makes each opened store empty: a new key prefix on the same
// server.
var prefixes atomic.Int64

func openOn(t testing.TB, url string) *redis.Store {
	t.Helper()
	s, err := redis.Open(t.Context(), url, redis.Options{Prefix: fmt.Sprintf("t%d", prefixes.Add(1))})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestStateConformance(t *testing.T) {
	srv := redistest.Start(t)
	storetest.RunState(t, func(t *testing.T) store.State { return openOn(t, srv.URL()) })
}

// TestStateConformanceCluster runs the suite on a three-node Redis
// Cluster: a script or MULTI whose keys span two slots fails there with
// CROSSSLOT, so this proves the key layout keeps each in one slot.
func TestStateConformanceCluster(t *testing.T) {
	c := redistest.StartCluster(t)
	storetest.RunState(t, func(t *testing.T) store.State { return openOn(t, c.URL()) })
}

// TestSessionMemory measures an idle session (linked, a language chosen,
// back at the menu) with MEMORY USAGE and holds it under 512 bytes, the
// budget that keeps a million idle chats under half a gigabyte.
func TestSessionMemory(t *testing.T) {
	srv := redistest.Start(t)
	s := openOn(t, srv.URL())
	defer s.Close()
	const chat = 5_123_456_789 // a realistic Telegram user id
	sess := store.Session{ChatID: chat, CustomerID: 1_000_042, Language: "ru", ClientLanguage: "ru",
		UpdatedAt: time.Date(2026, 12, 1, 21, 0, 0, 123456789, time.UTC)}
	if err := s.SaveSession(t.Context(), &sess); err != nil {
		t.Fatal(err)
	}
	n, err := s.Client().MemoryUsage(t.Context(), s.SessionKey(chat), 0).Result()
	if err != nil {
		t.Fatalf("MEMORY USAGE: %v", err)
	}
	raw, _ := s.Client().Get(t.Context(), s.SessionKey(chat)).Result()
	t.Logf("idle session: MEMORY USAGE %d bytes (key %q, value %d bytes: %s)", n, s.SessionKey(chat), len(raw), raw)
	if n >= 512 {
		t.Errorf("an idle session takes %d bytes, want < 512", n)
	}

	// All it costs, with its expiry and its entry in the customer index:
	// used_memory grown by many more like it, per session.
	const more = 5000
	before := usedMemory(t, s)
	for i := range int64(more) {
		sess := sess
		sess.ChatID, sess.CustomerID, sess.Version = chat+1+i, 2_000_000+store.CustomerID(i), 0
		if err := s.SaveSession(t.Context(), &sess); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d more idle linked sessions: used_memory +%d bytes each, index and expiry included", more, (usedMemory(t, s)-before)/more)
}

func usedMemory(t *testing.T, s *redis.Store) int64 {
	t.Helper()
	info, err := s.Client().Info(t.Context(), "memory").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "used_memory:"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no used_memory in INFO memory")
	return 0
}

// BenchmarkState runs storetest's State benchmarks (session load and save,
// a group commit of 64 updates) on a real redis-server, as store/sqlite
// runs them on a file, so the two can be read side by side.
func BenchmarkState(b *testing.B) {
	srv := redistest.Start(b)
	storetest.BenchState(b, func(b *testing.B) store.State {
		s := openOn(b, srv.URL())
		b.Cleanup(func() { s.Close() })
		return s
	})
}

// BenchmarkCommitUpdate measures one update's commit round trip: the
// update mark, the chat's session with compare-and-swap, and two replies.
func BenchmarkCommitUpdate(b *testing.B) {
	srv := redistest.Start(b)
	s := openOn(b, srv.URL())
	defer s.Close()
	at := time.Date(2026, 12, 1, 21, 0, 0, 0, time.UTC)
	sess := &store.Session{ChatID: 5_123_456_789, CustomerID: 42, Language: "cs", Flow: "withdrawal", Step: "card",
		Data: map[string]string{"w": "31"}, UpdatedAt: at}
	b.ResetTimer()
	for i := range b.N {
		c := &store.UpdateCommit{UpdateID: int64(i + 1), At: at, FromChat: sess.ChatID, Sessions: []*store.Session{sess},
			LeaseUntil: at.Add(time.Minute), Deliveries: []store.Delivery{
				{ChatID: sess.ChatID, Method: store.DeliveryEdit, MessageID: 77, Text: "<b>Výběr 15 000 Kč</b> na kartu *4417", Markup: `{"inline_keyboard":[]}`},
				{ChatID: sess.ChatID, Method: store.DeliverySend, Text: "Čeká na schválení"},
			}}
		if first, err := s.CommitUpdate(b.Context(), c); err != nil || !first {
			b.Fatalf("CommitUpdate: %v %v", first, err)
		}
	}
}
