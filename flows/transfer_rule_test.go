package flows_test

import (
	"testing"
	"time"

	"paydesk/flows"
)

// TestCancelDeadline pins the "one calendar month in the customer's time
// zone" rule to the second: the deadline itself, a transfer still
// cancellable one second before it and no longer at it. Times are written
// with the offset the zone has at that moment, so each case reads as what
// the customer's clock shows.
func TestCancelDeadline(t *testing.T) {
	almaty, prague := zone(t, "Asia/Almaty"), zone(t, "Europe/Prague")
	tests := []struct {
		name     string
		loc      *time.Location
		created  string
		deadline string
	}{
		{"Almaty, same day next month", almaty, "2026-11-23T12:00:00+05:00", "2026-12-23T12:00:00+05:00"},
		{"Almaty, 31 January to 28 February", almaty, "2026-01-31T10:00:00+05:00", "2026-02-28T10:00:00+05:00"},
		{"Almaty, 31 January to 29 February in a leap year", almaty, "2028-01-31T10:00:00+05:00", "2028-02-29T10:00:00+05:00"},
		{"Almaty, 30 January to 29 February in a leap year", almaty, "2028-01-30T08:15:00+05:00", "2028-02-29T08:15:00+05:00"},
		{"Almaty, 31 March to 30 April, last second of the day", almaty, "2026-03-31T23:59:59+05:00", "2026-04-30T23:59:59+05:00"},
		{"Almaty, 28 February to 28 March, not the month's end", almaty, "2026-02-28T09:00:00+05:00", "2026-03-28T09:00:00+05:00"},
		{"Almaty, December to January of the next year", almaty, "2026-12-31T18:00:00+05:00", "2027-01-31T18:00:00+05:00"},
		{"Almaty, the local date counts, not UTC's", almaty, "2026-01-31T00:30:00+05:00", "2026-02-28T00:30:00+05:00"},
		// Kazakhstan moved Almaty from +06 to +05 on 1 March 2024 at 00:00:
		// 23:00-24:00 of 29 February happened twice. The first one counts.
		{"Almaty, the hour that happened twice (29 February 2024)", almaty, "2024-01-29T23:30:00+06:00", "2024-02-29T23:30:00+06:00"},
		{"Almaty, across the change to +05", almaty, "2024-02-15T12:00:00+06:00", "2024-03-15T12:00:00+05:00"},
		{"Prague, same day next month", prague, "2026-11-23T10:00:00+01:00", "2026-12-23T10:00:00+01:00"},
		{"Prague, the local date counts, not UTC's", prague, "2026-01-30T20:30:00+01:00", "2026-02-28T20:30:00+01:00"},
		{"Prague, 31 January to 28 February, late evening", prague, "2026-01-31T23:00:00+01:00", "2026-02-28T23:00:00+01:00"},
		{"Prague, 29 January to 29 February in a leap year", prague, "2028-01-29T07:00:00+01:00", "2028-02-29T07:00:00+01:00"},
		{"Prague, 31 August to 30 September", prague, "2026-08-31T16:45:10+02:00", "2026-09-30T16:45:10+02:00"},
		{"Prague, across the spring change: a month one hour shorter", prague, "2026-03-10T12:00:00+01:00", "2026-04-10T12:00:00+02:00"},
		{"Prague, across the autumn change: a month one hour longer", prague, "2026-10-10T12:00:00+02:00", "2026-11-10T12:00:00+01:00"},
		// 28 March 2027: the clock jumps from 02:00 to 03:00, so 02:30 never
		// shows; the deadline is the jump.
		{"Prague, the time skipped in spring", prague, "2027-02-28T02:30:00+01:00", "2027-03-28T03:00:00+02:00"},
		// 25 October 2026: 02:00-03:00 happens twice; the first one counts.
		{"Prague, the time that happens twice in autumn", prague, "2026-09-25T02:30:00+02:00", "2026-10-25T02:30:00+02:00"},
		{"Prague, just after the autumn repeat", prague, "2026-09-25T03:00:00+02:00", "2026-10-25T03:00:00+01:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			created, want := parse(t, tt.created), parse(t, tt.deadline)
			if got := flows.CancelDeadline(created, tt.loc); !got.Equal(want) {
				t.Fatalf("CancelDeadline(%s) = %s, want %s", tt.created, got.In(tt.loc).Format(time.RFC3339), tt.deadline)
			}
			if !flows.CanCancel(created, want.Add(-time.Second), tt.loc) {
				t.Errorf("one second before %s: cannot cancel, want can", tt.deadline)
			}
			if flows.CanCancel(created, want, tt.loc) {
				t.Errorf("at %s: can cancel, want cannot", tt.deadline)
			}
			if !flows.CanCancel(created, created, tt.loc) {
				t.Errorf("the moment it was made: cannot cancel")
			}
		})
	}
}

// TestCancelDeadlineZoneMatters: one instant, two customers, two deadlines a
// day apart, because in Almaty it is already 31 January.
func TestCancelDeadlineZoneMatters(t *testing.T) {
	created := parse(t, "2026-01-30T19:30:00Z")
	got := map[string]time.Time{
		"Asia/Almaty":   flows.CancelDeadline(created, zone(t, "Asia/Almaty")),
		"Europe/Prague": flows.CancelDeadline(created, zone(t, "Europe/Prague")),
		"UTC":           flows.CancelDeadline(created, nil),
	}
	want := map[string]string{
		"Asia/Almaty":   "2026-02-27T19:30:00Z", // 31 January 00:30 -> 28 February 00:30
		"Europe/Prague": "2026-02-28T19:30:00Z", // 30 January 20:30 -> 28 February 20:30
		"UTC":           "2026-02-28T19:30:00Z", // 30 January -> 28 February
	}
	for name, w := range want {
		if !got[name].Equal(parse(t, w)) {
			t.Errorf("%s: deadline %s, want %s", name, got[name].UTC().Format(time.RFC3339), w)
		}
	}
}

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func parse(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
