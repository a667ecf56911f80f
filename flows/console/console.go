// Package console runs a paydesk conversation in a terminal: it reads lines
// as a customer's messages and presses, and prints every screen as plain
// text with numbered buttons. `paydesk demo` uses it interactively, and the
// golden-transcript tests use it to pin every flow in every language.
//
// Input lines:
//   - "/name args"  a command (/start with a deep-link payload too);
//   - "3"           presses button [3] of the latest screens;
//   - "Help"        presses the button with that label (case-insensitive);
//   - "+77010000001" while the share-phone keyboard is shown: shares that
//     number as the customer's own contact;
//   - "#photo id"   sends a photo with that file id;
//   - "agent: text" is a support agent writing in the topic of the chat's
//     ticket (commands too: "agent: /close");
//   - "/clock +2d" (+5h, +30m) moves the demo clock and runs the periodic
//     jobs (see clock.go);
//   - anything else is text the customer typed.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"paydesk/flows"
	"paydesk/locales"
	"paydesk/store"
)

// Console is one customer chatting with the engine.
type Console struct {
	engine *flows.Engine
	bundle *locales.Bundle
	out    io.Writer

	ChatID       int64
	UserID       int64
	LanguageCode string // what Telegram would report for this user
	// Phone is shared when the customer presses the share-phone button.
	Phone string
	// Echo prints each input line before the answer (transcripts).
	Echo bool
	// Strict fails on a message missing from a locale (tests); otherwise the
	// localizer falls back to English like production does.
	Strict bool
	// SupportLang is the language of the support group's posts; "" shows
	// each ticket's posts in its customer's language.
	SupportLang string
	// Advance moves the engine's clock forward by d and returns the new
	// time; "/clock" needs it (nil: the console has no clock to move).
	Advance func(d time.Duration) time.Time

	agentText string // the agent's line being relayed

	buttons []pressable
	asks    bool // the share-phone keyboard is shown
}

// pressable is a button on the latest screens, inline or reply keyboard.
type pressable struct {
	label   string
	data    string // inline callback data; "" for a reply-keyboard button
	contact bool
	msgID   int
}

// New makes a console for a customer chat writing to out.
func New(engine *flows.Engine, bundle *locales.Bundle, out io.Writer) *Console {
	return &Console{engine: engine, bundle: bundle, out: out, ChatID: 1001, UserID: 1001}
}

// Run reads lines until the end of input.
func (c *Console) Run(ctx context.Context, in io.Reader) error {
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		if err := c.Line(ctx, sc.Text()); err != nil {
			return err
		}
	}
	return sc.Err()
}

var phoneLine = regexp.MustCompile(`^\+\d{6,15}$`)

// Line handles one line of input.
func (c *Console) Line(ctx context.Context, line string) error {
	line = strings.TrimSpace(line)
	if line == "" {
		return nil
	}
	if c.Echo {
		fmt.Fprintf(c.out, "> %s\n", line)
	}
	if text, ok := strings.CutPrefix(line, AgentPrefix); ok {
		return c.agentLine(ctx, strings.TrimSpace(text))
	}
	if name, arg, _ := strings.Cut(line, " "); strings.EqualFold(name, ClockCommand) {
		return c.clockLine(ctx, arg)
	}
	ev, ok := c.event(line)
	if !ok {
		return nil
	}
	return c.Send(ctx, ev)
}

// Send runs an event from this customer and prints what it produced.
func (c *Console) Send(ctx context.Context, ev flows.Event) error {
	ev.ChatID, ev.UserID, ev.LanguageCode = c.ChatID, c.UserID, c.LanguageCode
	out, err := c.engine.Handle(ctx, ev)
	if err == nil {
		err = c.engine.Settle(ctx, &out)
	}
	if err != nil {
		return err
	}
	return c.print(out)
}

func (c *Console) event(line string) (flows.Event, bool) {
	if strings.HasPrefix(line, "/") {
		name, args, _ := strings.Cut(line[1:], " ")
		name = strings.ToLower(name)
		kind := flows.EventCommand
		if name == "start" {
			kind = flows.EventStart
		}
		return flows.Event{Kind: kind, Command: name, Args: strings.TrimSpace(args)}, true
	}
	if id, ok := strings.CutPrefix(line, "#photo "); ok {
		return flows.Event{Kind: flows.EventPhoto, FileID: strings.TrimSpace(id)}, true
	}
	if c.asks && phoneLine.MatchString(line) {
		return c.contact(line), true
	}
	if b, ok := c.find(line); ok {
		switch {
		case b.contact && c.Phone == "":
			fmt.Fprintln(c.out, "(demo) type the phone number to share, e.g. +77010000001")
			return flows.Event{}, false
		case b.contact:
			return c.contact(c.Phone), true
		case b.data == "":
			return flows.Event{Kind: flows.EventText, Text: b.label}, true
		}
		return flows.Event{Kind: flows.EventAction, Data: b.data, MessageID: b.msgID, Label: b.label}, true
	}
	return flows.Event{Kind: flows.EventText, Text: line}, true
}

