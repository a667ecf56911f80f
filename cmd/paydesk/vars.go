package main

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"paydesk/flows"
	"paydesk/locales"
	"paydesk/store/backend"
	storeredis "paydesk/store/redis"
)

// variable is one PAYDESK_* environment variable. The table below is the
// only list of them: loadConfig parses it, `paydesk help` and `serve -h`
// print it, and the unknown-variable warning checks the environment
// against it.
//
// Adding a variable is one entry here (and the Config field it sets, and
// a row in README.md's tables, which a test checks):
//
//	{Name: "PAYDESK_REDIS_URL", Default: "", Help: "...", Secret: true,
//		set: func(c *Config, v string) error { c.RedisURL = v; return nil }},
//
// set gets the value, or Default when the variable is unset (set is not
// called when both are empty), and returns what is wrong with it in words
// an operator can act on; loadConfig puts the name and value in front.
// Entries are parsed in table order, so a variable may read one above it.
// Checks across variables go in Config.finish. Secret values (tokens,
// passwords, URLs with credentials) are kept out of logs and errors.
type variable struct {
	Name    string
	Default string // as shown in help and parsed when unset; "" for none
	Help    string // one line: what it is, and its default when that needs words
	Secret  bool
	set     func(c *Config, v string) error // nil: read by something other than Config (tests)
}

