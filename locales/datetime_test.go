package locales

import (
	"testing"
	"time"
	_ "time/tzdata" // the zones below even on a machine without tzdata
)

func TestDateAndDateTime(t *testing.T) {
	b := bundle(t)
	almaty := mustZone(t, "Asia/Almaty")
	prague := mustZone(t, "Europe/Prague")
	tests := []struct {
		t            time.Time
		loc          *time.Location
		ruDate, ruDT string
		csDate, csDT string
		enDate, enDT string
	}{
		{time.Date(2026, 11, 23, 9, 5, 0, 0, time.UTC), almaty,
			"23 ноября", "23 ноября, 14:05", "23. listopadu", "23. listopadu 14:05", "23 November", "23 November, 14:05"},
		// Nil zone is UTC.
		{time.Date(2026, 11, 23, 9, 5, 0, 0, time.UTC), nil,
			"23 ноября", "23 ноября, 9:05", "23. listopadu", "23. listopadu 9:05", "23 November", "23 November, 9:05"},
		// The zone moves the day and the year.
		{time.Date(2026, 12, 31, 20, 30, 0, 0, time.UTC), almaty,
			"1 января", "1 января, 1:30", "1. ledna", "1. ledna 1:30", "1 January", "1 January, 1:30"},
		// Prague in summer time is UTC+2, in winter UTC+1.
		{time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC), prague,
			"1 июля", "1 июля, 14:00", "1. července", "1. července 14:00", "1 July", "1 July, 14:00"},
		{time.Date(2026, 2, 1, 23, 59, 0, 0, time.UTC), prague,
			"2 февраля", "2 февраля, 0:59", "2. února", "2. února 0:59", "2 February", "2 February, 0:59"},
	}
	for _, tt := range tests {
		for _, c := range []struct{ lang, date, dt string }{
			{"ru", tt.ruDate, tt.ruDT}, {"cs", tt.csDate, tt.csDT}, {"en", tt.enDate, tt.enDT},
		} {
			l := b.For(c.lang)
			if got := l.Date(tt.t, tt.loc); got != c.date {
				t.Errorf("%s Date(%v, %v) = %q, want %q", c.lang, tt.t, tt.loc, got, c.date)
			}
			if got := l.DateTime(tt.t, tt.loc); got != c.dt {
				t.Errorf("%s DateTime(%v, %v) = %q, want %q", c.lang, tt.t, tt.loc, got, c.dt)
			}
		}
	}
}

// TestMonthNames pins every month in the genitive, as it follows a day number.
func TestMonthNames(t *testing.T) {
	b := bundle(t)
	want := map[string][]string{
		"ru": {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
		"cs": {"ledna", "února", "března", "dubna", "května", "června", "července", "srpna", "září", "října", "listopadu", "prosince"},
		"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	}
	sep := map[string]string{"ru": " ", "cs": ". ", "en": " "}
	for lang, months := range want {
		for i, month := range months {
			d := time.Date(2027, time.Month(i+1), 5, 12, 0, 0, 0, time.UTC)
			if got, w := b.For(lang).Date(d, nil), "5"+sep[lang]+month; got != w {
				t.Errorf("%s Date(%s) = %q, want %q", lang, d.Format("2006-01-02"), got, w)
			}
		}
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load zone %s: %v", name, err)
	}
	return loc
}

// TestZoneName pins how a card names its zone: the offset of that day, with
// minutes only when a zone has them.
func TestZoneName(t *testing.T) {
	kolkata := mustZone(t, "Asia/Kolkata")
	newYork := mustZone(t, "America/New_York")
	prague := mustZone(t, "Europe/Prague")
	winter, summer := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		t    time.Time
		loc  *time.Location
		want string
	}{
		{winter, mustZone(t, "Asia/Almaty"), "Asia/Almaty (UTC+5)"},
		{winter, prague, "Europe/Prague (UTC+1)"},
		{summer, prague, "Europe/Prague (UTC+2)"},
		{winter, kolkata, "Asia/Kolkata (UTC+5:30)"},
		{winter, newYork, "America/New_York (UTC−5)"},
		{winter, nil, "UTC"},
	} {
		if got := ZoneName(tt.t, tt.loc); got != tt.want {
			t.Errorf("ZoneName(%v, %v) = %q, want %q", tt.t, tt.loc, got, tt.want)
		}
	}
}
