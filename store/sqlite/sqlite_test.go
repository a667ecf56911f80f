package sqlite_test

import (
	"errors"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"paydesk/store"
	"paydesk/store/sqlite"
	"paydesk/store/storetest"
)

// openTemp opens a new database file in the test's temporary directory.
func openTemp(t testing.TB) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "paydesk.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return db
}

func closeOnCleanup(t testing.TB, db *sqlite.DB) *sqlite.DB {
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

// Without the fixture the suite would skip its customer and ledger tests.
var _ storetest.LedgerFixture = (*sqlite.DB)(nil)

func TestStateConformance(t *testing.T) {
	storetest.RunState(t, func(t *testing.T) store.State { return openTemp(t) })
}

func TestLedgerConformance(t *testing.T) {
	storetest.RunLedger(t, func(t *testing.T) store.Ledger { return openTemp(t) })
}

func TestOpenRefusesMemory(t *testing.T) {
	for _, path := range []string{"", ":memory:", "file::memory:?cache=shared"} {
		if db, err := sqlite.Open(t.Context(), path); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded; each pooled connection would get its own database", path)
		}
	}
}

// TestConcurrentSaveSession hammers a few chats from many goroutines, each
// doing read-modify-write with a retry on conflict, as per-chat workers on
// several replicas would. Every error but ErrConflict (SQLITE_BUSY above
// all) fails the test, and no increment may be lost.
func TestConcurrentSaveSession(t *testing.T) {
	db := closeOnCleanup(t, openTemp(t))
	ctx := t.Context()
	const (
		workers    = 24
		increments = 15
		chats      = 3
	)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			chat := int64(w % chats)
			for i := 0; i < increments; {
				s, err := db.Session(ctx, chat)
				if err != nil {
					t.Errorf("worker %d: Session: %v", w, err)
					return
				}
				n, _ := strconv.Atoi(s.Data["n"])
				s.Data = map[string]string{"n": strconv.Itoa(n + 1)}
				s.UpdatedAt = time.Unix(int64(n), 0)
				switch err := db.SaveSession(ctx, &s); {
				case err == nil:
					i++
				case !errors.Is(err, store.ErrConflict):
					t.Errorf("worker %d: SaveSession: %v", w, err)
					return
				}
			}
		})
	}
	wg.Wait()
	for chat := range int64(chats) {
		s, err := db.Session(ctx, chat)
		if err != nil {
			t.Fatalf("Session(%d): %v", chat, err)
		}
		want := workers / chats * increments
		if s.Version != int64(want) || s.Data["n"] != strconv.Itoa(want) {
			t.Errorf("chat %d: Version %d, n %s; want %d saves", chat, s.Version, s.Data["n"], want)
		}
	}
}

// TestConcurrentOpenAndSeed opens one new file from several handles at once
// (as replicas starting together would) and seeds it from all of them: the
// migrations and the seed check-then-write inside their transactions, so
// each must happen exactly once and no handle may see SQLITE_BUSY.
func TestConcurrentOpenAndSeed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "paydesk.db")
	now := time.Date(2025, 11, 23, 10, 0, 0, 0, time.UTC)
	const handles = 6
	var wg sync.WaitGroup
	for i := range handles {
		wg.Go(func() {
			db, err := sqlite.Open(t.Context(), path)
			if err != nil {
				t.Errorf("handle %d: Open: %v", i, err)
				return
			}
			defer db.Close()
			if err := db.SeedDemo(t.Context(), now); err != nil {
				t.Errorf("handle %d: SeedDemo: %v", i, err)
			}
		})
	}
	wg.Wait()
	db := closeOnCleanup(t, openTemp(t))
	if err := db.SeedDemo(t.Context(), now); err != nil {
		t.Fatal(err)
	}
	_, want, err := db.Transfers(t.Context(), 1, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	shared := closeOnCleanup(t, mustOpen(t, path))
	if _, got, err := shared.Transfers(t.Context(), 1, 0, 0); err != nil || got != want {
		t.Errorf("after concurrent seeds customer 1 has %d transfers, %v; want %d (seeded once)", got, err, want)
	}
}

func mustOpen(t *testing.T, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func BenchmarkSaveSession(b *testing.B) {
	db := closeOnCleanup(b, openTemp(b))
	ctx := b.Context()
	s := store.Session{ChatID: 1, CustomerID: 1, Language: "ru", Flow: "cancel", Step: "confirm",
		Data: map[string]string{"transfer": "101", "page": "2"}}
	var n int64
	for b.Loop() {
		n++
		s.UpdatedAt = time.Unix(n, 0)
		if err := db.SaveSession(ctx, &s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarkUpdate(b *testing.B) {
	db := closeOnCleanup(b, openTemp(b))
	ctx := b.Context()
	var id int64
	for b.Loop() {
		id++
		if first, err := db.MarkUpdate(ctx, id, time.Unix(id, 0)); err != nil || !first {
			b.Fatal(first, err)
		}
	}
}

func BenchmarkState(b *testing.B) {
	storetest.BenchState(b, func(b *testing.B) store.State { return closeOnCleanup(b, openTemp(b)) })
}
