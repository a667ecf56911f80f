package flows

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"paydesk/store"
)

// Support handoff, the agents' side: what an agent's message or command in
// a ticket's topic does. The rules live here, without Telegram: the
// adapter finds the ticket of the topic, checks that the sender is a member
// of the support group, and carries out the Outcome (relays to the topic,
// copies and screens to the customer).

// Agent is a person writing in the support group.
type Agent struct {
	UserID int64
	Name   string // "@username", else the first name
	Member bool   // the adapter checked membership of the support group
}

// AgentEvent is one message of an agent in a ticket's topic.
type AgentEvent struct {
	TicketID int64
	From     Agent
	Command  string // lower-case without the slash; "" for a message to the customer
	Args     string
	ReplyTo  *Agent // the author of the message this one replies to; nil if none
	// Named is the member an "/assign @username" names, when the adapter
	// knows them (they have written in the group); nil otherwise.
	Named *Agent
	// Edited: the agent edited a message they wrote before.
	Edited bool
}

// cannedReplies are the keys of the canned replies, support.canned.<key>
// in the locale files, in the order /canned lists them.
var cannedReplies = []string{"greeting", "checking", "details", "withdrawal_delay", "resolved"}

// handbackFlows maps what an agent types after /handback to a flow's entry
// action.
var handbackFlows = map[string]string{
	"transfer": actTransfers, "transfers": actTransfers, "cancel": actTransfers, "tr": actTransfers,
	"withdrawal": actWithdrawals, "withdrawals": actWithdrawals, "wd": actWithdrawals,
	"dispute": actReturns, "return": actReturns, "returns": actReturns, "rr": actReturns,
}

// flowTitle is how the agents' notes name a flow: its menu entry.
var flowTitle = map[string]string{actTransfers: "menu.transfers", actWithdrawals: "menu.withdrawals", actReturns: "menu.returns"}

// agentCommand is what one command of the topic does; "" is a plain
// message, which goes to the customer.
type agentCommand func(a *agentConv) error

func agentCommands() map[string]agentCommand {
	return map[string]agentCommand{
		"":         relayToCustomer,
		"close":    closeTicket,
		"done":     closeTicket,
		"handback": handBack,
		"assign":   assign,
		"note":     func(*agentConv) error { return nil }, // stays in the topic
		"canned":   canned,
		"card":     postCard,
	}
}

// agentConv is one agent event in progress.
type agentConv struct {
	*Conv // a conversation on behalf of the customer's chat, for screens and buttons
	ev    AgentEvent
	t     store.Ticket
	lang  string // the customer's language
}

// Agent runs one agent event. Members of the support group only: anyone
// else is told so in the topic and changes nothing.
func (e *Engine) Agent(ctx context.Context, ev AgentEvent) (Outcome, error) {
	ev.Args, ev.From.Name = CleanText(ev.Args), CleanText(ev.From.Name) // both end up in topic posts and names
	t, err := e.state.Ticket(ctx, ev.TicketID)
	if err != nil {
		return Outcome{}, fmt.Errorf("agent event: %w", err)
	}
	lang := cmpOr(t.Language, "en")
	a := &agentConv{
		Conv: &Conv{ctx: ctx, e: e, Now: e.now(), Event: Event{ChatID: t.ChatID, UserID: t.ChatID}, Lang: lang},
		ev:   ev, t: t, lang: lang,
	}
	if ev.Edited {
		// An agent corrected an answer: the customer's copy is edited. An
		// edited command does nothing again.
		if ev.From.Member && ev.Command == "" && t.Status == store.TicketOpen {
			a.relay(Relay{Kind: RelayEditToCustomer, Ticket: t})
		}
		return a.out, nil
	}
	if !ev.From.Member {
		e.log.Warn("refused agent command", "user", ev.From.UserID, "ticket", t.ID, "command", ev.Command)
		a.note(t, M("support.agent.not_member"))
		return a.out, nil
	}
	cmd, ok := agentCommands()[ev.Command]
	if !ok {
		a.note(t, M("support.agent.help"))
		return a.out, nil
	}
	if err := cmd(a); err != nil {
		return Outcome{}, err
	}
	return a.out, nil
}

// open reports whether the ticket is open, telling the agent when not.
func (a *agentConv) open(closedNote string) bool {
	if a.t.Status == store.TicketOpen {
		return true
	}
	a.note(a.t, M(closedNote, "Ticket", TicketNo(a.t)))
	return false
}

