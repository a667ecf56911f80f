package locales

import (
	"fmt"
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	b := bundle(t)
	const (
		m = time.Minute
		h = time.Hour
		d = 24 * time.Hour
	)
	tests := []struct {
		d          time.Duration
		ru, cs, en string
	}{
		{1 * d, "1 день", "1 den", "1 day"},
		{2 * d, "2 дня", "2 dny", "2 days"},
		{5 * d, "5 дней", "5 dní", "5 days"},
		{11 * d, "11 дней", "11 dní", "11 days"},
		{21 * d, "21 день", "21 dní", "21 days"},
		{22 * d, "22 дня", "22 dní", "22 days"},
		{1*d + 5*h, "1 день 5 часов", "1 den 5 hodin", "1 day 5 hours"},
		{2*d + 3*h + 59*m, "2 дня 3 часа", "2 dny 3 hodiny", "2 days 3 hours"},
		{1 * h, "1 час", "1 hodina", "1 hour"},
		{2 * h, "2 часа", "2 hodiny", "2 hours"},
		{5 * h, "5 часов", "5 hodin", "5 hours"},
		{21*h + 1*m, "21 час 1 минута", "21 hodin 1 minuta", "21 hours 1 minute"},
		{23*h + 22*m, "23 часа 22 минуты", "23 hodin 22 minut", "23 hours 22 minutes"},
		{3*h + 14*m, "3 часа 14 минут", "3 hodiny 14 minut", "3 hours 14 minutes"},
		{1 * m, "1 минута", "1 minuta", "1 minute"},
		{4 * m, "4 минуты", "4 minuty", "4 minutes"},
		{45 * m, "45 минут", "45 minut", "45 minutes"},
		{59*m + 59*time.Second, "59 минут", "59 minut", "59 minutes"},
		{0, "0 минут", "0 minut", "0 minutes"},
		{-3 * h, "0 минут", "0 minut", "0 minutes"},
		{1000 * d, "1" + nbsp + "000 дней", "1" + nbsp + "000 dní", "1,000 days"},
	}
	for _, tt := range tests {
		wantInEach(t, b, fmt.Sprintf("Duration(%v)", tt.d), tt.ru, tt.cs, tt.en,
			func(l *Localizer) string { return l.Duration(tt.d) })
	}
}

// TestFractionalCounts checks the forms only fractions reach: ru "other",
// cs "many" ("1,5 dne"), with the count in the locale's notation.
func TestFractionalCounts(t *testing.T) {
	b := bundle(t)
	tests := []struct {
		lang, id string
		count    any
		want     string
	}{
		{"ru", "duration.days", "1.5", "1,5 дня"},
		{"ru", "duration.hours", "0.5", "0,5 часа"},
		{"cs", "duration.days", "1.5", "1,5 dne"},
		{"cs", "duration.hours", "2.5", "2,5 hodiny"},
		{"cs", "duration.minutes", "0.5", "0,5 minuty"},
		{"en", "duration.days", "1.5", "1.5 days"},
		{"en", "duration.days", "1.0", "1.0 days"},
		{"ru", "duration.days", int64(101), "101 день"},
		{"ru", "duration.days", 111, "111 дней"},
		{"cs", "duration.days", 0, "0 dní"},
	}
	for _, tt := range tests {
		got, err := b.For(tt.lang).Render(M(tt.id).N(tt.count))
		if err != nil || got != tt.want {
			t.Errorf("%s Render(%s, %v) = %q, %v; want %q", tt.lang, tt.id, tt.count, got, err, tt.want)
		}
	}
}

// TestDurationArgument: a Duration passed to a message renders in words with
// the plural forms of each number.
func TestDurationArgument(t *testing.T) {
	b := fakeBundle(t,
		`left = "Time left: {{.Left}}"`,
		`left = "До конца срока: {{.Left}}"`,
		`left = "Do konce lhůty: {{.Left}}"`)
	m := M("left", "Left", Duration(24*time.Hour+5*time.Hour+30*time.Second))
	wantInEach(t, b, "Render(left)", "До конца срока: 1 день 5 часов", "Do konce lhůty: 1 den 5 hodin", "Time left: 1 day 5 hours",
		func(l *Localizer) string { s, _ := l.Render(m); return s })
}
