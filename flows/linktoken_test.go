package flows

import (
	"errors"
	"math/rand/v2"
	"paydesk/store"
	"strings"
	"testing"
	"time"
)

func TestLinkToken(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	exp := now.Add(time.Hour)
	tok := IssueLinkToken(secret, 42, exp)
	if len(LinkPrefix+tok) > 64 {
		t.Fatalf("start payload %q is over Telegram's 64 characters", LinkPrefix+tok)
	}
	for _, r := range tok {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			t.Fatalf("token %q has %q, not allowed in a start parameter", tok, r)
		}
	}
	id, err := ParseLinkToken(secret, tok, exp.Add(-time.Second))
	if err != nil || id != 42 {
		t.Fatalf("valid token: id %d, err %v", id, err)
	}
	if _, err := ParseLinkToken(secret, tok, exp); !errors.Is(err, ErrLinkTokenExpired) {
		t.Fatalf("at expiry: %v, want ErrLinkTokenExpired", err)
	}
	parts := strings.Split(tok, "-")
	bad := map[string]string{
		"other customer": "1b-" + parts[1] + "-" + parts[2],
		"later expiry":   parts[0] + "-zzzzzz-" + parts[2],
		"no mac":         parts[0] + "-" + parts[1],
		"garbage":        "hello",
		"empty":          "",
	}
	for name, tok := range bad {
		if _, err := ParseLinkToken(secret, tok, now); !errors.Is(err, ErrLinkTokenInvalid) {
			t.Errorf("%s: %v, want ErrLinkTokenInvalid", name, err)
		}
	}
	if _, err := ParseLinkToken([]byte("another secret, 32 characters.."), tok, now); !errors.Is(err, ErrLinkTokenInvalid) {
		t.Errorf("other secret: %v, want ErrLinkTokenInvalid", err)
	}
}

// The mac is base64url and so contains '-' in about one token in four: every
// random token must still parse, and none may be accepted once changed.
func TestLinkTokenRandom(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	rng := rand.New(rand.NewPCG(16, 16))
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	withDash := 0
	for i := range 5000 {
		id := store.CustomerID(1 + rng.Int64N(1<<62))
		if i%3 == 0 {
			id = store.CustomerID(1 + rng.Int64N(1000))
		}
		exp := now.Add(time.Duration(1+rng.Int64N(int64(400*24*time.Hour/time.Second))) * time.Second)
		tok := IssueLinkToken(secret, id, exp)
		if strings.Contains(tok[len(tok)-linkMACLen:], "-") {
			withDash++
		}
		if n := len(LinkPrefix + tok); n > 64 {
			t.Fatalf("payload %q is %d characters", LinkPrefix+tok, n)
		}
		for _, r := range tok {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
				t.Fatalf("token %q has %q, not allowed in a start parameter", tok, r)
			}
		}
		got, err := ParseLinkToken(secret, tok, now)
		if err != nil || got != id {
			t.Fatalf("token %q for %d expiring %s: id %d, err %v", tok, id, exp, got, err)
		}
		if _, err := ParseLinkToken(secret, tok, exp); !errors.Is(err, ErrLinkTokenExpired) {
			t.Fatalf("token %q at its expiry: %v", tok, err)
		}
		// Changing any one character breaks it.
		j := rng.IntN(len(tok))
		b := []byte(tok)
		b[j] = "Aa0_-"[rng.IntN(5)]
		if b[j] == tok[j] {
			continue
		}
		if _, err := ParseLinkToken(secret, string(b), now); err == nil {
			t.Fatalf("token %q changed at %d to %q was accepted", tok, j, b)
		}
	}
	if withDash < 500 {
		t.Fatalf("only %d of 5000 macs had a '-': the test does not cover the defect", withDash)
	}
}
