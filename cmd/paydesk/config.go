package main

import (
	"fmt"
	"strconv"
	"time"

	"paydesk/flows"
)

// Config is everything paydesk reads from its environment. It is read here,
// in cmd/, and passed down as values.
type Config struct {
	Token      string        // PAYDESK_TELEGRAM_TOKEN
	APIURL     string        // PAYDESK_TELEGRAM_API_URL
	DB         string        // PAYDESK_DB: the SQLite file
	Demo       bool          // PAYDESK_DEMO=1: seed the demo ledger into an empty database
	Secret     string        // PAYDESK_SECRET: signs buttons and link tokens
	SessionTTL time.Duration // PAYDESK_SESSION_TTL: how long an unfinished step waits
	Limits     flows.Limits  // PAYDESK_TIERS, PAYDESK_PROVIDERS: withdrawal limits over the ledger's
	Support    SupportConfig // PAYDESK_SUPPORT_*: the support group and its hours
}

// minSecret is the shortest accepted PAYDESK_SECRET: buttons are signed with
// it, so it must not be guessable.
const minSecret = 32

// loadConfig reads the environment and applies defaults.
func loadConfig(getenv func(string) string) (Config, error) {
	c := Config{
		Token:      getenv("PAYDESK_TELEGRAM_TOKEN"),
		APIURL:     or(getenv("PAYDESK_TELEGRAM_API_URL"), "https://api.telegram.org"),
		DB:         or(getenv("PAYDESK_DB"), "paydesk.db"),
		Secret:     getenv("PAYDESK_SECRET"),
		SessionTTL: 24 * time.Hour,
	}
	if v := getenv("PAYDESK_DEMO"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("PAYDESK_DEMO=%q: want 1 or 0", v)
		}
		c.Demo = b
	}
	if v := getenv("PAYDESK_SESSION_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("PAYDESK_SESSION_TTL=%q: want a duration such as 24h", v)
		}
		c.SessionTTL = d
	}
	var err error
	if c.Limits.Tiers, err = flows.ParseTiers(getenv("PAYDESK_TIERS")); err != nil {
		return c, fmt.Errorf("PAYDESK_TIERS: %w (want e.g. standard=2,gold=1)", err)
	}
	if c.Limits.Providers, err = flows.ParseProviders(getenv("PAYDESK_PROVIDERS")); err != nil {
		return c, fmt.Errorf("PAYDESK_PROVIDERS: %w (want e.g. kaspi=1/3,sepa=2/7)", err)
	}
	support, err := loadSupportConfig(getenv)
	if err != nil {
		return c, err
	}
	c.Support = support
	return c, nil
}

// checkSecret explains what to set when the secret is missing or short.
func checkSecret(secret string) error {
	if len(secret) < minSecret {
		return fmt.Errorf("set PAYDESK_SECRET to a random string of at least %d characters (e.g. `openssl rand -hex 32`); to try the bot without Telegram run `go run ./cmd/paydesk demo`", minSecret)
	}
	return nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
