package scenario

import (
	"fmt"
	"strings"
	"time"

	"paydesk/flows"
)

// All are the scenarios of every flow, in the order the gallery shows them.
var All = []Scenario{
	{Name: "start-link-menu", Flow: "start", Title: "The first minutes: the greeting, linking by phone, the menu, help and the language picker", Play: startLinkMenu},
	{Name: "withdrawal", Flow: "withdrawal", Title: "Withdrawal status: the list, a stuck card and its escalation, cards at every stage", Play: withdrawal},
	{Name: "withdrawal-nudge", Flow: "withdrawal", Title: "The proactive nudge for a stuck withdrawal, sent once", Play: withdrawalNudge},
	{Name: "transfer-cancel", Flow: "transfer", Title: "Cancelling a transfer, both sides: requests, return, decline, expiry", Play: transferCancel},
	{Name: "dispute", Flow: "dispute", Title: "Disputing a seller's refusal: the form, photos, sending, a closed request", Play: dispute},
	{Name: "dispute-window", Flow: "dispute", Title: "The dispute window: time left, leaving the form, the reminder, one second late", Play: disputeWindow},
	{Name: "support", Flow: "support", Title: "Support handoff, both sides: the case card, relays, canned replies, closing and rating", Play: support},
	{Name: "refund-merchant", Flow: "refund", Title: "A merchant's refunds: pages, a partial refund after wrong amounts, the rest, storno, every state", Play: refundMerchant},
	{Name: "refund-payer", Flow: "refund", Title: "The payer's side of refunds: their states in customer words, one arriving, support about a rejected one", Play: refundPayer},
	{Name: "refund-partner", Flow: "refund", Title: "A Kazakh partner refunds in tenge, and the payer sees it", Play: refundPartner, Langs: []string{"ru"}},
}

// ByName finds a scenario of All.
func ByName(name string) (Scenario, bool) {
	for _, sc := range All {
		if sc.Name == name {
			return sc, true
		}
	}
	return Scenario{}, false
}

// customers are the demo customers, one per language: KZ on the standard
// tier, CZ on gold, an English speaker in Prague on standard.
var customers = map[string]string{"ru": "+77010000001", "cs": "+420601000001", "en": "+447700900001"}

// Demo customers of the transfer scenario: Айгерим sends, Нурлан received
// three of her recent transfers (store/sqlite/seed.go).
const (
	sender    = "+77010000001"
	recipient = "+77010000002"
)

// languageLabel is each language's name on the picker.
var languageLabel = map[string]string{"ru": "Русский", "cs": "Čeština", "en": "English"}

func startLinkMenu(p *Player) (string, error) {
	return p.Run(Script{Lines: []string{
		"/start",
		"2",            // a money entry asks to link first
		"hello",        // typed text instead of the button
		"+10000000000", // a number no customer has
		"/start",
		"2",
		customers[p.Lang], // shares their own number: linked, then the entry opens
		"/help",
		"/language",
		"/whatever",
	}})
}

// The demo's withdrawals, newest first, are the buttons of the list:
// [1] fresh at approval, [2] fresh at the provider, [3] rejected, [4] stuck
// at approval, [5] received, [6] stuck at the provider, [7] Menu.
func withdrawal(p *Player) (string, error) {
	return p.Run(Script{As: customers[p.Lang], Lines: []string{
		"/start",
		"2", // Withdrawals
		"4", // stuck at approval: the card has the button
		"1", // Waiting more than N days?: a ticket is opened
		"1", // Menu
		"2",
		"4",
		"1", // the same button again: already escalated, same ticket
		"1",
		"2",
		"6", // stuck at the provider
		"2", // Back
		"1", // fresh at approval: no button yet, says when it would appear
		"1", // Back
		"2", // fresh at the provider
		"1",
		"5", // received
		"2",
		"3", // rejected
	}})
}

