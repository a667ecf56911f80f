package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"paydesk/flows"
)

// Config is everything paydesk reads from its environment. It is read here,
// in cmd/, and passed down as values.
type Config struct {
	Token      string        // PAYDESK_TELEGRAM_TOKEN
	APIURL     string        // PAYDESK_TELEGRAM_API_URL
	DB         string        // PAYDESK_DB: the SQLite file
	RedisURL   string        // PAYDESK_REDIS_URL: the State in Redis (several replicas); empty: in PAYDESK_DB
	Lease      time.Duration // PAYDESK_LEASE: how long a replica's unsent replies wait before another resends them
	Demo       bool          // PAYDESK_DEMO=1: seed the demo ledger into an empty database
	Secret     string        // PAYDESK_SECRET: signs buttons and link tokens
	SessionTTL time.Duration // PAYDESK_SESSION_TTL: how long an unfinished step waits

	// Webhook mode when WebhookURL is set, else long polling.
	WebhookURL    string // PAYDESK_WEBHOOK_URL: the public https URL Telegram posts to
	WebhookListen string // PAYDESK_WEBHOOK_LISTEN: where the webhook, /healthz and /readyz listen
	WebhookSecret string // PAYDESK_WEBHOOK_SECRET: Telegram sends it with every update
	WebhookConns  int    // PAYDESK_WEBHOOK_MAX_CONNECTIONS: setWebhook max_connections

	Workers int           // PAYDESK_WORKERS: updates handled at once (different chats)
	Tick    time.Duration // PAYDESK_TICK: how often periodic jobs run; 0 turns them off

	Limits  flows.Limits  // PAYDESK_TIERS, PAYDESK_PROVIDERS: withdrawal limits over the ledger's
	Support SupportConfig // PAYDESK_SUPPORT_*: the support group and its hours

	// LocaleTesters are the Telegram user ids of PAYDESK_LOCALE_TESTERS:
	// they get the pseudo-locale, the IDs mode and /fix in their own chat.
	LocaleTesters []int64
}

// minSecret is the shortest accepted PAYDESK_SECRET: buttons are signed with
// it, so it must not be guessable.
const minSecret = 32

// webhookSecretChars is what Telegram allows in a webhook secret_token.
var webhookSecretChars = regexp.MustCompile(`^[A-Za-z0-9_-]{16,256}$`)

// loadConfig reads the environment and applies defaults.
func loadConfig(getenv func(string) string) (Config, error) {
	c := Config{
		Token:         getenv("PAYDESK_TELEGRAM_TOKEN"),
		APIURL:        or(getenv("PAYDESK_TELEGRAM_API_URL"), "https://api.telegram.org"),
		DB:            or(getenv("PAYDESK_DB"), "paydesk.db"),
		RedisURL:      getenv("PAYDESK_REDIS_URL"),
		Secret:        getenv("PAYDESK_SECRET"),
		SessionTTL:    24 * time.Hour,
		WebhookURL:    getenv("PAYDESK_WEBHOOK_URL"),
		WebhookListen: getenv("PAYDESK_WEBHOOK_LISTEN"),
		WebhookSecret: getenv("PAYDESK_WEBHOOK_SECRET"),
		WebhookConns:  40,
		Workers:       16,
		Tick:          time.Minute,
		Lease:         time.Minute,
	}
	var errs []error
	if v := getenv("PAYDESK_DEMO"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("PAYDESK_DEMO=%q: want 1 or 0", v))
		}
		c.Demo = b
	}
	errs = append(errs,
		duration(getenv, "PAYDESK_SESSION_TTL", "24h", false, &c.SessionTTL),
		duration(getenv, "PAYDESK_TICK", "1m (0 turns periodic jobs off)", true, &c.Tick),
		duration(getenv, "PAYDESK_LEASE", "1m", false, &c.Lease),
		count(getenv, "PAYDESK_WORKERS", 1, 1024, &c.Workers),
		count(getenv, "PAYDESK_WEBHOOK_MAX_CONNECTIONS", 1, 100, &c.WebhookConns),
	)
	if c.WebhookURL != "" {
		errs = append(errs, c.checkWebhook())
	}
	if c.WebhookListen != "" {
		if _, _, err := net.SplitHostPort(c.WebhookListen); err != nil {
			errs = append(errs, fmt.Errorf("PAYDESK_WEBHOOK_LISTEN=%q: want host:port such as 127.0.0.1:8443", c.WebhookListen))
		}
	}
	var err error
	if c.Limits.Tiers, err = flows.ParseTiers(getenv("PAYDESK_TIERS")); err != nil {
		errs = append(errs, fmt.Errorf("PAYDESK_TIERS: %w (want e.g. standard=2,gold=1)", err))
	}
	if c.Limits.Providers, err = flows.ParseProviders(getenv("PAYDESK_PROVIDERS")); err != nil {
		errs = append(errs, fmt.Errorf("PAYDESK_PROVIDERS: %w (want e.g. kaspi=1/3,sepa=2/7)", err))
	}
	if c.Support, err = loadSupportConfig(getenv); err != nil {
		errs = append(errs, err)
	}
	if c.LocaleTesters, err = parseUserIDs(getenv("PAYDESK_LOCALE_TESTERS")); err != nil {
		errs = append(errs, fmt.Errorf("PAYDESK_LOCALE_TESTERS: %w (want Telegram user ids separated by commas, e.g. 12345678,87654321)", err))
	}
	return c, errors.Join(errs...)
}

// checkWebhook: Telegram posts only to https, and the secret is what keeps
// others from posting forged updates.
func (c *Config) checkWebhook() error {
	u, err := url.Parse(c.WebhookURL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("PAYDESK_WEBHOOK_URL=%q: want the public https URL Telegram posts to, e.g. https://bot.example.com/telegram/webhook", c.WebhookURL)
	}
	if !webhookSecretChars.MatchString(c.WebhookSecret) {
		return errors.New("set PAYDESK_WEBHOOK_SECRET to 16-256 characters of A-Z, a-z, 0-9, _ and - (e.g. `openssl rand -hex 32`): Telegram sends it with every update")
	}
	if c.WebhookListen == "" {
		c.WebhookListen = "127.0.0.1:8443"
	}
	return nil
}

// WebhookPath is where the webhook is served: the path of its public URL.
func (c Config) WebhookPath() string {
	u, err := url.Parse(c.WebhookURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

func duration(getenv func(string) string, name, example string, zeroOK bool, dst *time.Duration) error {
	v := getenv(name)
	if v == "" {
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 || (d == 0 && !zeroOK) {
		return fmt.Errorf("%s=%q: want a duration such as %s", name, v, example)
	}
	*dst = d
	return nil
}

func count(getenv func(string) string, name string, lo, hi int, dst *int) error {
	v := getenv(name)
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return fmt.Errorf("%s=%q: want a whole number from %d to %d", name, v, lo, hi)
	}
	*dst = n
	return nil
}

// checkSecret explains what to set when the secret is missing or short.
func checkSecret(secret string) error {
	if len(secret) < minSecret {
		return fmt.Errorf("set PAYDESK_SECRET to a random string of at least %d characters (e.g. `openssl rand -hex 32`); to try the bot without Telegram run `go run ./cmd/paydesk demo`", minSecret)
	}
	return nil
}

// parseUserIDs reads "1,2, 3" as Telegram user ids; "" is none.
func parseUserIDs(v string) ([]int64, error) {
	var ids []int64
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("%q is not a user id", f)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
