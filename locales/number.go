package locales

import (
	"fmt"
	"html"
	"strconv"
	"strings"

	"golang.org/x/text/number"
)

// decimal is an exact decimal number: x/text formats only ints and floats,
// and money and plural counts must not pass through floats.
type decimal struct {
	neg   bool
	whole uint64
	frac  string // fraction digits as written, "" for none
}

// Number formats an integer or a decimal string ("1.5", "-1234.50") with the
// locale's grouping and decimal separator: "1 234,5" in ru and cs (no-break
// spaces), "1,234.5" in en. Anything else is shown as fmt.Sprint would,
// escaped.
func (l *Localizer) Number(n any) string {
	d, ok := toDecimal(n)
	if !ok {
		return html.EscapeString(fmt.Sprint(n))
	}
	return l.formatDecimal(d)
}

func (l *Localizer) formatDecimal(d decimal) string {
	var b strings.Builder
	if d.neg {
		b.WriteString(l.minusSign)
	}
	// CLDR uses U+00A0 for ru and cs grouping but U+202F in some versions and
	// locales; Telegram clients render both, tests compare bytes: keep one.
	b.WriteString(strings.ReplaceAll(l.printer.Sprint(number.Decimal(d.whole)), "\u202f", "\u00a0"))
	if d.frac != "" {
		b.WriteString(l.decimalSep)
		b.WriteString(d.frac)
	}
	return b.String()
}

func toDecimal(n any) (decimal, bool) {
	switch n := n.(type) {
	case int:
		return signedDecimal(int64(n)), true
	case int8:
		return signedDecimal(int64(n)), true
	case int16:
		return signedDecimal(int64(n)), true
	case int32:
		return signedDecimal(int64(n)), true
	case int64:
		return signedDecimal(n), true
	case uint:
		return decimal{whole: uint64(n)}, true
	case uint8:
		return decimal{whole: uint64(n)}, true
	case uint16:
		return decimal{whole: uint64(n)}, true
	case uint32:
		return decimal{whole: uint64(n)}, true
	case uint64:
		return decimal{whole: n}, true
	case string:
		return parseDecimal(n)
	}
	return decimal{}, false
}

// signedDecimal handles math.MinInt64, whose absolute value is no int64.
func signedDecimal(i int64) decimal {
	if i < 0 {
		return decimal{neg: true, whole: uint64(-(i + 1)) + 1}
	}
	return decimal{whole: uint64(i)}
}

// parseDecimal accepts what go-i18n accepts as a plural count: an optional
// sign, digits, and optionally a point and more digits.
func parseDecimal(s string) (decimal, bool) {
	var d decimal
	switch {
	case strings.HasPrefix(s, "-"):
		d.neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	whole, frac, hasPoint := strings.Cut(s, ".")
	if !allDigits(whole) || (hasPoint && !allDigits(frac)) {
		return decimal{}, false
	}
	w, err := strconv.ParseUint(whole, 10, 64)
	if err != nil {
		return decimal{}, false
	}
	d.whole, d.frac = w, frac
	if w == 0 && strings.Trim(frac, "0") == "" {
		d.neg = false // no "-0"
	}
	return d, true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
