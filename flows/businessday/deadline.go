package businessday

import "time"

// How business time is counted. Only the parts of [start, t] that fall on
// business dates in loc count, and a business date counts as one whole day
// whatever its length (23 or 25 h on a DST change); a part of a date counts
// as its share of that date's length. So a stage that starts during a
// business day reaches one business day at the same local time on the next
// business day (Friday 15:00 -> Monday 15:00), and one that starts on a day
// off is counted from the next business day's midnight (Saturday 10:00 ->
// Tuesday 00:00). On 24-hour days that share is plain wall-clock time.

// Deadline is the earliest instant at which n whole business days have
// elapsed since start, in loc; the stage is overdue from that instant on
// (now.Before(Deadline) means not yet). For n <= 0 it is start. The result
// is in loc.
func (c *Calendar) Deadline(start time.Time, n int, loc *time.Location) time.Time {
	t := start.In(loc)
	m := c.marks(start, loc)
	for range n {
		t = m.next()
	}
	return t
}

// Overdue reports whether a stage that started at start has run past its
// limit of n business days at now, i.e. now is at or after the Deadline: the
// moment the "Waiting more than N days?" button appears.
func (c *Calendar) Overdue(start, now time.Time, n int, loc *time.Location) bool {
	return !now.Before(c.Deadline(start, n, loc))
}

// Elapsed is the business time between start and now, as whole business
// days plus the business time after the last whole day (for "time in
// stage"). It agrees with Deadline: Elapsed(start, Deadline(start, n)) is
// (n, 0). When now is not after start it is (0, 0).
func (c *Calendar) Elapsed(start, now time.Time, loc *time.Location) (days int, rest time.Duration) {
	if !now.After(start) {
		return 0, 0
	}
	last := start
	for m := c.marks(start, loc); ; days++ {
		t := m.next()
		if t.After(now) {
			break
		}
		last = t
	}
	return days, c.businessTime(last, now, loc)
}

// AddBusinessDays is the n-th business date after the date of t in loc, as
// midnight in loc: the date by which to expect the money. Friday plus one is
// Monday; Saturday plus one is Monday too. For n <= 0 it is t's own date.
func (c *Calendar) AddBusinessDays(t time.Time, n int, loc *time.Location) time.Time {
	d := dateOf(t.In(loc))
	for range n {
		d = c.nextBusiness(d)
	}
	return d.start(loc)
}
