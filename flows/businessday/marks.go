package businessday

import (
	"math/bits"
	"time"
)

// nextBusiness is the first business date after d.
func (c *Calendar) nextBusiness(d date) date {
	for d = d.addDays(1); !c.isBusiness(d); d = d.addDays(1) {
	}
	return d
}

// marks walks the instants at which 1, 2, 3, … business days have elapsed.
type marks struct {
	c   *Calendar
	loc *time.Location
	day date // business date of the last mark (or where the walk starts)
	// into is how far into its business date start was, out of dayLen;
	// zero means start was on a day off or at midnight, so marks are the
	// ends of business dates.
	into, dayLen time.Duration
}

func (c *Calendar) marks(start time.Time, loc *time.Location) *marks {
	d := dateOf(start.In(loc))
	into := start.Sub(d.start(loc))
	if c.isBusiness(d) && into > 0 {
		return &marks{c: c, loc: loc, day: d, into: into, dayLen: d.length(loc)}
	}
	return &marks{c: c, loc: loc, day: d.addDays(-1)}
}

// next is the next mark: the same share into the next business date, or the
// end of the next business date.
func (m *marks) next() time.Time {
	m.day = m.c.nextBusiness(m.day)
	if m.into == 0 {
		return m.day.addDays(1).start(m.loc)
	}
	return m.day.start(m.loc).Add(scale(m.into, m.day.length(m.loc), m.dayLen))
}

// scale is into*length/of rounded up, so that at the mark the share is
// reached and one nanosecond before it is not. It needs into < of, which
// holds because into is a point inside a day of length of.
func scale(into, length, of time.Duration) time.Duration {
	if length == of {
		return into
	}
	hi, lo := bits.Mul64(uint64(into), uint64(length))
	q, r := bits.Div64(hi, lo, uint64(of))
	if r != 0 {
		q++
	}
	return time.Duration(q)
}

// businessTime is how much of [from, to] falls on business dates in loc.
func (c *Calendar) businessTime(from, to time.Time, loc *time.Location) time.Duration {
	var sum time.Duration
	for d := dateOf(from.In(loc)); !d.start(loc).After(to); d = d.addDays(1) {
		if !c.isBusiness(d) {
			continue
		}
		lo, hi := d.start(loc), d.addDays(1).start(loc)
		if from.After(lo) {
			lo = from
		}
		if to.Before(hi) {
			hi = to
		}
		if hi.After(lo) {
			sum += hi.Sub(lo)
		}
	}
	return sum
}
