package storetest

import (
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"paydesk/store"
)

// reply is a delivery as a handled update would owe it.
func reply(chatID int64, text string) store.Delivery {
	return store.Delivery{ChatID: chatID, Method: store.DeliverySend, Text: text, Markup: `{"remove_keyboard":true}`}
}

// claimAll claims every delivery whose lease ran out by now.
func claimAll(t *testing.T, s store.State, now time.Time) []store.Delivery {
	t.Helper()
	list, err := s.ClaimDeliveries(t.Context(), now, now.Add(time.Minute), 100)
	if err != nil {
		t.Fatalf("ClaimDeliveries: %v", err)
	}
	return list
}

func testCommitUpdate(t *testing.T, s store.State) {
	ctx := t.Context()
	if handled, err := s.UpdateHandled(ctx, 500); err != nil || handled {
		t.Fatalf("UpdateHandled(500) before any commit = %v, %v", handled, err)
	}
	sess := &store.Session{ChatID: 9, Flow: "link", Step: "phone", UpdatedAt: base}
	edit := store.Delivery{ChatID: 9, Method: store.DeliveryEdit, MessageID: 77, Text: "<b>menu</b>"}
	c := &store.UpdateCommit{UpdateID: 500, At: base, FromChat: 9, Sessions: []*store.Session{sess},
		Deliveries: []store.Delivery{reply(9, "first"), edit}, LeaseUntil: base.Add(time.Minute)}
	first, err := s.CommitUpdate(ctx, c)
	if err != nil || !first {
		t.Fatalf("CommitUpdate = %v, %v; want first", first, err)
	}
	if sess.Version != 1 {
		t.Errorf("committed session Version = %d, want 1", sess.Version)
	}
	if c.Deliveries[0].ID == 0 || c.Deliveries[1].ID <= c.Deliveries[0].ID {
		t.Errorf("delivery ids %d, %d: want set and ascending", c.Deliveries[0].ID, c.Deliveries[1].ID)
	}
	assertSession(t, s, *sess)
	if handled, err := s.UpdateHandled(ctx, 500); err != nil || !handled {
		t.Errorf("UpdateHandled(500) after the commit = %v, %v", handled, err)
	}

	// The lease keeps the deliveries with the committer; then they are anyone's.
	if got := claimAll(t, s, base); len(got) != 0 {
		t.Errorf("claimed %d deliveries before their lease ran out", len(got))
	}
	got := claimAll(t, s, base.Add(time.Minute))
	if len(got) != 2 || !same(got[0], c.Deliveries[0]) || !same(got[1], c.Deliveries[1]) {
		t.Fatalf("claimed %+v, want %+v", got, c.Deliveries)
	}
	if again := claimAll(t, s, base.Add(time.Minute)); len(again) != 0 {
		t.Errorf("claimed %d deliveries twice within the new lease", len(again))
	}
	if err := s.DeleteDelivery(ctx, got[0].ID); err != nil {
		t.Fatalf("DeleteDelivery: %v", err)
	}
	if left := claimAll(t, s, base.Add(2*time.Minute)); len(left) != 1 || left[0].ID != got[1].ID {
		t.Errorf("after deleting the first, claimed %+v; want only the edit", left)
	}

	// A duplicate of the update changes nothing.
	dup := &store.UpdateCommit{UpdateID: 500, At: base, Sessions: []*store.Session{{ChatID: 10, UpdatedAt: base}},
		Deliveries: []store.Delivery{reply(10, "dup")}, LeaseUntil: base}
	if first, err := s.CommitUpdate(ctx, dup); err != nil || first {
		t.Errorf("second CommitUpdate of update 500 = %v, %v; want not first", first, err)
	}
	if fresh, _ := s.Session(ctx, 10); fresh.Version != 0 {
		t.Errorf("a duplicate commit saved a session: %+v", fresh)
	}
	if dup.Sessions[0].Version != 0 || dup.Deliveries[0].ID != 0 {
		t.Errorf("a duplicate commit changed its arguments: %+v", dup)
	}
	if left := claimAll(t, s, base.Add(3*time.Minute)); len(left) != 1 {
		t.Errorf("a duplicate commit stored deliveries: %+v", left)
	}
}

