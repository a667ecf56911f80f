package storetest

import (
	"fmt"
	"testing"
	"time"

	"paydesk/store"
)

// testEvents: an event id is recorded once, also by racing replicas, and
// forgotten only after store.EventRetention.
func testEvents(t *testing.T, s store.State) {
	ctx := t.Context()
	if seen, err := s.EventSeen(ctx, "evt-1"); err != nil || seen {
		t.Fatalf("EventSeen before any record: %v, %v", seen, err)
	}
	createdOnce(t, "event records", 8, func(int) (int64, bool, error) {
		first, err := s.RecordEvent(ctx, "evt-1", base)
		return 1, first, err
	})
	if seen, err := s.EventSeen(ctx, "evt-1"); err != nil || !seen {
		t.Fatalf("EventSeen after RecordEvent: %v, %v", seen, err)
	}
	if first, err := s.RecordEvent(ctx, "evt-2", base.Add(store.EventRetention-time.Second)); err != nil || !first {
		t.Fatalf("RecordEvent(evt-2): %v, %v", first, err)
	}
	if seen, _ := s.EventSeen(ctx, "evt-1"); !seen {
		t.Fatal("evt-1 forgotten before store.EventRetention")
	}
}

// testNotices: deferred notices are kept once per identity, listed when
// due in order, and dropped; cursors keep their position.
func testNotices(t *testing.T, s store.State) {
	ctx := t.Context()
	n := func(kind string, obj int64, cust store.CustomerID, due time.Time) store.Notice {
		return store.Notice{Kind: kind, ObjectID: obj, Stage: "s", CustomerID: cust, Due: due, At: base}
	}
	a := n("withdrawal.stage_changed", 1, 2, base.Add(time.Hour))
	b := n("return_request.refused", 7, 2, base.Add(30*time.Minute))
	c := n("withdrawal.stage_changed", 3, 1, base.Add(2*time.Hour))
	late := n("withdrawal.stage_changed", 4, 1, base.Add(5*time.Hour))
	for _, x := range []store.Notice{a, b, c, late} {
		if err := s.DeferNotice(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	again := a
	again.Due = base // the same identity again changes nothing
	if err := s.DeferNotice(ctx, again); err != nil {
		t.Fatal(err)
	}
	keys := func(list []store.Notice) []string {
		var out []string
		for _, x := range list {
			out = append(out, fmt.Sprintf("%d:%s:%d@%s", x.CustomerID, x.Kind, x.ObjectID, x.Due.UTC().Format("15:04")))
		}
		return out
	}
	if got, err := s.DueNotices(ctx, base.Add(10*time.Minute), 0); err != nil || len(got) != 0 {
		t.Fatalf("DueNotices before any is due: %v, %v", keys(got), err)
	}
	got, err := s.DueNotices(ctx, base.Add(2*time.Hour), 0)
	want := []string{"1:withdrawal.stage_changed:3@11:30", "2:return_request.refused:7@10:00", "2:withdrawal.stage_changed:1@10:30"}
	if err != nil || !same(keys(got), want) {
		t.Fatalf("DueNotices = %v, %v; want %v (by customer, then due)", keys(got), err, want)
	}
	if !same(got[0], c) {
		t.Errorf("DueNotices read back %+v, want %+v", got[0], c)
	}
	if got, _ := s.DueNotices(ctx, base.Add(2*time.Hour), 2); len(got) != 2 {
		t.Errorf("DueNotices with limit 2: %v", keys(got))
	}
	if err := s.DropNotice(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := s.DropNotice(ctx, b); err != nil {
		t.Fatalf("dropping a notice twice: %v", err)
	}
	if got, _ := s.DueNotices(ctx, base.Add(time.Hour), 0); !same(keys(got), []string{"2:withdrawal.stage_changed:1@10:30"}) {
		t.Errorf("after DropNotice: %v", keys(got))
	}
	if pos, err := s.Cursor(ctx, "feed"); err != nil || pos != 0 {
		t.Fatalf("Cursor never set: %d, %v", pos, err)
	}
	for _, p := range []int64{5, 9} {
		if err := s.SetCursor(ctx, "feed", p); err != nil {
			t.Fatal(err)
		}
	}
	if pos, err := s.Cursor(ctx, "feed"); err != nil || pos != 9 {
		t.Fatalf("Cursor = %d, %v; want 9", pos, err)
	}
	if pos, _ := s.Cursor(ctx, "other"); pos != 0 {
		t.Errorf("another cursor: %d", pos)
	}
}
