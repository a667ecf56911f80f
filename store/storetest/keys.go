package storetest

import (
	"fmt"
	"testing"
	"time"

	"paydesk/store"
)

// testIdempotencyKeys: a write asked again with its key has the effect of
// one, even when the ledger's own rule alone would allow a second (a new
// request once the first is closed).
func testIdempotencyKeys(t *testing.T, s store.Ledger) {
	ctx := t.Context()
	first, created, err := s.RequestCancellation(ctx, "confirm-update-7", toTereza, base)
	if err != nil || !created {
		t.Fatalf("RequestCancellation: %+v created=%v err=%v", first, created, err)
	}
	if _, changed, err := s.ResolveCancellation(ctx, "answer-update-8", first.ID, store.CancellationDeclined, base.Add(time.Hour)); err != nil || !changed {
		t.Fatalf("ResolveCancellation: changed=%v err=%v", changed, err)
	}
	again, created, err := s.RequestCancellation(ctx, "confirm-update-7", toTereza, base.Add(2*time.Hour))
	if err != nil || created || again.ID != first.ID {
		t.Fatalf("RequestCancellation replayed with its key after the request closed = %+v created=%v err=%v; want request %d back, nothing created",
			again, created, err, first.ID)
	}
	if again.Status != store.CancellationDeclined {
		t.Errorf("replayed request status %q, want it as it is now (declined)", again.Status)
	}
	if _, changed, err := s.ResolveCancellation(ctx, "answer-update-8", first.ID, store.CancellationDeclined, base.Add(3*time.Hour)); err != nil || changed {
		t.Fatalf("ResolveCancellation replayed: changed=%v err=%v; want no change", changed, err)
	}
	d := fixtureDispute()
	one, created, err := s.CreateDispute(ctx, "dispute-update-9", d)
	if err != nil || !created {
		t.Fatalf("CreateDispute: created=%v err=%v", created, err)
	}
	two, created, err := s.CreateDispute(ctx, "dispute-update-9", d)
	if err != nil || created || two.ID != one.ID {
		t.Fatalf("CreateDispute replayed: %+v created=%v err=%v; want dispute %d back", two, created, err, one.ID)
	}
}

// testDeliveryKeys: a keyed delivery is stored by the first commit that
// owes it and dropped from every later one; unkeyed deliveries beside it
// are stored as usual.
func testDeliveryKeys(t *testing.T, s store.State) {
	ctx := t.Context()
	commit := func(update int64, ds ...store.Delivery) []store.Delivery {
		t.Helper()
		c := &store.UpdateCommit{UpdateID: update, At: base, Deliveries: ds, LeaseUntil: base}
		first, err := s.CommitUpdate(ctx, c)
		if err != nil || !first {
			t.Fatalf("CommitUpdate(%d): first=%v err=%v", update, first, err)
		}
		for _, d := range c.Deliveries {
			if d.ID == 0 {
				t.Fatalf("CommitUpdate(%d) left a delivery without an id: %+v", update, d)
			}
		}
		return c.Deliveries
	}
	ask := store.Delivery{ChatID: 200, Method: store.DeliverySend, Text: "asked", Key: "cancel.ask:5:200"}
	reply := store.Delivery{ChatID: 100, Method: store.DeliverySend, Text: "reply"}
	if got := commit(1, reply, ask); len(got) != 2 || got[0].Text != "reply" || got[1].Key != ask.Key {
		t.Fatalf("first commit stored %+v, want the reply and the keyed delivery", got)
	}
	if got := commit(2, reply, ask); len(got) != 1 || got[0].Text != "reply" {
		t.Fatalf("second commit stored %+v, want only the unkeyed reply", got)
	}
	// A tick (no update) owes it too: still dropped.
	tick := &store.UpdateCommit{At: base, Deliveries: []store.Delivery{ask}, LeaseUntil: base}
	if _, err := s.CommitUpdate(ctx, tick); err != nil || len(tick.Deliveries) != 0 {
		t.Fatalf("tick commit: %+v, %v; want the keyed delivery dropped", tick.Deliveries, err)
	}
	// Another chat's key is its own.
	other := ask
	other.ChatID, other.Key = 201, "cancel.ask:5:201"
	if got := commit(3, other); len(got) != 1 {
		t.Fatalf("other chat's key: stored %+v", got)
	}
	if got := len(claimAll(t, s, base.Add(time.Second))); got != 4 {
		t.Fatalf("%d deliveries in the journal, want 4 (reply twice, each key once)", got)
	}
	// A commit that loses the race for its update stores nothing, and does
	// not use up the key either.
	fresh := store.Delivery{ChatID: 202, Method: store.DeliverySend, Text: "asked", Key: "cancel.ask:5:202"}
	dup := &store.UpdateCommit{UpdateID: 1, At: base, Deliveries: []store.Delivery{fresh}, LeaseUntil: base}
	if first, err := s.CommitUpdate(ctx, dup); err != nil || first {
		t.Fatalf("duplicate commit: first=%v err=%v", first, err)
	}
	if got := commit(4, fresh); len(got) != 1 {
		t.Fatalf("key of a lost commit was used up: stored %+v", got)
	}
}

