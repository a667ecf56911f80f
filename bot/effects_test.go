package bot_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"paydesk/bot"
	"paydesk/bot/telegramtest"
	"paydesk/flows"
	"paydesk/locales"
	"paydesk/store"
)

// panicStore panics when the engine loads one chat's session, as a bug in
// a flow would.
type panicStore struct {
	store.State
	chat int64
}

func (p panicStore) Session(ctx context.Context, chat int64) (store.Session, error) {
	if chat == p.chat {
		panic("flow bug")
	}
	return p.State.Session(ctx, chat)
}

func TestPanicGetsAnApologyAndTheBotGoesOn(t *testing.T) {
	r := newRig(t, rigConfig{wrap: func(s store.State) store.State { return panicStore{s, 601} }})
	for i, tc := range []struct {
		lang, apology string
	}{
		{"cs", "Omlouváme se"},
		{"ru", "Извините"},
	} {
		u := withID(telegramtest.CommandUpdate(601, 601, tc.lang, "/start"), int64(len(tc.lang)+len(tc.apology)))
		if resp := r.post(u, webhookSecret); resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d: a handled panic is still a handled update", resp.StatusCode)
		}
		// The redelivery of the same update is a duplicate: one apology.
		if resp := r.post(u, webhookSecret); resp.StatusCode != http.StatusOK {
			t.Fatalf("redelivery: status %d", resp.StatusCode)
		}
		got := r.waitSent(t, 601, i+1)
		if last := got[i]; !strings.HasPrefix(last, tc.apology) {
			t.Errorf("%s: after a panic the customer got %q, want the apology %q", tc.lang, last, tc.apology)
		}
	}
	// Another chat is answered as usual.
	if resp := r.post(withID(telegramtest.CommandUpdate(602, 602, "en", "/start"), 77), webhookSecret); resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if got := r.waitSent(t, 602, 1); !strings.HasPrefix(got[0], "Hello! I'm") {
		t.Errorf("after a panic in another chat: %q", got[0])
	}
	r.close()
	if n := len(r.sent(601)); n != 2 {
		t.Errorf("%d apologies for two crashing updates delivered twice each, want 2", n)
	}
	if !strings.Contains(r.logs.String(), "panic while handling an update") {
		t.Error("the panic was not logged")
	}
}

func TestBlockedChatIsRememberedUntilItWritesAgain(t *testing.T) {
	ticks := &fakeTicker{}
	r := newRig(t, rigConfig{opts: []bot.Option{bot.WithTicker(ticks)}})
	const chat = 603
	blocked := func() bool {
		b, err := r.db.ChatBlocked(t.Context(), chat)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	r.api.Block(chat)
	r.post(withID(telegramtest.CommandUpdate(chat, chat, "en", "/start"), 1), webhookSecret)
	bot.Eventually(t, "the chat marked blocked", blocked)
	forbidden := r.api.WaitCalls(t, 1, func(c telegramtest.Call) bool { return c.Status == http.StatusForbidden }, 10*time.Second)
	if len(forbidden) != 1 {
		t.Errorf("403 retried: %d calls", len(forbidden))
	}

	// A nudge to a blocked chat is not even tried.
	ticks.set(flows.Outcome{Replies: []flows.Reply{{ChatID: chat, Lang: "en", Screen: flows.Text("common.apology")}}})
	if err := r.bot.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	r.close()
	if n := len(r.api.CallsTo("sendMessage")); n != 1 {
		t.Errorf("%d sendMessage calls, want only the one refused with 403", n)
	}

	// The user unblocks the bot and writes: the chat is open again.
	r2 := newRig(t, rigConfig{api: r.api, dbPath: r.dbPath(t), opts: []bot.Option{bot.WithTicker(ticks)}})
	r.api.Unblock(chat)
	r2.post(withID(telegramtest.CommandUpdate(chat, chat, "en", "/help"), 2), webhookSecret)
	r2.waitSent(t, chat, 1)
	if b, _ := r2.db.ChatBlocked(t.Context(), chat); b {
		t.Error("still blocked after the chat wrote")
	}
	ticks.set(flows.Outcome{Replies: []flows.Reply{{ChatID: chat, Lang: "en", Screen: flows.Text("common.apology")}}})
	if err := r2.bot.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	r2.waitSent(t, chat, 2)
}

// fakeTicker returns what the test set, once.
type fakeTicker struct {
	mu  sync.Mutex
	out flows.Outcome
}

func (f *fakeTicker) set(out flows.Outcome) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.out = out
}

func (f *fakeTicker) Tick(context.Context) (flows.Outcome, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.out
	f.out = flows.Outcome{}
	return out, nil
}

