package businessday

import "time"

// czech is the Czech Republic's calendar: the public holidays and other
// days off of Act No. 245/2000 Coll. (zákon o státních svátcích, ostatních
// svátcích, významných dnech a o dnech pracovního klidu), Good Friday included
// since 2016. Czech law has no substitute day for a holiday on a weekend and
// the government decrees no swaps, so rules alone cover every year; Easter is
// computed.
var czech = country{
	code:   "CZ",
	easter: true,
	fixed: []fixedHoliday{
		{month: time.January, day: 1, name: "Restoration Day of the Independent Czech State; New Year's Day"},
		{month: time.May, day: 1, name: "Labour Day"},
		{month: time.May, day: 8, name: "Liberation Day"},
		{month: time.July, day: 5, name: "Saints Cyril and Methodius Day"},
		{month: time.July, day: 6, name: "Jan Hus Day"},
		{month: time.September, day: 28, name: "St. Wenceslas Day (Czech Statehood Day)"},
		{month: time.October, day: 28, name: "Independent Czechoslovak State Day"},
		{month: time.November, day: 17, name: "Struggle for Freedom and Democracy Day"},
		{month: time.December, day: 24, name: "Christmas Eve"},
		{month: time.December, day: 25, name: "Christmas Day"},
		{month: time.December, day: 26, name: "St. Stephen's Day"},
	},
}