// testCommitUpdateConflict: a session saved since it was read fails the
// whole commit, so the update is handled again from the new state.
func testCommitUpdateConflict(t *testing.T, s store.State) {
	ctx := t.Context()
	sess := store.Session{ChatID: 11, UpdatedAt: base}
	if err := s.SaveSession(ctx, &sess); err != nil {
		t.Fatal(err)
	}
	stale := sess
	if err := s.SaveSession(ctx, &sess); err != nil {
		t.Fatal(err)
	}
	stale.Flow = "stale"
	c := &store.UpdateCommit{UpdateID: 600, At: base, Sessions: []*store.Session{&stale},
		Deliveries: []store.Delivery{reply(11, "lost")}, LeaseUntil: base}
	if _, err := s.CommitUpdate(ctx, c); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("CommitUpdate over a newer session: %v, want ErrConflict", err)
	}
	if handled, _ := s.UpdateHandled(ctx, 600); handled {
		t.Error("a failed commit marked its update")
	}
	if left := claimAll(t, s, base); len(left) != 0 {
		t.Errorf("a failed commit stored deliveries: %+v", left)
	}
	assertSession(t, s, sess)
}

// testCommitUpdateRace commits one update from many goroutines, as the
// webhook and polling (or two replicas) handling one update would.
func testCommitUpdateRace(t *testing.T, s store.State) {
	const racers = 8
	var firsts atomic.Int32
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			c := &store.UpdateCommit{UpdateID: 700, At: base, Deliveries: []store.Delivery{reply(12, "once")}, LeaseUntil: base}
			c.Sessions = []*store.Session{{ChatID: 12, Step: string(rune('a' + i)), UpdatedAt: base}}
			first, err := s.CommitUpdate(t.Context(), c)
			if err != nil && !errors.Is(err, store.ErrConflict) {
				t.Errorf("CommitUpdate: %v", err)
			}
			if first {
				firsts.Add(1)
			}
		})
	}
	wg.Wait()
	if n := firsts.Load(); n != 1 {
		t.Errorf("%d of %d concurrent commits of one update won, want 1", n, racers)
	}
	if left := claimAll(t, s, base); len(left) != 1 {
		t.Errorf("stored %d deliveries, want 1", len(left))
	}
}

// testTickDeliveries: a commit without an update stores deliveries only.
func testTickDeliveries(t *testing.T, s store.State) {
	c := &store.UpdateCommit{At: base, Deliveries: []store.Delivery{{ChatID: 13, Proactive: true, Method: store.DeliverySend, Text: "nudge"}}, LeaseUntil: base}
	if first, err := s.CommitUpdate(t.Context(), c); err != nil || !first {
		t.Fatalf("CommitUpdate without an update = %v, %v", first, err)
	}
	if got := claimAll(t, s, base); len(got) != 1 || !same(got[0], c.Deliveries[0]) {
		t.Errorf("claimed %+v, want %+v", got, c.Deliveries)
	}
	if handled, _ := s.UpdateHandled(t.Context(), 0); handled {
		t.Error("update 0 was marked")
	}
}

func testBlockedChats(t *testing.T, s store.State) {
	ctx := t.Context()
	blocked := func(chat int64) bool {
		t.Helper()
		b, err := s.ChatBlocked(ctx, chat)
		if err != nil {
			t.Fatalf("ChatBlocked(%d): %v", chat, err)
		}
		return b
	}
	if blocked(14) {
		t.Fatal("a new chat is blocked")
	}
	for range 2 { // blocking twice is fine
		if err := s.BlockChat(ctx, 14, base); err != nil {
			t.Fatalf("BlockChat: %v", err)
		}
	}
	if err := s.BlockChat(ctx, -1001, base); err != nil {
		t.Fatalf("BlockChat(group): %v", err)
	}
	if !blocked(14) || !blocked(-1001) || blocked(15) {
		t.Fatalf("blocked 14, -1001, 15 = %v, %v, %v; want true, true, false", blocked(14), blocked(-1001), blocked(15))
	}
	// A message from the chat unblocks it, with the update's commit.
	if _, err := s.CommitUpdate(ctx, &store.UpdateCommit{UpdateID: 800, At: base, FromChat: 14}); err != nil {
		t.Fatal(err)
	}
	if blocked(14) || !blocked(-1001) {
		t.Errorf("after a message from 14: blocked 14, -1001 = %v, %v; want false, true", blocked(14), blocked(-1001))
	}
}

