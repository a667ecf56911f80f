package main

import (
	"fmt"
	"strconv"
	"time"
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
