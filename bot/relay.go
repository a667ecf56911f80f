package bot

import (
	"context"
	"errors"
	"fmt"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"paydesk/flows"
	"paydesk/locales"
	"paydesk/store"
)

// The support relay: what flows decided for the support group (flows.Relay)
// done with Telegram's forum topics. Each ticket has one topic in the
// support supergroup; its first post is the case card. Messages are copied
// (copyMessage), not forwarded, so photos, voice and stickers arrive as they
// are and the customer sees the bot, never an agent's account.

// supportAPI is the part of the Bot API the support relay calls; *tg.Bot
// implements it.
type supportAPI interface {
	CopyMessage(ctx context.Context, p *tg.CopyMessageParams) (*models.MessageID, error)
	CreateForumTopic(ctx context.Context, p *tg.CreateForumTopicParams) (*models.ForumTopic, error)
	EditForumTopic(ctx context.Context, p *tg.EditForumTopicParams) (bool, error)
	CloseForumTopic(ctx context.Context, p *tg.CloseForumTopicParams) (bool, error)
	ReopenForumTopic(ctx context.Context, p *tg.ReopenForumTopicParams) (bool, error)
	GetChatMember(ctx context.Context, p *tg.GetChatMemberParams) (*models.ChatMember, error)
}

// support is the configured support group.
type support struct {
	chatID int64  // a supergroup with topics; 0: none configured
	lang   string // the language of the bot's notes and cards to the agents
}

// WithSupport connects the support group: a supergroup with topics enabled
// where the bot is an administrator that can manage topics. Notes and case
// cards are written in lang. Without it tickets are still recorded and the
// customer is told that support will answer.
func WithSupport(chatID int64, lang string) Option {
	return func(b *Bot) { b.support = support{chatID: chatID, lang: lang} }
}

// relay carries out the relays of one event in order. from and msgID name
// the event's own message, which copies take: the customer's in their chat
// or an agent's in the support group. A failing step is logged and the
// next one still runs: the customer's answer has been given already.
func (b *Bot) relay(ctx context.Context, from int64, msgID int, relays []flows.Relay) {
	if len(relays) == 0 {
		return
	}
	if b.support.chatID == 0 {
		b.log.Debug("no support group configured: relays dropped", "relays", len(relays))
		return
	}
	topics := map[int64]int64{} // topics created during this event, by ticket
	for _, r := range relays {
		t := r.Ticket
		if id, ok := topics[t.ID]; ok {
			t.TopicID = id
		}
		if err := b.relayOne(ctx, from, msgID, t, r, topics); err != nil {
			b.log.Error("support relay", "ticket", t.ID, "kind", int(r.Kind), "err", err)
		}
	}
}

func (b *Bot) relayOne(ctx context.Context, from int64, msgID int, t store.Ticket, r flows.Relay, topics map[int64]int64) error {
	switch r.Kind {
	case flows.RelayToCustomer:
		return b.copyToCustomer(ctx, t, msgID)
	case flows.RelayTopicClosed, flows.RelayTopicReopened, flows.RelayTopicRenamed:
		if t.TopicID == 0 {
			return nil // no topic to mark
		}
		return b.markTopic(ctx, t.TopicID, r)
	}
	topic, posted, err := b.ensureTopic(ctx, t, r)
	if err != nil {
		return err
	}
	topics[t.ID] = topic
	switch r.Kind {
	case flows.RelayCard:
		if posted {
			return nil // a new topic starts with its card
		}
		return b.post(ctx, topic, r.Note)
	case flows.RelayNote:
		return b.post(ctx, topic, r.Note)
	case flows.RelayToTopic:
		return b.call(ctx, b.support.chatID, Interactive, "copyMessage", func(ctx context.Context) error {
			_, err := b.api.CopyMessage(ctx, &tg.CopyMessageParams{
				ChatID: b.support.chatID, MessageThreadID: int(topic), FromChatID: from, MessageID: msgID,
			})
			return err
		})
	}
	return fmt.Errorf("unknown relay kind %d", r.Kind)
}

