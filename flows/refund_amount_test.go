package flows

import (
	"errors"
	"testing"

	"paydesk/locales"
)

func TestParseAmount(t *testing.T) {
	const nb, thin = "\u00a0", "\u2009"
	for _, tc := range []struct {
		in, lang, cur string
		want          int64
	}{
		{"1 234,50", "cs", "CZK", 123450},
		{"1234.50", "cs", "CZK", 123450},
		{"1234,50", "ru", "CZK", 123450},
		{"1 234,50 Kč", "cs", "CZK", 123450},
		{"1" + nb + "234,50" + nb + "Kč", "cs", "CZK", 123450},
		{"1" + thin + "234,5", "ru", "CZK", 123450},
		{"500", "ru", "KZT", 50000},
		{"500 ₸", "ru", "KZT", 50000},
		{"500тг", "ru", "KZT", 50000},
		{"5 000 тенге", "ru", "KZT", 500000},
		{"₸5,000", "en", "KZT", 500000},
		{"Kč 1,234.50", "en", "CZK", 123450},
		{"1,234.50", "en", "CZK", 123450},
		{"1,234", "en", "CZK", 123400},
		{"12,50", "en", "EUR", 1250},
		{"1.234", "cs", "CZK", 123400}, // a dot before three digits groups thousands in Czech
		{"1.234,50", "cs", "CZK", 123450},
		{"1 234 567,89", "ru", "KZT", 123456789},
		{"+500", "en", "EUR", 50000},
		{"500,", "cs", "CZK", 50000},
		{",50", "cs", "CZK", 50},
		{"0,01", "cs", "CZK", 1},
		{"007", "en", "EUR", 700},
		{"  300 CZK ", "en", "CZK", 30000},
		{"€12.50", "en", "EUR", 1250},
	} {
		got, err := ParseAmount(tc.in, tc.lang, tc.cur)
		if err != nil || got != tc.want {
			t.Errorf("ParseAmount(%q, %s, %s) = %d, %v; want %d", tc.in, tc.lang, tc.cur, got, err, tc.want)
		}
	}
}

// TestParseAmountBadInput is the table of what a merchant may type wrong:
// each gets its own error, so the answer says what to fix.
func TestParseAmountBadInput(t *testing.T) {
	for _, tc := range []struct {
		in, lang, cur string
		want          error
	}{
		{"0", "cs", "CZK", ErrAmountZero},
		{"0,00 Kč", "cs", "CZK", ErrAmountZero},
		{"-500", "ru", "KZT", ErrAmountNegative},
		{"−1 234,50", "cs", "CZK", ErrAmountNegative},
		{"-500 Kč", "cs", "CZK", ErrAmountNegative},
		{"pět set", "cs", "CZK", ErrAmountNotNumber},
		{"abc", "en", "EUR", ErrAmountNotNumber},
		{"12a", "en", "EUR", ErrAmountNotNumber},
		{"", "en", "EUR", ErrAmountNotNumber},
		{",", "cs", "CZK", ErrAmountNotNumber},
		{"1,2,3", "cs", "CZK", ErrAmountNotNumber},
		{"12 34", "ru", "KZT", ErrAmountNotNumber},
		{"1.234.5", "cs", "CZK", ErrAmountNotNumber},
		{"1,23.4,5", "en", "CZK", ErrAmountNotNumber},
		{"500 kčs", "cs", "CZK", ErrAmountNotNumber},
		{"1,234", "cs", "CZK", ErrAmountTooPrecise}, // a Czech decimal comma with three decimals
		{"10,555", "ru", "KZT", ErrAmountTooPrecise},
		{"0.001", "en", "EUR", ErrAmountTooPrecise},
		{"500 ₸", "cs", "CZK", ErrAmountOtherCurrency},
		{"€500", "en", "CZK", ErrAmountOtherCurrency},
		{"500 Kč", "ru", "KZT", ErrAmountOtherCurrency},
		{"$5", "en", "EUR", ErrAmountOtherCurrency},
		{"1234567890123", "en", "EUR", ErrAmountTooLarge},
	} {
		got, err := ParseAmount(tc.in, tc.lang, tc.cur)
		if !errors.Is(err, tc.want) {
			t.Errorf("ParseAmount(%q, %s, %s) = %d, %v; want %v", tc.in, tc.lang, tc.cur, got, err, tc.want)
		}
	}
}

// FuzzParseAmount: whatever is typed, ParseAmount never panics and never
// returns a non-positive amount; and an amount as the bot itself writes it
// in any language reads back as the same amount. The corpus is kept in
// testdata/fuzz/FuzzParseAmount.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1 234,50", "1234.50", "1 234,50 Kč", "500", "₸5,000", "-1", "0,001", "1.234", "€12.50", "12 34"} {
		f.Add(s, int64(123450))
	}
	bundle, err := locales.New()
	if err != nil {
		f.Fatal(err)
	}
	langs, currencies := []string{"ru", "cs", "en"}, []string{"CZK", "KZT", "EUR"}
	f.Fuzz(func(t *testing.T, s string, minor int64) {
		for _, lang := range langs {
			for _, cur := range currencies {
				if got, err := ParseAmount(s, lang, cur); err == nil && got <= 0 {
					t.Fatalf("ParseAmount(%q, %s, %s) = %d with no error", s, lang, cur, got)
				}
			}
		}
		if minor <= 0 || minor >= 1e14 {
			return
		}
		for _, lang := range langs {
			for _, cur := range currencies {
				shown := locales.PlainText(bundle.For(lang).Money(locales.Money{Minor: minor, Currency: cur}))
				if got, err := ParseAmount(shown, lang, cur); err != nil || got != minor {
					t.Fatalf("%s in %s is shown as %q and read back as %d, %v", cur, lang, shown, got, err)
				}
			}
		}
	})
}
