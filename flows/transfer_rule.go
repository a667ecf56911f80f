package flows

import "time"

// Transfer cancellation rules (seed: "запрос на отмену любого перевода за
// последний месяц").

// RecipientAnswerTime is how long the recipient has to answer a cancellation
// request before it expires and the sender is offered support.
const RecipientAnswerTime = 7 * 24 * time.Hour

// CancelDeadline is the moment a transfer made at created can no longer be
// cancelled: one calendar month later on the customer's calendar and clock
// in loc. Where the next month has no such day, its last day counts (31
// January -> 28 or 29 February, same time of day). The deadline is the first
// moment the customer's clock reaches that date and time: where a clock
// change skips the time, the moment of the jump; where the time happens
// twice, its first occurrence.
func CancelDeadline(created time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	t := created.In(loc)
	y, m, d := t.Date()
	if last := daysIn(y, m+1); d > last {
		d = last
	}
	wall := time.Date(y, m+1, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	return firstReach(wall, loc)
}

// CanCancel reports whether a transfer made at created can still be
// cancelled at now.
func CanCancel(created, now time.Time, loc *time.Location) bool {
	return now.Before(CancelDeadline(created, loc))
}

// daysIn is the number of days of a month (m may be 13: January of y+1).
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// firstReach is the first instant at which the wall clock of loc shows wall
// (given as if it were UTC) or later. time.Date leaves the choice open at
// clock changes; this walks the zone's periods instead. Within one period
// the wall clock is the instant plus a fixed offset, so its first instant at
// or after wall is easy; the first period that has one wins.
func firstReach(wall time.Time, loc *time.Location) time.Time {
	u := wall.Add(-15 * time.Hour) // before wall in every zone (offsets are within -12h..+14h)
	for {
		at := u.In(loc)
		_, offset := at.Zone()
		_, end := at.ZoneBounds()
		reach := wall.Add(-time.Duration(offset) * time.Second)
		if reach.Before(u) {
			reach = u // the clock jumped past wall at the start of this period
		}
		if end.IsZero() || reach.Before(end) {
			return reach
		}
		u = end
	}
}