func relayToCustomer(a *agentConv) error {
	if a.open("support.agent.closed_not_sent") {
		a.relay(Relay{Kind: RelayToCustomer, Ticket: a.t})
		a.e.activity(a.ctx, a.t, a.Now, false)
	}
	return nil
}

func closeTicket(a *agentConv) error {
	if !a.open("support.agent.already_closed") {
		return nil
	}
	if err := a.closeAs(store.ClosedByAgent); err != nil {
		return err
	}
	a.note(a.t, M("support.agent.closed", "Ticket", TicketNo(a.t), "Agent", a.ev.From.Name))
	a.relay(Relay{Kind: RelayTopicClosed, Ticket: a.t})
	a.Send(a.t.ChatID, a.lang, Screen{Body: []Msg{M("support.closed", "Ticket", TicketNo(a.t))}, RemoveReply: true})
	a.Send(a.t.ChatID, a.lang, rateScreen(a.Conv, a.t.ChatID, a.t))
	return nil
}

func (a *agentConv) closeAs(by store.TicketCloser) error {
	if err := a.e.state.CloseTicketBy(a.ctx, a.t.ID, a.Now, by); err != nil {
		return fmt.Errorf("close ticket %d: %w", a.t.ID, err)
	}
	a.t.Status, a.t.ClosedAt = store.TicketClosed, a.Now
	a.e.log.Info("ticket closed", "ticket", a.t.ID, "by", by, "agent", a.ev.From.UserID)
	return nil
}

// handBack closes the ticket and puts the customer at the start of a flow,
// as if they had chosen it in the menu.
func handBack(a *agentConv) error {
	action, ok := handbackFlows[strings.ToLower(strings.TrimSpace(a.ev.Args))]
	if !ok {
		a.note(a.t, M("support.agent.handback_usage"))
		return nil
	}
	if !a.open("support.agent.already_closed") {
		return nil
	}
	if err := a.closeAs(store.ClosedByHandback); err != nil {
		return err
	}
	a.note(a.t, M("support.agent.handed_back", "Ticket", TicketNo(a.t), "Agent", a.ev.From.Name, "Flow", M(flowTitle[action])))
	a.relay(Relay{Kind: RelayTopicClosed, Ticket: a.t})
	a.Send(a.t.ChatID, a.lang, Screen{Body: []Msg{M("support.handed_back", "Ticket", TicketNo(a.t))}, RemoveReply: true})
	// The ticket is closed already: if the customer's own message saved
	// the chat in between, the flow's screen is built again on the chat as
	// it is now rather than lost.
	var out Outcome
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		out, err = a.e.Handle(a.ctx, Event{
			Kind: EventAction, ChatID: a.t.ChatID, UserID: a.t.ChatID, LanguageCode: a.lang,
			Data: a.e.signer.sign(a.t.ChatID, action),
		})
		if !errors.Is(err, store.ErrConflict) {
			break
		}
		a.e.log.Info("handback met the customer's own message; again", "ticket", a.t.ID, "attempt", attempt+1)
	}
	if err != nil {
		return fmt.Errorf("hand ticket %d back to %s: %w", a.t.ID, action, err)
	}
	for _, r := range out.Replies {
		r.Screen.Replace = false // nothing was pressed: a new message
		a.out.Replies = append(a.out.Replies, r)
	}
	return nil
}

