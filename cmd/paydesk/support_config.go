package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"paydesk/flows"
	"paydesk/locales"
)

// SupportConfig connects the support team: their supergroups, the language
// the bot writes to them in, and their working hours. Its variables are in
// the table in vars.go.
type SupportConfig struct {
	ChatID int64 // PAYDESK_SUPPORT_CHAT_ID: the supergroup with topics for every language; 0: none
	// Groups is PAYDESK_SUPPORT_GROUPS: a supergroup per customer language
	// ("ru", "cs", "en") and "*" for the rest; ChatID, when set, is "*"
	// unless Groups names one.
	Groups map[string]int64
	Lang   string             // PAYDESK_SUPPORT_LANGUAGE: ru, cs or en (default en)
	Hours  flows.SupportHours // PAYDESK_SUPPORT_HOURS in PAYDESK_SUPPORT_TZ, PAYDESK_SUPPORT_WAIT
}

// parseSupportGroups reads "ru=-100111,cs=-100222,en=-100333,*=-100111".
func parseSupportGroups(v string) (map[string]int64, error) {
	groups := map[string]int64{}
	for _, part := range strings.Split(v, ",") {
		lang, id, ok := strings.Cut(strings.TrimSpace(part), "=")
		lang = strings.ToLower(strings.TrimSpace(lang))
		if !ok {
			return nil, fmt.Errorf("%q: want language=supergroup id, e.g. ru=-1001234567890", part)
		}
		if lang != "*" && !slices.Contains(locales.Languages, lang) {
			return nil, fmt.Errorf("%q: language %q is not one of %v or *", part, lang, locales.Languages)
		}
		g, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64)
		if err != nil || g >= 0 {
			return nil, fmt.Errorf("%q: want the supergroup's id, a negative number such as -1001234567890", part)
		}
		if _, dup := groups[lang]; dup {
			return nil, fmt.Errorf("%q: %s is given twice", part, lang)
		}
		groups[lang] = g
	}
	return groups, nil
}

// SupportGroups is the group of each language, "*" for the rest: the
// single PAYDESK_SUPPORT_CHAT_ID is "every language".
func (c SupportConfig) SupportGroups() map[string]int64 {
	out := map[string]int64{}
	if c.ChatID != 0 {
		out["*"] = c.ChatID
	}
	for lang, g := range c.Groups {
		out[lang] = g
	}
	return out
}

// configured reports whether any support group is set.
func (c SupportConfig) configured() bool { return len(c.SupportGroups()) > 0 }

// engineOptions are the flows options of the support configuration; a
// Config built by hand without hours keeps the engine's defaults.
func (c SupportConfig) engineOptions() []flows.Option {
	if c.Hours.Loc == nil {
		return nil
	}
	return []flows.Option{flows.WithSupportHours(c.Hours)}
}
