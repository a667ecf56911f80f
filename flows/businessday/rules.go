package businessday

import "time"

// country is one country's holiday rules and decreed data; the tables in
// data_*.go fill it in, calendar.go turns it into yearly day lists.
type country struct {
	code  string
	fixed []fixedHoliday
	// easter adds Good Friday and Easter Monday (Gregorian computus).
	easter bool
	// years holds what is decreed or announced year by year.
	years map[int]yearData
}

// fixedHoliday falls on the same date every year it exists.
type fixedHoliday struct {
	month time.Month
	day   int
	name  string
	// shift: when the date is a Saturday or Sunday, the next working day is
	// a day off in its place (Kazakhstan's rule for secular holidays).
	shift bool
	// from and until bound the years it exists in; 0 leaves that side open.
	from, until int
}

func (h fixedHoliday) in(year int) bool {
	return (h.from == 0 || year >= h.from) && (h.until == 0 || year <= h.until)
}

// yearData is what cannot be derived from a rule: lunar holidays and the
// government's day swaps for one year.
type yearData struct {
	holidays []datedHoliday
	swaps    []swap
}

// datedHoliday is a holiday whose date is announced per year (Kurban Ait).
type datedHoliday struct {
	on    date
	name  string
	shift bool
}

// swap trades a weekend day, which becomes a working day, for a weekday,
// which becomes a day off (a "bridge" next to a holiday).
type swap struct {
	off, worked date
}
