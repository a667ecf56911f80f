package bot

import (
	"context"
	"errors"
	"fmt"
	"html"
	"sort"
	"strconv"
	"strings"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"paydesk/flows"
	"paydesk/locales"
	"paydesk/store"
)

// The support relay: what flows decided for the support groups
// (flows.Relay) done with Telegram's forum topics. Each ticket has one
// topic in the support group of its language; its first post is the case
// card. Messages are copied (copyMessage), not forwarded, so photos, voice
// and stickers arrive as they are and the customer sees the bot, never an
// agent's account.
//
// Relays are journaled like replies: an update's relays are rendered into
// store.Delivery values and committed with the update, then sent by the
// per-chat senders (deliver.go). A support group is one chat, so its
// deliveries go out in commit order at the group's pace (20 a minute)
// while every customer's replies keep their own; a customer's update is
// done once it is committed, however long the group's queue. A topic is
// created by a delivery of its own, keyed per ticket, and later deliveries
// to the ticket find the topic in the State when they are sent.

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

// support is the configured support groups: a supergroup per customer
// language, and one for every other language ("*").
type support struct {
	byLang map[string]int64 // language -> supergroup
	def    int64            // the group of languages not in byLang; 0: none
	lang   string           // the language of the bot's notes and cards to the agents
}

// configured reports whether any support group is set.
func (s support) configured() bool { return s.def != 0 || len(s.byLang) > 0 }

// isGroup reports whether chat is one of the support groups.
func (s support) isGroup(chat int64) bool {
	if chat == 0 {
		return false
	}
	if chat == s.def {
		return true
	}
	for _, g := range s.byLang {
		if g == chat {
			return true
		}
	}
	return false
}

// forLang is the group of a customer language; 0 when none takes it.
func (s support) forLang(lang string) int64 {
	if g, ok := s.byLang[lang]; ok {
		return g
	}
	return s.def
}

// legacy is the group of topics recorded before groups were stored: the
// default group (or, without one, the only group there is).
func (s support) legacy() int64 {
	if s.def != 0 {
		return s.def
	}
	groups := s.groups()
	if len(groups) == 1 {
		return groups[0]
	}
	return 0
}

