package flows_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"paydesk/flows"
	"paydesk/flows/businessday"
	"paydesk/store"
	"paydesk/store/sqlite"
)

// readLog is the real SQLite ledger, noting which withdrawals the nudge
// job read, from the stage changes or again by id: what a tick costs.
type readLog struct {
	*sqlite.DB
	read []int64
}

func (l *readLog) OpenWithdrawalsChangedAfter(ctx context.Context, afterSeq int64, limit int) ([]store.StagedWithdrawal, error) {
	list, err := l.DB.OpenWithdrawalsChangedAfter(ctx, afterSeq, limit)
	for _, w := range list {
		l.read = append(l.read, w.ID)
	}
	return list, err
}

func (l *readLog) Withdrawal(ctx context.Context, id int64) (store.Withdrawal, error) {
	l.read = append(l.read, id)
	return l.DB.Withdrawal(ctx, id)
}

// logReads makes h's engine read the ledger through a readLog.
func logReads(h *harness) *readLog {
	log := &readLog{DB: h.db}
	h.engine = flows.New(h.db, log, flows.WithSecret([]byte("flows-test-secret-0123456789abcdef")),
		flows.WithClock(func() time.Time { return h.now }))
	return log
}

// linkedAllHarness is a harness whose every demo customer has a chat (so
// no nudge is held back for want of one) and whose engine reads the ledger
// through a readLog.
func linkedAllHarness(t *testing.T) (*harness, *readLog) {
	t.Helper()
	h := newHarness(t)
	for i, phone := range []string{"+77010000001", "+420601000001", "+447700900001", "+77010000002"} {
		ev := contact(phone, int64(chat+i))
		ev.ChatID, ev.UserID = int64(chat+i), int64(chat+i)
		h.do(ev)
	}
	return h, logReads(h)
}

// count is how many times id is in list.
func count(list []int64, id int64) int {
	n := 0
	for _, x := range list {
		if x == id {
			n++
		}
	}
	return n
}

// sorted is a sorted copy of list.
func sorted(list []int64) []int64 {
	list = slices.Clone(list)
	slices.Sort(list)
	return list
}

func sortedNudged(t *testing.T, out flows.Outcome) []int64 {
	t.Helper()
	got := nudged(t, out)
	slices.Sort(got)
	return got
}

const wdAdded = 901

// addWithdrawal gives customer 1 (tier standard, 2 business days; Almaty)
// the withdrawal wdAdded with the stages given.
func addWithdrawal(t *testing.T, h *harness, stages ...store.StageChange) {
	t.Helper()
	last := stages[len(stages)-1]
	if _, err := h.db.AddWithdrawal(context.Background(), store.Withdrawal{ID: wdAdded, CustomerID: 1, Amount: 100000,
		Currency: "KZT", Method: "Kaspi Gold *4417", Provider: "kaspi", Stage: last.Stage,
		CreatedAt: stages[0].At, History: stages}); err != nil {
		t.Fatal(err)
	}
}

