package businessday

import "time"

// date is a civil calendar date with no zone: holidays are dates, not
// instants, and the instant a date begins depends on the customer's zone.
type date struct {
	year  int
	month time.Month
	day   int
}

// mkdate normalises out-of-range values the way time.Date does (32 Jan is 1 Feb).
func mkdate(year int, month time.Month, day int) date {
	return dateOf(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// dateOf is the calendar date of t in t's own location.
func dateOf(t time.Time) date {
	y, m, d := t.Date()
	return date{y, m, d}
}

func (d date) utc() time.Time { return time.Date(d.year, d.month, d.day, 0, 0, 0, 0, time.UTC) }

func (d date) addDays(n int) date { return mkdate(d.year, d.month, d.day+n) }

func (d date) weekday() time.Weekday { return d.utc().Weekday() }

func (d date) weekend() bool {
	wd := d.weekday()
	return wd == time.Saturday || wd == time.Sunday
}

func (d date) before(e date) bool { return d.utc().Before(e.utc()) }

func (d date) String() string { return d.utc().Format("2006-01-02") }

// start is the first instant of d in loc. Neither Asia/Almaty nor
// Europe/Prague changes offset at midnight, so local 00:00 always exists;
// for zones that do, time.Date's normalisation decides.
func (d date) start(loc *time.Location) time.Time {
	return time.Date(d.year, d.month, d.day, 0, 0, 0, 0, loc)
}

// length is how long d lasts in loc: 24 h, or 23/25 h on a DST change.
func (d date) length(loc *time.Location) time.Duration {
	return d.addDays(1).start(loc).Sub(d.start(loc))
}