// testDeliveryIDsNotReused: a sender may still hold the id of a delivery it
// just sent and deleted; a new delivery must not get that id.
func testDeliveryIDsNotReused(t *testing.T, s store.State) {
	ctx := t.Context()
	var last int64
	for i := range 3 {
		c := &store.UpdateCommit{UpdateID: int64(900 + i), At: base, Deliveries: []store.Delivery{reply(16, "x")}, LeaseUntil: base}
		if _, err := s.CommitUpdate(ctx, c); err != nil {
			t.Fatal(err)
		}
		id := c.Deliveries[0].ID
		if id <= last {
			t.Fatalf("delivery id %d after %d was deleted: ids must keep growing", id, last)
		}
		last = id
		if err := s.DeleteDelivery(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
}

// testCommitUpdateRelays: the deliveries of the support relay (copies,
// topic creation and marks, posts into a ticket's topic) keep every field
// through a commit and a claim, in commit order, and a topic's creation
// keyed per ticket is stored once however often it is owed.
func testCommitUpdateRelays(t *testing.T, s store.State) {
	ctx := t.Context()
	const group = int64(-100111)
	owed := []store.Delivery{
		{ChatID: group, Method: store.DeliveryCreateTopic, Text: "#7 · RU · General question", TicketID: 7, Key: "topic:7"},
		{ChatID: group, Method: store.DeliverySend, Text: "<b>Ticket #7</b>", TicketID: 7, Key: "card:7"},
		{ChatID: group, Method: store.DeliveryCopy, FromChatID: 101, MessageID: 55, Text: "09:00 · hello", TicketID: 7},
		{ChatID: 101, Method: store.DeliveryCopy, FromChatID: group, MessageID: 12, TicketID: 7},
		{ChatID: group, Method: store.DeliveryEditTopic, Text: "#7 · @anna", TicketID: 7},
		{ChatID: group, Method: store.DeliveryCloseTopic, TicketID: 7},
		{ChatID: group, Method: store.DeliveryReopenTopic, TicketID: 7},
	}
	c := &store.UpdateCommit{UpdateID: 700, At: base, Deliveries: slices.Clone(owed), LeaseUntil: base}
	if first, err := s.CommitUpdate(ctx, c); err != nil || !first {
		t.Fatalf("CommitUpdate = %v, %v", first, err)
	}
	got := claimAll(t, s, base)
	if len(got) != len(owed) {
		t.Fatalf("claimed %d deliveries, want %d: %+v", len(got), len(owed), got)
	}
	for i, d := range got {
		want := owed[i]
		want.ID, want.Key = c.Deliveries[i].ID, "" // a claimed delivery need not carry its key
		d.Key = ""
		if !same(d, want) {
			t.Errorf("delivery %d claimed as %+v, want %+v", i, d, want)
		}
	}
	// The same update handled again (its commit lost) owes the topic again.
	again := &store.UpdateCommit{UpdateID: 701, At: base, Deliveries: slices.Clone(owed[:2]), LeaseUntil: base}
	if first, err := s.CommitUpdate(ctx, again); err != nil || !first {
		t.Fatalf("CommitUpdate = %v, %v", first, err)
	}
	if len(again.Deliveries) != 0 {
		t.Errorf("topic creation and card owed twice were stored twice: %+v", again.Deliveries)
	}
}
