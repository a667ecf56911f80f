package locales

import (
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// formNames are go-i18n's keys for x/text's plural forms.
var formNames = map[plural.Form]string{
	plural.Zero: "zero", plural.One: "one", plural.Two: "two",
	plural.Few: "few", plural.Many: "many", plural.Other: "other",
}

// pluralForms lists, in CLDR order, the cardinal plural forms lang uses, found
// by asking x/text's CLDR rules about integers 0..1000 and some decimals
// rather than trusting a hand-written list: ru and cs give one, few, many,
// other; en gives one, other.
func pluralForms(tag language.Tag) []string {
	used := map[plural.Form]bool{}
	for i := 0; i <= 1000; i++ {
		used[plural.Cardinal.MatchPlural(tag, i, 0, 0, 0, 0)] = true
	}
	// i, v (fraction digits), w (without trailing zeros), f, t (the digits):
	// 0.5, 1.5, 2.5, 10.1, 1.0, 2.25.
	for _, d := range [][5]int{{0, 1, 1, 5, 5}, {1, 1, 1, 5, 5}, {2, 1, 1, 5, 5}, {10, 1, 1, 1, 1}, {1, 1, 0, 0, 0}, {2, 2, 2, 25, 25}} {
		used[plural.Cardinal.MatchPlural(tag, d[0], d[1], d[2], d[3], d[4])] = true
	}
	var names []string
	for _, f := range []plural.Form{plural.Zero, plural.One, plural.Two, plural.Few, plural.Many, plural.Other} {
		if used[f] {
			names = append(names, formNames[f])
		}
	}
	return names
}
