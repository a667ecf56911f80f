package locales

import (
	"fmt"
	"html"
	"strings"
	"unicode"

	"golang.org/x/text/currency"
)

// Money formats an amount the way people write it in l's language: the
// symbol after the number with a no-break space in ru and cs ("5 000 ₸",
// "1 234,50 Kč"), before it in en ("€12.50", "₸5,000"). The fraction is shown
// only when it is not zero, and then with all its digits.
//
// A symbol made of letters (Kč, or an ISO code for a currency the locale
// files do not know) uses the pattern format.money_letters, which in English
// keeps it apart from the digits with a no-break space ("Kč 1,234.50"), as
// CLDR's currency spacing rule does. A negative amount starts with the
// locale's minus sign: "-5 000 ₸", "-€12.50".
func (l *Localizer) Money(m Money) string {
	d := signedDecimal(m.Minor)
	neg := d.neg
	d.neg = false
	if scale := minorDigits(m.Currency); scale > 0 {
		pow := uint64(1)
		for range scale {
			pow *= 10
		}
		if frac := d.whole % pow; frac != 0 {
			d.frac = fmt.Sprintf("%0*d", scale, frac)
		}
		d.whole /= pow
	}
	symbol := l.symbol(m.Currency)
	pattern := "format.money"
	if strings.IndexFunc(symbol, unicode.IsLetter) >= 0 {
		pattern = "format.money_letters"
	}
	s := l.Text(M(pattern, "Amount", Raw(l.formatDecimal(d)), "Symbol", Raw(symbol)))
	if neg {
		s = l.minusSign + s
	}
	return s
}

// symbol is the currency's symbol from the locale files, or its escaped code.
func (l *Localizer) symbol(code string) string {
	if s, ok := l.lookup(M("currency." + code)); ok {
		return s
	}
	return html.EscapeString(code)
}

// MinorDigits is how many digits after the decimal mark the currency has
// (2 for KZT, CZK, EUR): what an amount typed by a person may carry.
func MinorDigits(code string) int { return minorDigits(code) }

// minorDigits is how many minor-unit digits the currency has (2 for KZT, CZK,
// EUR, USD, RUB; 0 for JPY), from CLDR via x/text; 2 when unknown.
func minorDigits(code string) int {
	unit, err := currency.ParseISO(code)
	if err != nil {
		return 2
	}
	scale, _ := currency.Standard.Rounding(unit)
	return scale
}
