package flows

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"paydesk/locales"
	"paydesk/store"
)

// Support handoff, the customer's side. While a chat has an open ticket the
// engine does not run flows for it: everything the customer sends is
// relayed to the agents in the ticket's forum topic, except "Back to the
// bot". The agents' side is in support_agent.go, the case card in
// support_card.go.

const (
	actSupportBack = "sb" // "Back to the bot": leave the queue
	actSupportStay = "ss" // "Stay with support": the answer to /cancel's question
	actRate        = "sr" // rate a closed ticket: ticket id, 1..5
)

// ReopenWindow is how long after an agent closed a ticket a message from
// the customer reopens it (same ticket, same topic) instead of going to the
// bot.
const ReopenWindow = 24 * time.Hour

// Reasons the customer's own requests for support carry on the case card.
const (
	ReasonMenu    = "support.reason.menu"
	ReasonCommand = "support.reason.command"
)

// exchangesKept bounds each chat's recorded conversation; exchangesShown is
// how much of it a case card shows.
const (
	exchangesKept  = 30
	exchangesShown = 8
	exchangeRunes  = 200
)

func registerSupport(r *Router) {
	// Support needs no linked account: someone who cannot link (a new
	// phone, a lost account) most needs a person. The case card then says
	// the chat is not verified.
	r.Action(actSupport, func(c *Conv, _ Action) error {
		_, _, err := Handoff(c, Subject("support", 0), ReasonMenu)
		return err
	})
	r.Command("support", func(c *Conv) error {
		_, _, err := Handoff(c, Subject("support", 0), ReasonCommand)
		return err
	})
	// Outside an open ticket the queue is already left; the rating works
	// whenever the ticket is closed.
	r.Action(actSupportBack, func(c *Conv, _ Action) error { c.Show(menu(c)); return nil })
	r.Action(actSupportStay, func(c *Conv, _ Action) error { c.Show(menu(c)); return nil })
	r.Action(actRate, rate)
	r.intercept = supportIntercept
	registerDescribers(r)
}

// RelayKind says what the adapter does in the support group.
type RelayKind int

const (
	RelayCard           RelayKind = iota + 1 // post Note, the case card, creating the topic (TopicName) if the ticket has none
	RelayNote                                // post Note, the bot's words to the agents
	RelayToTopic                             // copy the event's message (the customer's) into the topic as it is
	RelayToCustomer                          // copy the event's message (an agent's) to the customer as it is
	RelayTopicClosed                         // mark the topic closed
	RelayTopicReopened                       // mark the topic open again
	RelayTopicRenamed                        // rename the topic to TopicName (who has it)
	RelayEditToCustomer                      // edit the customer's copy of the event's message (an agent's edit)
)

// Relay is one thing for the support group. Notes and cards are rendered in
// the support team's language; copies keep photos, voice and stickers as
// they are. Without a support group configured the adapter drops relays:
// the ticket is recorded either way.
type Relay struct {
	Kind      RelayKind
	Ticket    store.Ticket
	Note      []Msg
	TopicName Msg // rendered with TopicTitle in the agents' language
	// Key, when set, makes the relay once-only, as Reply.Key does: what an
	// effect owes the topic, owed each time the flow sees the effect (the
	// case card of a ticket, the note of its rating).
	Key string
}

// relay queues a relay for the support group.
func (c *Conv) relay(r Relay) { c.out.Relays = append(c.out.Relays, r) }

func (c *Conv) note(t store.Ticket, m ...Msg) { c.relay(Relay{Kind: RelayNote, Ticket: t, Note: m}) }

// supportIntercept routes the events of a chat with an open ticket to the
// agents, and reopens a ticket an agent closed less than a day ago when the
// customer writes again. It leaves every other event to the flows. An open
// ticket needs only the State: its chat is served even while the ledger is
// unavailable (Conv.ledgerDown).
func supportIntercept(c *Conv) (bool, error) {
	ev := c.Event
	t, err := c.State().OpenTicketOfChat(c.ctx, ev.ChatID)
	switch {
	case err == nil:
		c.unrecorded = true
		return true, inTicket(c, t)
	case !errors.Is(err, store.ErrNotFound):
		return true, fmt.Errorf("open ticket of chat %d: %w", ev.ChatID, err)
	case ev.Edited:
		c.unrecorded = true // an edit is not new input for a flow
		return true, nil
	case c.ledgerDown != nil:
		return false, nil // no open ticket: the customer, who could not be read, is needed (busy)
	}
	return reopenByMessage(c)
}

