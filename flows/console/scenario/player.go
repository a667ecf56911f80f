// Package scenario holds the scripted conversations of every flow, in every
// language: the golden-transcript tests (flows/console) pin them, and
// `paydesk transcript` renders them for locale testers as Markdown and a
// side-by-side HTML gallery. One list, so what testers read is what the
// tests check.
//
// A scenario plays against a fresh store seeded with the demo ledger at a
// fixed moment; the caller opens it (see Opener), so this package needs no
// particular store.
package scenario

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"time"

	"paydesk/flows"
	"paydesk/flows/console"
	"paydesk/locales"
	"paydesk/store"
)

// Now is the fixed moment every scenario starts at: a Monday morning, 14:00
// in Almaty and 10:00 in Prague.
var Now = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// Languages are the languages every scenario is played in.
var Languages = []string{"ru", "cs", "en"}

// Opener opens a new, empty State and a Ledger seeded with the demo data
// at now; the player closes them with the returned function.
type Opener func(ctx context.Context, now time.Time) (state store.State, ledger store.Ledger, closeFn func() error, err error)

// Scenario is one scripted conversation, played once per language.
type Scenario struct {
	Name  string // the golden file's stem, e.g. "withdrawal" (testdata/withdrawal.ru.golden)
	Flow  string // the flow it walks, for the gallery's filter
	Title string // what it shows, in a sentence
	// Play runs the conversation in p.Lang and returns the transcript.
	// A broken expectation is an error.
	Play func(p *Player) (string, error)
	// Langs are the languages it is played in; nil is every one of
	// Languages (a scenario of Kazakh customers only needs Russian).
	Langs []string
}

// Languages are the languages sc is played in.
func (sc Scenario) Languages() []string {
	if sc.Langs != nil {
		return sc.Langs
	}
	return Languages
}

// Step is one thing that happened in a scenario: an input line in one chat
// and every screen it produced.
type Step struct {
	Part   string // the part of the scenario it belongs to ("" if it has none)
	ChatID int64  // the chat the input came from; 0 for a tick
	Input  string // the line typed or pressed ("agent: ..." for the agent, "" for a tick)
	Out    flows.Outcome
}

// Player plays scenarios in one language over its own store at a clock it
// moves; options are the engine's beyond the secret and the clock.
type Player struct {
	Lang   string
	Bundle *locales.Bundle
	State  store.State
	Ledger store.Ledger
	Engine *flows.Engine
	Steps  []Step

	ctx   context.Context
	now   time.Time
	part  string
	close func() error
}

// NewPlayer opens a store with open and an engine on it at Now.
func NewPlayer(ctx context.Context, open Opener, lang string, opts ...flows.Option) (*Player, error) {
	state, ledger, closeFn, err := open(ctx, Now)
	if err != nil {
		return nil, fmt.Errorf("open the scenario store: %w", err)
	}
	bundle, err := locales.New()
	if err != nil {
		closeFn()
		return nil, err
	}
	p := &Player{Lang: lang, Bundle: bundle, State: state, Ledger: ledger, ctx: ctx, now: Now, close: closeFn}
	p.Engine = flows.New(state, ledger, append([]flows.Option{
		flows.WithSecret([]byte("golden-transcripts-secret-0123456789")),
		flows.WithClock(func() time.Time { return p.now }),
		flows.WithLogger(slog.New(slog.DiscardHandler)),
	}, opts...)...)
	return p, nil
}

// Close closes the player's store.
func (p *Player) Close() error { return p.close() }

// Play plays sc in a new player's language and returns the transcript.
func Play(ctx context.Context, open Opener, sc Scenario, lang string, opts ...flows.Option) (string, *Player, error) {
	p, err := NewPlayer(ctx, open, lang, opts...)
	if err != nil {
		return "", nil, err
	}
	defer p.Close()
	out, err := sc.Play(p)
	if err != nil {
		return out, p, fmt.Errorf("scenario %s in %s: %w", sc.Name, lang, err)
	}
	return out, p, nil
}

