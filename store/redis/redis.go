// Package redis keeps paydesk's store.State in Redis, so several `paydesk
// serve` replicas behind one webhook URL share sessions, update marks, the
// journal of owed replies, nudge claims and tickets. The payments data
// (store.Ledger) stays where it is.
//
// # Key layout and Redis Cluster
//
// Every key starts with the prefix (default "paydesk") and carries a hash
// tag, so the same code runs on one redis-server and on Redis Cluster. A
// Lua script or MULTI in Cluster may only touch keys of one hash slot, so
// the tags follow the atomic units:
//
//	{P:journal}:marks     zset  update_id → handled-at (ms): the dedupe marks
//	{P:journal}:keys      zset  delivery Key → committed-at (ms): once-only deliveries
//	{P:journal}:did       int   last delivery id (INCR: ids only grow)
//	{P:journal}:d         hash  delivery id → the rendered message
//	{P:journal}:lease     zset  zero-padded delivery id → lease-until (ms)
//	{P:journal}:blocked   hash  chat → blocked-at (ns)
//	{P:journal}:offset    int   the getUpdates offset
//	{P:journal}:linked    zset  "customer:chat", all scores 0 (lexicographic): ChatsOf
//	{P:journal}:s:<chat>  str   "version|customer|payload", expires after the idle TTL
//	{P:journal}:x:<chat>  list  a chat's recent exchanges for the case card
//	{P:tickets}:...       the tickets, their topics and indexes (tickets.go)
//	P:nudge:{<kind>:<id>}:<stage>  str  a claimed nudge (SET NX)
//	{P:schedule:<kind>}   zset  when to look at a nudge next (schedule.go)
//
// One update's commit marks the update, unblocks its chat, saves the
// sessions of every chat it touched with compare-and-swap, stores the
// deliveries it owes (keyed ones only the first time) with their lease,
// and adds its lines to the chats' case-card exchanges. An
// update can touch several chats: an agent's handback in the support group
// saves the customer's session, a recipient's answer owes the sender a
// message, a handoff owes the group a case card. For the commit to stay one
// script, everything a commit touches lives under the one tag
// {P:journal}, sessions included. Splitting sessions by chat ({chat:123})
// would make a two-chat commit span two slots; it could then only be made
// all-or-nothing with a two-phase protocol (prepare marks on each session,
// resolved by readers against the journal), which buys nothing here: a
// Telegram bot is capped near 30 messages a second, and one Redis node
// commits tens of thousands of updates a second (BenchmarkCommitUpdate).
// In Cluster the journal slot lives on one primary and fails over with
// it; what no commit touches — tickets and nudge claims — sits under its
// own tags and spreads over the other nodes.
//
// Tickets are written by the flows directly, not in the commit, as with
// store/sqlite; they keep their own invariants (one open ticket per
// customer and subject, one topic per ticket) in scripts on {P:tickets}.
//
// Times that Redis compares (marks, keys, leases) are milliseconds; times
// handed back (sessions, tickets, exchanges) keep nanoseconds. The store
// never reads a clock: every time comes from the caller, and the session
// idle TTL is Redis's own expiry.
package redis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"paydesk/store"
)

// DefaultSessionTTL is how long an idle session is kept. The flows end an
// idle dialog much sooner (flows.WithSessionTTL); the session also holds
// the chat's link and language, which should outlive a holiday.
const DefaultSessionTTL = 90 * 24 * time.Hour

// Options tune a Store.
type Options struct {
	// Prefix starts every key; "paydesk" if empty. Two deployments (or
	// two tests) on one Redis use two prefixes.
	Prefix string
	// SessionTTL expires a session this long after its last save;
	// DefaultSessionTTL if zero.
	SessionTTL time.Duration
}

// Store is store.State on Redis.
type Store struct {
	rdb        goredis.UniversalClient
	sessionTTL time.Duration
	prefix     string
	j          journalKeys
	tk         ticketKeys
}

// Open connects to the Redis at rawURL and checks that it answers:
//
//	redis://[user:password@]host:port[/db][?dial_timeout=3s&read_timeout=2s…]
//	rediss://…                         the same over TLS
//	redis+cluster://host:p1,host:p2,…  a Redis Cluster, seeded from any of its nodes
//	rediss+cluster://…                 the same over TLS
//
// Query options are go-redis's (ParseURL, ParseClusterURL). The error
// names the URL without its password.
func Open(ctx context.Context, rawURL string, opt Options) (*Store, error) {
	rdb, err := NewClient(rawURL)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := rdb.Ping(pctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("redis at %s is unreachable: %w", Redact(rawURL), err)
	}
	return New(rdb, opt), nil
}

