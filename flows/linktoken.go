package flows

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"paydesk/store"
)

// LinkPrefix starts a deep-link payload that links a chat to a customer:
// https://t.me/<bot>?start=link-<token>.
const LinkPrefix = "link-"

// Link-token errors; the customer sees one localized answer for all of them.
var (
	ErrLinkTokenInvalid = errors.New("link token invalid")
	ErrLinkTokenExpired = errors.New("link token expired")
)

// IssueLinkToken makes the token the payments app puts in a deep link:
// customer id and expiry (base 36) and a 96-bit HMAC with the shared secret.
// The whole payload stays well under Telegram's 64-character start limit
// and uses only [A-Za-z0-9_-].
func IssueLinkToken(secret []byte, id store.CustomerID, expires time.Time) string {
	body := strconv.FormatInt(int64(id), 36) + "-" + strconv.FormatInt(expires.Unix(), 36)
	return body + "-" + linkMAC(secret, body)
}

// ParseLinkToken checks a token and returns the customer it links.
func ParseLinkToken(secret []byte, token string, now time.Time) (store.CustomerID, error) {
	parts := strings.Split(token, "-")
	if len(parts) != 3 {
		return 0, ErrLinkTokenInvalid
	}
	body := parts[0] + "-" + parts[1]
	if !hmac.Equal([]byte(parts[2]), []byte(linkMAC(secret, body))) {
		return 0, ErrLinkTokenInvalid
	}
	id, err1 := strconv.ParseInt(parts[0], 36, 64)
	exp, err2 := strconv.ParseInt(parts[1], 36, 64)
	if err1 != nil || err2 != nil || id <= 0 {
		return 0, ErrLinkTokenInvalid
	}
	if !now.Before(time.Unix(exp, 0)) {
		return 0, fmt.Errorf("customer %d: %w", id, ErrLinkTokenExpired)
	}
	return store.CustomerID(id), nil
}

func linkMAC(secret []byte, body string) string {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte("link|" + body))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:12])
}
