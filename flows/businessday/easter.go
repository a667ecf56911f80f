package businessday

import "time"

// easter is Easter Sunday of year in the Gregorian calendar (the anonymous
// "Meeus/Jones/Butcher" computus), which Czech Good Friday and Easter Monday
// follow.
func easter(year int) date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return date{year, time.Month(month), day}
}