var variables = []variable{
	{Name: "PAYDESK_TELEGRAM_TOKEN", Secret: true,
		Help: "the bot's token from @BotFather (required by serve)",
		set:  func(c *Config, v string) error { c.Token = v; return nil }},
	{Name: "PAYDESK_SECRET", Secret: true,
		Help: "key that signs inline buttons and link tokens, at least 32 characters (required by serve and link-token); keep it across restarts and replicas",
		set:  func(c *Config, v string) error { c.Secret = v; return nil }},
	{Name: "PAYDESK_TELEGRAM_API_URL", Default: "https://api.telegram.org",
		Help: "the Bot API server (a local Bot API server, or the tests' fake)",
		set:  func(c *Config, v string) error { c.APIURL = v; return nil }},
	{Name: "PAYDESK_DB", Default: "paydesk.db",
		Help: "the SQLite file",
		set:  func(c *Config, v string) error { c.DB = v; return nil }},
	{Name: "PAYDESK_REDIS_URL", Secret: true,
		Help: "keep the bot's State in Redis, shared by several replicas: redis://, rediss:// or redis+cluster://host:port,host:port (default: in PAYDESK_DB)",
		set: func(c *Config, v string) error {
			if err := storeredis.CheckURL(v); err != nil {
				return err
			}
			c.RedisURL = v
			return nil
		}},
	{Name: "PAYDESK_DEMO", Default: "0",
		Help: "1 seeds the demo ledger into an empty database",
		set: func(c *Config, v string) (err error) {
			if c.Demo, err = strconv.ParseBool(v); err != nil {
				return errors.New("want 1 or 0")
			}
			return nil
		}},
	{Name: "PAYDESK_SESSION_TTL", Default: "24h",
		Help: "how long an unfinished step (a form half filled in) waits for the customer",
		set: func(c *Config, v string) (err error) {
			c.SessionTTL, err = parseDuration(v, "24h", false)
			return err
		}},
	{Name: "PAYDESK_TIERS",
		Help: "approval period per customer tier in business days over the ledger's, e.g. standard=2,gold=1",
		set: func(c *Config, v string) (err error) {
			if c.Limits.Tiers, err = flows.ParseTiers(v); err != nil {
				return fmt.Errorf("%w (want e.g. standard=2,gold=1)", err)
			}
			return nil
		}},
	{Name: "PAYDESK_PROVIDERS",
		Help: "average/maximum processing time per payment provider in business days over the ledger's, e.g. kaspi=1/3,sepa=2/7",
		set: func(c *Config, v string) (err error) {
			if c.Limits.Providers, err = flows.ParseProviders(v); err != nil {
				return fmt.Errorf("%w (want e.g. kaspi=1/3,sepa=2/7)", err)
			}
			return nil
		}},
	{Name: "PAYDESK_HTTP_LISTEN", Default: "127.0.0.1:9090",
		Help: "where /healthz, /readyz and /metrics are served, in both modes; keep it internal",
		set:  func(c *Config, v string) error { return parseHostPort("127.0.0.1:9090", v, &c.HTTPListen) }},
	{Name: "PAYDESK_WEBHOOK_URL",
		Help: "the public https:// URL Telegram posts updates to; set it to run by webhook (else long polling)",
		set:  func(c *Config, v string) error { c.WebhookURL = v; return nil }},
	{Name: "PAYDESK_WEBHOOK_SECRET", Secret: true,
		Help: "16-256 characters of A-Z a-z 0-9 _ - (required with a webhook URL); requests without it get 401",
		set:  func(c *Config, v string) error { c.WebhookSecret = v; return nil }},
	{Name: "PAYDESK_WEBHOOK_LISTEN",
		Help: "where the webhook is served, at the path of its URL, with /healthz and /readyz but never /metrics; default 127.0.0.1:8443 with a webhook URL",
		set:  func(c *Config, v string) error { return parseHostPort("127.0.0.1:8443", v, &c.WebhookListen) }},
	{Name: "PAYDESK_WEBHOOK_MAX_CONNECTIONS", Default: "40",
		Help: "max_connections for setWebhook (1-100): how many requests Telegram sends at once",
		set:  func(c *Config, v string) error { return parseCount(1, 100, v, &c.WebhookConns) }},
	{Name: "PAYDESK_WORKERS", Default: "16",
		Help: "updates handled at once (always of different chats; one chat's updates are handled in order)",
		set:  func(c *Config, v string) error { return parseCount(1, 1024, v, &c.Workers) }},
	{Name: "PAYDESK_TICK", Default: "1m",
		Help: "how often the periodic jobs look for proactive messages (nudges, reminders); 0 turns them off",
		set: func(c *Config, v string) (err error) {
			c.Tick, err = parseDuration(v, "1m (0 turns periodic jobs off)", true)
			return err
		}},
	{Name: "PAYDESK_LEDGER_URL",
		Help: "the payments backend (store/backend/openapi.yaml); unset: the demo ledger in PAYDESK_DB",
		set: func(c *Config, v string) error {
			if _, err := backend.New(backend.Config{URL: v, Now: time.Now}); err != nil {
				return err
			}
			c.Ledger.URL = v
			return nil
		}},
	{Name: "PAYDESK_LEDGER_TOKEN", Secret: true,
		Help: "the bearer token paydesk sends the payments backend",
		set:  func(c *Config, v string) error { c.Ledger.Token = v; return nil }},
	{Name: "PAYDESK_LEDGER_TIMEOUT", Default: "3s",
		Help: "how long one request to the payments backend may take",
		set: func(c *Config, v string) (err error) {
			c.Ledger.Timeout, err = parseDuration(v, "3s", false)
			return err
		}},
	{Name: "PAYDESK_BACKEND_EVENTS_SECRET", Secret: true,
		Help: "at least 32 characters: turns on POST /backend/events (the webhook's listener, or PAYDESK_HTTP_LISTEN while polling) and checks the events' signatures",
		set: func(c *Config, v string) error {
			if len(v) < minSecret {
				return fmt.Errorf("want at least %d characters (e.g. `openssl rand -hex 32`)", minSecret)
			}
			c.Ledger.EventsSecret = v
			return nil
		}},
	{Name: "PAYDESK_BOT_USERNAME",
		Help: "the bot's @username, so link-token prints the whole https://t.me/<bot>?start=link-… URL"},
	{Name: "PAYDESK_LOCALE_TESTERS",
		Help: "Telegram user ids, comma separated, of the locale testers: /language offers them the pseudo-locale and message IDs, and /fix stores their suggestions",
		set: func(c *Config, v string) (err error) {
			if c.LocaleTesters, err = parseUserIDs(v); err != nil {
				return fmt.Errorf("%w (want Telegram user ids separated by commas, e.g. 12345678,87654321)", err)
			}
			return nil
		}},
	{Name: "PAYDESK_DELIVERY_LEASE", Default: "1m",
		Help: "how long the process that committed a reply or relay keeps it before it counts as left behind (a crash) and is resent, after a restart or by another replica",
		set: func(c *Config, v string) (err error) {
			c.Lease, err = parseDuration(v, "1m", false)
			return err
		}},
	{Name: "PAYDESK_LOG_FORMAT", Default: "text",
		Help: "text (logfmt) or json, one record a line on stderr",
		set:  func(c *Config, v string) error { return parseOneOf(v, &c.LogFormat, "text", "json") }},
	{Name: "PAYDESK_LOG_LEVEL", Default: "info",
		Help: "debug, info, warn or error",
		set: func(c *Config, v string) error {
			return parseOneOf(strings.ToLower(v), &c.LogLevel, "debug", "info", "warn", "error")
		}},
	{Name: "PAYDESK_SUPPORT_CHAT_ID",
		Help: "the support team's supergroup id (a negative number); without it tickets are recorded but no agent sees them",
		set: func(c *Config, v string) error {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id >= 0 {
				return errors.New("want the supergroup's id, a negative number such as -1001234567890")
			}
			c.Support.ChatID = id
			return nil
		}},
	{Name: "PAYDESK_SUPPORT_GROUPS",
		Help: "a supergroup per customer language and * for the rest, e.g. ru=-100111,cs=-100222,en=-100333,*=-100111; each has its own 20 messages a minute",
		set: func(c *Config, v string) (err error) {
			c.Support.Groups, err = parseSupportGroups(v)
			return err
		}},
	{Name: "PAYDESK_SUPPORT_LANGUAGE", Default: "en",
		Help: "language of the case cards and the bot's notes to agents: ru, cs or en",
		set: func(c *Config, v string) error {
			if !slices.Contains(locales.Languages, v) {
				return fmt.Errorf("want one of %v", locales.Languages)
			}
			c.Support.Lang = v
			return nil
		}},
	{Name: "PAYDESK_SUPPORT_TZ", Default: "UTC",
		Help: "time zone of the support team's working hours",
		set: func(c *Config, v string) error {
			loc, err := time.LoadLocation(v)
			if err != nil {
				return errors.New("want an IANA time zone such as Asia/Almaty")
			}
			c.Support.Hours.Loc = loc
			return nil
		}},
	{Name: "PAYDESK_SUPPORT_WAIT", Default: "15m",
		Help: "the wait a customer is told during working hours",
		set: func(c *Config, v string) (err error) {
			c.Support.Hours.Wait, err = parseDuration(v, "15m", false)
			return err
		}},
	{Name: "PAYDESK_SUPPORT_HOURS", Default: "Mon-Fri 09:00-18:00",
		Help: "the team's working days and hours in PAYDESK_SUPPORT_TZ (Mon-Sun 00:00-24:00 for always)",
		set: func(c *Config, v string) (err error) {
			h := c.Support.Hours // the zone and wait above
			c.Support.Hours, err = flows.ParseSupportHours(v, h.Loc, h.Wait)
			return err
		}},
	{Name: "PAYDESK_BOT_API_SPEC",
		Help: "tests only: check the fake Bot API's requests against this api.json instead of the embedded one"},
	{Name: "PAYDESK_BENCH_TRACKED",
		Help: "benchmarks only: how many tracked withdrawals the nudge-tick benchmark seeds (flows)"},
}

