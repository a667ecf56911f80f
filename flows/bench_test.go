package flows_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"paydesk/flows"
	"paydesk/store"
	"paydesk/store/sqlite"
)

// BenchmarkFlowStep is one press handled by the engine on a real SQLite
// file: a linked customer opens Withdrawal status from the menu. It loads
// the session and the customer, reads the withdrawals, saves the session
// (one durable commit) and records the exchanges.
func BenchmarkFlowStep(b *testing.B) {
	ctx := context.Background()
	db := openSeeded(b)
	if err := db.SaveSession(ctx, &store.Session{ChatID: chat, CustomerID: 3, Language: "en", UpdatedAt: t0}); err != nil {
		b.Fatal(err)
	}
	engine := flows.New(db, db, flows.WithSecret([]byte("flows-test-secret-0123456789abcdef")), flows.WithClock(func() time.Time { return t0 }))
	menu, err := engine.Handle(ctx, flows.Event{Kind: flows.EventStart, Command: "start", ChatID: chat, UserID: chat, LanguageCode: "en"})
	if err != nil {
		b.Fatal(err)
	}
	var data string
	for _, row := range menu.Replies[0].Screen.Inline {
		for _, btn := range row {
			if strings.HasPrefix(btn.Data, "wd|") {
				data = btn.Data
			}
		}
	}
	if data == "" {
		b.Fatal("no Withdrawal status button on the menu")
	}
	press := flows.Event{Kind: flows.EventAction, Data: data, ChatID: chat, UserID: chat, MessageID: 1, LanguageCode: "en"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := engine.Handle(ctx, press); err != nil {
			b.Fatal(err)
		}
	}
}

// openSeeded opens a new SQLite file with the demo ledger seeded at t0.
func openSeeded(b *testing.B) *sqlite.DB {
	b.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "flows.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.SeedDemo(context.Background(), t0); err != nil {
		b.Fatal(err)
	}
	return db
}