// groups lists the distinct groups, in a fixed order.
func (s support) groups() []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, g := range append([]int64{s.def}, mapValues(s.byLang)...) {
		if g != 0 && !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func mapValues(m map[string]int64) []int64 {
	out := make([]int64, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// groupOf is the group a ticket's deliveries go to: the group of its
// topic once it has one (a ticket stays where its topic is), else the
// group of the customer's language.
func (s support) groupOf(t store.Ticket) int64 {
	switch {
	case t.TopicChat != 0:
		return t.TopicChat
	case t.TopicID != 0:
		return s.legacy()
	}
	return s.forLang(cmpOr(t.Language, "en"))
}

// WithSupport connects one support group for every language: a
// supergroup with topics enabled where the bot is an administrator that
// can manage topics. Notes and case cards are written in lang. Without a
// group tickets are still recorded and the customer is told that support
// will answer.
func WithSupport(chatID int64, lang string) Option {
	return WithSupportGroups(map[string]int64{"*": chatID}, lang)
}

// WithSupportGroups connects a support group per customer language
// ("ru", "cs", "en"; "*" for every other): each has its own topics, its
// own 20 messages a minute and its own agents, who act only on the
// tickets of their group. Notes and case cards are written in lang.
func WithSupportGroups(groups map[string]int64, lang string) Option {
	return func(b *Bot) {
		s := support{byLang: map[string]int64{}, lang: lang}
		for l, g := range groups {
			switch {
			case g == 0:
			case l == "*":
				s.def = g
			default:
				s.byLang[l] = g
			}
		}
		b.support = s
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// source is the message an event's copies copy: the customer's in their
// chat, or an agent's in a support group, with what a folded relay
// quotes of it.
type source struct {
	chat  int64
	msgID int
	quote string // the message as a folded relay quotes it; "" when it cannot be folded
}

// renderRelays turns an outcome's relays into deliveries, in order.
// Without a group for the ticket the relays are dropped: the ticket is
// recorded either way and gets its topic when it is next relayed.
func (b *Bot) renderRelays(src source, relays []flows.Relay) []store.Delivery {
	var list []store.Delivery
	loc := b.locales.For(b.support.lang)
	for _, r := range relays {
		t := r.Ticket
		group := b.support.groupOf(t)
		if group == 0 {
			b.log.Debug("no support group for the ticket: relay dropped", "ticket", t.ID, "kind", int(r.Kind))
			continue
		}
		post := func(body []locales.Msg, key string) store.Delivery {
			return store.Delivery{ChatID: group, Method: store.DeliverySend, TicketID: t.ID, Key: key,
				Text: fitText(flows.Screen{Body: body}.HTML(loc, false))}
		}
		switch r.Kind {
		case flows.RelayCard:
			if t.TopicID == 0 {
				list = append(list, store.Delivery{ChatID: group, Method: store.DeliveryCreateTopic, TicketID: t.ID,
					Text: b.topicTitle(r.TopicName), Key: topicKey(t.ID)})
			}
			list = append(list, post(r.Note, r.Key))
		case flows.RelayNote:
			list = append(list, post(r.Note, r.Key))
		case flows.RelayToTopic:
			list = append(list, store.Delivery{ChatID: group, Method: store.DeliveryCopy, TicketID: t.ID,
				FromChatID: src.chat, MessageID: src.msgID, Text: src.quote, Key: r.Key})
		case flows.RelayToCustomer:
			list = append(list, store.Delivery{ChatID: t.ChatID, Method: store.DeliveryCopy, TicketID: t.ID,
				FromChatID: src.chat, MessageID: src.msgID, Key: r.Key})
		case flows.RelayEditToCustomer:
			if src.quote == "" {
				continue // not a text: a caption or media cannot be edited so
			}
			list = append(list, store.Delivery{ChatID: t.ChatID, Method: store.DeliveryEdit, TicketID: t.ID,
				FromChatID: src.chat, MessageID: src.msgID, Text: src.quote, Key: r.Key})
		case flows.RelayTopicClosed:
			list = append(list, store.Delivery{ChatID: group, Method: store.DeliveryCloseTopic, TicketID: t.ID, Key: r.Key})
		case flows.RelayTopicReopened:
			list = append(list, store.Delivery{ChatID: group, Method: store.DeliveryReopenTopic, TicketID: t.ID, Key: r.Key})
		case flows.RelayTopicRenamed:
			list = append(list, store.Delivery{ChatID: group, Method: store.DeliveryEditTopic, TicketID: t.ID,
				Text: b.topicTitle(r.TopicName), Key: r.Key})
		default:
			b.log.Error("unknown relay kind", "kind", int(r.Kind), "ticket", t.ID)
		}
	}
	return list
}

// topicKey keys a ticket's topic creation: owed by every handoff that sees
// the ticket, made once.
func topicKey(ticket int64) string { return "topic:" + strconv.FormatInt(ticket, 10) }

// fitText cuts a note too long for one message (a card with very long
// lines) to plain text that fits, rather than nothing.
func fitText(s string) string {
	if visible := []rune(locales.PlainText(s)); len(visible) > maxText {
		return html.EscapeString(string(visible[:maxText-1])) + "…"
	}
	return s
}

// quoteOf is how a folded relay shows a customer's text message: its time
// and its text, escaped. Only text can be folded; other messages are
// copied as they are.
// answerText is an agent's answer as an edit of its copy shows it: the
// text, escaped (the copy keeps no formatting of the edit).
func answerText(m *models.Message) string {
	if m.Text == "" {
		return ""
	}
	return html.EscapeString(m.Text)
}

func (b *Bot) quoteOf(ev flows.Event) string {
	if ev.Edited || (ev.Kind != flows.EventText && ev.Kind != flows.EventCommand && ev.Kind != flows.EventStart) || ev.Text == "" {
		return ""
	}
	loc := b.locales.For(b.support.lang)
	at := b.clock.Now().In(b.engine.TeamZone()).Format("15:04")
	return loc.Text(locales.M("support.scale.folded_line", "At", at, "Text", ev.Text))
}

// topicTitle is a topic name as the agents read it, in their language.
func (b *Bot) topicTitle(name locales.Msg) string {
	return flows.TopicTitle(b.locales.For(b.support.lang), name)
}

// errNoTopicYet: a delivery to a ticket's topic came before the topic's
// creation (another replica has it); it is tried again shortly.
var errNoTopicYet = errors.New("the ticket's topic is not created yet")

// topicOf finds the topic a delivery to a ticket goes into. A ticket with
// no topic gets one here when nobody else is about to make it: the
// creation was refused, or the group was configured after the handoff.
// While the ticket is younger than the lease its creation is still owed by
// the process that committed it, so the delivery waits for it.
func (b *Bot) topicOf(ctx context.Context, d store.Delivery) (store.Ticket, error) {
	t, err := b.st.Ticket(ctx, d.TicketID)
	if err != nil {
		return t, fmt.Errorf("ticket %d of a relay: %w", d.TicketID, err)
	}
	if t.TopicID != 0 {
		return t, nil
	}
	if b.clock.Now().Sub(t.CreatedAt) < b.lease {
		return t, errNoTopicYet
	}
	name, card, err := b.engine.TopicOpening(ctx, t)
	if err != nil {
		return t, err
	}
	if t, err = b.createTopic(ctx, d.ChatID, t, b.topicTitle(name)); err != nil {
		return t, err
	}
	return t, b.post(ctx, d.ChatID, t.TopicID, flows.Screen{Body: card}.HTML(b.locales.For(b.support.lang), false))
}

// createTopic makes a ticket's topic in group and records it. The store
// keeps the mapping, so a restart or another replica finds the same topic;
// when two race, the one the store recorded first wins.
func (b *Bot) createTopic(ctx context.Context, group int64, t store.Ticket, name string) (store.Ticket, error) {
	var created *models.ForumTopic
	err := b.call(ctx, group, Interactive, "createForumTopic", func(ctx context.Context) error {
		var err error
		created, err = b.api.CreateForumTopic(ctx, &tg.CreateForumTopicParams{ChatID: group, Name: name})
		return err
	})
	if err != nil {
		return t, fmt.Errorf("create topic for ticket %d: %w", t.ID, err)
	}
	chat, topic, err := b.st.SetTicketTopic(context.WithoutCancel(ctx), t.ID, group, int64(created.MessageThreadID))
	if err != nil {
		return t, err
	}
	if topic != int64(created.MessageThreadID) || chat != group {
		b.log.Warn("topic created twice for a ticket; using the first", "ticket", t.ID, "topic", topic, "unused", created.MessageThreadID)
	} else {
		b.log.Info("support topic created", "ticket", t.ID, "group", group, "topic", topic)
	}
	t.TopicChat, t.TopicID = chat, topic
	return t, nil
}

// deliverRelay makes the Bot API call of a delivery to a ticket's topic
// (or of its creation). fold, when set, is the text of the folded
// deliveries that go along with a post (see drain).
func (b *Bot) deliverRelay(ctx context.Context, d store.Delivery, folded string) error {
	if d.Method == store.DeliveryCreateTopic {
		t, err := b.st.Ticket(ctx, d.TicketID)
		if err != nil {
			return fmt.Errorf("ticket %d of a topic: %w", d.TicketID, err)
		}
		if t.TopicID != 0 {
			return nil // made already: by a replica, or before a crash
		}
		_, err = b.createTopic(ctx, d.ChatID, t, d.Text)
		return err
	}
	t, err := b.topicOf(ctx, d)
	if err != nil {
		return err
	}
	chat, thread := d.ChatID, int(t.TopicID)
	if t.TopicChat != 0 {
		chat = t.TopicChat
	}
	switch d.Method {
	case store.DeliverySend:
		return b.post(ctx, chat, t.TopicID, d.Text+folded)
	case store.DeliveryCopy:
		if folded != "" {
			return b.post(ctx, chat, t.TopicID, folded)
		}
		return b.call(ctx, chat, Interactive, "copyMessage", func(ctx context.Context) error {
			_, err := b.api.CopyMessage(ctx, &tg.CopyMessageParams{
				ChatID: chat, MessageThreadID: thread, FromChatID: d.FromChatID, MessageID: d.MessageID,
			})
			return err
		})
	}
	return b.call(ctx, chat, Interactive, d.Method, func(ctx context.Context) error {
		var err error
		switch d.Method {
		case store.DeliveryCloseTopic:
			_, err = b.api.CloseForumTopic(ctx, &tg.CloseForumTopicParams{ChatID: chat, MessageThreadID: thread})
		case store.DeliveryReopenTopic:
			_, err = b.api.ReopenForumTopic(ctx, &tg.ReopenForumTopicParams{ChatID: chat, MessageThreadID: thread})
		case store.DeliveryEditTopic:
			_, err = b.api.EditForumTopic(ctx, &tg.EditForumTopicParams{ChatID: chat, MessageThreadID: thread, Name: d.Text})
		default:
			return fmt.Errorf("%w: unknown delivery method %q", tg.ErrorBadRequest, d.Method)
		}
		if isNotModified(err) || (err != nil && containsFold(err.Error(), "TOPIC_NOT_MODIFIED")) {
			return nil // already so
		}
		return err
	})
}

// post writes the bot's words into a topic.
func (b *Bot) post(ctx context.Context, chat, topic int64, body string) error {
	return b.call(ctx, chat, Interactive, "sendMessage", func(ctx context.Context) error {
		_, err := b.api.SendMessage(ctx, &tg.SendMessageParams{ChatID: chat, MessageThreadID: int(topic),
			Text: fitText(body), ParseMode: models.ParseModeHTML})
		return err
	})
}

// copyToCustomer copies an agent's message to the customer; if the
// customer has blocked the bot, the topic is told.
func (b *Bot) copyToCustomer(ctx context.Context, d store.Delivery) error {
	var copied *models.MessageID
	err := b.call(ctx, d.ChatID, Interactive, "copyMessage", func(ctx context.Context) error {
		var err error
		copied, err = b.api.CopyMessage(ctx, &tg.CopyMessageParams{ChatID: d.ChatID, FromChatID: d.FromChatID, MessageID: d.MessageID})
		return err
	})
	if isBlocked(err) && d.TicketID != 0 {
		b.tellBlocked(ctx, d.TicketID)
	}
	if err == nil && copied != nil {
		// Remembered so that the agent's edit of the answer edits the copy.
		if err := b.st.SetRelayedCopy(context.WithoutCancel(ctx), d.FromChatID, d.MessageID, d.ChatID, copied.ID, b.clock.Now()); err != nil {
			b.log.Warn("remember the customer's copy of an answer", "ticket", d.TicketID, "err", err)
		}
	}
	return err
}

// editCopy edits the customer's copy of an agent's answer the agent
// edited. An answer whose copy is unknown (never sent, or older than
// Telegram lets a bot edit) is left as the customer has it.
func (b *Bot) editCopy(ctx context.Context, d store.Delivery) error {
	chat, msg, err := b.st.RelayedCopy(ctx, d.FromChatID, d.MessageID)
	if errors.Is(err, store.ErrNotFound) {
		b.log.Info("an edited answer has no copy to edit", "ticket", d.TicketID, "message", d.MessageID)
		return nil
	}
	if err != nil {
		return err
	}
	err = b.call(ctx, chat, Interactive, "editMessageText", func(ctx context.Context) error {
		_, err := b.api.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: chat, MessageID: msg, Text: d.Text, ParseMode: models.ParseModeHTML})
		return err
	})
	if isNotModified(err) {
		return nil
	}
	return err
}

// tellBlocked owes the ticket's topic a note that the customer blocked the
// bot, committed like any relay.
func (b *Bot) tellBlocked(ctx context.Context, ticket int64) {
	t, err := b.st.Ticket(ctx, ticket)
	if err != nil {
		b.log.Error("tell the topic the customer blocked the bot", "ticket", ticket, "err", err)
		return
	}
	b.log.Info("customer blocked the bot", "chat", t.ChatID, "ticket", t.ID)
	list := b.renderRelays(source{}, []flows.Relay{{Kind: flows.RelayNote, Ticket: t, Note: []locales.Msg{locales.M("support.agent.blocked")}}})
	b.commitOwed(context.WithoutCancel(ctx), list)
}

// commitOwed commits deliveries that no update owes (a note the sender
// decides on) and queues them.
func (b *Bot) commitOwed(ctx context.Context, list []store.Delivery) {
	if len(list) == 0 {
		return
	}
	now := b.clock.Now()
	c := &store.UpdateCommit{At: now, Deliveries: list, LeaseUntil: b.leaseUntil(now, list)}
	if _, err := b.st.CommitUpdate(ctx, c); err != nil {
		b.log.Error("commit a note for the support group", "err", err)
		return
	}
	b.enqueue(c.Deliveries)
}

// isBlocked: Telegram refuses messages to a user who blocked the bot.
func isBlocked(err error) bool { return errors.Is(err, tg.ErrorForbidden) }

// foldable reports whether a queued delivery can be folded into a post to
// the same topic that goes before it: a copy of a customer's text.
func foldable(d store.Delivery) bool {
	return d.Method == store.DeliveryCopy && d.TicketID != 0 && d.ChatID < 0 && d.Text != ""
}

// foldBase reports whether a delivery can carry the folded copies after
// it: a post into a ticket's topic (the case card, a note) or a foldable
// copy itself.
func foldBase(d store.Delivery) bool {
	return d.TicketID != 0 && d.ChatID < 0 && (d.Method == store.DeliverySend || foldable(d))
}

// foldText joins the quotes of folded copies under a header, within
// Telegram's length limit; n is how many fit.
func (b *Bot) foldText(base store.Delivery, copies []store.Delivery) (string, int) {
	loc := b.locales.For(b.support.lang)
	var sb strings.Builder
	size := len([]rune(locales.PlainText(base.Text)))
	if base.Method == store.DeliverySend {
		sb.WriteString("\n\n")
	}
	head := loc.Text(locales.M("support.scale.folded"))
	sb.WriteString(head)
	size += len([]rune(locales.PlainText(head))) + 2
	n := 0
	for _, c := range copies {
		line := "\n" + c.Text
		size += len([]rune(locales.PlainText(line)))
		if size > maxText {
			break
		}
		sb.WriteString(line)
		n++
	}
	return sb.String(), n
}
