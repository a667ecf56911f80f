package bot_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

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
	var rate telegramtest.Call
	for _, c := range only(calls, "sendMessage") {
		if c.ChatID() == customer && strings.Contains(c.Text(), "Оцените") {
			rate = c
		}
	}
	if rate.Method == "" {
		t.Fatalf("no rating question: %s", describe(calls))
	}
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
