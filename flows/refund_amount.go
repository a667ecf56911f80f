package flows

import (
	"errors"
	"strings"
	"unicode"

	"paydesk/locales"
)

// A refund amount as a merchant types it: «1 234,50», «1234.50»,
// «1 234,50 Kč», «500», «₸5,000», with ordinary, no-break or thin spaces
// between the thousands. The decimal mark is a comma or a dot; a single
// mark followed by exactly three digits is read as the thousands separator
// of the chat's language (a dot in ru and cs, a comma in en), so «1.234»
// is 1 234 in Czech and «1,234» is 1 234 in English, while «1,234» in Czech
// has too many decimals. Each way an amount can be wrong has its own error,
// so the merchant gets an answer that says what to fix.

// Errors of ParseAmount; the flow answers each with its own message.
var (
	ErrAmountNotNumber     = errors.New("not an amount")
	ErrAmountNegative      = errors.New("negative amount")
	ErrAmountZero          = errors.New("zero amount")
	ErrAmountTooPrecise    = errors.New("more decimals than the currency has")
	ErrAmountOtherCurrency = errors.New("another currency's sign")
	ErrAmountTooLarge      = errors.New("amount too large")
)

// maxAmountDigits bounds the whole part: nobody refunds a trillion, and
// the minor units stay far from int64's limit.
const maxAmountDigits = 12

// currencySigns are the ways people write a currency, lower-case; the
// first is the symbol the locale files use.
var currencySigns = map[string][]string{
	"CZK": {"kč", "kc", "czk", "korun", "korun českých"},
	"KZT": {"₸", "kzt", "тг", "тенге", "tenge"},
	"EUR": {"€", "eur", "euro", "евро"},
	"USD": {"$", "usd", "us$"},
	"RUB": {"₽", "rub", "руб", "руб.", "р."},
	"GBP": {"£", "gbp"},
}

// ParseAmount reads an amount in currency typed in a chat in lang and
// returns it in minor units (always > 0 when err is nil).
func ParseAmount(s, lang, currency string) (int64, error) {
	s = strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' || r == '\u2009' || r == '\'' || r == '’' {
			return ' '
		}
		return r
	}, s))
	s, err := stripCurrency(strings.TrimSpace(s), currency)
	if err != nil {
		return 0, err
	}
	neg := false
	if rest, ok := cutAnyPrefix(s, "-", "−", "–"); ok {
		neg, s = true, strings.TrimSpace(rest)
	} else if rest, ok := strings.CutPrefix(s, "+"); ok {
		s = strings.TrimSpace(rest)
	}
	// Currency signs may sit after the minus: «-500 Kč», «-€5».
	if s, err = stripCurrency(s, currency); err != nil {
		return 0, err
	}
	whole, frac, err := splitAmount(s, lang)
	if err != nil {
		return 0, err
	}
	digits := locales.MinorDigits(currency)
	if len(frac) > digits {
		return 0, ErrAmountTooPrecise
	}
	if len(whole) > maxAmountDigits {
		return 0, ErrAmountTooLarge
	}
	var minor int64
	for _, r := range whole + frac + strings.Repeat("0", digits-len(frac)) {
		minor = minor*10 + int64(r-'0')
	}
	switch {
	case minor == 0:
		return 0, ErrAmountZero
	case neg:
		return 0, ErrAmountNegative
	}
	return minor, nil
}

// stripCurrency removes the currency's sign from either end of s; another
// currency's sign is ErrAmountOtherCurrency.
func stripCurrency(s, currency string) (string, error) {
	for _, end := range []func(string, string) (string, bool){strings.CutPrefix, strings.CutSuffix} {
		best, bestCode := "", ""
		for code, signs := range currencySigns {
			for _, sign := range signs {
				if _, ok := end(s, sign); ok && len(sign) > len(best) && boundary(s, sign) {
					best, bestCode = sign, code
				}
			}
		}
		if best == "" {
			continue
		}
		if bestCode != currency {
			return "", ErrAmountOtherCurrency
		}
		s, _ = end(s, best)
		s = strings.TrimSpace(s)
	}
	return s, nil
}

// boundary reports whether a sign made of letters found at an end of s is
// a word of its own («500 kč», «500kč»), not the tail of a longer word.
func boundary(s, sign string) bool {
	if len(s) == len(sign) {
		return true
	}
	var next rune
	if strings.HasPrefix(s, sign) {
		next = []rune(s[len(sign):])[0]
	} else {
		r := []rune(s[:len(s)-len(sign)])
		next = r[len(r)-1]
	}
	return !unicode.IsLetter(next)
}

func cutAnyPrefix(s string, prefixes ...string) (string, bool) {
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return rest, true
		}
	}
	return s, false
}

// splitAmount splits digits with separators into the whole part (digits
// only, grouping removed) and the fraction.
func splitAmount(s, lang string) (whole, frac string, err error) {
	if s == "" {
		return "", "", ErrAmountNotNumber
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != ',' && r != '.' && r != ' ' {
			return "", "", ErrAmountNotNumber
		}
	}
	grouping := byte('.')
	if lang == "en" {
		grouping = ','
	}
	dec := -1 // index of the decimal mark
	commas, dots := strings.Count(s, ","), strings.Count(s, ".")
	switch {
	case commas > 0 && dots > 0:
		dec = max(strings.LastIndexByte(s, ','), strings.LastIndexByte(s, '.'))
		if strings.Count(s, s[dec:dec+1]) > 1 {
			return "", "", ErrAmountNotNumber
		}
	case commas == 1 || dots == 1:
		i := max(strings.IndexByte(s, ','), strings.IndexByte(s, '.'))
		if !(s[i] == grouping && len(s)-i-1 == 3 && allDigits(s[i+1:])) {
			dec = i
		}
	}
	intPart := s
	if dec >= 0 {
		intPart, frac = s[:dec], s[dec+1:]
		if !allDigits(frac) {
			return "", "", ErrAmountNotNumber
		}
	}
	groups := strings.FieldsFunc(intPart, func(r rune) bool { return r == ' ' || r == ',' || r == '.' })
	if len(groups) == 0 {
		if frac == "" {
			return "", "", ErrAmountNotNumber
		}
		groups = []string{"0"} // «,50»
	}
	if len(groups) > 1 {
		for i, g := range groups {
			if (i == 0 && len(g) > 3) || (i > 0 && len(g) != 3) {
				return "", "", ErrAmountNotNumber
			}
		}
	}
	whole = strings.TrimLeft(strings.Join(groups, ""), "0")
	return whole, frac, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