// TestInteractiveRepliesGoBeforeNudges: a tick queues more nudges than the
// global limit lets out at once; a customer's reply that comes in meanwhile
// goes out before the nudges still waiting.
func TestInteractiveRepliesGoBeforeNudges(t *testing.T) {
	ticks := &fakeTicker{}
	r := newRig(t, rigConfig{opts: []bot.Option{bot.WithTicker(ticks)}})
	const nudges = 60 // 2.4 s at 25 a second
	var out flows.Outcome
	for i := range int64(nudges) {
		out.Replies = append(out.Replies, flows.Reply{ChatID: 7000 + i, Lang: "en",
			Screen: flows.Screen{Body: []locales.Msg{locales.M("menu.title")}}})
	}
	ticks.set(out)
	if err := r.bot.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	r.api.WaitCalls(t, 5, func(c telegramtest.Call) bool { return c.Method == "sendMessage" }, 10*time.Second)
	r.post(withID(telegramtest.CommandUpdate(604, 604, "en", "/start"), 1), webhookSecret)
	r.close()
	calls := r.api.CallsTo("sendMessage")
	for i, c := range calls {
		if c.ChatID() == 604 {
			if left := len(calls) - i - 1; left < nudges/2 {
				t.Errorf("the reply went out with only %d of %d nudges after it", left, nudges)
			}
			return
		}
	}
	t.Fatal("the reply never went out")
}

// TestRepliesLeftBehindAreResent: replies committed by a process that died
// before sending them go out once their lease runs out, in order, once.
func TestRepliesLeftBehindAreResent(t *testing.T) {
	r := newRig(t, rigConfig{})
	past := time.Now().Add(-time.Minute)
	c := &store.UpdateCommit{UpdateID: 1, At: past, LeaseUntil: past, Deliveries: []store.Delivery{
		{ChatID: 605, Method: store.DeliverySend, Text: "first"},
		{ChatID: 605, Method: store.DeliveryEdit, MessageID: 999, Text: "second"}, // gone: sent anew
		{ChatID: 606, Method: store.DeliverySend, Text: "other chat"},
	}}
	if _, err := r.db.CommitUpdate(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	// Another process's fresh commit is left alone.
	fresh := &store.UpdateCommit{UpdateID: 2, At: time.Now(), LeaseUntil: time.Now().Add(time.Hour),
		Deliveries: []store.Delivery{{ChatID: 607, Method: store.DeliverySend, Text: "not mine yet"}}}
	if _, err := r.db.CommitUpdate(t.Context(), fresh); err != nil {
		t.Fatal(err)
	}
	r.api.Fail("editMessageText", 1, telegramtest.Fault{Status: http.StatusBadRequest, Description: "Bad Request: message to edit not found"})
	for range 2 {
		if err := r.bot.Resend(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	r.close()
	if err := r.bot.Resend(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.sent(605), ","); got != "first,second" {
		t.Errorf("chat 605 got %q, want first,second", got)
	}
	if got := r.sent(606); len(got) != 1 {
		t.Errorf("chat 606 got %q", got)
	}
	if got := r.sent(607); len(got) != 0 {
		t.Errorf("a delivery still leased by its committer was resent: %q", got)
	}
}

// commitFails fails the first CommitUpdate, as a crash or an unreachable
// store between running the flow and committing it would.
type commitFails struct {
	store.State
	failed bool
}

func (c *commitFails) CommitUpdate(ctx context.Context, u *store.UpdateCommit) (bool, error) {
	if !c.failed {
		c.failed = true
		return false, context.DeadlineExceeded
	}
	return c.State.CommitUpdate(ctx, u)
}

// TestUpdateThatFailsToCommitLeavesNoTrace: the flow ran, the commit did
// not; the redelivered update is handled from the untouched session.
func TestUpdateThatFailsToCommitLeavesNoTrace(t *testing.T) {
	r := newRig(t, rigConfig{wrap: func(s store.State) store.State { return &commitFails{State: s} }})
	u := withID(telegramtest.CommandUpdate(608, 608, "en", "/start"), 1)
	if resp := r.post(u, webhookSecret); resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("failed commit: status %d, want 500", resp.StatusCode)
	}
	if s := r.session(t, 608); s.Version != 0 {
		t.Fatalf("the session was saved by an update whose commit failed: %+v", s)
	}
	if resp := r.post(u, webhookSecret); resp.StatusCode != http.StatusOK {
		t.Fatalf("redelivery: status %d", resp.StatusCode)
	}
	r.close()
	if s := r.session(t, 608); s.Version != 1 {
		t.Errorf("session version %d after one update, want 1", s.Version)
	}
	if got := r.sent(608); len(got) != 1 {
		t.Errorf("%d replies, want 1", len(got))
	}
}