// assign gives the ticket to the colleague whose message the agent replied
// to, to the @username given, or to the agent themself.
func assign(a *agentConv) error {
	to := store.Assignee{UserID: a.ev.From.UserID, Name: a.ev.From.Name}
	switch arg := strings.TrimSpace(a.ev.Args); {
	case a.ev.ReplyTo != nil:
		if !a.ev.ReplyTo.Member {
			a.note(a.t, M("support.agent.assign_not_member", "Agent", a.ev.ReplyTo.Name))
			return nil
		}
		to = store.Assignee{UserID: a.ev.ReplyTo.UserID, Name: a.ev.ReplyTo.Name}
	case strings.HasPrefix(arg, "@") && len(arg) > 1 && !strings.ContainsAny(arg, " \n") && a.ev.Named != nil:
		if !a.ev.Named.Member {
			a.note(a.t, M("support.agent.assign_not_member", "Agent", a.ev.Named.Name))
			return nil
		}
		to = store.Assignee{UserID: a.ev.Named.UserID, Name: a.ev.Named.Name}
	case strings.HasPrefix(arg, "@") && len(arg) > 1 && !strings.ContainsAny(arg, " \n"):
		to = store.Assignee{Name: arg} // not seen in the group yet: known by name only
	case arg != "":
		a.note(a.t, M("support.agent.assign_usage"))
		return nil
	}
	before, err := a.e.state.TicketAssignee(a.ctx, a.t.ID)
	if err != nil {
		return err
	}
	if err := a.e.state.AssignTicket(a.ctx, a.t.ID, to); err != nil {
		return err
	}
	name, err := a.e.topicName(a.ctx, a.t)
	if err != nil {
		return err
	}
	if to.UserID == a.ev.From.UserID && to.Name == a.ev.From.Name {
		a.note(a.t, M("support.agent.took", "Agent", to.Name))
	} else {
		a.note(a.t, M("support.agent.assigned", "Agent", to.Name, "By", a.ev.From.Name))
	}
	a.relay(Relay{Kind: RelayTopicRenamed, Ticket: a.t, TopicName: name})
	// The customer hears of it when the ticket passes from one person to
	// another, not when the first one takes it.
	if before.Name != "" && before.Name != to.Name && a.t.Status == store.TicketOpen {
		a.Send(a.t.ChatID, a.lang, Text("support.taken_over", "Ticket", TicketNo(a.t)))
	}
	return nil
}

// canned lists the canned replies, or sends one in the customer's language.
func canned(a *agentConv) error {
	key := strings.ToLower(strings.TrimSpace(a.ev.Args))
	if key == "" {
		a.note(a.t, cannedList()...)
		return nil
	}
	if !slices.Contains(cannedReplies, key) {
		a.note(a.t, append([]Msg{M("support.agent.canned_unknown", "Key", key)}, cannedList()...)...)
		return nil
	}
	if !a.open("support.agent.closed_not_sent") {
		return nil
	}
	a.Send(a.t.ChatID, a.lang, Text("support.canned."+key))
	a.e.activity(a.ctx, a.t, a.Now, false)
	a.note(a.t, M("support.agent.canned_sent", "Key", key, "Agent", a.ev.From.Name, "Lang", M("lang."+a.lang)))
	return nil
}

func cannedList() []Msg {
	list := []Msg{M("support.agent.canned_list")}
	for _, k := range cannedReplies {
		list = append(list, M("support.agent.canned_item", "Key", k, "Text", M("support.canned."+k)))
	}
	return list
}

func postCard(a *agentConv) error {
	card, err := a.e.card(a.ctx, a.t, a.Now)
	if err != nil {
		return err
	}
	a.relay(Relay{Kind: RelayNote, Ticket: a.t, Note: card})
	return nil
}

// Queue is what /queue shows a support group: its open tickets (those
// mine accepts), oldest first, each with its age, language, who has it and
// how long the customer has waited for an answer.
func (e *Engine) Queue(ctx context.Context, mine func(store.Ticket) bool) ([]Msg, error) {
	all, err := e.state.OpenTickets(ctx, queueMax)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	now := e.now()
	var lines []Msg
	for _, t := range all {
		if !mine(t) {
			continue
		}
		a, err := e.state.TicketAssignee(ctx, t.ID)
		if err != nil {
			return nil, fmt.Errorf("queue: %w", err)
		}
		var agent any = M("support.scale.queue_nobody")
		if a.Name != "" {
			agent = a.Name
		}
		waiting := M("support.scale.queue_answered")
		if since := t.LastCustomerAt; !since.IsZero() && since.After(t.LastAgentAt) || t.LastAgentAt.IsZero() {
			if since.IsZero() {
				since = t.CreatedAt
			}
			waiting = M("support.scale.queue_waiting", "Wait", durationMsg(now.Sub(since)))
		}
		lines = append(lines, M("support.scale.queue_line", "Ticket", TicketNo(t), "Lang", strings.ToUpper(cmpOr(t.Language, "?")),
			"Subject", subjectName(t.Subject), "Age", durationMsg(now.Sub(t.CreatedAt)), "Agent", agent, "Waiting", waiting))
	}
	if len(lines) == 0 {
		return []Msg{M("support.scale.queue_empty")}, nil
	}
	out := M("support.scale.queue_title").N(len(lines))
	for _, l := range lines {
		out = M("support.card.line_join", "A", out, "B", l)
	}
	return []Msg{out}, nil
}