// ensureTopic returns the ticket's topic, creating it (named, and opened
// with the case card) when the ticket has none: at the handoff, or later if
// the support group was unreachable or configured afterwards. posted
// reports that it posted the card. The store keeps the mapping, so a
// restart or another replica finds the same topic; when two replicas race,
// the one the store recorded first wins.
func (b *Bot) ensureTopic(ctx context.Context, t store.Ticket, r flows.Relay) (topic int64, posted bool, err error) {
	if t.TopicID != 0 {
		return t.TopicID, false, nil
	}
	name, card := r.TopicName, r.Note
	if r.Kind != flows.RelayCard {
		if name, card, err = b.engine.TopicOpening(ctx, t); err != nil {
			return 0, false, err
		}
	}
	var created *models.ForumTopic
	err = b.call(ctx, b.support.chatID, Interactive, "createForumTopic", func(ctx context.Context) error {
		var err error
		created, err = b.api.CreateForumTopic(ctx, &tg.CreateForumTopicParams{ChatID: b.support.chatID, Name: b.topicTitle(name)})
		return err
	})
	if err != nil {
		return 0, false, fmt.Errorf("create topic for ticket %d: %w", t.ID, err)
	}
	topic, err = b.engine.State().SetTicketTopic(ctx, t.ID, int64(created.MessageThreadID))
	if err != nil {
		return 0, false, err
	}
	if topic != int64(created.MessageThreadID) {
		b.log.Warn("topic created twice for a ticket; using the first", "ticket", t.ID, "topic", topic, "unused", created.MessageThreadID)
		return topic, false, nil
	}
	b.log.Info("support topic created", "ticket", t.ID, "topic", topic)
	return topic, true, b.post(ctx, topic, card)
}

// markTopic closes, reopens or renames a topic so the topic list shows the
// ticket's state and who has it.
func (b *Bot) markTopic(ctx context.Context, topic int64, r flows.Relay) error {
	chat, thread := b.support.chatID, int(topic)
	return b.call(ctx, chat, Interactive, "editForumTopic", func(ctx context.Context) error {
		var err error
		switch r.Kind {
		case flows.RelayTopicClosed:
			_, err = b.api.CloseForumTopic(ctx, &tg.CloseForumTopicParams{ChatID: chat, MessageThreadID: thread})
		case flows.RelayTopicReopened:
			_, err = b.api.ReopenForumTopic(ctx, &tg.ReopenForumTopicParams{ChatID: chat, MessageThreadID: thread})
		default:
			_, err = b.api.EditForumTopic(ctx, &tg.EditForumTopicParams{ChatID: chat, MessageThreadID: thread, Name: b.topicTitle(r.TopicName)})
		}
		if isNotModified(err) || (err != nil && containsFold(err.Error(), "TOPIC_NOT_MODIFIED")) {
			return nil // already so
		}
		return err
	})
}

// topicTitle is a topic name as the agents read it, in their language.
func (b *Bot) topicTitle(name locales.Msg) string {
	return flows.TopicTitle(b.locales.For(b.support.lang), name)
}

// post writes the bot's note or card into a topic, in the agents' language.
func (b *Bot) post(ctx context.Context, topic int64, body []locales.Msg) error {
	s := flows.Screen{Body: body}
	p := sendParams(b.locales.For(b.support.lang), b.support.chatID, s)
	p.MessageThreadID = int(topic)
	if r := []rune(p.Text); len(r) > maxText {
		// Too long for one message (a card with very long lines): plain
		// text cut to fit, rather than nothing.
		p.Text, p.ParseMode = string([]rune(locales.PlainText(p.Text))[:maxText-1])+"…", ""
	}
	return b.call(ctx, b.support.chatID, Interactive, "sendMessage", func(ctx context.Context) error {
		_, err := b.api.SendMessage(ctx, p)
		return err
	})
}

// copyToCustomer copies an agent's message to the customer; if the
// customer has blocked the bot, the topic is told.
func (b *Bot) copyToCustomer(ctx context.Context, t store.Ticket, msgID int) error {
	err := b.call(ctx, t.ChatID, Interactive, "copyMessage", func(ctx context.Context) error {
		_, err := b.api.CopyMessage(ctx, &tg.CopyMessageParams{ChatID: t.ChatID, FromChatID: b.support.chatID, MessageID: msgID})
		return err
	})
	if isBlocked(err) {
		return b.tellBlocked(ctx, t)
	}
	return err
}

func (b *Bot) tellBlocked(ctx context.Context, t store.Ticket) error {
	b.log.Info("customer blocked the bot", "chat", t.ChatID, "ticket", t.ID)
	if t.TopicID == 0 {
		return nil
	}
	return b.post(ctx, t.TopicID, []locales.Msg{locales.M("support.agent.blocked")})
}

// isBlocked: Telegram refuses messages to a user who blocked the bot.
func isBlocked(err error) bool { return errors.Is(err, tg.ErrorForbidden) }
