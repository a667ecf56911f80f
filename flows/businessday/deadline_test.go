package businessday

import (
	"math/big"
	"testing"
	"time"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// at parses a local wall-clock time in loc.
func at(t testing.TB, loc *time.Location, s string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestZonesFromEmbeddedData(t *testing.T) {
	// Kazakhstan moved to a single zone, UTC+5, on 1 March 2024.
	almaty := zone(t, "Asia/Almaty")
	for _, s := range []string{"2024-03-02 12:00", "2025-01-15 12:00", "2025-07-15 12:00", "2027-12-31 12:00"} {
		if _, off := at(t, almaty, s).Zone(); off != 5*3600 {
			t.Errorf("Asia/Almaty offset at %s = %ds, want UTC+5", s, off)
		}
	}
	prague := zone(t, "Europe/Prague")
	if _, off := at(t, prague, "2025-07-01 12:00").Zone(); off != 2*3600 {
		t.Errorf("Europe/Prague summer offset = %ds, want UTC+2", off)
	}
}

func TestDeadline(t *testing.T) {
	prague, almaty := zone(t, "Europe/Prague"), zone(t, "Asia/Almaty")
	tests := []struct {
		name    string
		country string
		loc     *time.Location
		start   string
		n       int
		want    string
	}{
		{"n=0 is the start", "CZ", prague, "2025-06-14 10:00", 0, "2025-06-14 10:00"},
		{"Friday afternoon over a weekend", "CZ", prague, "2025-06-13 15:00", 1, "2025-06-16 15:00"},
		{"three days from Friday", "CZ", prague, "2025-06-13 15:00", 3, "2025-06-18 15:00"},
		{"Saturday counts from Monday", "CZ", prague, "2025-06-14 10:00", 1, "2025-06-17 00:00"},
		{"midnight of a business day", "CZ", prague, "2025-06-16 00:00", 1, "2025-06-17 00:00"},
		{"start on a holiday (Liberation Day)", "CZ", prague, "2025-05-08 10:00", 1, "2025-05-10 00:00"},
		{"over Czech Christmas", "CZ", prague, "2025-12-23 16:00", 1, "2025-12-29 16:00"},
		{"over Christmas into New Year", "CZ", prague, "2025-12-23 16:00", 4, "2026-01-02 16:00"},
		{"over Easter 2026", "CZ", prague, "2026-04-02 09:30", 1, "2026-04-07 09:30"},
		{"spring DST weekend (30 Mar 2025)", "CZ", prague, "2025-03-28 15:00", 1, "2025-03-31 15:00"},
		{"autumn DST weekend (26 Oct 2025)", "CZ", prague, "2025-10-24 15:00", 1, "2025-10-27 15:00"},
		{"Saturday of the autumn DST weekend", "CZ", prague, "2025-10-25 10:00", 1, "2025-10-28 00:00"},
		{"over Nauryz 2025", "KZ", almaty, "2025-03-20 15:00", 1, "2025-03-26 15:00"},
		{"over Nauryz 2026, two weekend days shifted", "KZ", almaty, "2026-03-20 10:00", 1, "2026-03-26 10:00"},
		{"start on Nauryz", "KZ", almaty, "2025-03-21 12:00", 1, "2025-03-27 00:00"},
		{"seven days over the May holidays", "KZ", almaty, "2026-04-30 12:00", 7, "2026-05-14 12:00"},
		{"New Year 2025 to the worked Sunday", "KZ", almaty, "2024-12-31 10:00", 1, "2025-01-05 10:00"},
		{"Kurban Ait 2026", "KZ", almaty, "2026-05-26 18:00", 1, "2026-05-28 18:00"},
		{"Victory Day on Saturday, Monday off", "KZ", almaty, "2026-05-08 09:00", 1, "2026-05-12 09:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := mustFor(t, tc.country)
			start, want := at(t, tc.loc, tc.start), at(t, tc.loc, tc.want)
			got := c.Deadline(start, tc.n, tc.loc)
			if !got.Equal(want) {
				t.Fatalf("Deadline(%s, %d) = %s, want %s", tc.start, tc.n, got, want)
			}
			if got.Location() != tc.loc {
				t.Errorf("Deadline location = %v, want %v", got.Location(), tc.loc)
			}
		})
	}
}

// TestDeadlineAcrossDSTIsWallClock pins the real durations behind two DST
// cases above: the business days are whole, so the hour lost or gained on
// the Sunday shows in the elapsed real time, not on the clock.
func TestDeadlineAcrossDSTIsWallClock(t *testing.T) {
	prague := zone(t, "Europe/Prague")
	cz := mustFor(t, "CZ")
	for _, tc := range []struct {
		start string
		want  time.Duration
	}{
		{"2025-03-28 15:00", 71 * time.Hour},
		{"2025-10-24 15:00", 73 * time.Hour},
	} {
		start := at(t, prague, tc.start)
		if got := cz.Deadline(start, 1, prague).Sub(start); got != tc.want {
			t.Errorf("Deadline(%s, 1) - start = %v, want %v", tc.start, got, tc.want)
		}
	}
}

// TestDSTBusinessDayCountsWhole uses Cairo, whose clocks change at midnight
// on a Friday in April (a 23-hour day) and a Thursday in October (25 hours),
// so a DST day is itself a business day there.
func TestDSTBusinessDayCountsWhole(t *testing.T) {
	cairo := zone(t, "Africa/Cairo")
	cz := mustFor(t, "CZ")
	// Thursday 24 Apr 2025 00:00 + 2 days = the end of the 23-hour Friday.
	start := at(t, cairo, "2025-04-24 00:00")
	want := time.Date(2025, 4, 26, 0, 0, 0, 0, cairo)
	if got := cz.Deadline(start, 2, cairo); !got.Equal(want) {
		t.Errorf("Deadline over a 23h Friday = %s, want %s", got, want)
	}
	if days, rest := cz.Elapsed(start, want, cairo); days != 2 || rest != 0 {
		t.Errorf("Elapsed over a 23h Friday = %d, %v; want 2, 0", days, rest)
	}
	// Half of a 24-hour Wednesday is half of the 25-hour Thursday.
	start = at(t, cairo, "2025-10-29 12:00")
	want = time.Date(2025, 10, 30, 0, 0, 0, 0, cairo).Add(12*time.Hour + 30*time.Minute)
	if got := cz.Deadline(start, 1, cairo); !got.Equal(want) {
		t.Errorf("Deadline into a 25h Thursday = %s, want %s", got, want)
	}
}

func TestOverdueBoundary(t *testing.T) {
	prague := zone(t, "Europe/Prague")
	cz := mustFor(t, "CZ")
	start := at(t, prague, "2025-06-13 15:00")
	for n := 1; n <= 7; n++ {
		dl := cz.Deadline(start, n, prague)
		if cz.Overdue(start, dl.Add(-time.Second), n, prague) {
			t.Errorf("n=%d: overdue one second before the deadline %s", n, dl)
		}
		if !cz.Overdue(start, dl, n, prague) {
			t.Errorf("n=%d: not overdue at the deadline %s", n, dl)
		}
		if days, _ := cz.Elapsed(start, dl.Add(-time.Second), prague); days != n-1 {
			t.Errorf("n=%d: Elapsed one second before the deadline = %d days, want %d", n, days, n-1)
		}
	}
}

// TestCustomerZoneDecidesDate: 21:30 UTC on Friday 13 June 2025 is Friday
// 23:30 in Prague but already Saturday 02:30 in Almaty.
func TestCustomerZoneDecidesDate(t *testing.T) {
	prague, almaty := zone(t, "Europe/Prague"), zone(t, "Asia/Almaty")
	instant := time.Date(2025, 6, 13, 21, 30, 0, 0, time.UTC)
	for _, country := range []string{"CZ", "KZ"} {
		c := mustFor(t, country)
		if got, want := c.Deadline(instant, 1, prague), at(t, prague, "2025-06-16 23:30"); !got.Equal(want) {
			t.Errorf("%s Deadline in Prague = %s, want %s (Friday counts)", country, got, want)
		}
		if got, want := c.Deadline(instant, 1, almaty), at(t, almaty, "2025-06-17 00:00"); !got.Equal(want) {
			t.Errorf("%s Deadline in Almaty = %s, want %s (Saturday: from Monday)", country, got, want)
		}
		// Friday plus one and Saturday plus one are both Monday ...
		for _, loc := range []*time.Location{prague, almaty} {
			if got, want := c.AddBusinessDays(instant, 1, loc), at(t, loc, "2025-06-16 00:00"); !got.Equal(want) {
				t.Errorf("%s AddBusinessDays in %v = %s, want %s", country, loc, got, want)
			}
		}
		// ... but plus zero is the customer's own date.
		if got := c.AddBusinessDays(instant, 0, almaty); dateOf(got) != (date{2025, time.June, 14}) {
			t.Errorf("%s AddBusinessDays(+0) in Almaty = %s, want 2025-06-14", country, got)
		}
	}
}

func TestElapsed(t *testing.T) {
	prague := zone(t, "Europe/Prague")
	cz := mustFor(t, "CZ")
	start := at(t, prague, "2025-06-13 15:00") // Friday
	tests := []struct {
		now  string
		days int
		rest time.Duration
	}{
		{"2025-06-13 14:00", 0, 0}, // before the start
		{"2025-06-13 15:00", 0, 0},
		{"2025-06-14 12:00", 0, 9 * time.Hour}, // Saturday adds nothing
		{"2025-06-16 10:00", 0, 19 * time.Hour},
		{"2025-06-16 15:00", 1, 0},
		{"2025-06-17 16:30", 2, 90 * time.Minute},
		{"2025-06-21 12:00", 5, 9 * time.Hour},
	}
	for _, tc := range tests {
		days, rest := cz.Elapsed(start, at(t, prague, tc.now), prague)
		if days != tc.days || rest != tc.rest {
			t.Errorf("Elapsed(Fri 15:00, %s) = %d, %v; want %d, %v", tc.now, days, rest, tc.days, tc.rest)
		}
	}
}

func TestAddBusinessDays(t *testing.T) {
	prague, almaty := zone(t, "Europe/Prague"), zone(t, "Asia/Almaty")
	tests := []struct {
		country string
		loc     *time.Location
		from    string
		n       int
		want    string
	}{
		{"CZ", prague, "2025-06-13 15:00", 1, "2025-06-16"},
		{"CZ", prague, "2025-06-13 15:00", 3, "2025-06-18"},
		{"CZ", prague, "2025-06-14 10:00", 1, "2025-06-16"},
		{"CZ", prague, "2025-06-14 10:00", 0, "2025-06-14"},
		{"CZ", prague, "2025-12-23 09:00", 1, "2025-12-29"},
		{"CZ", prague, "2025-04-17 09:00", 1, "2025-04-22"}, // over Easter
		{"KZ", almaty, "2025-03-20 09:00", 1, "2025-03-26"},
		{"KZ", almaty, "2025-01-02 09:00", 1, "2025-01-05"}, // the worked Sunday
		{"KZ", almaty, "2026-05-26 09:00", 7, "2026-06-05"},
	}
	for _, tc := range tests {
		c := mustFor(t, tc.country)
		got := c.AddBusinessDays(at(t, tc.loc, tc.from), tc.n, tc.loc)
		if want := at(t, tc.loc, tc.want+" 00:00"); !got.Equal(want) {
			t.Errorf("%s AddBusinessDays(%s, %d) = %s, want %s", tc.country, tc.from, tc.n, got, want)
		}
	}
}

// TestDeadlineElapsedProperty checks Deadline and Elapsed against each other
// and against a slow, independent measure (shareElapsed) over many starts,
// in the product's zones and in Cairo, where DST days are business days.
func TestDeadlineElapsedProperty(t *testing.T) {
	step := 7*time.Hour + 13*time.Minute + 17*time.Second
	if testing.Short() {
		step *= 5
	}
	for _, country := range []string{"KZ", "CZ"} {
		c := mustFor(t, country)
		for _, name := range []string{"Asia/Almaty", "Europe/Prague", "Africa/Cairo"} {
			loc := zone(t, name)
			first := time.Date(2024, 12, 20, 0, 0, 0, 0, loc)
			last := time.Date(2027, 12, 20, 0, 0, 0, 0, loc)
			for start := first; start.Before(last); start = start.Add(step) {
				for _, n := range []int{0, 1, 2, 3, 7} {
					dl := c.Deadline(start, n, loc)
					if days, rest := c.Elapsed(start, dl, loc); days != n || rest != 0 {
						t.Fatalf("%s %s: Elapsed(%s, Deadline(%d)=%s) = %d, %v; want %d, 0",
							country, name, start, n, dl, days, rest, n)
					}
					if n == 0 {
						continue
					}
					before := dl.Add(-time.Nanosecond)
					if days, _ := c.Elapsed(start, before, loc); days != n-1 {
						t.Fatalf("%s %s: Elapsed(%s, Deadline(%d)-1ns) = %d days, want %d",
							country, name, start, n, days, n-1)
					}
					whole := big.NewRat(int64(n), 1)
					if shareElapsed(c, start, dl, loc).Cmp(whole) < 0 || shareElapsed(c, start, before, loc).Cmp(whole) >= 0 {
						t.Fatalf("%s %s: Deadline(%s, %d) = %s is not the first instant with %d days",
							country, name, start, n, dl, n)
					}
				}
			}
		}
	}
}

// shareElapsed measures business days between start and end the slow way:
// each business date contributes the part of it inside [start, end] divided
// by its length, exactly.
func shareElapsed(c *Calendar, start, end time.Time, loc *time.Location) *big.Rat {
	sum := new(big.Rat)
	for d := dateOf(start.In(loc)); !d.start(loc).After(end); d = d.addDays(1) {
		if !c.IsBusinessDay(d.year, d.month, d.day) {
			continue
		}
		lo, hi := d.start(loc), d.addDays(1).start(loc)
		length := hi.Sub(lo)
		lo, hi = later(lo, start), earlier(hi, end)
		if hi.After(lo) {
			sum.Add(sum, big.NewRat(int64(hi.Sub(lo)), int64(length)))
		}
	}
	return sum
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
