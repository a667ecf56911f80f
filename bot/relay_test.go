package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"paydesk/bot"
	"paydesk/bot/telegramtest"
	"paydesk/store"
)

// failingCommits fails the commits for which fail says so, once each, as a
// store that went away at the wrong moment.
type failingCommits struct {
	store.State
	fail func(c *store.UpdateCommit) bool
}

func (f failingCommits) CommitUpdate(ctx context.Context, c *store.UpdateCommit) (bool, error) {
	if f.fail(c) {
		return false, errors.New("injected: the store went away")
	}
	return f.State.CommitUpdate(ctx, c)
}

// TestHandoffWhoseCommitFailedStillGetsItsTopic: the ticket is stored when
// the customer presses "Talk to support", before the update's commit. When
// that commit fails the update is handled again, finds the ticket open,
// and still owes the topic and the case card: they are made once.
func TestHandoffWhoseCommitFailedStillGetsItsTopic(t *testing.T) {
	r := &supportRig{t: t, support: supportChat}
	var failed atomic.Bool
	r.wrap = func(s store.State) store.State {
		return failingCommits{State: s, fail: func(c *store.UpdateCommit) bool {
			for _, d := range c.Deliveries {
				if d.Method == store.DeliveryCreateTopic && failed.CompareAndSwap(false, true) {
					return true
				}
			}
			return false
		}}
	}
	r = newSupportRigFrom(r)
	r.link()
	menu := r.from(customerMsg(text("/start")))
	u := press("Написать в поддержку", buttonData(t, want(t, menu, "sendMessage", 1)[0], "Написать в поддержку"))
	r.api.PushUpdate(u)
	if err := r.bot.HandleUpdate(context.Background(), &u); err == nil {
		t.Fatal("the handoff's commit failed, yet HandleUpdate reported success")
	} else {
		t.Log(err)
	}
	r.bot.WaitSent()
	calls := r.from(u) // Telegram delivers it again
	want(t, calls, "createForumTopic", 1)
	card := sentTo(t, calls, supportChat)
	contains(t, card, "Ticket #1 · General question")
	if tk, err := r.db.Ticket(context.Background(), 1); err != nil || tk.TopicID != firstTopic || tk.TopicChat != supportChat {
		t.Fatalf("ticket %+v %v: want topic %d in %d", tk, err, firstTopic, supportChat)
	}
	// Pressing again owes the topic again; it is not made again.
	calls = r.from(press("Написать в поддержку", buttonData(t, want(t, menu, "sendMessage", 1)[0], "Написать в поддержку")))
	want(t, calls, "createForumTopic", 0)
	for _, c := range only(calls, "sendMessage") {
		if c.ChatID() == supportChat {
			t.Errorf("a second press posted into the topic: %s", c.Text())
		}
	}
}

// TestTenRatingTapsPostOneNote: the customer taps the rating ten times
// (changing their mind); the topic gets one "rated" note and the rating
// stored is the last tap's.
func TestTenRatingTapsPostOneNote(t *testing.T) {
	r := newSupportRig(t, supportChat)
	r.handOff()
	calls := r.from(agentMsg(anna, firstTopic, "/close"))
	rate := rateQuestion(t, calls)
	notes := 0
	for i := range 10 {
		label := "3 ★"
		if i == 9 {
			label = "5 ★"
		}
		for _, c := range only(r.from(press(label, buttonData(t, rate, label))), "sendMessage") {
			if c.ChatID() == supportChat && strings.Contains(c.Text(), "rated the help") {
				notes++
			}
		}
	}
	if notes != 1 {
		t.Errorf("%d rated notes in the topic after ten taps, want 1", notes)
	}
	if tk, _ := r.db.Ticket(context.Background(), 1); tk.Rating != 5 {
		t.Errorf("rating %d stored, want the last tap's 5", tk.Rating)
	}
}

// agentIn is a message of a member of a support group in a topic.
func agentIn(group, user, topic int64, text string) models.Update {
	u := agentMsg(user, topic, text)
	u.Message.Chat.ID = group
	return u
}

