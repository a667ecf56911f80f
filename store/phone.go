package store

import "strings"

// NormalizePhone turns what Telegram sends in a contact ("77010000001",
// "+7 701 000 00 01") into E.164 ("+77010000001"). It keeps only digits and
// prefixes "+"; it returns "" when no digits are left.
func NormalizePhone(s string) string {
	var b strings.Builder
	b.WriteByte('+')
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 1 {
		return ""
	}
	return b.String()
}
