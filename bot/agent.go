package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"paydesk/flows"
	"paydesk/store"
)

// The agents' side of the support relay: messages in a ticket's topic of
// the support group. Telegram mechanics only — which topic, who wrote it,
// whether they belong to the group; what a message or command does is
// decided by flows.Engine.Agent.

// supportMessage is the update's message when it was written in the
// support group, nil otherwise. Edits in the group are not relayed: the
// customer already has the first version.
func (b *Bot) supportMessage(u *models.Update) *models.Message {
	if b.support.chatID == 0 || u.Message == nil || u.Message.Chat.ID != b.support.chatID {
		return nil
	}
	return u.Message
}

// handleAgent runs an agent's message in a ticket's topic. Messages outside
// ticket topics (the General topic, service messages, other bots) are left
// alone. An error means the update may be delivered again.
func (b *Bot) handleAgent(ctx context.Context, m *models.Message) error {
	if m.From == nil || m.From.IsBot || !m.IsTopicMessage || m.MessageThreadID == 0 || isServiceMessage(m) {
		return nil
	}
	t, err := b.engine.State().TicketByTopic(ctx, int64(m.MessageThreadID))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("agent message %d: %w", m.ID, err)
	}
	ev := flows.AgentEvent{TicketID: t.ID, From: b.agentOf(ctx, m.From)}
	if strings.HasPrefix(m.Text, "/") {
		ev.Command, ev.Args = splitCommand(m.Text)
	}
	if r := m.ReplyToMessage; ev.Command == "assign" && r != nil && r.From != nil && !r.From.IsBot && r.ForumTopicCreated == nil {
		colleague := b.agentOf(ctx, r.From)
		ev.ReplyTo = &colleague
	}
	out, err := b.engine.Agent(ctx, ev)
	if err != nil {
		return fmt.Errorf("agent message %d in ticket %d: %w", m.ID, t.ID, err)
	}
	blocked := false
	for _, r := range out.Replies {
		p := sendParams(b.locales.For(r.Lang), r.ChatID, r.Screen)
		err := b.call(ctx, r.ChatID, Interactive, "sendMessage", func(ctx context.Context) error {
			_, err := b.api.SendMessage(ctx, p)
			return err
		})
		switch {
		case isBlocked(err):
			blocked = true
		case err != nil:
			b.log.Error("send message", "chat", r.ChatID, "err", err)
		}
	}
	b.relay(ctx, b.support.chatID, m.ID, out.Relays)
	if blocked {
		if err := b.tellBlocked(ctx, t); err != nil {
			b.log.Error("tell the topic the customer blocked the bot", "ticket", t.ID, "err", err)
		}
	}
	return nil
}

// agentOf is a user of the support group as flows sees them. Membership
// is asked of Telegram each time, so removing someone from the group takes
// effect at once; if Telegram cannot say, the user is not a member.
func (b *Bot) agentOf(ctx context.Context, u *models.User) flows.Agent {
	a := flows.Agent{UserID: u.ID, Name: u.FirstName}
	if u.Username != "" {
		a.Name = "@" + u.Username
	}
	var member *models.ChatMember
	err := b.call(ctx, 0, Interactive, "getChatMember", func(ctx context.Context) error {
		var err error
		member, err = b.api.GetChatMember(ctx, &tg.GetChatMemberParams{ChatID: b.support.chatID, UserID: u.ID})
		return err
	})
	if err != nil {
		b.log.Warn("check support group membership", "user", u.ID, "err", err)
		return a
	}
	a.Member = isMember(member)
	return a
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