// withdrawalNudge: a stuck withdrawal at each stage is nudged once, with
// the button; the next tick sends nothing.
func withdrawalNudge(p *Player) (string, error) {
	phone := customers[p.Lang]
	got, err := p.Run(Script{As: phone, Lines: []string{"/menu"}})
	if err != nil {
		return got, err
	}
	first, err := p.Tick(phone)
	if err != nil {
		return got, err
	}
	p.Advance(time.Hour)
	second, err := p.Tick(phone)
	if err != nil {
		return got, err
	}
	got += first + second
	if strings.Count(second, "\n") > 2 {
		return got, fmt.Errorf("a second tick sent again:\n%s", second)
	}
	return got, nil
}

// transferCancel: the recipient links the bot first (so the request reaches
// them), the sender browses the history, sees why an old transfer cannot be
// cancelled and requests cancellation of three recent ones; the recipient
// returns the money of one, declines another and leaves the third open; a
// week later it expires, and the recipient's late press finds it closed;
// the sender finds each outcome on the receipt and talks to support about
// the expired one.
func transferCancel(p *Player) (string, error) {
	var b strings.Builder
	var err error
	part := func(title string, play func() (string, error)) {
		if err != nil {
			return
		}
		p.Part(title)
		var got string
		got, err = play()
		b.WriteString("======== " + title + " ========\n" + got)
	}
	label := languageLabel[p.Lang]
	part("recipient links the bot and picks a language", func() (string, error) {
		return p.Run(Script{As: recipient, Lines: []string{"/language", label}})
	})
	part("sender: history, an old transfer, three requests", func() (string, error) {
		return p.Run(Script{As: sender, Lines: []string{
			"/language", label,
			"/menu",
			"1", // Transfers: history, page 1
			"6", // Next: page 2
			"3", // a transfer older than a month
			"2", // Back to page 2
			"5", // Previous: page 1
			"1", // the newest transfer, to Нурлан
			"1", // Request cancellation
			"1", // Yes: the recipient is asked
			"1", // Back to the history
			"3", // another transfer to Нурлан
			"1", "1",
			"1",
			"4", // a third one
			"1", "1",
		}})
	})
	var r *Chat
	if err == nil {
		r, err = p.Keep(recipient)
	}
	part("recipient: returns one, declines another, leaves the third", func() (string, error) {
		return r.Lines(
			"/menu",
			"1", // Transfers: the requests to them on top
			"1", // the first request
			"1", // Return the money
			"1", // Yes, return
			"/menu",
			"1",
			"1", // the next request
			"2", // Decline
			"/menu",
			"1",
			"1", // the last one, opened and left unanswered
		)
	})
	p.Advance(flows.RecipientAnswerTime)
	part("a week later: the third request expires", func() (string, error) { return p.Tick(sender) })
	part("recipient presses Return the money on the old message", func() (string, error) { return r.Lines("1") })
	part("sender: the outcomes on the receipts, support", func() (string, error) {
		return p.Run(Script{As: sender, Lines: []string{
			"/menu",
			"1",
			"1", // the returned transfer
			"1", // Back
			"3", // the declined one
			"2", // Back
			"4", // the expired one
			"1", // Talk to support
		}})
	})
	return b.String(), err
}

// disputeData: each demo customer has a refusal from a day ago (disputable,
// the second request in the list) and one from four days ago (closed, the
// third); the order number of the disputable one, and the customer's words.
var disputeData = map[string]struct{ order, text string }{
	"ru": {"KZ-458812", "Левый наушник не заряжается <b>& не подключается</b> с первого дня. Следов использования нет."},
	"cs": {"CZ-702114", "Levé sluchátko se nenabíjí <b>& nepřipojí</b> se od prvního dne. Stopy používání nemá."},
	"en": {"EU-310577", "The left earphone does not charge <b>& won't pair</b> since day one. There are no signs of use."},
}