// inTicket handles an event of a chat whose ticket is open.
func inTicket(c *Conv, t store.Ticket) error {
	ev := c.Event
	if t.TopicID == 0 {
		// The topic is not made yet, or the handoff's commit was lost:
		// owed again, keyed, it is made once and comes first.
		if err := openingRelay(c, t); err != nil {
			return err
		}
	}
	if ev.Kind == EventAction {
		a, err := c.e.signer.verify(ev.ChatID, ev.Data)
		switch {
		case err == nil && a.Name == actSupportBack:
			return leaveSupport(c, t)
		case err == nil && a.Name == actRate:
			return rate(c, a)
		case err == nil && a.Name == actSupportStay:
			c.Show(Screen{Body: []Msg{M("support.cancel.stayed", "Ticket", TicketNo(t))}, Replace: true})
			return nil
		}
		// Other buttons wait: the customer is talking to a person.
		c.Toast(M("support.in_queue_toast"))
		c.Show(Screen{
			Body:   []Msg{M("support.in_queue", "Ticket", TicketNo(t))},
			Inline: [][]Button{{c.Button(M("support.back_button"), actSupportBack)}},
		})
		return nil
	}
	if ev.Kind == EventText && c.e.isBackLabel(ev.Text) {
		return leaveSupport(c, t)
	}
	if ev.Kind == EventCommand && ev.Command == "cancel" {
		// The customer means the bot, not the agents: ask before leaving
		// the queue, and relay nothing.
		c.Show(Screen{
			Body: []Msg{M("support.cancel.ask", "Ticket", TicketNo(t))},
			Inline: [][]Button{
				{c.Button(M("support.cancel.yes"), actSupportBack)},
				{c.Button(M("support.cancel.no"), actSupportStay)},
			},
		})
		return nil
	}
	if ev.Edited {
		c.note(t, M("support.agent.edited"))
	}
	c.relay(Relay{Kind: RelayToTopic, Ticket: t})
	c.e.activity(c.ctx, t, c.Now, true)
	return nil
}

// activity records who wrote in a ticket last, for /queue. Losing it
// costs the agents a figure, not anyone a message: logged, not returned.
func (e *Engine) activity(ctx context.Context, t store.Ticket, at time.Time, byCustomer bool) {
	if err := e.state.TicketActivity(ctx, t.ID, at, byCustomer); err != nil {
		e.log.Warn("record ticket activity", "ticket", t.ID, "err", err)
	}
}

// leaveSupport closes the ticket because the customer went back to the bot.
func leaveSupport(c *Conv, t store.Ticket) error {
	if err := c.State().CloseTicketBy(c.ctx, t.ID, c.Now, store.ClosedByCustomer); err != nil {
		return fmt.Errorf("leave ticket %d: %w", t.ID, err)
	}
	c.Log().Info("customer left support", "chat", t.ChatID, "ticket", t.ID)
	c.note(t, M("support.agent.customer_left", "Ticket", TicketNo(t)))
	c.relay(Relay{Kind: RelayTopicClosed, Ticket: t})
	c.Show(Screen{Body: []Msg{M("support.left", "Ticket", TicketNo(t))}, RemoveReply: true})
	c.Show(menu(c))
	return nil
}

// reopenByMessage reopens the chat's ticket an agent closed within the
// reopen window when the customer writes something the bot would not take
// as input for a flow step.
func reopenByMessage(c *Conv) (bool, error) {
	ev := c.Event
	if !(ev.input() || ev.Kind == EventOther) || c.Session.Flow != "" {
		return false, nil
	}
	t, by, err := c.State().LastClosedTicketOfChat(c.ctx, ev.ChatID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return true, fmt.Errorf("last closed ticket of chat %d: %w", ev.ChatID, err)
	}
	if by != store.ClosedByAgent || c.Now.Sub(t.ClosedAt) > ReopenWindow {
		return false, nil
	}
	switch err := c.State().ReopenTicket(c.ctx, t.ID); {
	case errors.Is(err, store.ErrDuplicate), errors.Is(err, store.ErrNotFound):
		return false, nil // another ticket about it is open, or a race reopened it
	case err != nil:
		return true, fmt.Errorf("reopen ticket %d: %w", t.ID, err)
	}
	c.unrecorded = true
	t.Status, t.ClosedAt = store.TicketOpen, time.Time{}
	c.Log().Info("ticket reopened", "chat", t.ChatID, "ticket", t.ID, "by", "message")
	c.relay(Relay{Kind: RelayTopicReopened, Ticket: t})
	c.note(t, M("support.agent.reopened_message", "Ticket", TicketNo(t)))
	c.relay(Relay{Kind: RelayToTopic, Ticket: t})
	c.Show(queueScreen(c, t, M("support.reopened", "Ticket", TicketNo(t))))
	return true, nil
}

// queueScreen tells the customer a person will answer, when, and how to
// leave the queue: the "Back to the bot" keyboard stays under the typing
// field while the ticket is open. Outside working hours it also says the
// customer's place among those waiting.
func queueScreen(c *Conv, t store.Ticket, first Msg) Screen {
	body := []Msg{first, waitLine(c)}
	if open, _ := c.e.hours.NextOpen(c.Now); !open {
		if place, err := queuePlace(c, t); err != nil {
			c.Log().Warn("place in the support queue", "ticket", t.ID, "err", err)
		} else if place > 0 {
			body = append(body, M("support.scale.place", "Place", fmt.Sprint(place)))
		}
	}
	return Screen{
		Body: append(body, M("support.relay_hint")),
		Reply: &ReplyKeyboard{Rows: [][]ReplyButton{{
			{Label: M("support.back_button")},
		}}},
	}
}