// TestTicketsGoToTheirLanguagesGroup: with a group per language, each
// ticket's topic is in its customer's language's group, and agents of one
// group act only on their own group's tickets, though both groups have a
// topic 2.
func TestTicketsGoToTheirLanguagesGroup(t *testing.T) {
	const ruGroup, csGroup, restGroup = int64(-1001000000001), int64(-1001000000002), int64(-1001000000003)
	r := newSupportRigFrom(&supportRig{t: t, opts: []bot.Option{
		bot.WithSupportGroups(map[string]int64{"ru": ruGroup, "cs": csGroup, "*": restGroup}, "en")}})
	chats := []struct {
		chat  int64
		lang  string
		phone string
		group int64
	}{{7101, "ru", "+77010000001", ruGroup}, {7102, "cs", "+420601000001", csGroup}, {7103, "en", "+447700900001", restGroup}}
	for i, c := range chats {
		r.handle(withLang(telegramtest.ContactUpdate(c.chat, c.chat, c.chat, c.phone), c.lang))
		calls := r.from(telegramtest.CommandUpdate(c.chat, c.chat, c.lang, "/support"))
		topic := want(t, calls, "createForumTopic", 1)[0]
		if topic.ChatID() != c.group {
			t.Errorf("ticket of a %s customer: topic in %d, want %d", c.lang, topic.ChatID(), c.group)
		}
		if tk, _ := r.db.Ticket(context.Background(), int64(i+1)); tk.TopicChat != c.group || tk.TopicID != firstTopic {
			t.Errorf("ticket %d stored with topic %d/%d", i+1, tk.TopicChat, tk.TopicID)
		}
	}
	// Topic 2 of the Czech group is the Czech customer's ticket, not the
	// Russian one's (topic 2 of the Russian group).
	calls := r.from(agentIn(csGroup, anna, firstTopic, "Dobrý den"))
	if cp := want(t, calls, "copyMessage", 1)[0]; cp.ChatID() != 7102 || param(cp, "from_chat_id") != csGroup {
		t.Fatalf("answer in the Czech group copied to %d from %d", cp.ChatID(), param(cp, "from_chat_id"))
	}
	want(t, r.from(agentIn(csGroup, anna, firstTopic, "/close")), "closeForumTopic", 1)
	if tk, _ := r.db.Ticket(context.Background(), 1); tk.Status != store.TicketOpen {
		t.Fatalf("closing in the Czech group closed the Russian ticket")
	}
	if tk, _ := r.db.Ticket(context.Background(), 2); tk.Status != store.TicketClosed {
		t.Fatalf("the Czech ticket is %s after /close in its topic", tk.Status)
	}
	// Membership is asked of the group the agent wrote in.
	for _, c := range r.api.CallsTo("getChatMember") {
		if c.ChatID() != csGroup {
			t.Errorf("membership asked of %d for an agent of the Czech group", c.ChatID())
		}
	}
}

func withLang(u models.Update, lang string) models.Update {
	u.Message.From.LanguageCode = lang
	return u
}

// TestTwoReplicasOneTopicPerTicket: two bots on one SQLite file, every
// update delivered to both at once (a webhook retried onto the other
// replica), as customers hand off and write: one topic per ticket, one
// case card, each message copied once.
func TestTwoReplicasOneTopicPerTicket(t *testing.T) {
	opts := []bot.Option{bot.WithRetry(bot.Retry{Attempts: 8, Base: 10 * time.Millisecond, Max: 50 * time.Millisecond})}
	// The flows' clock is the bot's here: a ticket's age says whether its
	// topic is still owed by the replica that opened it.
	a := newSupportRigFrom(&supportRig{t: t, support: supportChat, opts: opts, now: time.Now()})
	b := &supportRig{t: t, support: supportChat, opts: opts, api: a.api, path: a.path, now: a.now}
	b.start()
	var id atomic.Int64
	both := func(u models.Update) {
		t.Helper()
		u.ID = id.Add(1) + 1000
		a.api.PushUpdate(u)
		var wg sync.WaitGroup
		for _, r := range []*supportRig{a, b} {
			wg.Go(func() {
				for range 3 { // an error means Telegram delivers it again
					if r.bot.HandleUpdate(context.Background(), &u) == nil {
						return
					}
				}
				t.Errorf("update %d not handled in three deliveries", u.ID)
			})
		}
		wg.Wait()
	}
	const customers, messages = 6, 4
	copies := map[int]int{} // message id -> copies that reached the group
	var msgIDs []int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range customers {
		chat := int64(7300 + i)
		wg.Go(func() {
			both(withLang(telegramtest.ContactUpdate(chat, chat, chat, "+77010000001"), "ru"))
			both(telegramtest.CommandUpdate(chat, chat, "ru", fmt.Sprintf("/escalate support %d", i+1)))
			for j := range messages {
				u := telegramtest.TextUpdate(chat, chat, "ru", fmt.Sprintf("c%d m%d", i, j))
				mu.Lock()
				msgIDs = append(msgIDs, u.Message.ID)
				mu.Unlock()
				both(u)
			}
		})
	}
	wg.Wait()
	a.bot.WaitSent()
	b.bot.WaitSent()
	if n := len(a.api.CallsTo("createForumTopic")); n != customers {
		t.Errorf("%d topics for %d tickets", n, customers)
	}
	cards := 0
	for _, c := range a.api.Calls() {
		switch {
		case c.Status != 200 || c.ChatID() != supportChat:
		case c.Method == "copyMessage":
			copies[int(param(c, "message_id"))]++
		case c.Method == "sendMessage" && strings.Contains(c.Text(), "<b>Ticket #"):
			cards++
		}
	}
	if cards != customers {
		t.Errorf("%d case cards for %d tickets: %s", cards, customers, describe(a.api.Calls()))
	}
	for _, m := range msgIDs {
		if copies[m] != 1 {
			t.Errorf("message %d copied %d times, want once", m, copies[m])
		}
	}
}