// TestWithdrawalNudgeDue: a withdrawal of customer 1 (Monday 14:00 in
// Almaty) is nudged at once if it is stuck; otherwise it is read once,
// not again on the ticks before it is due (the cost of a tick is what has
// come due), and nudged on the first tick from the moment its stage passes
// its limit.
func TestWithdrawalNudgeDue(t *testing.T) {
	almaty, _ := time.LoadLocation("Asia/Almaty")
	kz, err := businessday.For("KZ")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		stage []store.StageChange
		limit int // business days of the current stage; 0: stuck already
	}{
		{"an hour in approval: due Wednesday", []store.StageChange{
			{Stage: store.StageApproval, At: t0.Add(-time.Hour)}}, 2},
		{"since Sunday noon: due Tuesday evening", []store.StageChange{
			{Stage: store.StageApproval, At: t0.Add(-26 * time.Hour)}}, 2},
		{"ten days in approval: due", []store.StageChange{
			{Stage: store.StageApproval, At: t0.Add(-10 * 24 * time.Hour)}}, 0},
		{"long ago approved, an hour at the provider: the current stage counts", []store.StageChange{
			{Stage: store.StageApproval, At: t0.Add(-20 * 24 * time.Hour)},
			{Stage: store.StageProcessing, At: t0.Add(-time.Hour)}}, 3},
		{"nine days at the provider (3 at most): due", []store.StageChange{
			{Stage: store.StageApproval, At: t0.Add(-20 * 24 * time.Hour)},
			{Stage: store.StageProcessing, At: t0.Add(-9 * 24 * time.Hour)}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, log := linkedAllHarness(t)
			h.tick() // the demo's own, nudged or scheduled
			addWithdrawal(t, h, tt.stage...)
			h.now = t0.Add(time.Minute)
			log.read = nil
			if got := slices.Contains(sortedNudged(t, h.tick()), wdAdded); got != (tt.limit == 0) {
				t.Fatalf("nudged on the tick after it was added: %v, want %v", got, tt.limit == 0)
			}
			if !slices.Contains(log.read, wdAdded) {
				t.Fatalf("not read when added (read %v)", log.read)
			}
			if tt.limit == 0 {
				return
			}
			due := awake(kz.Deadline(tt.stage[len(tt.stage)-1].At, tt.limit, almaty), almaty)
			for _, at := range []time.Time{t0.Add(time.Hour), due.Add(-time.Second)} {
				h.now, log.read = at, nil
				if got := sortedNudged(t, h.tick()); slices.Contains(got, wdAdded) {
					t.Fatalf("nudged at %v, before it is due at %v", at, due)
				}
				if slices.Contains(log.read, wdAdded) {
					t.Fatalf("read again at %v, before it is due at %v", at, due)
				}
			}
			h.now = due
			if got := sortedNudged(t, h.tick()); !slices.Contains(got, wdAdded) {
				t.Fatalf("not nudged at %v, when it is due", due)
			}
			// Looked at once more (flows' nudgeRecheck, 10 minutes): its
			// message went, so it is dropped; then never read again.
			h.now, log.read = due.Add(time.Hour), nil
			if got := sortedNudged(t, h.tick()); slices.Contains(got, wdAdded) || count(log.read, wdAdded) != 1 {
				t.Fatalf("an hour after its nudge: nudged %v, read %v; want it read once, not nudged", got, log.read)
			}
			h.now, log.read = due.Add(2*time.Hour), nil
			if got := sortedNudged(t, h.tick()); len(got) != 0 || len(log.read) != 0 {
				t.Fatalf("two hours after its nudge: nudged %v, read %v", got, log.read)
			}
		})
	}
}

// awake is t, or 09:00 after it if t falls in the quiet hours of loc.
func awake(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	switch {
	case l.Hour() >= 22:
		return time.Date(l.Year(), l.Month(), l.Day()+1, 9, 0, 0, 0, loc)
	case l.Hour() < 9:
		return time.Date(l.Year(), l.Month(), l.Day(), 9, 0, 0, 0, loc)
	}
	return t
}