// lookupVar finds a variable of the table by name.
func lookupVar(name string) (variable, bool) {
	i := slices.IndexFunc(variables, func(v variable) bool { return v.Name == name })
	if i < 0 {
		return variable{}, false
	}
	return variables[i], true
}

// unknownVars are warnings about the PAYDESK_* variables in environ (as
// os.Environ) that are not in the table: a typo must not go unnoticed.
func unknownVars(environ []string) []string {
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "PAYDESK_") {
			continue
		}
		if _, ok := lookupVar(name); ok {
			continue
		}
		msg := name + " is not a paydesk variable and is ignored"
		if near := nearestVar(name); near != "" {
			msg += "; did you mean " + near + "?"
		}
		out = append(out, msg+" (paydesk help lists them)")
	}
	return out
}

// nearestVar is the known variable closest to name, if it is close enough
// to be a typo.
func nearestVar(name string) string {
	best, bestD := "", 4
	for _, v := range variables {
		if d := editDistance(name, v.Name); d < bestD {
			best, bestD = v.Name, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b (ASCII names).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// secretValues are the values of the secret variables that are set, for
// the log redactor.
func secretValues(getenv func(string) string) []string {
	var out []string
	for _, v := range variables {
		if val := getenv(v.Name); v.Secret && val != "" {
			out = append(out, val)
		}
	}
	return out
}
