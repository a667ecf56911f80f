package storetest

import (
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"paydesk/store"
)

// BenchState measures a State's hot path, the same way for every
// implementation: a session load, a session save, and a group of 64 updates
// committed at once (as 64 workers would, each with a session and a reply).
// open returns a new, empty store.
func BenchState(b *testing.B, open func(b *testing.B) store.State) {
	b.Run("SessionLoad", func(b *testing.B) {
		s := open(b)
		sess := &store.Session{ChatID: 1, CustomerID: 3, Language: "en", Flow: "withdrawal", Step: "card",
			Data: map[string]string{"id": "42", "page": "0"}, UpdatedAt: base}
		if err := s.SaveSession(b.Context(), sess); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Session(b.Context(), 1); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("SessionSave", func(b *testing.B) {
		s := open(b)
		sess := &store.Session{ChatID: 1, CustomerID: 3, Language: "en", Flow: "withdrawal", Step: "card",
			Data: map[string]string{"id": "42", "page": "0"}, UpdatedAt: base}
		b.ReportAllocs()
		for b.Loop() {
			if err := s.SaveSession(b.Context(), sess); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("CommitUpdate64", func(b *testing.B) {
		s := open(b)
		const group = 64
		sessions := make([]*store.Session, group)
		for i := range sessions {
			sessions[i] = &store.Session{ChatID: int64(1000 + i), CustomerID: 3, Language: "en", UpdatedAt: base}
		}
		var update atomic.Int64
		b.ReportAllocs()
		for b.Loop() {
			var wg sync.WaitGroup
			for _, sess := range sessions {
				wg.Go(func() {
					id := update.Add(1)
					c := &store.UpdateCommit{UpdateID: id, At: base, FromChat: sess.ChatID, Sessions: []*store.Session{sess},
						Deliveries: []store.Delivery{{ChatID: sess.ChatID, Method: store.DeliverySend, Text: "reply " + strconv.FormatInt(id, 10)}},
						Exchanges: []store.ExchangeLines{{ChatID: sess.ChatID, Keep: 20, Lines: []store.Exchange{
							{At: base, Kind: "text", Text: "pressed"}, {At: base, Bot: true, Kind: "text", Text: "answered"}}}},
						LeaseUntil: base.Add(time.Minute)}
					if _, err := s.CommitUpdate(b.Context(), c); err != nil {
						b.Error(err)
					}
				})
			}
			wg.Wait()
		}
		b.ReportMetric(float64(b.N*group)/b.Elapsed().Seconds(), "updates/s")
	})
}