// TestWithdrawalNudgeSchedule follows the job over several ticks: quiet
// hours hold the nudges until 09:00 in Almaty and in Prague without
// re-reading them in between, a lost commit owes the same nudges again,
// the next tick reads nothing, and a withdrawal entering a new stage comes
// up again.
func TestWithdrawalNudgeSchedule(t *testing.T) {
	ctx := context.Background()
	h, log := linkedAllHarness(t)

	// 22:30 in Almaty, 18:30 in Prague: customer 1's and 4's stuck ones
	// are held back until 09:00, Prague's are nudged.
	h.now = time.Date(2026, 11, 23, 17, 30, 0, 0, time.UTC)
	prague := sortedNudged(t, h.tick())
	if len(prague) == 0 || slices.Contains(prague, wdStuck) || slices.Contains(prague, wdStuckPSP) {
		t.Fatalf("nudged %v at 22:30 in Almaty, 18:30 in Prague", prague)
	}
	// 18:40 in Prague: the nudged are looked at once more, and dropped.
	h.now, log.read = h.now.Add(10*time.Minute), nil
	if got := sortedNudged(t, h.tick()); len(got) != 0 || !slices.Equal(sorted(log.read), prague) {
		t.Fatalf("ten minutes after Prague's nudges nudged %v, read %v; want %v read once more", got, log.read, prague)
	}
	// 08:59:59: not yet, and not read.
	h.now, log.read = time.Date(2026, 11, 24, 3, 59, 59, 0, time.UTC), nil
	if got := sortedNudged(t, h.tick()); len(got) != 0 || len(log.read) != 0 {
		t.Fatalf("at 08:59:59 in Almaty nudged %v, read %v", got, log.read)
	}

	// 09:00: nudged, but the tick's commit is lost (no Settle): the next
	// tick owes the same nudges.
	h.now = time.Date(2026, 11, 24, 4, 0, 0, 0, time.UTC)
	lost, err := h.engine.Tick(ctx)
	if err != nil {
		t.Fatal(err)
	}
	owed := sortedNudged(t, lost) // customers 1 and 4, both in Almaty
	if !slices.Contains(owed, wdStuck) || !slices.Contains(owed, wdStuckPSP) {
		t.Fatalf("nudged %v, want %d and %d among them", owed, wdStuck, wdStuckPSP)
	}
	if got := sortedNudged(t, h.tick()); !slices.Equal(got, owed) {
		t.Fatalf("after a lost commit nudged %v, want the same %v again", got, owed)
	}

	// The next tick reads nothing and nudges nothing.
	h.now, log.read = h.now.Add(time.Minute), nil
	if out := h.tick(); len(out.Replies) != 0 || len(log.read) != 0 {
		t.Fatalf("a third tick sent %d replies and read %v", len(out.Replies), log.read)
	}

	// Approved now, 201 enters processing: read again, and due again once
	// the provider's 3 business days have passed.
	if err := h.db.EnterStage(ctx, wdStuck, store.StageProcessing, h.now); err != nil {
		t.Fatal(err)
	}
	log.read = nil
	if got := sortedNudged(t, h.tick()); slices.Contains(got, wdStuck) || !slices.Contains(log.read, wdStuck) {
		t.Fatalf("as it entered processing: nudged %v, read %v", got, log.read)
	}
	h.now = h.now.Add(7 * 24 * time.Hour)
	if got := sortedNudged(t, h.tick()); !slices.Contains(got, wdStuck) {
		t.Fatalf("nudged %v a week into processing, want %d", got, wdStuck)
	}
	if got := sortedNudged(t, h.tick()); slices.Contains(got, wdStuck) {
		t.Fatalf("nudged %d twice in processing", wdStuck)
	}
}

// TestWithdrawalNudgeQuietPrague: a withdrawal of customer 3 (Prague)
// that becomes stuck at night is held until 09:00 in Prague, not read in
// between, and nudged then.
func TestWithdrawalNudgeQuietPrague(t *testing.T) {
	prague, _ := time.LoadLocation("Europe/Prague")
	h, log := linkedAllHarness(t)
	h.tick()
	// Customer 3 (tier standard): approval since Monday 23:30 in Prague,
	// stuck at 23:30 on Wednesday.
	since := time.Date(2026, 11, 23, 23, 30, 0, 0, prague)
	if _, err := h.db.AddWithdrawal(context.Background(), store.Withdrawal{ID: wdAdded, CustomerID: 3, Amount: 5000,
		Currency: "EUR", Method: "Visa *1234", Provider: "visa_direct", Stage: store.StageApproval, CreatedAt: since}); err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{
		since.Add(time.Minute),
		time.Date(2026, 11, 25, 23, 30, 0, 0, prague),
		time.Date(2026, 11, 26, 8, 59, 59, 0, prague),
	} {
		h.now, log.read = at, nil
		if got := sortedNudged(t, h.tick()); slices.Contains(got, wdAdded) {
			t.Fatalf("nudged at %v", at.In(prague))
		}
		if at != since.Add(time.Minute) && slices.Contains(log.read, wdAdded) {
			t.Fatalf("read again at %v", at.In(prague))
		}
	}
	h.now = time.Date(2026, 11, 26, 9, 0, 0, 0, prague)
	if got := sortedNudged(t, h.tick()); !slices.Contains(got, wdAdded) {
		t.Fatalf("not nudged at 09:00 in Prague: %v", got)
	}
}

