package locales

import (
	"fmt"
	"strconv"
	"time"
)

// Date formats the calendar day of t in zone loc (UTC if nil) with the month
// name in the case a day number needs: "23 ноября", "23. listopadu",
// "23 November".
func (l *Localizer) Date(t time.Time, loc *time.Location) string {
	t = inZone(t, loc)
	return l.Text(M("format.date", "Day", Raw(strconv.Itoa(t.Day())), "Month", Raw(l.month(t))))
}

// DateTime is Date with the time of day on a 24-hour clock:
// "23 ноября, 14:05", "23. listopadu 14:05", "23 November, 14:05".
func (l *Localizer) DateTime(t time.Time, loc *time.Location) string {
	t = inZone(t, loc)
	clock := l.Text(M("format.time",
		"Hour", Raw(strconv.Itoa(t.Hour())),
		"Minute", Raw(fmt.Sprintf("%02d", t.Minute()))))
	return l.Text(M("format.datetime",
		"Day", Raw(strconv.Itoa(t.Day())),
		"Month", Raw(l.month(t)),
		"Time", Raw(clock)))
}

// month is the month name as it follows a day number (genitive in ru and cs).
func (l *Localizer) month(t time.Time) string {
	return l.Text(M("month.m" + strconv.Itoa(int(t.Month()))))
}

func inZone(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc)
}

// ZoneName names a time zone for people who read times in it: its IANA name
// and its offset from UTC at t, "Asia/Almaty (UTC+5)", "Europe/Prague
// (UTC+1)", "Asia/Kolkata (UTC+5:30)", or plain "UTC". The same in every
// language.
func ZoneName(t time.Time, loc *time.Location) string {
	t = inZone(t, loc)
	_, off := t.Zone()
	sign := "+"
	if off < 0 {
		sign, off = "−", -off
	}
	utc := "UTC"
	if name := t.Location().String(); name == utc && off == 0 {
		return utc
	}
	if off != 0 {
		utc += sign + strconv.Itoa(off/3600)
		if m := off % 3600 / 60; m != 0 {
			utc += fmt.Sprintf(":%02d", m)
		}
	}
	return t.Location().String() + " (" + utc + ")"
}