// Advance moves the clock.
func (p *Player) Advance(d time.Duration) { p.now = p.now.Add(d) }

// Now is the player's clock.
func (p *Player) Now() time.Time { return p.now }

// Part starts a named part of the scenario: the steps after it belong to it.
func (p *Player) Part(title string) { p.part = title }

// Script is one customer's lines.
type Script struct {
	As    string // phone of the demo customer the chat is linked to; "" for unlinked
	Lines []string
}

// Run plays a script in a new console for its customer (linked first, if
// As is set) and returns what it printed.
func (p *Player) Run(sc Script) (string, error) {
	ch, err := p.Chat(sc.As)
	if err != nil {
		return "", err
	}
	return ch.Lines(sc.Lines...)
}

// Tick runs the periodic jobs at the player's clock, as seen from the chat
// of the demo customer with this phone, and returns what they printed.
func (p *Player) Tick(phone string) (string, error) {
	var out bytes.Buffer
	c, err := p.console(&out, phone)
	if err != nil {
		return "", err
	}
	c.LanguageCode = "" // the periodic jobs know no client
	if err := c.Tick(p.ctx); err != nil {
		return out.String(), fmt.Errorf("tick: %w", err)
	}
	return out.String(), nil
}

// Chat is one customer's console, kept across clock moves so a scenario can
// press a button of a message shown before time passed.
type Chat struct {
	p   *Player
	c   *console.Console
	out *bytes.Buffer
}

// Chat opens a console for the demo customer with this phone, linking the
// chat first; "" is an unlinked chat.
func (p *Player) Chat(phone string) (*Chat, error) { return p.chat(phone, true) }

// Keep opens a console for a demo customer whose chat is linked already.
func (p *Player) Keep(phone string) (*Chat, error) { return p.chat(phone, false) }

func (p *Player) chat(phone string, link bool) (*Chat, error) {
	out := new(bytes.Buffer)
	c, err := p.console(out, phone)
	if err != nil {
		return nil, err
	}
	if link && phone != "" {
		if err := c.Link(p.ctx, phone); err != nil {
			return nil, fmt.Errorf("link %s: %w", phone, err)
		}
	}
	return &Chat{p: p, c: c, out: out}, nil
}

// Console is the chat's console, for a test that drives it itself; its
// Advance moves the player's clock.
func (ch *Chat) Console() *console.Console { return ch.c }

// Lines plays lines and returns what they printed since the last call.
func (ch *Chat) Lines(lines ...string) (string, error) {
	defer ch.out.Reset()
	for _, line := range lines {
		if err := ch.c.Line(ch.p.ctx, line); err != nil {
			return "", fmt.Errorf("line %q: %w\ntranscript so far:\n%s", line, err, ch.out.String())
		}
	}
	return ch.out.String(), nil
}

// console is a console for a customer: the demo customer's own chat when a
// phone is given, recording every outcome as a Step.
func (p *Player) console(out *bytes.Buffer, phone string) (*console.Console, error) {
	c := console.New(p.Engine, p.Bundle, out)
	c.Echo, c.Strict, c.LanguageCode, c.Phone = true, true, p.Lang, phone
	c.Advance = func(d time.Duration) time.Time { p.Advance(d); return p.now }
	if phone != "" {
		cust, err := p.Ledger.CustomerByPhone(p.ctx, phone)
		if err != nil {
			return nil, fmt.Errorf("demo customer %s: %w", phone, err)
		}
		c.ChatID, c.UserID = console.ChatOf(cust.ID), console.ChatOf(cust.ID)
	}
	chat := c.ChatID
	c.Observe = func(input string, o flows.Outcome) {
		step := Step{Part: p.part, ChatID: chat, Input: input, Out: o}
		if input == "" {
			step.ChatID = 0
		}
		p.Steps = append(p.Steps, step)
	}
	return c, nil
}