// TestWithdrawalNudgeLateReport: a stage change the ledger reports three
// days after it happened (its time long before the stages read so far) is
// read all the same, by the order the ledger recorded it, and nudged.
func TestWithdrawalNudgeLateReport(t *testing.T) {
	h, log := linkedAllHarness(t)
	h.now = t0.Add(2 * 24 * time.Hour) // Wednesday, 14:00 in Almaty
	h.tick()
	addWithdrawal(t, h, store.StageChange{Stage: store.StageApproval, At: h.now.Add(-3 * 24 * time.Hour)})
	h.now, log.read = h.now.Add(time.Minute), nil
	if got := sortedNudged(t, h.tick()); !slices.Contains(got, wdAdded) {
		t.Fatalf("a withdrawal stuck since it was reported, 3 days late: nudged %v, read %v", got, log.read)
	}
}

// TestWithdrawalNudgeNeedsAChat: a stuck withdrawal of a customer without
// a chat is not read again on every tick; once the customer links a chat,
// the first tick nudges it.
func TestWithdrawalNudgeNeedsAChat(t *testing.T) {
	h := newHarness(t) // nobody linked
	log := logReads(h)
	if out := h.tick(); len(out.Replies) != 0 {
		t.Fatalf("nudges without a linked chat: %+v", out.Replies)
	}
	h.now, log.read = h.now.Add(time.Minute), nil
	if out := h.tick(); len(out.Replies) != 0 || len(log.read) != 0 {
		t.Fatalf("a second tick without chats: %d replies, read %v", len(out.Replies), log.read)
	}
	h.do(contact("+77010000001", chat))
	if got := sortedNudged(t, h.tick()); !slices.Equal(got, []int64{wdStuck, wdStuckPSP}) {
		t.Fatalf("after linking nudged %v", got)
	}
	if got := sortedNudged(t, h.tick()); len(got) != 0 {
		t.Fatalf("the tick after nudged %v again", got)
	}
}

// TestWithdrawalNudgeSkipsBlockedChats: the nudge goes to the customer's
// most recently active chat that has not blocked the bot, and to none when
// all have (a nudge claimed for a blocked chat is refused and lost).
func TestWithdrawalNudgeSkipsBlockedChats(t *testing.T) {
	ctx := context.Background()
	const phone = chat + 7 // Aigerim's second chat, the one she used last
	link := func() *harness {
		h := newHarness(t)
		h.do(contact("+77010000001", chat))
		h.now = h.now.Add(time.Minute)
		h.do(flows.Event{Kind: flows.EventContact, ChatID: phone, UserID: phone, Contact: &flows.Contact{Phone: "+77010000001", UserID: phone}})
		return h
	}
	chatsNudged := func(out flows.Outcome) []int64 {
		var chats []int64
		for _, r := range out.Replies {
			for _, m := range r.Screen.Body {
				if m.ID == "withdrawal.nudge" && !slices.Contains(chats, r.ChatID) {
					chats = append(chats, r.ChatID)
				}
			}
		}
		return chats
	}

	h := link()
	if err := h.db.BlockChat(ctx, phone, t0); err != nil {
		t.Fatal(err)
	}
	if got := chatsNudged(h.tick()); !slices.Equal(got, []int64{chat}) {
		t.Errorf("with the last chat blocked, nudged in %v, want the other chat %d", got, chat)
	}

	h = link()
	for _, c := range []int64{chat, phone} {
		if err := h.db.BlockChat(ctx, c, t0); err != nil {
			t.Fatal(err)
		}
	}
	if got := chatsNudged(h.tick()); len(got) != 0 {
		t.Errorf("with every chat blocked, nudged in %v", got)
	}
}

