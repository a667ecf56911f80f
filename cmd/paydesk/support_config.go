package main

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"paydesk/flows"
	"paydesk/locales"
)

// SupportConfig connects the support team: their supergroup, the language
// the bot writes to them in, and their working hours.
type SupportConfig struct {
	ChatID int64              // PAYDESK_SUPPORT_CHAT_ID: the supergroup with topics; 0: none
	Lang   string             // PAYDESK_SUPPORT_LANGUAGE: ru, cs or en (default en)
	Hours  flows.SupportHours // PAYDESK_SUPPORT_HOURS in PAYDESK_SUPPORT_TZ, PAYDESK_SUPPORT_WAIT
}

// loadSupportConfig reads the PAYDESK_SUPPORT_* variables.
func loadSupportConfig(getenv func(string) string) (SupportConfig, error) {
	c := SupportConfig{Lang: or(getenv("PAYDESK_SUPPORT_LANGUAGE"), "en")}
	if v := getenv("PAYDESK_SUPPORT_CHAT_ID"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id >= 0 {
			return c, fmt.Errorf("PAYDESK_SUPPORT_CHAT_ID=%q: want the supergroup's id, a negative number such as -1001234567890", v)
		}
		c.ChatID = id
	}
	if !slices.Contains(locales.Languages, c.Lang) {
		return c, fmt.Errorf("PAYDESK_SUPPORT_LANGUAGE=%q: want one of %v", c.Lang, locales.Languages)
	}
	tz := or(getenv("PAYDESK_SUPPORT_TZ"), "UTC")
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return c, fmt.Errorf("PAYDESK_SUPPORT_TZ=%q: want an IANA time zone such as Asia/Almaty", tz)
	}
	wait := 15 * time.Minute
	if v := getenv("PAYDESK_SUPPORT_WAIT"); v != "" {
		if wait, err = time.ParseDuration(v); err != nil || wait <= 0 {
			return c, fmt.Errorf("PAYDESK_SUPPORT_WAIT=%q: want a duration such as 15m", v)
		}
	}
	c.Hours, err = flows.ParseSupportHours(or(getenv("PAYDESK_SUPPORT_HOURS"), "Mon-Fri 09:00-18:00"), loc, wait)
	if err != nil {
		return c, fmt.Errorf("PAYDESK_SUPPORT_HOURS: %w", err)
	}
	return c, nil
}

// engineOptions are the flows options of the support configuration; a
// Config built by hand without hours keeps the engine's defaults.
func (c SupportConfig) engineOptions() []flows.Option {
	if c.Hours.Loc == nil {
		return nil
	}
	return []flows.Option{flows.WithSupportHours(c.Hours)}
}
