package businessday

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// ErrUnknownCountry is returned by For for a country without a calendar.
var ErrUnknownCountry = errors.New("no business-day calendar for country")

// Calendar is one country's business days. It is safe for concurrent use;
// each year's day list is built on first use and kept.
type Calendar struct {
	rules *country
	years sync.Map // int -> *yearDays
}

// yearDays is one year's exceptions to "Monday to Friday".
type yearDays struct {
	off    map[date]string // holidays (also on weekends), days off in lieu, bridge days
	worked map[date]bool   // weekend days made working by a swap
}

var calendars = map[string]*Calendar{
	czech.code:  {rules: &czech},
	kazakh.code: {rules: &kazakh},
}

// For returns the calendar of country, an ISO 3166-1 alpha-2 code ("KZ",
// "CZ"; case does not matter).
func For(country string) (*Calendar, error) {
	c, ok := calendars[strings.ToUpper(strings.TrimSpace(country))]
	if !ok {
		return nil, fmt.Errorf("calendar for %q: %w", country, ErrUnknownCountry)
	}
	return c, nil
}

// Country is the calendar's ISO code, e.g. "KZ".
func (c *Calendar) Country() string { return c.rules.code }

// HasData reports whether the calendar knows every day off of year. A
// country whose days off all follow rules (CZ) has data for every year; for
// KZ it is the years in the table, outside which lunar holidays and decreed
// swaps are missing (see the package doc).
func (c *Calendar) HasData(year int) bool {
	if c.rules.years == nil {
		return true
	}
	_, ok := c.rules.years[year]
	return ok
}

// IsBusinessDay reports whether the date is a working day: Monday to Friday
// and not a day off, or a weekend day made working by a swap.
func (c *Calendar) IsBusinessDay(year int, month time.Month, day int) bool {
	return c.isBusiness(mkdate(year, month, day))
}

// Holiday names the day off on that date, if any: a public holiday (also when
// it falls on a weekend), a day off in lieu ("… (observed)") or a bridge day.
// The names are English, for logs and tests; users see localized text.
func (c *Calendar) Holiday(year int, month time.Month, day int) (name string, ok bool) {
	d := mkdate(year, month, day)
	name, ok = c.year(d.year).off[d]
	return name, ok
}

func (c *Calendar) isBusiness(d date) bool { return c.year(d.year).working(d) }

func (c *Calendar) year(year int) *yearDays {
	if y, ok := c.years.Load(year); ok {
		return y.(*yearDays)
	}
	y, _ := c.years.LoadOrStore(year, c.rules.build(year))
	return y.(*yearDays)
}

// build lists year's days off and worked weekend days. The holidays are data;
// this is the code for the rules: Easter, swaps and the weekend shift.
func (r *country) build(year int) *yearDays {
	y := &yearDays{off: map[date]string{}, worked: map[date]bool{}}
	data := r.years[year]

	holidays := append([]datedHoliday(nil), data.holidays...)
	for _, h := range r.fixed {
		if h.in(year) {
			holidays = append(holidays, datedHoliday{on: date{year, h.month, h.day}, name: h.name, shift: h.shift})
		}
	}
	if r.easter {
		e := easter(year)
		holidays = append(holidays,
			datedHoliday{on: e.addDays(-2), name: "Good Friday"},
			datedHoliday{on: e.addDays(1), name: "Easter Monday"})
	}
	sort.Slice(holidays, func(i, j int) bool { return holidays[i].on.before(holidays[j].on) })

	for _, h := range holidays {
		y.off[h.on] = h.name
	}
	for _, s := range data.swaps {
		y.off[s.off] = fmt.Sprintf("Bridge day (swapped with %s)", s.worked)
		y.worked[s.worked] = true
	}
	// In date order, so that two weekend holidays in a row (Nauryz 21-22
	// March 2026) take the first and the second working day after them.
	// No shifted holiday is late enough in December to move into next year.
	for _, h := range holidays {
		if !h.shift || !h.on.weekend() {
			continue
		}
		d := h.on.addDays(1)
		for !y.working(d) {
			d = d.addDays(1)
		}
		y.off[d] = h.name + " (observed)"
	}
	return y
}

// working is whether d is a business day by this list; build uses it while
// the list is still growing, to find the next working day for a shift.
func (y *yearDays) working(d date) bool {
	if _, off := y.off[d]; off {
		return false
	}
	return y.worked[d] || !d.weekend()
}

// Gap is a year a calendar does not fully know: its lunar holidays or
// decreed swaps are missing, so business days counted in it may be wrong.
type Gap struct {
	Country string // ISO code, e.g. "KZ"
	Year    int
}

// Uncovered lists, by country, the first year between the dates of from
// and to (UTC) whose days off are not all known. serve warns at start when
// the next months are not covered, so the data are added in time (README:
// Adding a year to a business-day calendar).
func Uncovered(from, to time.Time) []Gap {
	var gaps []Gap
	for _, code := range slices.Sorted(maps.Keys(calendars)) {
		c := calendars[code]
		for y := from.UTC().Year(); y <= to.UTC().Year(); y++ {
			if !c.HasData(y) {
				gaps = append(gaps, Gap{Country: code, Year: y})
				break
			}
		}
	}
	return gaps
}
