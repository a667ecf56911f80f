package businessday

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func mustFor(t *testing.T, country string) *Calendar {
	t.Helper()
	c, err := For(country)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFor(t *testing.T) {
	for _, code := range []string{"KZ", "CZ", "kz", " cz "} {
		c, err := For(code)
		if err != nil {
			t.Fatalf("For(%q): %v", code, err)
		}
		if want := strings.ToUpper(strings.TrimSpace(code)); c.Country() != want {
			t.Errorf("For(%q).Country() = %q, want %q", code, c.Country(), want)
		}
	}
	_, err := For("DE")
	if !errors.Is(err, ErrUnknownCountry) || !strings.Contains(err.Error(), `"DE"`) {
		t.Errorf("For(DE) error = %v, want ErrUnknownCountry naming DE", err)
	}
}

// yearExceptions is, per country and year, every weekday that is not a
// business day and every weekend day that is, written out by hand from the
// sources in data_*.go (not from the code's rules).
var yearExceptions = []struct {
	country  string
	year     int
	off      []string // Monday-Friday days off
	worked   []string // Saturday/Sunday working days
	business int      // business days in the year
}{
	{"KZ", 2025,
		[]string{"01-01", "01-02", "01-03", "01-07", "03-10", "03-21", "03-24", "03-25",
			"05-01", "05-07", "05-09", "06-06", "07-07", "09-01", "10-27", "12-16"},
		[]string{"01-05"}, 246}, // 246 is the official 2025 count (pobipb.kz)
	{"KZ", 2026,
		[]string{"01-01", "01-02", "01-07", "03-09", "03-23", "03-24", "03-25",
			"05-01", "05-07", "05-11", "05-27", "07-06", "10-26", "12-16"},
		nil, 247}, // the published 246 less 31 Aug, cancelled with 30 Aug
	{"KZ", 2027,
		[]string{"01-01", "01-04", "01-07", "03-08", "03-15", "03-22", "03-23", "03-24",
			"05-03", "05-07", "05-10", "07-06", "10-25", "12-16"},
		nil, 247},
	{"CZ", 2025,
		[]string{"01-01", "04-18", "04-21", "05-01", "05-08", "10-28", "11-17", "12-24", "12-25", "12-26"},
		nil, 251},
	{"CZ", 2026,
		[]string{"01-01", "04-03", "04-06", "05-01", "05-08", "07-06", "09-28", "10-28", "11-17", "12-24", "12-25"},
		nil, 250},
	{"CZ", 2027,
		[]string{"01-01", "03-26", "03-29", "07-05", "07-06", "09-28", "10-28", "11-17", "12-24"},
		nil, 252},
}

func TestBusinessDaysOfDataYears(t *testing.T) {
	for _, tc := range yearExceptions {
		c := mustFor(t, tc.country)
		off, worked := set(tc.year, tc.off), set(tc.year, tc.worked)
		business := 0
		for d := mkdate(tc.year, time.January, 1); d.year == tc.year; d = d.addDays(1) {
			want := !d.weekend()
			if off[d] || worked[d] {
				want = !want
			}
			if got := c.IsBusinessDay(d.year, d.month, d.day); got != want {
				t.Errorf("%s IsBusinessDay(%s %s) = %v, want %v", tc.country, d, d.weekday(), got, want)
			}
			if want {
				business++
			}
		}
		if business != tc.business {
			t.Errorf("%s %d: %d business days by the hand lists, want %d", tc.country, tc.year, business, tc.business)
		}
		if !c.HasData(tc.year) {
			t.Errorf("%s HasData(%d) = false", tc.country, tc.year)
		}
	}
}

func set(year int, monthDays []string) map[date]bool {
	m := map[date]bool{}
	for _, md := range monthDays {
		t, err := time.Parse("2006-01-02", fmtYear(year)+"-"+md)
		if err != nil {
			panic(err)
		}
		m[dateOf(t)] = true
	}
	return m
}

func fmtYear(y int) string { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006") }

func TestHolidayNames(t *testing.T) {
	tests := []struct {
		country, day, name string
	}{
		{"CZ", "2025-01-01", "Restoration Day of the Independent Czech State; New Year's Day"},
		{"CZ", "2025-04-18", "Good Friday"},
		{"CZ", "2025-04-21", "Easter Monday"},
		{"CZ", "2026-04-03", "Good Friday"},
		{"CZ", "2026-04-06", "Easter Monday"},
		{"CZ", "2027-03-26", "Good Friday"},
		{"CZ", "2027-03-29", "Easter Monday"},
		{"CZ", "2025-05-01", "Labour Day"},
		{"CZ", "2025-05-08", "Liberation Day"},
		{"CZ", "2025-07-05", "Saints Cyril and Methodius Day"}, // a Saturday: still named, no day in lieu
		{"CZ", "2025-07-06", "Jan Hus Day"},
		{"CZ", "2025-09-28", "St. Wenceslas Day (Czech Statehood Day)"},
		{"CZ", "2025-10-28", "Independent Czechoslovak State Day"},
		{"CZ", "2025-11-17", "Struggle for Freedom and Democracy Day"},
		{"CZ", "2025-12-24", "Christmas Eve"},
		{"CZ", "2025-12-25", "Christmas Day"},
		{"CZ", "2025-12-26", "St. Stephen's Day"},
		{"KZ", "2025-01-01", "New Year's Day"},
		{"KZ", "2025-01-02", "New Year's Day (second day)"},
		{"KZ", "2025-01-03", "Bridge day (swapped with 2025-01-05)"},
		{"KZ", "2025-01-07", "Orthodox Christmas"},
		{"KZ", "2025-03-08", "International Women's Day"},
		{"KZ", "2025-03-10", "International Women's Day (observed)"},
		{"KZ", "2025-03-21", "Nauryz"},
		{"KZ", "2025-03-22", "Nauryz"},
		{"KZ", "2025-03-23", "Nauryz"},
		{"KZ", "2025-03-24", "Nauryz (observed)"},
		{"KZ", "2025-03-25", "Nauryz (observed)"},
		{"KZ", "2025-05-01", "Kazakhstan People's Unity Day"},
		{"KZ", "2025-05-07", "Defender of the Fatherland Day"},
		{"KZ", "2025-05-09", "Victory Day"},
		{"KZ", "2025-06-06", "Kurban Ait"},
		{"KZ", "2025-07-06", "Capital Day"},
		{"KZ", "2025-07-07", "Capital Day (observed)"},
		{"KZ", "2025-08-30", "Constitution Day"},
		{"KZ", "2025-09-01", "Constitution Day (observed)"},
		{"KZ", "2025-10-25", "Republic Day"},
		{"KZ", "2025-10-27", "Republic Day (observed)"},
		{"KZ", "2025-12-16", "Independence Day"},
		{"KZ", "2026-05-09", "Victory Day"},
		{"KZ", "2026-05-11", "Victory Day (observed)"},
		{"KZ", "2026-05-27", "Kurban Ait"},
		{"KZ", "2027-03-15", "Constitution Day"},
		{"KZ", "2027-05-16", "Kurban Ait"},
	}
	for _, tc := range tests {
		c := mustFor(t, tc.country)
		d := day(t, tc.day)
		got, ok := c.Holiday(d.year, d.month, d.day)
		if !ok || got != tc.name {
			t.Errorf("%s Holiday(%s) = %q, %v; want %q", tc.country, tc.day, got, ok, tc.name)
		}
	}
	notHolidays := []struct{ country, day string }{
		{"KZ", "2025-01-05"}, // worked Sunday
		{"KZ", "2026-08-30"}, // no longer Constitution Day
		{"KZ", "2026-08-31"},
		{"KZ", "2027-05-17"}, // Kurban Ait on a Sunday is not shifted
		{"KZ", "2025-01-08"}, // Orthodox Christmas is not shifted either (checked on a weekday)
		{"CZ", "2025-07-07"}, // no Czech day in lieu
		{"CZ", "2025-06-13"},
	}
	for _, tc := range notHolidays {
		c := mustFor(t, tc.country)
		d := day(t, tc.day)
		if name, ok := c.Holiday(d.year, d.month, d.day); ok {
			t.Errorf("%s Holiday(%s) = %q, want none", tc.country, tc.day, name)
		}
	}
}

func day(t *testing.T, s string) date {
	t.Helper()
	tm, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return dateOf(tm)
}

// TestKazakhShiftRule checks the weekend shift on its own, in years with
// no table, where only rules apply.
func TestKazakhShiftRule(t *testing.T) {
	kz := mustFor(t, "KZ")
	tests := []struct {
		day      string
		business bool
		why      string
	}{
		{"2028-01-01", false, "New Year on a Saturday"},
		{"2028-01-02", false, "second day on a Sunday"},
		{"2028-01-03", false, "in lieu of 1 Jan"},
		{"2028-01-04", false, "in lieu of 2 Jan"},
		{"2028-01-05", true, "first ordinary working day"},
		{"2028-01-07", false, "Orthodox Christmas, a Friday"},
		{"2029-01-07", false, "Orthodox Christmas on a Sunday"},
		{"2029-01-08", true, "Christmas is never shifted"},
		{"2028-03-15", false, "Constitution Day, from 2027 on"},
		{"2029-12-17", false, "in lieu of Independence Day on Sunday 16 Dec 2029"},
		{"2024-08-30", false, "Constitution Day before 2026"},
		{"2028-08-30", true, "30 Aug no longer a holiday"},
	}
	for _, tc := range tests {
		d := day(t, tc.day)
		if got := kz.IsBusinessDay(d.year, d.month, d.day); got != tc.business {
			t.Errorf("KZ IsBusinessDay(%s %s) = %v, want %v (%s)", tc.day, d.weekday(), got, tc.business, tc.why)
		}
	}
	if kz.HasData(2028) || kz.HasData(2024) {
		t.Error("KZ HasData outside 2025-2027 = true")
	}
	if !mustFor(t, "CZ").HasData(2040) {
		t.Error("CZ HasData(2040) = false, want true: its days off all follow rules")
	}
}

func TestEaster(t *testing.T) {
	// Known Gregorian Easter Sundays, including the earliest (22 Mar) and
	// latest (25 Apr) possible dates.
	for _, want := range []string{
		"1943-04-25", "2000-04-23", "2008-03-23", "2011-04-24", "2019-04-21", "2024-03-31",
		"2025-04-20", "2026-04-05", "2027-03-28", "2030-04-21", "2038-04-25", "2285-03-22",
	} {
		d := day(t, want)
		if got := easter(d.year); got != d {
			t.Errorf("easter(%d) = %s, want %s", d.year, got, want)
		}
	}
	// Outside the tables Czech Easter holidays still follow the computus.
	cz := mustFor(t, "CZ")
	for _, s := range []string{"2030-04-19", "2030-04-22"} {
		d := day(t, s)
		if cz.IsBusinessDay(d.year, d.month, d.day) {
			t.Errorf("CZ IsBusinessDay(%s) = true, want Easter holiday", s)
		}
	}
}

func TestIsBusinessDayNormalisesDates(t *testing.T) {
	cz := mustFor(t, "CZ")
	// 32 December 2025 is 1 January 2026, a holiday.
	if cz.IsBusinessDay(2025, time.December, 32) {
		t.Error("CZ IsBusinessDay(2025-12-32) = true, want false (New Year)")
	}
}

func TestUncovered(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name     string
		from, to time.Time
		want     []Gap
	}{
		{"within the tables", day(2026, time.June, 1), day(2026, time.August, 30), nil},
		{"up to the last day of the tables", day(2027, time.October, 2), day(2027, time.December, 31), nil},
		{"past the Kazakh table", day(2027, time.November, 1), day(2028, time.January, 30), []Gap{{"KZ", 2028}}},
		{"long past it", day(2031, time.March, 1), day(2031, time.May, 30), []Gap{{"KZ", 2031}}},
	} {
		if got := Uncovered(tc.from, tc.to); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