// TestWithdrawalNudgeTwoReplicasDue: two engines over one database look at
// the same due entries at once (quiet hours held them); no withdrawal is
// nudged twice between them, and one whose message was dropped (the other
// replica sent a part of it, TestWithdrawalNudgeOverlappingFolds) is
// nudged ten minutes later, when the nudged are looked at once more.
func TestWithdrawalNudgeTwoReplicasDue(t *testing.T) {
	h := linked(t)
	h.now = time.Date(2026, 11, 23, 17, 30, 0, 0, time.UTC) // 22:30 in Almaty
	if got := nudged(t, h.tick()); len(got) != 0 {
		t.Fatalf("nudged %v in quiet hours", got)
	}
	morning := time.Date(2026, 11, 24, 4, 0, 0, 0, time.UTC)
	other := flows.New(h.db, h.db, flows.WithSecret([]byte("flows-test-secret-0123456789abcdef")),
		flows.WithClock(func() time.Time { return h.now }))
	h.now = morning
	got := tickAtOnce(t, h.engine, other)
	if len(got) == 0 || len(slices.Compact(slices.Clone(got))) != len(got) {
		t.Fatalf("two replicas nudged %v, want each stuck withdrawal once at most", got)
	}
	if again := nudged(t, h.tick()); len(again) != 0 {
		t.Fatalf("a tick after both nudged %v again", again)
	}
	h.now = morning.Add(10 * time.Minute)
	got = append(got, tickAtOnce(t, h.engine, other)...)
	if slices.Sort(got); !slices.Equal(got, []int64{wdStuck, wdStuckPSP}) {
		t.Fatalf("two replicas nudged %v by ten minutes after, want each stuck withdrawal once", got)
	}
	h.now = morning.Add(time.Hour)
	if again := nudged(t, h.tick()); len(again) != 0 {
		t.Fatalf("an hour after, nudged %v again", again)
	}
}

