package locales

import (
	"fmt"
	"math"
	"testing"
)

const nbsp = "\u00a0"

func TestNumber(t *testing.T) {
	b := bundle(t)
	tests := []struct {
		n          any
		ru, cs, en string
	}{
		{0, "0", "0", "0"},
		{7, "7", "7", "7"},
		{int64(5000), "5" + nbsp + "000", "5" + nbsp + "000", "5,000"},
		{-1234567, "-1" + nbsp + "234" + nbsp + "567", "-1" + nbsp + "234" + nbsp + "567", "-1,234,567"},
		{int64(math.MinInt64), "-9" + nbsp + "223" + nbsp + "372" + nbsp + "036" + nbsp + "854" + nbsp + "775" + nbsp + "808",
			"-9" + nbsp + "223" + nbsp + "372" + nbsp + "036" + nbsp + "854" + nbsp + "775" + nbsp + "808", "-9,223,372,036,854,775,808"},
		{uint64(math.MaxUint64), "18" + nbsp + "446" + nbsp + "744" + nbsp + "073" + nbsp + "709" + nbsp + "551" + nbsp + "615",
			"18" + nbsp + "446" + nbsp + "744" + nbsp + "073" + nbsp + "709" + nbsp + "551" + nbsp + "615", "18,446,744,073,709,551,615"},
		{"1.5", "1,5", "1,5", "1.5"},
		{"0.25", "0,25", "0,25", "0.25"},
		{"1234.50", "1" + nbsp + "234,50", "1" + nbsp + "234,50", "1,234.50"},
		{"-2.5", "-2,5", "-2,5", "-2.5"},
		{"+3", "3", "3", "3"},
		{"-0.0", "0,0", "0,0", "0.0"},
		{"12", "12", "12", "12"},
		// Not numbers: shown as written, escaped.
		{"1,5", "1,5", "1,5", "1,5"},
		{"<1>", "&lt;1&gt;", "&lt;1&gt;", "&lt;1&gt;"},
		{".5", ".5", ".5", ".5"},
		{1.5, "1.5", "1.5", "1.5"},
	}
	for _, tt := range tests {
		wantInEach(t, b, fmt.Sprintf("Number(%#v)", tt.n), tt.ru, tt.cs, tt.en,
			func(l *Localizer) string { return l.Number(tt.n) })
	}
}

func TestMoney(t *testing.T) {
	b := bundle(t)
	tests := []struct {
		m          Money
		ru, cs, en string
	}{
		{Money{500000, "KZT"}, "5" + nbsp + "000" + nbsp + "₸", "5" + nbsp + "000" + nbsp + "₸", "₸5,000"},
		{Money{123450, "CZK"}, "1" + nbsp + "234,50" + nbsp + "Kč", "1" + nbsp + "234,50" + nbsp + "Kč", "Kč" + nbsp + "1,234.50"},
		{Money{1250, "EUR"}, "12,50" + nbsp + "€", "12,50" + nbsp + "€", "€12.50"},
		{Money{1205, "USD"}, "12,05" + nbsp + "$", "12,05" + nbsp + "$", "$12.05"},
		{Money{99, "RUB"}, "0,99" + nbsp + "₽", "0,99" + nbsp + "₽", "₽0.99"},
		{Money{0, "KZT"}, "0" + nbsp + "₸", "0" + nbsp + "₸", "₸0"},
		{Money{-500000, "KZT"}, "-5" + nbsp + "000" + nbsp + "₸", "-5" + nbsp + "000" + nbsp + "₸", "-₸5,000"},
		{Money{-50, "EUR"}, "-0,50" + nbsp + "€", "-0,50" + nbsp + "€", "-€0.50"},
		{Money{-123450, "CZK"}, "-1" + nbsp + "234,50" + nbsp + "Kč", "-1" + nbsp + "234,50" + nbsp + "Kč", "-Kč" + nbsp + "1,234.50"},
		{Money{123456789012345, "USD"},
			"1" + nbsp + "234" + nbsp + "567" + nbsp + "890" + nbsp + "123,45" + nbsp + "$",
			"1" + nbsp + "234" + nbsp + "567" + nbsp + "890" + nbsp + "123,45" + nbsp + "$",
			"$1,234,567,890,123.45"},
		{Money{math.MinInt64, "RUB"},
			"-92" + nbsp + "233" + nbsp + "720" + nbsp + "368" + nbsp + "547" + nbsp + "758,08" + nbsp + "₽",
			"-92" + nbsp + "233" + nbsp + "720" + nbsp + "368" + nbsp + "547" + nbsp + "758,08" + nbsp + "₽",
			"-₽92,233,720,368,547,758.08"},
		// A currency without a symbol in the files shows its code, kept apart
		// from the digits; JPY has no minor units.
		{Money{150000, "GBP"}, "1" + nbsp + "500" + nbsp + "GBP", "1" + nbsp + "500" + nbsp + "GBP", "GBP" + nbsp + "1,500"},
		{Money{1500, "JPY"}, "1" + nbsp + "500" + nbsp + "JPY", "1" + nbsp + "500" + nbsp + "JPY", "JPY" + nbsp + "1,500"},
		{Money{100, "<x>"}, "1" + nbsp + "&lt;x&gt;", "1" + nbsp + "&lt;x&gt;", "&lt;x&gt;" + nbsp + "1"},
	}
	for _, tt := range tests {
		wantInEach(t, b, fmt.Sprintf("Money(%+v)", tt.m), tt.ru, tt.cs, tt.en,
			func(l *Localizer) string { return l.Money(tt.m) })
	}
}