// queueMax bounds the open tickets read for /queue and a customer's place.
const queueMax = 500

// queuePlace is the ticket's place among the open tickets in the
// customer's language (each language's tickets go to one group), oldest
// first; 0 if it is not among them.
func queuePlace(c *Conv, t store.Ticket) (int, error) {
	list, err := c.State().OpenTickets(c.ctx, queueMax)
	if err != nil {
		return 0, err
	}
	place := 0
	for _, o := range list {
		if o.Language != t.Language {
			continue
		}
		place++
		if o.ID == t.ID {
			return place, nil
		}
	}
	return 0, nil
}

// waitLine is the expected wait during working hours, or when the team is
// back, in the customer's time zone.
func waitLine(c *Conv) Msg {
	h := c.e.hours
	open, at := h.NextOpen(c.Now)
	switch {
	case open:
		return M("support.wait", "Wait", durationMsg(h.Wait))
	case at.IsZero():
		return M("support.offline_unknown")
	}
	return M("support.offline", "At", locales.DateTime{T: at, Loc: c.Loc()})
}

// rate stores the customer's rating of a closed ticket of this chat.
func rate(c *Conv, a Action) error {
	n := int(a.Arg(1))
	t, err := c.State().Ticket(c.ctx, a.Arg(0))
	if errors.Is(err, store.ErrNotFound) || (err == nil && t.ChatID != c.Event.ChatID) || n < 1 || n > 5 {
		c.Log().Warn("refused button", "chat", c.Event.ChatID, "reason", "rating of a foreign ticket", "ticket", a.Arg(0))
		return refuseButton(c)
	}
	if err != nil {
		return fmt.Errorf("load ticket %d: %w", a.Arg(0), err)
	}
	if err := c.State().RateTicket(c.ctx, t.ID, n); errors.Is(err, store.ErrNotFound) {
		return refuseButton(c) // reopened meanwhile: it is rated when it closes again
	} else if err != nil {
		return err
	}
	// One note per closing, however often the customer taps: the rating
	// stored is the last tap's.
	c.relay(Relay{Kind: RelayNote, Ticket: t, Key: fmt.Sprintf("rated:%d:%d", t.ID, t.ClosedAt.Unix()),
		Note: []Msg{M("support.agent.rated", "Ticket", TicketNo(t), "Rating", fmt.Sprint(n))}})
	c.Show(Screen{Body: []Msg{M("support.rate_thanks")}, Inline: [][]Button{MenuRow(c)}, Replace: true})
	return nil
}

// rateScreen asks the customer to rate a closed ticket.
func rateScreen(c *Conv, chatID int64, t store.Ticket) Screen {
	row := make([]Button, 0, 5)
	for n := int64(1); n <= 5; n++ {
		row = append(row, c.ButtonFor(chatID, M("support.rate_button", "N", fmt.Sprint(n)), actRate, t.ID, n))
	}
	return Screen{Body: []Msg{M("support.rate_ask")}, Inline: [][]Button{row}}
}

// isBackLabel reports whether typed text is the "Back to the bot" keyboard
// button in any language (the customer may have switched languages).
func (e *Engine) isBackLabel(text string) bool {
	text = strings.TrimSpace(text)
	for _, lang := range locales.Languages {
		if text == locales.PlainText(e.bundle.For(lang).Text(M("support.back_button"))) {
			return true
		}
	}
	return false
}

// WithLocales sets the messages the engine renders for itself: the
// recorded conversation and the labels it recognises in typed text.
func WithLocales(b *locales.Bundle) Option { return func(e *Engine) { e.bundle = b } }

var defaultBundle = sync.OnceValue(func() *locales.Bundle {
	b, err := locales.New()
	if err != nil {
		panic(fmt.Sprintf("flows: embedded locales: %v", err)) // embedded files checked by go test ./locales
	}
	return b
})

// durationMsg says how long d is in the two largest units that matter,
// with the right plural forms ("1 час 30 минут", "15 minut").
func durationMsg(d time.Duration) Msg {
	minutes := int64(max(d, 0) / time.Minute)
	days, hours, mins := minutes/(24*60), minutes/60%24, minutes%60
	pair := func(a, b Msg, n int64) Msg {
		if n == 0 {
			return a
		}
		return M("support.duration_pair", "A", a, "B", b)
	}
	switch {
	case days > 0:
		return pair(M("duration.days").N(days), M("duration.hours").N(hours), hours)
	case hours > 0:
		return pair(M("duration.hours").N(hours), M("duration.minutes").N(mins), mins)
	}
	return M("duration.minutes").N(mins)
}

// WithRoutes adds routes after every flow's own: for tests and for
// embedders that escalate from their own commands.
func WithRoutes(register func(r *Router)) Option {
	return func(e *Engine) { e.extra = append(e.extra, register) }
}