// TestQueueListsTheGroupsOpenTickets: /queue in a group's General topic
// lists that group's open tickets with age, language, who has it and how
// long the customer has waited; an answer in the topic ends the wait.
func TestQueueListsTheGroupsOpenTickets(t *testing.T) {
	const ruGroup, csGroup = int64(-1001000000001), int64(-1001000000002)
	r := newSupportRigFrom(&supportRig{t: t, opts: []bot.Option{
		bot.WithSupportGroups(map[string]int64{"ru": ruGroup, "*": csGroup}, "en")}})
	for _, c := range []struct {
		chat        int64
		lang, phone string
	}{{7101, "ru", "+77010000001"}, {7102, "cs", "+420601000001"}} {
		r.handle(withLang(telegramtest.ContactUpdate(c.chat, c.chat, c.chat, c.phone), c.lang))
		r.handle(telegramtest.CommandUpdate(c.chat, c.chat, c.lang, "/support"))
	}
	r.now = r.now.Add(20 * time.Minute)
	r.handle(telegramtest.TextUpdate(7101, 7101, "ru", "алло?"))
	r.now = r.now.Add(5 * time.Minute)
	general := agentIn(ruGroup, anna, 0, "/queue")
	general.Message.IsTopicMessage = false
	q := sentTo(t, r.from(general), ruGroup)
	if thread(q) != 0 {
		t.Errorf("the queue went to thread %d, want the General topic", thread(q))
	}
	contains(t, q, "1 open ticket", "#1 · RU · General question · open for 25 minutes · nobody has it · the customer has waited 5 minutes")
	if strings.Contains(q.Text(), "#2") {
		t.Errorf("the Russian group's queue lists the Czech group's ticket:\n%s", q.Text())
	}
	r.handle(agentIn(ruGroup, anna, firstTopic, "Слушаю вас"))
	r.handle(agentIn(ruGroup, anna, firstTopic, "/assign"))
	contains(t, sentTo(t, r.from(general), ruGroup), "#1 · RU · General question · open for 25 minutes · @anna · answered")
}

// TestSecondChatIsToldWhereTheTicketIs: the customer's other chat asking
// for support while the first chat's ticket is open is told the ticket is
// in the other chat, not that support will answer here; nothing of it is
// relayed.
func TestSecondChatIsToldWhereTheTicketIs(t *testing.T) {
	r := newSupportRig(t, supportChat)
	r.handOff()
	const other = int64(7009)
	r.handle(withLang(telegramtest.ContactUpdate(other, other, other, "+77010000001"), "ru"))
	calls := r.from(telegramtest.CommandUpdate(other, other, "ru", "/support"))
	contains(t, sentTo(t, calls, other), "Обращение № 1 уже открыто в другом вашем чате")
	want(t, calls, "createForumTopic", 0)
	for _, c := range calls {
		if c.ChatID() == supportChat {
			t.Errorf("the other chat's request reached the group: %s %s", c.Method, c.Text())
		}
	}
	calls = r.from(telegramtest.TextUpdate(other, other, "ru", "алло"))
	want(t, calls, "copyMessage", 0)
}

