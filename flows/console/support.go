package console

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"paydesk/flows"
	"paydesk/store"
)

// The support group as the console shows it: what the bot posts in a
// ticket's topic, and lines typed as an agent ("agent: /close").

// AgentPrefix starts a line typed by a support agent in the topic of this
// chat's latest ticket: "agent: Hello", "agent: /canned greeting".
const AgentPrefix = "agent:"

// consoleAgent is the agent the console plays: a member of the group.
var consoleAgent = flows.Agent{UserID: 900001, Name: "@agent", Member: true}

// agentLine runs a line typed by the agent.
func (c *Console) agentLine(ctx context.Context, line string) error {
	t, err := c.latestTicket(ctx)
	if errors.Is(err, store.ErrNotFound) {
		fmt.Fprintln(c.out, "(demo) no ticket yet: choose “Talk to support” first")
		return nil
	}
	if err != nil {
		return err
	}
	ev := flows.AgentEvent{TicketID: t.ID, From: consoleAgent}
	if strings.HasPrefix(line, "/") {
		name, args, _ := strings.Cut(line[1:], " ")
		ev.Command, ev.Args = strings.ToLower(name), strings.TrimSpace(args)
	}
	out, err := c.engine.Agent(ctx, ev)
	if err != nil {
		return err
	}
	c.agentText = line
	defer func() { c.agentText = "" }()
	return c.print(out)
}

// latestTicket is this chat's open ticket, else the one closed last.
func (c *Console) latestTicket(ctx context.Context) (store.Ticket, error) {
	st := c.engine.State()
	t, err := st.OpenTicketOfChat(ctx, c.ChatID)
	if errors.Is(err, store.ErrNotFound) {
		t, _, err = st.LastClosedTicketOfChat(ctx, c.ChatID)
	}
	return t, err
}

// printRelays shows what went to the support group, in the agents'
// language (the ticket's language unless SupportLang is set).
func (c *Console) printRelays(relays []flows.Relay) error {
	for _, r := range relays {
		t := r.Ticket
		loc := c.bundle.For(cmpOr(c.SupportLang, t.Language))
		switch r.Kind {
		case flows.RelayCard:
			fmt.Fprintf(c.out, "--- to support: topic “%s” ---\n", flows.TopicTitle(loc, r.TopicName))
		case flows.RelayNote:
			fmt.Fprintf(c.out, "--- to support, ticket #%d ---\n", t.ID)
		case flows.RelayToTopic:
			fmt.Fprintf(c.out, "--- to support, ticket #%d: the customer's message, copied ---\n\n", t.ID)
			continue
		case flows.RelayToCustomer:
			fmt.Fprintf(c.out, "--- to the customer, from support (shown as the bot) ---\n%s\n\n", c.agentText)
			continue
		case flows.RelayTopicClosed:
			fmt.Fprintf(c.out, "--- to support: topic of ticket #%d closed ---\n\n", t.ID)
			continue
		case flows.RelayTopicReopened:
			fmt.Fprintf(c.out, "--- to support: topic of ticket #%d reopened ---\n\n", t.ID)
			continue
		case flows.RelayTopicRenamed:
			fmt.Fprintf(c.out, "--- to support: topic renamed “%s” ---\n\n", flows.TopicTitle(loc, r.TopicName))
			continue
		case flows.RelayEditToCustomer:
			fmt.Fprintf(c.out, "--- to the customer: support's answer edited ---\n%s\n\n", c.agentText)
			continue
		}
		if err := c.printScreen(loc, flows.Screen{Body: r.Note}, false, 0); err != nil {
			return err
		}
	}
	return nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
