package scenario

import (
	"strings"
	"time"
)

// Demo customers of the refund scenarios (store/sqlite/seed_refunds.go):
// Jan runs the e-shop ElektroDům.cz; Tereza paid it several times and gets
// refunds from it; Данияр runs Алма Маркет, where Айгерим paid.
const (
	eshop   = "+420602000001"
	payer   = "+420601000001"
	partner = "+77010000003"
	kzPayer = "+77010000001"
)

// parts plays the parts of a scenario in order, each under its title, and
// stops at the first error.
type parts struct {
	p   *Player
	b   strings.Builder
	err error
}

func (ps *parts) part(title string, play func() (string, error)) {
	if ps.err != nil {
		return
	}
	ps.p.Part(title)
	var got string
	got, ps.err = play()
	ps.b.WriteString("======== " + title + " ========\n" + got)
}

func (ps *parts) run(title string, sc Script) {
	ps.part(title, func() (string, error) { return ps.p.Run(sc) })
}

func (ps *parts) done() (string, error) { return ps.b.String(), ps.err }

// refundMerchant is the merchant's side: the payments list and its pages,
// a paid payment refunded in part with every kind of wrong amount answered
// first, the rest refunded with one button, a refund waiting for an
// expected payment cancelled, the payment itself cancelled (storno), and
// the refunds in every other state; a day later the merchant is told what
// went through.
func refundMerchant(p *Player) (string, error) {
	ps := &parts{p: p}
	ps.run("the payments, page by page", Script{As: eshop, Lines: []string{
		"/language", languageLabel[p.Lang],
		"/menu",
		"4", // Refunds: page 1
		"6", // Next: page 2
		"7", // Next: page 3
		"3", // Previous: page 2
		"6", // Previous: page 1
	}})
	ps.run("a partial refund: wrong amounts first", Script{As: eshop, Lines: []string{
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
	}})
	ps.run("an expected payment: its waiting refund cancelled, then storno", Script{As: eshop, Lines: []string{
		"/menu", "4",
		"2", // the expected payment with a refund waiting for it
		"1", // the refund waiting for the payment
		"1", // Cancel the refund
		"1", // Yes
		"1", // Back to the payment
		"3", // Cancel the payment
		"1", // Yes
	}})
	ps.run("refunds in the other states", Script{As: eshop, Lines: []string{
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
	}})
	p.Advance(25 * time.Hour)
	ps.part("a day later: what went through", func() (string, error) { return p.Tick(eshop) })
	return ps.done()
}

// refundPayer is the payer's side: the refunds under "Returns and
// disputes" in customer words, talking to support about a rejected one,
// and a refund the shop sends while the payer watches arriving a day later.
func refundPayer(p *Player) (string, error) {
	ps := &parts{p: p}
	ps.run("the refunds coming to the payer", Script{As: payer, Lines: []string{
		"/language", languageLabel[p.Lang],
		"/menu",
		"3", // Returns and disputes
		"5", // Refunds from shops
		"1", // waiting for incoming payments
		"1", // Back
		"2", // cancelled by the shop
		"2", // Back
		"3", // rejected by the bank
	}})
	ps.run("the shop refunds a payment", Script{As: eshop, Lines: []string{
		"/menu", "4", "1", "1", "300", "1",
	}})
	ps.run("the payer sees it waiting for the bank", Script{As: payer, Lines: []string{
		"/menu", "3", "5", "1",
	}})
	p.Advance(25 * time.Hour)
	ps.part("a day later: it arrives", func() (string, error) { return p.Tick(payer) })
	ps.run("the payer talks to support about the rejected one", Script{As: payer, Lines: []string{
		"/menu", "3", "5", "4", "1",
	}})
	return ps.done()
}

// refundPartner is the Kazakh partner's side in tenge: a refund typed with
// spaces, and Айгерим seeing it among her refunds. It is played in Russian
// only: the partner and the payer are in Kazakhstan.
func refundPartner(p *Player) (string, error) {
	ps := &parts{p: p}
	ps.run("the partner refunds 5 000 ₸", Script{As: partner, Lines: []string{
		"/menu", "4", "1", "1", "5 000", "1",
	}})
	ps.run("the payer's refunds", Script{As: kzPayer, Lines: []string{
		"/menu", "3", "5", "1",
	}})
	return ps.done()
}
