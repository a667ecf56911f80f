package backend

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"paydesk/store"
)

// Defaults of Config.
const (
	DefaultTimeout          = 3 * time.Second
	DefaultAttempts         = 3
	DefaultBreakerThreshold = 5
	DefaultBreakerCooldown  = 30 * time.Second
)

// Config says where the backend is and how patient to be with it.
type Config struct {
	URL   string // base URL, e.g. https://ledger.example.com (PAYDESK_LEDGER_URL)
	Token string // bearer token (PAYDESK_LEDGER_TOKEN)
	// Timeout bounds one attempt (PAYDESK_LEDGER_TIMEOUT); default 3 s.
	Timeout time.Duration
	// Attempts is how many times a call is tried in all; default 3. A call
	// is retried only when the backend was unavailable (network error,
	// timeout, 429, 5xx), and a write only with its idempotency key.
	Attempts int
	// Backoff is the base of the jittered exponential backoff between
	// attempts (default 100 ms: about 100, 200 ms), capped at 2 s; a
	// Retry-After shorter than the cap is honoured.
	Backoff time.Duration
	// BreakerThreshold unavailable calls in a row open the circuit for
	// BreakerCooldown; defaults 5 and 30 s.
	BreakerThreshold int
	BreakerCooldown  time.Duration
	// Now is the clock of the circuit breaker (required).
	Now func() time.Time
	// HTTP is the client to use; nil builds one that keeps connections
	// alive (up to 64 idle per host) and sets no timeout of its own.
	HTTP *http.Client
	Log  *slog.Logger
}

// Client is a store.Ledger over the payments backend's HTTP API
// (openapi.yaml). It is safe for concurrent use and reuses connections.
// Every error it returns because the backend could not answer wraps
// store.ErrUnavailable; a 404 wraps store.ErrNotFound.
type Client struct {
	base    *url.URL
	token   string
	timeout time.Duration
	tries   int
	backoff time.Duration
	http    *http.Client
	breaker *breaker
	log     *slog.Logger
}

var _ store.Ledger = (*Client)(nil)

// New makes a client; it does not contact the backend (see Ping).
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(cfg.URL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("ledger URL %q: want http(s)://host[/prefix]", cfg.URL)
	}
	if cfg.Now == nil {
		return nil, errors.New("ledger client: no clock")
	}
	c := &Client{base: u, token: cfg.Token, timeout: cfg.Timeout, tries: cfg.Attempts, backoff: cfg.Backoff,
		http: cfg.HTTP, log: cfg.Log}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.tries <= 0 {
		c.tries = DefaultAttempts
	}
	if c.backoff <= 0 {
		c.backoff = 100 * time.Millisecond
	}
	if c.http == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConns, t.MaxIdleConnsPerHost = 64, 64
		c.http = &http.Client{Transport: t}
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	b := &breaker{threshold: cfg.BreakerThreshold, cooldown: cfg.BreakerCooldown, now: cfg.Now}
	if b.threshold <= 0 {
		b.threshold = DefaultBreakerThreshold
	}
	if b.cooldown <= 0 {
		b.cooldown = DefaultBreakerCooldown
	}
	c.breaker = b
	return c, nil
}

// call is one operation: query parameters, a JSON body (nil for none), the
// idempotency key of a write, and where to decode a 2xx answer. It returns
// the status code of the answer.
type call struct {
	op    operation
	path  string
	query url.Values
	body  any
	key   string
	out   any
}

// errCircuitOpen: the breaker refused the call without asking the backend.
var errCircuitOpen = errors.New("circuit open: the ledger failed repeatedly")

