package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"paydesk/flows"
	"paydesk/store"
)

// The agents' side of the support relay: messages in a ticket's topic of
// the support group. Telegram mechanics only — which topic, who wrote it,
// whether they belong to the group; what a message or command does is
// decided by flows.Engine.Agent.

// supportMessage is the update's message when it was written in one of
// the support groups, nil otherwise.
func (b *Bot) supportMessage(u *models.Update) *models.Message {
	m := u.Message
	if m == nil {
		m = u.EditedMessage
	}
	if m == nil || !b.support.isGroup(m.Chat.ID) {
		return nil
	}
	return m
}

// ticketOfTopic finds the ticket of a topic of a support group; topics
// recorded before groups were stored count as the legacy group's.
func (b *Bot) ticketOfTopic(ctx context.Context, group int64, topic int) (store.Ticket, error) {
	t, err := b.st.TicketByTopic(ctx, group, int64(topic))
	if errors.Is(err, store.ErrNotFound) && group == b.support.legacy() {
		t, err = b.st.TicketByTopic(ctx, 0, int64(topic))
	}
	return t, err
}

// handleAgent runs an agent's message in a ticket's topic and returns the
// deliveries it owes. Messages outside ticket topics (the General topic,
// service messages, other bots) are left alone, and so are topics of
// another group's tickets: agents act only on their own group's. An error
// means the update may be delivered again.
func (b *Bot) handleAgent(ctx context.Context, m *models.Message) ([]store.Delivery, error) {
	if m.From == nil || m.From.IsBot || isServiceMessage(m) {
		return nil, nil
	}
	group := m.Chat.ID
	b.sawAgent(ctx, group, m.From)
	var t store.Ticket
	var err error
	if m.IsTopicMessage && m.MessageThreadID != 0 {
		t, err = b.ticketOfTopic(ctx, group, m.MessageThreadID)
	} else {
		err = store.ErrNotFound // the General topic
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("agent message %d: %w", m.ID, err)
	}
	if cmd, _ := splitCommand(m.Text); strings.HasPrefix(m.Text, "/") && cmd == "queue" && m.EditDate == 0 {
		return b.queue(ctx, group, m.From, t.ID)
	}
	if err != nil {
		return nil, nil // not a ticket's topic: left alone
	}
	ev := flows.AgentEvent{TicketID: t.ID, From: b.agentOf(ctx, group, m.From), Edited: m.EditDate != 0}
	if strings.HasPrefix(m.Text, "/") {
		ev.Command, ev.Args = splitCommand(m.Text)
	}
	if r := m.ReplyToMessage; ev.Command == "assign" && r != nil && r.From != nil && !r.From.IsBot && r.ForumTopicCreated == nil {
		colleague := b.agentOf(ctx, group, r.From)
		ev.ReplyTo = &colleague
	}
	if arg := strings.TrimSpace(ev.Args); ev.Command == "assign" && strings.HasPrefix(arg, "@") {
		u, ok, err := b.agentNamed(ctx, group, arg)
		if err != nil {
			return nil, fmt.Errorf("agent named %s in group %d: %w", arg, group, err)
		}
		if ok {
			named := b.agentOf(ctx, group, u)
			ev.Named = &named
		}
	}
	out, err := b.engine.Agent(ctx, ev)
	if err != nil {
		return nil, fmt.Errorf("agent message %d in ticket %d: %w", m.ID, t.ID, err)
	}
	list := b.render(flows.Event{}, out)
	for i := range list {
		list[i].TicketID = t.ID // a reply the customer blocked is reported in the topic
	}
	return append(list, b.renderRelays(source{chat: group, msgID: m.ID, quote: answerText(m)}, out.Relays)...), nil
}

// queue answers /queue in a support group with the group's open tickets,
// in the topic it was asked in (ticket 0: the General topic). Only members
// are answered.
func (b *Bot) queue(ctx context.Context, group int64, from *models.User, ticket int64) ([]store.Delivery, error) {
	if !b.agentOf(ctx, group, from).Member {
		return nil, nil
	}
	body, err := b.engine.Queue(ctx, func(t store.Ticket) bool { return b.support.groupOf(t) == group })
	if err != nil {
		return nil, err
	}
	loc := b.locales.For(b.support.lang)
	return []store.Delivery{{ChatID: group, Method: store.DeliverySend, TicketID: ticket,
		Text: fitText(flows.Screen{Body: body}.HTML(loc, false))}}, nil
}

