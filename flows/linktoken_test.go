package flows

import (
	"errors"
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
