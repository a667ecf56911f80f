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

// The link token, as the payments app issues it and the bot checks it:
//
//	token   = id "-" expiry "-" mac
//	id      = the customer id, a positive integer in base 36, digits 0-9a-z
//	expiry  = the instant the token stops working, Unix seconds (UTC),
//	          a positive integer in base 36, digits 0-9a-z
//	mac     = base64url without padding (RFC 4648 §5, alphabet A-Z a-z 0-9 - _)
//	          of the first 12 bytes of HMAC-SHA256(secret, "link|" id "-" expiry):
//	          always exactly 16 characters, and it may itself contain "-"
//
// The deep link is https://t.me/<bot>?start=link-<token>. Every character is
// one Telegram allows in a start parameter ([A-Za-z0-9_-]); with a 64-bit id
// and expiry the payload is at most 5+13+1+13+1+16 = 49 of the 64 allowed.
// Because the mac can contain "-", a parser must not split the whole token on
// "-": the mac is the last 16 characters, and only the part before it splits
// into id and expiry. A token is valid while now < expiry.
const linkMACLen = 16

// IssueLinkToken makes the token the payments app puts in a deep link (the
// format is above). The id and expiry must be positive.
func IssueLinkToken(secret []byte, id store.CustomerID, expires time.Time) string {
	body := strconv.FormatInt(int64(id), 36) + "-" + strconv.FormatInt(expires.Unix(), 36)
	return body + "-" + linkMAC(secret, body)
}

// ParseLinkToken checks a token and returns the customer it links.
func ParseLinkToken(secret []byte, token string, now time.Time) (store.CustomerID, error) {
	if len(token) < linkMACLen+1 || token[len(token)-linkMACLen-1] != '-' {
		return 0, ErrLinkTokenInvalid
	}
	body, mac := token[:len(token)-linkMACLen-1], token[len(token)-linkMACLen:]
	if !hmac.Equal([]byte(mac), []byte(linkMAC(secret, body))) {
		return 0, ErrLinkTokenInvalid
	}
	idPart, expPart, ok := strings.Cut(body, "-")
	if !ok {
		return 0, ErrLinkTokenInvalid
	}
	id, err1 := strconv.ParseInt(idPart, 36, 64)
	exp, err2 := strconv.ParseInt(expPart, 36, 64)
	if err1 != nil || err2 != nil || id <= 0 || exp <= 0 {
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
