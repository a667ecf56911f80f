package backend_test

import (
	"errors"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"paydesk/store"
	"paydesk/store/backend"
	"paydesk/store/sqlite"
	"paydesk/store/storetest"
)

const testToken = "test-ledger-token"

// rig is the reference server over a SQLite demo ledger in a temporary
// file, behind the contract's validation, on a real loopback port.
type rig struct {
	db     *sqlite.DB
	check  *validating
	server *httptest.Server
}

func newRig(t testing.TB) *rig {
	t.Helper()
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r := &rig{db: db}
	r.check = newValidating(t, backend.NewServer(db, backend.WithToken(testToken)))
	r.server = httptest.NewServer(r.check)
	t.Cleanup(r.server.Close)
	return r
}

func (r *rig) client(t testing.TB, cfg backend.Config) *backend.Client {
	t.Helper()
	if cfg.URL == "" {
		cfg.URL = r.server.URL
	}
	cfg.Token = testToken
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c, err := backend.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// httpLedger is the client, with the SQLite ledger behind the server as
// the fixture the suite fills rows through.
type httpLedger struct {
	*backend.Client
	storetest.LedgerFixture
	storetest.RefundFixture
	storetest.StageFixture
}

// TestLedger runs the Ledger conformance suite through the client, over
// real HTTP, against the reference server; every request and response is
// checked against openapi.yaml.
func TestLedger(t *testing.T) {
	storetest.RunLedger(t, func(t *testing.T) store.Ledger {
		r := newRig(t)
		return httpLedger{Client: r.client(t, backend.Config{}), LedgerFixture: r.db, RefundFixture: r.db, StageFixture: r.db}
	})
}

func TestWrongToken(t *testing.T) {
	r := newRig(t)
	c, err := backend.New(backend.Config{URL: r.server.URL, Token: "wrong", Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Customer(t.Context(), 1)
	if !errors.Is(err, store.ErrUnavailable) || errors.Is(err, store.ErrNotFound) {
		t.Fatalf("wrong token: %v, want ErrUnavailable", err)
	}
	if n := r.check.count("getCustomer"); n != 1 {
		t.Errorf("a 401 was asked %d times, want once (not retried)", n)
	}
}
