package flows

import (
	"fmt"
	"strings"
	"time"
)

// SupportHours are the support team's working hours: on which weekdays,
// from when to when in the team's time zone, and how long a customer
// usually waits for the first answer while the team works. The customer is
// shown the wait during working hours and, outside them, when the team is
// back, in the customer's own time zone.
type SupportHours struct {
	Days        [7]bool       // indexed by time.Weekday
	Open, Close time.Duration // since local midnight; Close may be 24h
	Loc         *time.Location
	Wait        time.Duration // the expected first answer while open
}

// DefaultSupportHours: Monday to Friday, 09:00–18:00 UTC, answers within
// 15 minutes.
func DefaultSupportHours() SupportHours {
	h, _ := ParseSupportHours("Mon-Fri 09:00-18:00", time.UTC, 15*time.Minute)
	return h
}

// WithSupportHours sets the support team's working hours.
func WithSupportHours(h SupportHours) Option { return func(e *Engine) { e.hours = h } }

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// ParseSupportHours reads "Mon-Fri 09:00-18:00" (days as a range or a comma
// list such as "Mon,Wed,Sat"; close may be 24:00) in loc.
func ParseSupportHours(spec string, loc *time.Location, wait time.Duration) (SupportHours, error) {
	h := SupportHours{Loc: loc, Wait: wait}
	days, clock, ok := strings.Cut(strings.TrimSpace(spec), " ")
	if !ok {
		return h, fmt.Errorf("support hours %q: want days and hours, e.g. \"Mon-Fri 09:00-18:00\"", spec)
	}
	for _, part := range strings.Split(days, ",") {
		from, to, isRange := strings.Cut(strings.ToLower(strings.TrimSpace(part)), "-")
		if !isRange {
			to = from
		}
		a, okA := weekdays[from]
		b, okB := weekdays[to]
		if !okA || !okB {
			return h, fmt.Errorf("support hours %q: unknown day in %q (use Mon..Sun)", spec, part)
		}
		for d := a; ; d = (d + 1) % 7 {
			h.Days[d] = true
			if d == b {
				break
			}
		}
	}
	open, closing, ok := strings.Cut(strings.TrimSpace(clock), "-")
	var err1, err2 error
	h.Open, err1 = clockTime(open)
	h.Close, err2 = clockTime(closing)
	if !ok || err1 != nil || err2 != nil || h.Open >= h.Close {
		return h, fmt.Errorf("support hours %q: want opening and closing time, e.g. 09:00-18:00", spec)
	}
	if loc == nil {
		return h, fmt.Errorf("support hours %q: no time zone", spec)
	}
	return h, nil
}

func clockTime(s string) (time.Duration, error) {
	var hh, mm int
	if _, err := fmt.Sscanf(strings.TrimSpace(s), "%d:%d", &hh, &mm); err != nil {
		return 0, err
	}
	if hh < 0 || mm < 0 || mm > 59 || hh*60+mm > 24*60 {
		return 0, fmt.Errorf("%q is not a time of day", s)
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
}

// NextOpen reports whether the team works at t and, if not, when it starts
// next. Times of day are wall clock in the team's zone, so a DST change
// moves them with the clock, as people expect.
func (h SupportHours) NextOpen(t time.Time) (open bool, at time.Time) {
	if h.Loc == nil {
		h.Loc = time.UTC
	}
	local := t.In(h.Loc)
	y, m, d := local.Date()
	for i := 0; i <= 7; i++ {
		day := time.Date(y, m, d+i, 0, 0, 0, 0, h.Loc)
		if !h.Days[day.Weekday()] {
			continue
		}
		from := wallClock(day, h.Open)
		until := wallClock(day, h.Close)
		switch {
		case t.Before(from):
			return false, from
		case t.Before(until):
			return true, t
		}
	}
	return false, time.Time{} // no working day at all: nobody will answer soon
}

// wallClock is the instant at a time of day on day's date in its zone.
func wallClock(day time.Time, since time.Duration) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), int(since/time.Hour), int(since%time.Hour/time.Minute), 0, 0, day.Location())
}
