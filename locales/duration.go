package locales

import (
	"strings"
	"time"
)

// Duration is a length of time as a message argument, rendered by
// Localizer.Duration: "1 день 5 часов". A template cannot pick plural forms
// for two numbers at once, so the words come whole from here.
type Duration time.Duration

// Duration says how long d is in the two largest units that matter, with the
// right plural forms: "1 день 5 часов", "2 dny 3 hodiny", "1 day 5 hours";
// hours and minutes below a day ("3 часа 20 минут"); minutes below an hour.
// A zero second part is left out ("2 дня"). d is cut down to whole minutes,
// and a negative d counts as zero.
func (l *Localizer) Duration(d time.Duration) string {
	minutes := int64(max(d, 0) / time.Minute)
	days, hours, mins := minutes/(24*60), minutes/60%24, minutes%60
	type part struct {
		id string
		n  int64
	}
	var parts []part
	switch {
	case days > 0:
		parts = []part{{"duration.days", days}, {"duration.hours", hours}}
	case hours > 0:
		parts = []part{{"duration.hours", hours}, {"duration.minutes", mins}}
	default:
		return l.Text(M("duration.minutes").N(mins))
	}
	words := make([]string, 0, len(parts))
	for _, p := range parts {
		if p.n > 0 {
			words = append(words, l.Text(M(p.id).N(p.n)))
		}
	}
	return strings.Join(words, " ")
}
