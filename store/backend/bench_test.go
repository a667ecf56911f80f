package backend_test

import (
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"paydesk/store/backend"
	"paydesk/store/sqlite"
)

// benchClient is the client against the reference server over a seeded
// demo ledger, without the contract's validation (that is the tests' job).
func benchClient(b *testing.B) *backend.Client {
	db, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "ledger.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.SeedDemo(b.Context(), time.Now()); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(backend.NewServer(db, backend.WithToken(testToken)))
	b.Cleanup(srv.Close)
	c, err := backend.New(backend.Config{URL: srv.URL, Token: testToken, Now: time.Now})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return c
}

// BenchmarkCustomer is one read over loopback HTTP, connections reused.
func BenchmarkCustomer(b *testing.B) {
	c := benchClient(b)
	for b.Loop() {
		if _, err := c.Customer(b.Context(), 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWithdrawalsParallel is the list a withdrawal card reads, from
// many goroutines at once (many chats).
func BenchmarkWithdrawalsParallel(b *testing.B) {
	c := benchClient(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.Withdrawals(b.Context(), 1, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
}
