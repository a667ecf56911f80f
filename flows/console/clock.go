package console

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The demo's clock: "/clock +2d" (+5h, +30m, or several: +1d12h) moves the
// time the engine sees forward and runs the periodic jobs, as the bot's
// notifier would when that much time has passed, so a queued refund, an
// expiring request or a reminder shows up in the terminal. Time never goes
// back: the ledger and the sessions have already seen the present.

// ClockCommand is the console line that moves the demo clock.
const ClockCommand = "/clock"

// ErrClockShift: a /clock argument that is not a forward shift.
var ErrClockShift = errors.New("want a forward shift such as +2d, +5h, +30m or +1d12h")

// ParseClockShift reads the argument of /clock: an optional "+", then one or
// more <number><unit> with units d (24 h), h and m. "+2d", "+5h", "+1d12h".
func ParseClockShift(s string) (time.Duration, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "+")
	if s == "" {
		return 0, ErrClockShift
	}
	var total time.Duration
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i == len(s) || i > 6 {
			return 0, fmt.Errorf("%q: %w", s, ErrClockShift)
		}
		n, _ := strconv.Atoi(s[:i]) // at most 6 digits: no overflow
		var unit time.Duration
		switch s[i] {
		case 'd':
			unit = 24 * time.Hour
		case 'h':
			unit = time.Hour
		case 'm':
			unit = time.Minute
		default:
			return 0, fmt.Errorf("%q: %w", s, ErrClockShift)
		}
		total += time.Duration(n) * unit
		s = s[i+1:]
	}
	if total <= 0 {
		return 0, ErrClockShift
	}
	return total, nil
}

// clockLine handles "/clock <shift>": it moves the clock through c.Advance,
// says what time it is now, and runs the periodic jobs.
func (c *Console) clockLine(ctx context.Context, arg string) error {
	if c.Advance == nil {
		fmt.Fprintln(c.out, "(demo) this console has no clock to move")
		return nil
	}
	d, err := ParseClockShift(arg)
	if err != nil {
		fmt.Fprintf(c.out, "(demo) /clock %s: %v\n", strings.TrimSpace(arg), err)
		return nil
	}
	now := c.Advance(d)
	fmt.Fprintf(c.out, "(demo) the clock moved %s forward: it is now %s UTC\n", shiftText(d), now.UTC().Format("2006-01-02 15:04"))
	return c.Tick(ctx)
}

// shiftText writes a shift back the way /clock reads it: "+1d12h".
func shiftText(d time.Duration) string {
	var b strings.Builder
	b.WriteByte('+')
	for _, u := range []struct {
		unit time.Duration
		sym  string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}} {
		if n := d / u.unit; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.sym)
			d -= n * u.unit
		}
	}
	return b.String()
}
