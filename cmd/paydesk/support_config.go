package main

import (
	"paydesk/flows"
)

// SupportConfig connects the support team: their supergroup, the language
// the bot writes to them in, and their working hours. Its variables are in
// the table in vars.go.
type SupportConfig struct {
	ChatID int64              // PAYDESK_SUPPORT_CHAT_ID: the supergroup with topics; 0: none
	Lang   string             // PAYDESK_SUPPORT_LANGUAGE: ru, cs or en (default en)
	Hours  flows.SupportHours // PAYDESK_SUPPORT_HOURS in PAYDESK_SUPPORT_TZ, PAYDESK_SUPPORT_WAIT
}

// engineOptions are the flows options of the support configuration; a
// Config built by hand without hours keeps the engine's defaults.
func (c SupportConfig) engineOptions() []flows.Option {
	if c.Hours.Loc == nil {
		return nil
	}
	return []flows.Option{flows.WithSupportHours(c.Hours)}
}