// do runs a call with retries. Only an unavailable backend is retried, and
// a write only with its key, which stays the same across the attempts.
func (c *Client) do(ctx context.Context, k call) (int, error) {
	var body []byte
	if k.body != nil {
		var err error
		if body, err = json.Marshal(k.body); err != nil {
			return 0, fmt.Errorf("%s: encode: %w", k.op.id, err)
		}
	}
	if k.op.write && k.key == "" {
		// A write without a key of its own still gets one, so that this
		// call's retries are not made twice.
		k.key = randomKey()
	}
	var lastErr error
	for attempt := range c.tries {
		if attempt > 0 {
			if err := sleep(ctx, c.wait(attempt, lastErr)); err != nil {
				break
			}
		}
		if !c.breaker.allow() {
			return 0, fmt.Errorf("%s: %w: %w", k.op.id, store.ErrUnavailable, errCircuitOpen)
		}
		status, err := c.once(ctx, k, body)
		switch {
		case ctx.Err() != nil:
			c.breaker.release()
			return 0, fmt.Errorf("%s: %w", k.op.id, errors.Join(ctx.Err(), store.ErrUnavailable))
		case errors.As(err, new(transient)):
			c.breaker.done(true)
			lastErr = err
			c.log.Warn("ledger unavailable", "op", k.op.id, "attempt", attempt+1, "err", err)
			continue
		}
		c.breaker.done(false)
		return status, err
	}
	return 0, lastErr
}

// transient is an error worth another attempt: the backend could not
// answer (network, timeout, 429, 5xx). after is its Retry-After, if any.
type transient struct {
	error
	after time.Duration
}

func (r transient) Unwrap() error { return r.error }

// wait is the pause before attempt n (1, 2, ...): full jitter over an
// exponential base, or the backend's Retry-After when it is shorter than
// the cap.
func (c *Client) wait(n int, last error) time.Duration {
	const maxWait = 2 * time.Second
	var ra transient
	if errors.As(last, &ra) && ra.after > 0 && ra.after <= maxWait {
		return ra.after
	}
	d := min(c.backoff<<(n-1), maxWait)
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// once makes one attempt within the timeout.
func (c *Client) once(ctx context.Context, k call, body []byte) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	u := *c.base
	u.Path += k.path
	u.RawQuery = k.query.Encode()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, k.op.method, u.String(), rd)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", k.op.id, err)
	}
	req.Header.Set("Accept", "application/json, application/problem+json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if k.op.write {
		req.Header.Set("Idempotency-Key", k.key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		// Refused, reset, timed out: whether or not a write got through,
		// asking again with its key is safe.
		return 0, transient{error: fmt.Errorf("%s: %w: %w", k.op.id, store.ErrUnavailable, err)}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return 0, transient{error: fmt.Errorf("%s: read answer: %w: %w", k.op.id, store.ErrUnavailable, err)}
	}
	if resp.StatusCode/100 == 2 {
		if k.out != nil {
			if err := json.Unmarshal(data, k.out); err != nil {
				return 0, fmt.Errorf("%s: decode answer: %w", k.op.id, err)
			}
		}
		return resp.StatusCode, nil
	}
	return resp.StatusCode, statusError(k.op, resp, data)
}

// statusError maps a non-2xx answer to the store's errors: 404 is
// ErrNotFound; 429 and 5xx are ErrUnavailable and retried; 401 and 403 are
// ErrUnavailable too (the customer can only wait while the token is wrong)
// but not retried; the rest are the bot's own mistakes, not retried.
func statusError(op operation, resp *http.Response, data []byte) error {
	var p problem
	_ = json.Unmarshal(data, &p) // a body that is no problem+json still has its status
	err := fmt.Errorf("%s: HTTP %d %s", op.id, resp.StatusCode, p.Title)
	switch s := resp.StatusCode; {
	case s == http.StatusNotFound:
		return fmt.Errorf("%w: %w", err, store.ErrNotFound)
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return fmt.Errorf("%w (check PAYDESK_LEDGER_TOKEN): %w", err, store.ErrUnavailable)
	case s == http.StatusTooManyRequests || s >= 500:
		ra := transient{error: fmt.Errorf("%w: %w", err, store.ErrUnavailable)}
		if secs, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && secs >= 0 {
			ra.after = time.Duration(secs) * time.Second
		}
		return ra
	}
	return fmt.Errorf("%s: %w", op.id, problemError{Status: resp.StatusCode, Type: p.Type, Title: p.Title})
}

// problemError is a refusal the backend explained (RFC 9457): an operation
// with typed refusals (a refund too large) maps its Type to a store error.
type problemError struct {
	Status      int
	Type, Title string
}

func (p problemError) Error() string {
	return fmt.Sprintf("HTTP %d %s (%s)", p.Status, p.Title, p.Type)
}

func randomKey() string {
	var b [16]byte
	_, _ = crand.Read(b[:]) // never fails (crypto/rand)
	return "paydesk-" + hex.EncodeToString(b[:])
}
