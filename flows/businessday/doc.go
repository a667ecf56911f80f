// Package businessday counts business days in a customer's country calendar,
// on calendar dates in the customer's time zone.
//
// paydesk tells customers how long a withdrawal stage takes ("minutes to 3
// business days, rarely up to 7 because of national holidays") and when a
// stage has run past its limit N, which is when the "Waiting more than N
// days?" button appears. A provider's "3 business days" means days on which
// banks in the customer's country work, so weekends, public holidays and the
// government's day swaps all matter, and which date an instant falls on is
// decided in the customer's zone, not the server's.
//
// Supported countries: "KZ" (Kazakhstan) and "CZ" (Czech Republic).
//
// # Data coverage
//
// The holiday tables are complete for 2025–2027 (see data_kz.go and
// data_cz.go for sources and for what could not be confirmed). Outside that
// range a calendar knows only weekends and the holidays that follow a rule:
// fixed-date holidays (with Kazakhstan's weekend shift, which is law, not a
// yearly decree) and, for CZ, Good Friday and Easter Monday from the computed
// Easter date. Kazakhstan's Kurban Ait (lunar) and the yearly decreed day
// swaps are unknown outside the table; [Calendar.HasData] tells callers which
// years are fully covered so they can warn before the tables run out.
//
// The package embeds time/tzdata so that Asia/Almaty (UTC+5 since
// 2024-03-01) and Europe/Prague load on machines without a zoneinfo database.
package businessday

import _ "time/tzdata" // zones must load on any machine, e.g. a scratch container
