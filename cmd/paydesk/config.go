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
// in cmd/, and passed down as values. Each field is set by its entry in
// variables (vars.go); the comments name the variable.
type Config struct {
	Token      string        // PAYDESK_TELEGRAM_TOKEN
	APIURL     string        // PAYDESK_TELEGRAM_API_URL
	DB         string        // PAYDESK_DB: the SQLite file
	RedisURL   string        // PAYDESK_REDIS_URL: the State in Redis (several replicas); empty: in DB
	Demo       bool          // PAYDESK_DEMO=1: seed the demo ledger into an empty database
	Secret     string        // PAYDESK_SECRET: signs buttons and link tokens
	SessionTTL time.Duration // PAYDESK_SESSION_TTL: how long an unfinished step waits

	// Webhook mode when WebhookURL is set, else long polling.
	WebhookURL    string // PAYDESK_WEBHOOK_URL: the public https URL Telegram posts to
	WebhookListen string // PAYDESK_WEBHOOK_LISTEN: where the webhook listens (with /healthz and /readyz)
	WebhookSecret string // PAYDESK_WEBHOOK_SECRET: Telegram sends it with every update
	WebhookConns  int    // PAYDESK_WEBHOOK_MAX_CONNECTIONS: setWebhook max_connections

	// HTTPListen is where /healthz, /readyz and /metrics are served, in
	// both modes; never the webhook's listener (PAYDESK_HTTP_LISTEN).
	HTTPListen string

	Workers int           // PAYDESK_WORKERS: updates handled at once (different chats)
	Tick    time.Duration // PAYDESK_TICK: how often periodic jobs run; 0 turns them off
	// Lease is PAYDESK_DELIVERY_LEASE: how long the process that committed
	// a reply or relay keeps it before it counts as left behind (a crash)
	// and is resent, by this process after a restart or by another replica.
	Lease time.Duration

	LogFormat string // PAYDESK_LOG_FORMAT: text or json
	LogLevel  string // PAYDESK_LOG_LEVEL: debug, info, warn or error

	Limits  flows.Limits  // PAYDESK_TIERS, PAYDESK_PROVIDERS: withdrawal limits over the ledger's
	Support SupportConfig // PAYDESK_SUPPORT_*: the support group and its hours
	Ledger  LedgerConfig  // PAYDESK_LEDGER_*: the payments backend, else the demo ledger

	// LocaleTesters are the Telegram user ids of PAYDESK_LOCALE_TESTERS:
	// they get the pseudo-locale, the IDs mode and /fix in their own chat.
	LocaleTesters []int64
	// Warnings are about settings that work but are probably not what was
	// meant; serve logs them at start.
	Warnings []string
}

// minSecret is the shortest accepted PAYDESK_SECRET: buttons are signed with
// it, so it must not be guessable.
const minSecret = 32

// webhookSecretChars is what Telegram allows in a webhook secret_token.
var webhookSecretChars = regexp.MustCompile(`^[A-Za-z0-9_-]{16,256}$`)

// loadConfig reads every variable of the table, with its default when it
// is unset, then checks the variables that depend on each other.
func loadConfig(getenv func(string) string) (Config, error) {
	var c Config
	var errs []error
	for _, v := range variables {
		if v.set == nil {
			continue
		}
		val := getenv(v.Name)
		if val == "" {
			val = v.Default
		}
		if val == "" {
			continue
		}
		if err := v.set(&c, val); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", v.Name, shown(v, val), err))
		}
	}
	if len(errs) == 0 {
		errs = append(errs, c.finish())
	}
	return c, errors.Join(errs...)
}

// shown is a value as it may appear in an error: secrets are not repeated.
func shown(v variable, val string) string {
	if v.Secret {
		return "…"
	}
	return val
}

// finish checks what involves more than one variable and applies the
// defaults that depend on the mode.
func (c *Config) finish() error {
	if c.WebhookURL != "" {
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
		if _, port, _ := net.SplitHostPort(c.HTTPListen); c.WebhookListen == c.HTTPListen && port != "0" {
			return fmt.Errorf("PAYDESK_WEBHOOK_LISTEN and PAYDESK_HTTP_LISTEN are both %s: the webhook's listener is the one the public proxy reaches, so /metrics has a listener of its own", c.HTTPListen)
		}
	} else if c.WebhookListen != "" {
		c.Warnings = append(c.Warnings, "PAYDESK_WEBHOOK_LISTEN is ignored without PAYDESK_WEBHOOK_URL: while polling, /healthz, /readyz and /metrics are on PAYDESK_HTTP_LISTEN ("+c.HTTPListen+")")
		c.WebhookListen = ""
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

// The parsers of the variables' values. Their errors say what is wanted;
// loadConfig puts the variable's name and value in front.

func parseDuration(v, example string, zeroOK bool) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 || (d == 0 && !zeroOK) {
		return 0, fmt.Errorf("want a duration such as %s", example)
	}
	return d, nil
}

func parseCount(lo, hi int, v string, dst *int) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return fmt.Errorf("want a whole number from %d to %d", lo, hi)
	}
	*dst = n
	return nil
}

func parseHostPort(example, v string, dst *string) error {
	if _, _, err := net.SplitHostPort(v); err != nil {
		return fmt.Errorf("want host:port such as %s", example)
	}
	*dst = v
	return nil
}

func parseOneOf(v string, dst *string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			*dst = v
			return nil
		}
	}
	return fmt.Errorf("want one of %v", allowed)
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
