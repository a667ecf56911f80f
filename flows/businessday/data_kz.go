package businessday

import "time"

// kazakh is Kazakhstan's calendar for a five-day working week: the holidays
// of the Law "On holidays in the Republic of Kazakhstan" and Labour Code
// art. 84-85. A secular holiday on a Saturday or Sunday gives the next working
// day off (shift: true); the religious days off, Orthodox Christmas and the
// first day of Kurban Ait, are never shifted. Swaps are decreed each year by
// the government (or the Ministry of Labour) and must be added here when
// published, usually in November for the next year.
var kazakh = country{
	code: "KZ",
	fixed: []fixedHoliday{
		{month: time.January, day: 1, name: "New Year's Day", shift: true},
		{month: time.January, day: 2, name: "New Year's Day (second day)", shift: true},
		{month: time.January, day: 7, name: "Orthodox Christmas"},
		{month: time.March, day: 8, name: "International Women's Day", shift: true},
		// The constitution adopted by the referendum of 2026-03-15 made that
		// date Constitution Day, celebrated from 2027, and 30 August stopped
		// being a holiday already in 2026 (Ministry of Labour, reported by
		// taspanews.kz 2026-03-18 "В этом году казахстанцы не будут отдыхать
		// 30 августа"; draft art. 94, inform.kz 2026-02-12).
		{month: time.March, day: 15, name: "Constitution Day", shift: true, from: 2027},
		{month: time.March, day: 21, name: "Nauryz", shift: true},
		{month: time.March, day: 22, name: "Nauryz", shift: true},
		{month: time.March, day: 23, name: "Nauryz", shift: true},
		{month: time.May, day: 1, name: "Kazakhstan People's Unity Day", shift: true},
		{month: time.May, day: 7, name: "Defender of the Fatherland Day", shift: true},
		{month: time.May, day: 9, name: "Victory Day", shift: true},
		{month: time.July, day: 6, name: "Capital Day", shift: true},
		{month: time.August, day: 30, name: "Constitution Day", shift: true, until: 2025},
		{month: time.October, day: 25, name: "Republic Day", shift: true},
		{month: time.December, day: 16, name: "Independence Day", shift: true},
	},
	years: map[int]yearData{
		// Kurban Ait 2025-06-06: pobipb.kz "Календарь выходных и праздничных
		// дней на 2025 год", mgorod.kz. Swap: the day off moved from Sunday
		// 5 January to Friday 3 January by order of the Ministry of Labour
		// (energy-city.kz, informburodata.com, Nov 2024). No other swap in
		// 2025: with these data the year has 246 working days, the number the
		// official calendar publishes (tested).
		2025: {
			holidays: []datedHoliday{{on: date{2025, time.June, 6}, name: kurbanAit}},
			swaps:    []swap{{off: date{2025, time.January, 3}, worked: date{2025, time.January, 5}}},
		},
		// Kurban Ait 2026-05-27: Spiritual Administration of Muslims of
		// Kazakhstan (DUMK) calendar, zakon.kz 2025-11-06, inform.kz
		// 2026-01-02 (egov calendar). No swaps: the egov calendar lists only
		// the weekend shifts (inform.kz 2026-01-02, alau.kz 2026-01-02).
		2026: {
			holidays: []datedHoliday{{on: date{2026, time.May, 27}, name: kurbanAit}},
		},
		// Kurban Ait 2027-05-16 (a Sunday, so no extra day off) is the
		// astronomical 10 Dhu al-Hijjah 1448; DUMK had not published its 2027
		// calendar in the sources searched, and it may move by a day. The
		// 2027 swaps had not been decreed either: add them here when they are.
		2027: {
			holidays: []datedHoliday{{on: date{2027, time.May, 16}, name: kurbanAit}},
		},
	},
}

const kurbanAit = "Kurban Ait"
