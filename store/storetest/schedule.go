package storetest

import (
	"testing"
	"time"

	"paydesk/store"
)

// testNudgeSchedule: entries come due in order of due time, one kind at a
// time; scheduling again moves an entry; unscheduling removes an entry
// only while it is due when it was read, so one scheduled again in
// between stays.
func testNudgeSchedule(t *testing.T, s store.State) {
	ctx := t.Context()
	const kind = "withdrawal.stuck"
	at := func(id int64, stage string, due time.Time) store.ScheduledNudge {
		return store.ScheduledNudge{Kind: kind, ObjectID: id, Stage: stage, Due: due}
	}
	due := func(now time.Time, limit int) []store.ScheduledNudge {
		t.Helper()
		got, err := s.DueNudges(ctx, kind, now, limit)
		if err != nil {
			t.Fatalf("DueNudges(%v, %d): %v", now, limit, err)
		}
		return got
	}
	check := func(what string, got, want []store.ScheduledNudge) {
		t.Helper()
		if !same(got, want) {
			t.Errorf("%s: DueNudges = %+v, want %+v", what, got, want)
		}
	}
	if got := due(base, 0); len(got) != 0 {
		t.Fatalf("an empty schedule lists %+v", got)
	}
	a, b, c := at(31, "approval", ago(time.Hour)), at(30, "processing", ago(2*time.Hour)), at(32, "approval", base.Add(time.Hour))
	b2 := at(31, "processing", ago(time.Hour)) // the same object and due, another stage
	other := store.ScheduledNudge{Kind: "dispute.reminder", ObjectID: 31, Stage: "approval", Due: ago(3 * time.Hour)}
	if err := s.ScheduleNudges(ctx, a, b, c, b2, other); err != nil {
		t.Fatalf("ScheduleNudges: %v", err)
	}
	if err := s.ScheduleNudges(ctx); err != nil {
		t.Fatalf("ScheduleNudges of none: %v", err)
	}
	check("due by now, by due, then object, then stage; one kind", due(base, 0), []store.ScheduledNudge{b, a, b2})
	check("due is inclusive", due(ago(time.Hour), 0), []store.ScheduledNudge{b, a, b2})
	check("a second before", due(ago(time.Hour+time.Second), 0), []store.ScheduledNudge{b})
	check("limit", due(base, 2), []store.ScheduledNudge{b, a})
	check("listing removes nothing", due(base.Add(2*time.Hour), 0), []store.ScheduledNudge{b, a, b2, c})

	// Scheduling again moves an entry, later or sooner.
	moved := at(30, "processing", base.Add(30*time.Minute))
	if err := s.ScheduleNudges(ctx, moved); err != nil {
		t.Fatal(err)
	}
	check("moved later", due(base, 0), []store.ScheduledNudge{a, b2})
	check("moved, in its new place", due(base.Add(2*time.Hour), 0), []store.ScheduledNudge{a, b2, moved, c})

	// Unscheduling with the due read removes; with a stale due it does
	// not: the entry was scheduled again since it was read.
	if err := s.UnscheduleNudges(ctx, a, b, at(99, "approval", base)); err != nil {
		t.Fatalf("UnscheduleNudges: %v", err)
	}
	check("a removed, b moved since: kept, an unknown one: no error", due(base.Add(2*time.Hour), 0), []store.ScheduledNudge{b2, moved, c})
	if err := s.UnscheduleNudges(ctx); err != nil {
		t.Fatalf("UnscheduleNudges of none: %v", err)
	}
	if got, err := s.DueNudges(ctx, other.Kind, base, 0); err != nil || !same(got, []store.ScheduledNudge{other}) {
		t.Errorf("the other kind: %+v, %v; want %+v", got, err, other)
	}
}
