package console_test

import (
	"strings"
	"testing"
	"time"
)

// Demo customers of the refund transcripts (store/sqlite/seed_refunds.go):
// Jan runs the e-shop ElektroDům.cz; Tereza paid it several times and gets
// refunds from it; Данияр runs Алма Маркет, where Айгерим paid.
const (
	eshop   = "+420602000001"
	payer   = "+420601000001"
	partner = "+77010000003"
	kzPayer = "+77010000001"
)

// parts writes a transcript's parts under their titles.
func parts(b *strings.Builder) func(title, transcript string) {
	return func(title, transcript string) { b.WriteString("======== " + title + " ========\n" + transcript) }
}

var refundLangs = []struct{ lang, label string }{
	{"ru", "Русский"},
	{"cs", "Čeština"},
	{"en", "English"},
}

// TestGoldenRefundMerchant pins the merchant's side in each language: the
// payments list and its pages, a paid payment refunded in part with every
// kind of wrong amount answered first, the rest refunded with one button,
// a refund waiting for an expected payment cancelled, the payment itself
// cancelled (storno), and the refunds in every other state; a day later the
// merchant is told what went through.
func TestGoldenRefundMerchant(t *testing.T) {
	for _, tc := range refundLangs {
		t.Run(tc.lang, func(t *testing.T) {
			s := NewSession(t)
			var b strings.Builder
			part := parts(&b)
			part("the payments, page by page", s.Run(Script{Lang: tc.lang, As: eshop, Lines: []string{
				"/language", tc.label,
				"/menu",
				"4", // Refunds: page 1
				"6", // Next: page 2
				"7", // Next: page 3
				"3", // Previous: page 2
				"6", // Previous: page 1
			}}))
			part("a partial refund: wrong amounts first", s.Run(Script{Lang: tc.lang, As: eshop, Lines: []string{
				"/menu", "4",
				"1", // the newest payment, paid by card
				"1", // Refund: the amount
				"abc", "0", "-5", "500 ₸", "10,555", "2000",
				"500",    // the summary
				"2",      // Change the amount
				"400,50", // another summary
				"1",      // Request the refund
				"1",      // Back to the payment: the refund is on it
				"1",      // the refund's card
				"1",      // Back
				"2",      // Refund the rest
				"1",      // Refund all: the summary
				"1",      // Request the refund
				"1",      // Back: nothing left to refund
			}}))
			part("an expected payment: its waiting refund cancelled, then storno", s.Run(Script{Lang: tc.lang, As: eshop, Lines: []string{
				"/menu", "4",
				"2", // the expected payment with a refund waiting for it
				"1", // the refund waiting for the payment
				"1", // Cancel the refund
				"1", // Yes
				"1", // Back to the payment
				"3", // Cancel the payment
				"1", // Yes
			}}))
			part("refunds in the other states", s.Run(Script{Lang: tc.lang, As: eshop, Lines: []string{
				"/menu", "4",
				"3", "1", // at the bank
				"/menu", "4",
				"5", "1", // waiting for enough incoming payments
				"/menu", "4", "6",
				"1", "1", // cancelled by the merchant
				"/menu", "4", "6",
				"2", "1", // refunded
				"/menu", "4", "6",
				"3", "1", // rejected by the bank
				"/menu", "4", "6",
				"4", // a cancelled payment
				"/menu", "4", "6", "7",
				"1", "1", // cancelled after 14 working days
			}}))
			s.Advance(25 * time.Hour)
			part("a day later: what went through", s.Tick(eshop))
			Golden(t, "refund-merchant."+tc.lang, b.String())
		})
	}
}

// TestGoldenRefundPayer pins the payer's side in each language: the
// refunds under "Returns and disputes" in customer words, talking to
// support about a rejected one, and a refund the shop sends while the
// payer watches arriving a day later.
func TestGoldenRefundPayer(t *testing.T) {
	for _, tc := range refundLangs {
		t.Run(tc.lang, func(t *testing.T) {
			s := NewSession(t)
			var b strings.Builder
			part := parts(&b)
			part("the refunds coming to the payer", s.Run(Script{Lang: tc.lang, As: payer, Lines: []string{
				"/language", tc.label,
				"/menu",
				"3", // Returns and disputes
				"5", // Refunds from shops
				"1", // waiting for incoming payments
				"1", // Back
				"2", // cancelled by the shop
				"2", // Back
				"3", // rejected by the bank
			}}))
			part("the shop refunds a payment", s.Run(Script{Lang: tc.lang, As: eshop, Lines: []string{
				"/menu", "4", "1", "1", "300", "1",
			}}))
			part("the payer sees it waiting for the bank", s.Run(Script{Lang: tc.lang, As: payer, Lines: []string{
				"/menu", "3", "5", "1",
			}}))
			s.Advance(25 * time.Hour)
			part("a day later: it arrives", s.Tick(payer))
			part("the payer talks to support about the rejected one", s.Run(Script{Lang: tc.lang, As: payer, Lines: []string{
				"/menu", "3", "5", "4", "1",
			}}))
			Golden(t, "refund-payer."+tc.lang, b.String())
		})
	}
}

// TestGoldenRefundPartner pins the Kazakh partner's side in tenge: a
// refund typed with spaces, and Айгерим seeing it among her refunds.
func TestGoldenRefundPartner(t *testing.T) {
	s := NewSession(t)
	var b strings.Builder
	part := parts(&b)
	part("the partner refunds 5 000 ₸", s.Run(Script{Lang: "ru", As: partner, Lines: []string{
		"/menu", "4", "1", "1", "5 000", "1",
	}}))
	part("the payer's refunds", s.Run(Script{Lang: "ru", As: kzPayer, Lines: []string{
		"/menu", "3", "5", "1",
	}}))
	Golden(t, "refund-partner.ru", b.String())
}