// TestWithdrawalNudgeOverlappingFolds: two replicas fold overlapping
// nudges into different messages, the race TestWithdrawalNudgeTwoReplicasDue
// runs into now and then: one replica reads 202 as claimed and owes 201
// alone, the other reads neither as claimed and owes 201 and 202 in one
// message. The second message is dropped whole, so 201 is not sent twice,
// and 202, which only it owed, is nudged when the nudged are looked at
// again ten minutes later.
func TestWithdrawalNudgeOverlappingFolds(t *testing.T) {
	ctx := context.Background()
	h := linked(t)
	h.now = time.Date(2026, 11, 24, 4, 0, 0, 0, time.UTC) // 09:00 in Almaty
	folded, err := h.engine.Tick(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := sortedNudged(t, folded); !slices.Equal(got, []int64{wdStuck, wdStuckPSP}) {
		t.Fatalf("the tick owes %v, want %d and %d", got, wdStuck, wdStuckPSP)
	}
	// What the other replica's message, 201 alone, committed meanwhile.
	alone := &store.UpdateCommit{At: h.now, LeaseUntil: h.now, Deliveries: []store.Delivery{{ChatID: chat,
		Method: store.DeliverySend, Text: "201", Key: fmt.Sprintf("nudge:withdrawal.stuck:%d:approval", wdStuck)}}}
	if _, err := h.db.CommitUpdate(ctx, alone); err != nil || len(alone.Deliveries) != 1 {
		t.Fatalf("the other replica's commit: %+v, %v", alone.Deliveries, err)
	}
	if err := h.engine.Settle(ctx, &folded); err != nil {
		t.Fatal(err)
	}
	if got := nudged(t, folded); len(got) != 0 {
		t.Fatalf("the folded message went too: %v, so %d twice", got, wdStuck)
	}
	if got := nudged(t, h.tick()); len(got) != 0 {
		t.Fatalf("the next tick nudged %v before the nudged are looked at again", got)
	}
	h.now = h.now.Add(10 * time.Minute)
	if got := nudged(t, h.tick()); !slices.Equal(got, []int64{wdStuckPSP}) {
		t.Fatalf("ten minutes later nudged %v, want only %d, which no message told", got, wdStuckPSP)
	}
	h.now = h.now.Add(time.Hour)
	if got := nudged(t, h.tick()); len(got) != 0 {
		t.Fatalf("an hour later nudged %v again", got)
	}
}

// TestWithdrawalNudgeLinkRace: a tick meets the entries a link has just
// scheduled before the link's session is committed, so without a chat; it
// keeps them a minute, and the tick after the commit nudges.
func TestWithdrawalNudgeLinkRace(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t) // nobody linked
	h.tick()
	// What linking customer 1 schedules, its session not yet committed.
	if err := h.db.ScheduleNudges(ctx,
		store.ScheduledNudge{Kind: "withdrawal.stuck", ObjectID: wdStuck, Stage: string(store.StageApproval), Due: h.now},
		store.ScheduledNudge{Kind: "withdrawal.stuck", ObjectID: wdStuckPSP, Stage: string(store.StageProcessing), Due: h.now}); err != nil {
		t.Fatal(err)
	}
	if out := h.tick(); len(out.Replies) != 0 {
		t.Fatalf("nudges without a chat: %+v", out.Replies)
	}
	// The session is committed.
	if err := h.db.SaveSession(ctx, &store.Session{ChatID: chat, CustomerID: 1, UpdatedAt: h.now}); err != nil {
		t.Fatal(err)
	}
	h.now = h.now.Add(time.Minute)
	if got := sortedNudged(t, h.tick()); !slices.Equal(got, []int64{wdStuck, wdStuckPSP}) {
		t.Fatalf("the tick after the link's commit nudged %v", got)
	}
}

// TestWithdrawalNudgeBrokenDataRetriedDaily: a withdrawal of a customer
// whose country has no business-day calendar cannot be assessed; the tick
// says so, and it is looked at again a day later, not on every tick ten
// minutes apart.
func TestWithdrawalNudgeBrokenDataRetriedDaily(t *testing.T) {
	ctx := context.Background()
	h, log := linkedAllHarness(t)
	h.tick()
	id, err := h.db.AddCustomer(ctx, store.Customer{Name: "Zed", Phone: "+15550000009", Language: "en",
		Country: "ZZ", TimeZone: "UTC", Tier: "standard", Currency: "USD"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.AddWithdrawal(ctx, store.Withdrawal{ID: wdAdded, CustomerID: id, Amount: 100000,
		Currency: "USD", Method: "Visa *1234", Provider: "visa_direct", Stage: store.StageApproval,
		CreatedAt: t0.Add(-10 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	tick := func(at time.Time) (read bool, err error) {
		t.Helper()
		h.now, log.read = at, nil
		out, err := h.engine.Tick(ctx)
		if serr := h.engine.Settle(ctx, &out); serr != nil {
			t.Fatal(serr)
		}
		return slices.Contains(log.read, wdAdded), err
	}
	if read, err := tick(t0.Add(time.Minute)); !read || err == nil || !strings.Contains(err.Error(), `"ZZ"`) {
		t.Fatalf("the tick after it was added: read %v, error %v; want it read and the country named", read, err)
	}
	for _, at := range []time.Time{t0.Add(11 * time.Minute), t0.Add(12 * time.Hour)} {
		if read, err := tick(at); read || err != nil {
			t.Fatalf("at %v: read %v, error %v; want it left until a day later", at, read, err)
		}
	}
	if read, err := tick(t0.Add(24*time.Hour + time.Minute)); !read || err == nil {
		t.Fatalf("a day later: read %v, error %v; want it looked at again", read, err)
	}
}
