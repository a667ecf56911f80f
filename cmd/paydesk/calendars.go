package main

import (
	"log/slog"
	"time"

	"paydesk/flows/businessday"
)

// calendarHorizon is how far ahead serve wants every business-day calendar
// to know each day off: a withdrawal's limit runs up to 7 business days,
// and a year's data take time to be published and added.
const calendarHorizon = 90 * 24 * time.Hour

// warnCalendars warns at start for each country whose holiday data do not
// cover the next calendarHorizon: past its table a calendar misses lunar
// holidays and decreed day swaps, so limits and "what to expect" dates
// would count days off as working days.
func warnCalendars(log *slog.Logger, now time.Time) {
	for _, g := range businessday.Uncovered(now, now.Add(calendarHorizon)) {
		log.Warn("business-day calendar does not cover the next 90 days: holidays of that year are missing, add them (README: Adding a year to a business-day calendar)",
			"country", g.Country, "year", g.Year)
	}
}