func (c *Console) contact(phone string) flows.Event {
	return flows.Event{Kind: flows.EventContact, Contact: &flows.Contact{Phone: phone, UserID: c.UserID}}
}

// find looks a line up as a button number or label on the latest screens.
func (c *Console) find(line string) (pressable, bool) {
	if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(c.buttons) {
		return c.buttons[n-1], true
	}
	for _, b := range c.buttons {
		if strings.EqualFold(b.label, line) {
			return b, true
		}
	}
	return pressable{}, false
}

// print writes an outcome: screens for this chat first-class, screens for
// other chats (a transfer's recipient, say) under a header naming the chat.
func (c *Console) print(out flows.Outcome) error {
	for _, r := range out.Replies {
		if r.ChatID == c.ChatID {
			c.buttons = c.buttons[:0] // new screens: the old buttons are out of reach
			break
		}
	}
	loc := c.bundle.For(c.lang(out))
	if !out.Toast.IsZero() {
		t, err := c.render(loc, out.Toast)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.out, "(notice: %s)\n", t)
	}
	for i, r := range out.Replies {
		loc := c.bundle.For(r.Lang)
		mine := r.ChatID == c.ChatID
		switch {
		case !mine:
			fmt.Fprintf(c.out, "--- to chat %d (%s) ---\n", r.ChatID, r.Lang)
		case r.Screen.Replace:
			fmt.Fprintln(c.out, "~ (edits the message)")
		}
		if err := c.printScreen(loc, r.Screen, mine, i); err != nil {
			return err
		}
	}
	return c.printRelays(out.Relays)
}

func (c *Console) lang(out flows.Outcome) string {
	if out.Lang != "" {
		return out.Lang
	}
	for _, r := range out.Replies {
		if r.ChatID == c.ChatID {
			return r.Lang
		}
	}
	return locales.Match(c.LanguageCode)
}

func (c *Console) printScreen(loc *locales.Localizer, s flows.Screen, mine bool, msgID int) error {
	for i, m := range s.Body {
		t, err := c.render(loc, m)
		if err != nil {
			return err
		}
		if i > 0 {
			fmt.Fprintln(c.out)
		}
		fmt.Fprintln(c.out, locales.PlainText(t))
	}
	for _, row := range s.Inline {
		var cells []string
		for _, b := range row {
			label, err := c.render(loc, b.Label)
			if err != nil {
				return err
			}
			cells = append(cells, c.cell(pressable{label: locales.PlainText(label), data: b.Data, msgID: msgID}, mine))
		}
		fmt.Fprintln(c.out, "  "+strings.Join(cells, "  "))
	}
	if mine {
		c.asks = false
	}
	if s.Reply != nil {
		for _, row := range s.Reply.Rows {
			var cells []string
			for _, b := range row {
				label, err := c.render(loc, b.Label)
				if err != nil {
					return err
				}
				cells = append(cells, c.cell(pressable{label: locales.PlainText(label), contact: b.RequestContact}, mine))
				if mine && b.RequestContact {
					c.asks = true
				}
			}
			fmt.Fprintln(c.out, "  keyboard: "+strings.Join(cells, "  "))
		}
	}
	fmt.Fprintln(c.out)
	return nil
}

// cell prints a button; only this chat's buttons get numbers to press.
func (c *Console) cell(b pressable, mine bool) string {
	if !mine {
		return "[" + b.label + "]"
	}
	c.buttons = append(c.buttons, b)
	return fmt.Sprintf("[%d] %s", len(c.buttons), b.label)
}

func (c *Console) render(loc *locales.Localizer, m locales.Msg) (string, error) {
	if !c.Strict {
		return loc.Text(m), nil
	}
	t, err := loc.Render(m)
	if err != nil {
		return "", fmt.Errorf("render %s in %s: %w", m.ID, loc.Lang(), err)
	}
	return t, nil
}

// Link links the chat to the customer with this phone without printing
// anything, as if they had shared their number before the transcript starts.
func (c *Console) Link(ctx context.Context, phone string) error {
	ev := c.contact(phone)
	ev.ChatID, ev.UserID, ev.LanguageCode = c.ChatID, c.UserID, c.LanguageCode
	out, err := c.engine.Handle(ctx, ev)
	if err != nil {
		return err
	}
	return c.engine.Settle(ctx, &out)
}

// ChatOf is the private chat id the demo gives a customer, so that several
// demo customers can share one database (a sender and a recipient).
func ChatOf(id store.CustomerID) int64 { return 100000 + int64(id) }

// Tick runs the engine's periodic jobs (reminders, expiries, nudges) as the
// bot's notifier would, and prints what they send to any chat.
func (c *Console) Tick(ctx context.Context) error {
	out, err := c.engine.Tick(ctx)
	if err == nil {
		err = c.engine.Settle(ctx, &out)
	}
	if err != nil {
		return err
	}
	if c.Echo {
		fmt.Fprintln(c.out, "> (time passes: periodic jobs run)")
	}
	return c.print(out)
}