// dispute is the demo walk: the list, a refused request's card with its
// deadline, the whole form (a wrong answer at two steps, two photos),
// sending it, the list again, and the closed request that offers support.
func dispute(p *Player) (string, error) {
	return p.Run(Script{As: customers[p.Lang], Lines: []string{
		"/menu",
		"3",                                // Returns and disputes
		"2",                                // the request refused a day ago
		"1",                                // Dispute the refusal
		"hello",                            // typed instead of choosing a reason
		"2",                                // Item is damaged
		"#photo AgACAgIAAxkBAAIBWmZ0early", // a photo instead of words
		disputeData[p.Lang].text,
		"#photo AgACAgIAAxkBAAIBW2Z0one",
		"#photo AgACAgIAAxkBAAIBXGZ0two",
		"hello", // text while photos are expected
		"1",     // Done
		"1",     // Send
		"/menu",
		"3", // the list shows the dispute under review
		"3", // the request refused four days ago: closed
		"1", // Talk to support
	}})
}

// disputeWindow walks the clock: the time left with two plural numbers,
// "Back" keeping the description, leaving the form by "Cancel" (confirmed)
// and by /cancel, the reminder when 24 h are left (sent once), and a form
// sent one second after the deadline.
func disputeWindow(p *Player) (string, error) {
	phone, d := customers[p.Lang], disputeData[p.Lang]
	c, err := p.Chat(phone)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	play := func(lines ...string) {
		if err != nil {
			return
		}
		var got string
		got, err = c.Lines(lines...)
		b.WriteString(got)
	}
	tick := func() string {
		if err != nil {
			return ""
		}
		var got string
		got, err = p.Tick(phone)
		b.WriteString(got)
		return got
	}
	expect := func(ok bool, format string, args ...any) {
		if err == nil && !ok {
			err = fmt.Errorf(format, args...)
		}
	}

	p.Advance(19 * time.Hour) // 1 day 5 hours left
	play("/menu", "3", "2",
		"1", "4", d.text, "2", // Back at the photos step: the description, kept
		"3", "1", // Cancel, confirmed: nothing recorded
		"1", "5", "/cancel") // /cancel at the text step
	got := tick()
	expect(!strings.Contains(got, d.order), "a reminder with more than 24 h left:\n%s", got)
	p.Advance(6 * time.Hour) // 23 hours left: the reminder
	got = tick()
	expect(strings.Contains(got, d.order), "no reminder with 23 h left:\n%s", got)
	got = tick()
	expect(!strings.Contains(got, d.order), "the reminder was sent twice:\n%s", got)
	play("/menu", "3", "2", "1", "1", d.text, "1") // up to the summary, in time
	p.Advance(23*time.Hour + time.Second)          // one second past the deadline
	play("1",                                      // Send: refused in the card's words
		"1") // Talk to support
	return b.String(), err
}

// supportData are what each customer writes to support.
var supportData = map[string]struct{ hello, more, back string }{
	"ru": {"Где мои деньги за вывод?", "И ещё вопрос по переводу", "Вернуться к боту"},
	"cs": {"Kde jsou moje peníze?", "Ještě jeden dotaz", "Zpět k botovi"},
	"en": {"Where is my money?", "One more question", "Back to the bot"},
}

// support pins the handoff, both sides: "Talk to support" and the case
// card, the relay both ways, canned replies, taking the ticket, closing and
// rating, reopening by a message within a day, leaving the queue, and the
// answer outside working hours.
func support(p *Player) (string, error) {
	phone, d := customers[p.Lang], supportData[p.Lang]
	got, err := p.Run(Script{As: phone, Lines: []string{
		"/start",
		"4", // Talk to support
		d.hello,
		"#photo screenshot-1",
		"/start", // goes to the agents, not to the bot
		"agent: Hello, I'm looking into it",
		"agent: /canned",
		"agent: /canned checking",
		"agent: /assign",
		"agent: /assign @maria", // passes it on: the customer is told
		"agent: /note customer is worried",
		"agent: /close",
		"4", // rates the help 4 of 5
		d.more,
		"agent: /done",
	}})
	if err != nil {
		return got, err
	}
	p.Advance(10 * time.Hour) // 19:00 UTC: support has gone home
	more, err := p.Run(Script{As: phone, Lines: []string{"/support", d.back}})
	return got + more, err
}