// TestAgentsEditEditsTheCustomersCopy: an agent corrects an answer in the
// topic; the customer's copy of it is edited, not sent again.
func TestAgentsEditEditsTheCustomersCopy(t *testing.T) {
	r := newSupportRig(t, supportChat)
	r.handOff()
	answer := agentMsg(anna, firstTopic, "Ваш перевод придёт завтра")
	cp := want(t, r.from(answer), "copyMessage", 1)[0]
	if cp.Status != 200 {
		t.Fatalf("copy answered %d", cp.Status)
	}
	edited := answer
	edited.Message = nil
	edited.EditedMessage = &models.Message{}
	*edited.EditedMessage = *answer.Message
	edited.EditedMessage.Text, edited.EditedMessage.EditDate = "Ваш перевод придёт сегодня", int(t0.Unix())+60
	calls := r.from(edited)
	want(t, calls, "copyMessage", 0)
	e := want(t, calls, "editMessageText", 1)[0]
	if e.ChatID() != customer || e.Text() != "Ваш перевод придёт сегодня" || param(e, "message_id") == 0 {
		t.Fatalf("edit %v", e.Params)
	}
	// An edited command does nothing a second time.
	cmd := agentMsg(anna, firstTopic, "/card")
	r.handle(cmd)
	cmd.EditedMessage, cmd.Message = cmd.Message, nil
	cmd.EditedMessage.EditDate = int(t0.Unix()) + 60
	if calls := r.from(cmd); len(only(calls, "sendMessage"))+len(only(calls, "editMessageText")) != 0 {
		t.Errorf("an edited /card did something: %s", describe(calls))
	}
}

// racingSaves makes the customer's chat saved by someone else just before
// the next save of it once armed: the customer's own message committed at
// the same moment.
type racingSaves struct {
	store.State
	chat  int64
	armed atomic.Bool
}

func (r *racingSaves) SaveSession(ctx context.Context, s *store.Session) error {
	if s.ChatID == r.chat && r.armed.CompareAndSwap(true, false) {
		other, err := r.State.Session(ctx, s.ChatID)
		if err != nil {
			return err
		}
		if err := r.State.SaveSession(ctx, &other); err != nil {
			return err
		}
	}
	return r.State.SaveSession(ctx, s)
}

// TestHandbackWhileTheCustomerWrites: /handback puts the customer into a
// flow while their own message saves the chat at the same moment; the
// flow's screen still reaches them, and the ticket is closed once.
func TestHandbackWhileTheCustomerWrites(t *testing.T) {
	race := &racingSaves{chat: customer}
	r := newSupportRigFrom(&supportRig{t: t, support: supportChat, wrap: func(s store.State) store.State {
		race.State = s
		return race
	}})
	r.handOff()
	race.armed.Store(true)
	calls := r.from(agentMsg(anna, firstTopic, "/handback withdrawal"))
	if race.armed.Load() {
		t.Fatal("the race was not run")
	}
	var toCustomer []string
	for _, c := range only(calls, "sendMessage") {
		if c.ChatID() == customer {
			toCustomer = append(toCustomer, c.Text())
		}
	}
	if len(toCustomer) != 2 || !strings.Contains(toCustomer[0], "вернула вас к боту") {
		t.Fatalf("customer after a handback that met their message: %q, want the handback and the flow's screen", toCustomer)
	}
	want(t, calls, "closeForumTopic", 1)
}

// TestMembershipIsCheckedOnceAMinute: an agent's busy minute costs one
// getChatMember, not one per message.
func TestMembershipIsCheckedOnceAMinute(t *testing.T) {
	r := newSupportRig(t, supportChat)
	r.handOff()
	for _, text := range []string{"Здравствуйте", "/note проверяю", "Минуту", "/card"} {
		r.handle(agentMsg(anna, firstTopic, text))
	}
	if n := len(r.api.CallsTo("getChatMember")); n != 1 {
		t.Errorf("%d getChatMember calls for four messages of one agent, want 1", n)
	}
}