// NewClient makes the go-redis client for rawURL (see Open) without
// connecting.
func NewClient(rawURL string) (goredis.UniversalClient, error) {
	o, co, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if co != nil {
		return goredis.NewClusterClient(co), nil
	}
	return goredis.NewClient(o), nil
}

// CheckURL reports what is wrong with rawURL (see Open), without
// connecting; nil if nothing.
func CheckURL(rawURL string) error {
	_, _, err := parseURL(rawURL)
	return err
}

// parseURL is the options of one server, or of a cluster.
func parseURL(rawURL string) (*goredis.Options, *goredis.ClusterOptions, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, nil, fmt.Errorf("redis URL %s: %w", Redact(rawURL), errors.Unwrap(err))
	}
	switch u.Scheme {
	case "redis", "rediss":
		o, err := goredis.ParseURL(rawURL)
		if err != nil {
			return nil, nil, fmt.Errorf("redis URL %s: %w", Redact(rawURL), err)
		}
		return o, nil, nil
	case "redis+cluster", "rediss+cluster":
		hosts := strings.Split(u.Host, ",")
		if u.Host == "" || hosts[0] == "" {
			return nil, nil, fmt.Errorf("redis URL %s: no cluster node addresses", Redact(rawURL))
		}
		// ParseClusterURL takes the first node as the host and the others
		// as addr= parameters.
		q := u.Query()
		for _, h := range hosts[1:] {
			q.Add("addr", h)
		}
		c := *u
		c.Scheme = strings.TrimSuffix(u.Scheme, "+cluster")
		c.Host, c.RawQuery = hosts[0], q.Encode()
		o, err := goredis.ParseClusterURL(c.String())
		if err != nil {
			return nil, nil, fmt.Errorf("redis URL %s: %w", Redact(rawURL), err)
		}
		return nil, o, nil
	default:
		return nil, nil, fmt.Errorf("redis URL %s: scheme must be redis, rediss, redis+cluster or rediss+cluster", Redact(rawURL))
	}
}

// Redact is rawURL without its password, for error messages and logs.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// New uses an open client; Close closes it.
func New(rdb goredis.UniversalClient, opt Options) *Store {
	if opt.Prefix == "" {
		opt.Prefix = "paydesk"
	}
	if opt.SessionTTL <= 0 {
		opt.SessionTTL = DefaultSessionTTL
	}
	return &Store{
		rdb:        rdb,
		sessionTTL: opt.SessionTTL,
		prefix:     opt.Prefix,
		j:          newJournalKeys(opt.Prefix),
		tk:         newTicketKeys(opt.Prefix),
	}
}

// Ping reports whether Redis answers, and for a cluster whether the slots
// the commit and the tickets need are served.
func (s *Store) Ping(ctx context.Context) error {
	// A cluster client pings one node; these reach the nodes that matter.
	if err := s.rdb.Exists(ctx, s.j.offset).Err(); err != nil {
		return fmt.Errorf("redis: %w", err)
	}
	if err := s.rdb.Exists(ctx, s.tk.counter).Err(); err != nil {
		return fmt.Errorf("redis: %w", err)
	}
	return nil
}

// Close closes the client.
func (s *Store) Close() error { return s.rdb.Close() }

// Client is the underlying go-redis client (tests and measurements).
func (s *Store) Client() goredis.UniversalClient { return s.rdb }

// SessionKey is the key of a chat's session (tests and measurements).
func (s *Store) SessionKey(chatID int64) string { return s.j.session(chatID) }

// ms is t in Unix milliseconds, the unit of the scores Redis compares.
func ms(t time.Time) int64 { return t.UnixMilli() }

// fromNanos is the inverse of UnixNano, zero for 0.
func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// nanos is t.UnixNano, 0 for the zero time.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

var _ store.State = (*Store)(nil)

// LogTo sends go-redis's own messages (a failed dial, a pool retry) to l
// at debug level: they repeat for every connection attempt while Redis is
// away, and the errors that matter reach the caller anyway. go-redis has
// one logger per process.
func LogTo(l *slog.Logger) { goredis.SetLogger(slogPrinter{l}) }

type slogPrinter struct{ l *slog.Logger }

func (p slogPrinter) Printf(ctx context.Context, format string, v ...any) {
	p.l.DebugContext(ctx, "redis client", "msg", fmt.Sprintf(format, v...))
}