// testDeliveryKeysRace: the same redelivered update handled on several
// replicas at once, each owing the same keyed message under its own update
// id (as happens after a lost commit): the message is stored once.
func testDeliveryKeysRace(t *testing.T, s store.State) {
	const n = 8
	stored := make([]int, n)
	errs := make([]error, n)
	done := make(chan int)
	for i := range n {
		go func() {
			c := &store.UpdateCommit{UpdateID: int64(100 + i), At: base, LeaseUntil: base,
				Deliveries: []store.Delivery{{ChatID: 300, Method: store.DeliverySend, Text: fmt.Sprint(i), Key: "told:9:300"}}}
			_, errs[i] = s.CommitUpdate(t.Context(), c)
			stored[i] = len(c.Deliveries)
			done <- i
		}()
	}
	total := 0
	for range n {
		i := <-done
		if errs[i] != nil {
			t.Errorf("commit %d: %v", i, errs[i])
		}
		total += stored[i]
	}
	if total != 1 {
		t.Fatalf("%d concurrent commits stored the keyed delivery %d times, want once", n, total)
	}
}

// testDeliveryKeysJoined: a delivery owed for several effects (a tick's
// folded nudges) records all its keys or none. Two replicas folded
// overlapping nudges differently: the second's message is dropped whole,
// and the key only it owed stays unrecorded, so that nudge is owed again
// rather than lost or sent twice.
func testDeliveryKeysJoined(t *testing.T, s store.State) {
	ctx := t.Context()
	commit := func(key string) int {
		t.Helper()
		c := &store.UpdateCommit{At: base, LeaseUntil: base,
			Deliveries: []store.Delivery{{ChatID: 400, Method: store.DeliverySend, Text: key, Key: key}}}
		if _, err := s.CommitUpdate(ctx, c); err != nil {
			t.Fatalf("CommitUpdate(%q): %v", key, err)
		}
		return len(c.Deliveries)
	}
	keyed := func(key string) bool {
		t.Helper()
		seen, err := s.DeliveryKeyed(ctx, key)
		if err != nil {
			t.Fatalf("DeliveryKeyed(%q): %v", key, err)
		}
		return seen
	}
	a, b, c := "nudge:w:201:approval", "nudge:w:202:processing", "nudge:w:203:approval"
	if keyed(a) {
		t.Fatalf("DeliveryKeyed(%q) before any commit", a)
	}
	if n := commit(a); n != 1 {
		t.Fatalf("first replica's message (%s) stored %d times", a, n)
	}
	if n := commit(store.JoinKeys(b, a)); n != 0 {
		t.Fatalf("a message for %s and %s was stored though %s was committed before", b, a, a)
	}
	if keyed(b) {
		t.Fatalf("the dropped message recorded %s: that nudge would be lost", b)
	}
	if n := commit(store.JoinKeys(b, c)); n != 1 {
		t.Fatalf("a message for %s and %s, neither committed, stored %d times", b, c, n)
	}
	for _, k := range []string{a, b, c} {
		if !keyed(k) {
			t.Errorf("DeliveryKeyed(%q) = false after its commit", k)
		}
	}
	if n := commit(c); n != 0 {
		t.Fatalf("%s alone stored again after it was committed within a joined key", c)
	}
	if keyed(store.JoinKeys(b, c)) {
		t.Errorf("DeliveryKeyed of a joined key: want only its parts recorded")
	}
}