// memberTTL is how long a membership check is trusted: removing someone
// from the group takes effect within it, and an agent's busy minute costs
// one getChatMember, not one per message.
const memberTTL = time.Minute

type memberKey struct{ group, user int64 }

type memberSeen struct {
	member bool
	at     time.Time
}

// agentOf is a user of a support group as flows sees them. Membership is
// asked of Telegram at most once a minute per user and group; if Telegram
// cannot say, the user is not a member (and is asked again next time).
func (b *Bot) agentOf(ctx context.Context, group int64, u *models.User) flows.Agent {
	a := flows.Agent{UserID: u.ID, Name: u.FirstName}
	if u.Username != "" {
		a.Name = "@" + u.Username
	}
	key, now := memberKey{group, u.ID}, b.clock.Now()
	b.agentsMu.Lock()
	seen, ok := b.members[key]
	b.agentsMu.Unlock()
	if ok && now.Sub(seen.at) < memberTTL {
		a.Member = seen.member
		return a
	}
	var member *models.ChatMember
	err := b.call(ctx, 0, Interactive, "getChatMember", func(ctx context.Context) error {
		var err error
		member, err = b.api.GetChatMember(ctx, &tg.GetChatMemberParams{ChatID: group, UserID: u.ID})
		return err
	})
	if err != nil {
		b.log.Warn("check support group membership", "user", u.ID, "err", err)
		return a
	}
	a.Member = isMember(member)
	b.agentsMu.Lock()
	b.members[key] = memberSeen{member: a.Member, at: now}
	b.agentsMu.Unlock()
	return a
}

// sawAgent remembers a user who wrote in a support group, so /assign
// @username can name them: Telegram tells bots no user id for a username.
// It is kept in State, for every replica and past a restart; usernames
// is only what this process has written there, so an agent's every
// message does not cost a write.
func (b *Bot) sawAgent(ctx context.Context, group int64, u *models.User) {
	if u.Username == "" {
		return
	}
	key := usernameKey{group, strings.ToLower(u.Username)}
	b.agentsMu.Lock()
	known, ok := b.usernames[key]
	b.agentsMu.Unlock()
	if ok && known.ID == u.ID && known.FirstName == u.FirstName {
		return
	}
	if err := b.st.RememberAgent(ctx, group, store.Agent{UserID: u.ID, Username: u.Username, FirstName: u.FirstName}); err != nil {
		b.log.Warn("remember agent's username", "group", group, "user", u.ID, "err", err)
		return
	}
	b.agentsMu.Lock()
	b.usernames[key] = *u
	b.agentsMu.Unlock()
}

type usernameKey struct {
	group int64
	name  string
}

// agentNamed is who last wrote in group as "@username", on any replica.
func (b *Bot) agentNamed(ctx context.Context, group int64, name string) (*models.User, bool, error) {
	a, err := b.st.AgentByUsername(ctx, group, strings.TrimPrefix(name, "@"))
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return &models.User{ID: a.UserID, FirstName: a.FirstName, Username: a.Username}, true, nil
}

func isMember(m *models.ChatMember) bool {
	switch m.Type {
	case models.ChatMemberTypeOwner, models.ChatMemberTypeAdministrator, models.ChatMemberTypeMember:
		return true
	case models.ChatMemberTypeRestricted:
		return m.Restricted != nil && m.Restricted.IsMember
	}
	return false
}

// isServiceMessage: topic created, closed, renamed, members joining, pins —
// nothing an agent wrote to the customer.
func isServiceMessage(m *models.Message) bool {
	return m.ForumTopicCreated != nil || m.ForumTopicEdited != nil || m.ForumTopicClosed != nil ||
		m.ForumTopicReopened != nil || m.PinnedMessage != nil || len(m.NewChatMembers) > 0 || m.LeftChatMember != nil
}
