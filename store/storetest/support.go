package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"paydesk/store"
)

// testSupportTopics: the ticket-topic mapping, set once, found both ways.
func testSupportTopics(t *testing.T, s store.State) {
	ctx := t.Context()
	tk, _, err := s.OpenTicket(ctx, newTicket(1, 101, "support"))
	if err != nil {
		t.Fatal(err)
	}
	const group, other = int64(-100111), int64(-100222)
	if _, err := s.TicketByTopic(ctx, group, 77); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown topic: %v", err)
	}
	chat, got, err := s.SetTicketTopic(ctx, tk.ID, group, 77)
	if err != nil || got != 77 || chat != group {
		t.Fatalf("SetTicketTopic: %d/%d %v", chat, got, err)
	}
	// A second replica that created its own topic learns the first one's.
	if chat, got, err := s.SetTicketTopic(ctx, tk.ID, other, 78); err != nil || got != 77 || chat != group {
		t.Fatalf("second SetTicketTopic: %d/%d %v, want %d/77 kept", chat, got, err, group)
	}
	byTopic, err := s.TicketByTopic(ctx, group, 77)
	if err != nil || byTopic.ID != tk.ID || byTopic.TopicID != 77 || byTopic.TopicChat != group {
		t.Fatalf("TicketByTopic: %+v %v", byTopic, err)
	}
	// Topic ids are per group: topic 77 of another group is another ticket's.
	if _, err := s.TicketByTopic(ctx, other, 77); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("topic 77 of another group: %v, want not found", err)
	}
	tk2, _, err := s.OpenTicket(ctx, newTicket(2, 102, "support"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SetTicketTopic(ctx, tk2.ID, other, 77); err != nil {
		t.Fatalf("topic 77 in another group: %v", err)
	}
	if by, err := s.TicketByTopic(ctx, other, 77); err != nil || by.ID != tk2.ID {
		t.Fatalf("TicketByTopic(other, 77): %+v %v, want ticket %d", by, err, tk2.ID)
	}
	if _, _, err := s.SetTicketTopic(ctx, 999999, group, 79); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("topic of a missing ticket: %v", err)
	}
	if _, err := s.TicketByTopic(ctx, group, 0); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("topic 0 names no ticket: %v", err)
	}
}

// testSupportLifecycle: close by whom, reopen keeping id and topic, rate,
// assign.
func testSupportLifecycle(t *testing.T, s store.State) {
	ctx := t.Context()
	tk, _, err := s.OpenTicket(ctx, newTicket(1, 101, "withdrawal:7"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SetTicketTopic(ctx, tk.ID, -100111, 55); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.LastClosedTicketOfChat(ctx, 101); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("no closed ticket yet: %v", err)
	}
	if err := s.RateTicket(ctx, tk.ID, 5); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("rating an open ticket: %v", err)
	}
	at := ticketTime.Add(time.Hour)
	if err := s.CloseTicketBy(ctx, tk.ID, at, store.ClosedByAgent); err != nil {
		t.Fatal(err)
	}
	if err := s.CloseTicketBy(ctx, tk.ID, at, store.ClosedByAgent); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("closing twice: %v", err)
	}
	last, by, err := s.LastClosedTicketOfChat(ctx, 101)
	if err != nil || last.ID != tk.ID || by != store.ClosedByAgent || !last.ClosedAt.Equal(at) {
		t.Fatalf("LastClosedTicketOfChat: %+v %q %v", last, by, err)
	}
	if got, err := s.LastClosedTicket(ctx, 1, 101, "withdrawal:7"); err != nil || got.ID != tk.ID {
		t.Fatalf("LastClosedTicket: %+v %v", got, err)
	}
	if _, err := s.LastClosedTicket(ctx, 1, 101, "support"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another subject: %v", err)
	}
	for _, bad := range []int{0, 6} {
		if err := s.RateTicket(ctx, tk.ID, bad); err == nil {
			t.Fatalf("rating %d accepted", bad)
		}
	}
	if err := s.RateTicket(ctx, tk.ID, 4); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Ticket(ctx, tk.ID); got.Rating != 4 {
		t.Fatalf("rating %d, want 4", got.Rating)
	}

	if err := s.ReopenTicket(ctx, tk.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.Ticket(ctx, tk.ID)
	if err != nil || got.Status != store.TicketOpen || got.TopicID != 55 || !got.ClosedAt.IsZero() {
		t.Fatalf("reopened ticket %+v %v", got, err)
	}
	if open, _, err := s.OpenTicket(ctx, newTicket(1, 101, "withdrawal:7")); err != nil || open.ID != tk.ID {
		t.Fatalf("OpenTicket after reopening found %+v %v, want ticket %d", open, err, tk.ID)
	}
	if err := s.ReopenTicket(ctx, tk.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("reopening an open ticket: %v", err)
	}

	// Left by the customer, then a new ticket about the same subject: the
	// old one can no longer reopen.
	if err := s.CloseTicketBy(ctx, tk.ID, at.Add(time.Hour), store.ClosedByCustomer); err != nil {
		t.Fatal(err)
	}
	if _, by, _ := s.LastClosedTicketOfChat(ctx, 101); by != store.ClosedByCustomer {
		t.Fatalf("closed by %q, want customer", by)
	}
	if _, _, err := s.OpenTicket(ctx, newTicket(1, 101, "withdrawal:7")); err != nil {
		t.Fatal(err)
	}
	if err := s.ReopenTicket(ctx, tk.ID); !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("reopening next to an open ticket of the subject: %v, want ErrDuplicate", err)
	}

	if a, err := s.TicketAssignee(ctx, tk.ID); err != nil || a != (store.Assignee{}) {
		t.Fatalf("assignee before any: %+v %v", a, err)
	}
	want := store.Assignee{UserID: 9001, Name: "@anna"}
	if err := s.AssignTicket(ctx, tk.ID, want); err != nil {
		t.Fatal(err)
	}
	if a, err := s.TicketAssignee(ctx, tk.ID); err != nil || a != want {
		t.Fatalf("assignee %+v %v, want %+v", a, err, want)
	}
	if err := s.AssignTicket(ctx, 999999, want); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("assigning a missing ticket: %v", err)
	}
}

// testExchanges: a bounded per-chat log, oldest first.
func testExchanges(t *testing.T, s store.State) {
	ctx := t.Context()
	line := func(i int) store.Exchange {
		return store.Exchange{At: ticketTime.Add(time.Duration(i) * time.Minute), Bot: i%2 == 1, Kind: "text", Text: fmt.Sprint("line ", i)}
	}
	if got, err := s.Exchanges(ctx, 101, 10); err != nil || len(got) != 0 {
		t.Fatalf("empty chat: %v %v", got, err)
	}
	for i := 0; i < 7; i += 2 {
		if err := s.AddExchanges(ctx, 101, []store.Exchange{line(i), line(i + 1)}, 5); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddExchanges(ctx, 202, []store.Exchange{line(100)}, 5); err != nil {
		t.Fatal(err)
	}
	got, err := s.Exchanges(ctx, 101, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Exchange{line(3), line(4), line(5), line(6), line(7)}
	if !slices.EqualFunc(got, want, func(a, b store.Exchange) bool {
		return a.At.Equal(b.At) && a.Bot == b.Bot && a.Kind == b.Kind && a.Text == b.Text
	}) {
		t.Fatalf("kept %+v, want the newest five %+v", got, want)
	}
	if got, _ := s.Exchanges(ctx, 101, 2); len(got) != 2 || got[1].Text != "line 7" {
		t.Fatalf("limit 2: %+v", got)
	}
}

// testCommitUpdateExchanges: the lines an update adds to a conversation are
// committed with it, kept as AddExchanges keeps them, and left out with it
// when the commit fails.
func testCommitUpdateExchanges(t *testing.T, s store.State) {
	ctx := t.Context()
	line := func(text string) store.Exchange {
		return store.Exchange{At: ticketTime, Kind: "text", Text: text}
	}
	if err := s.AddExchanges(ctx, 303, []store.Exchange{line("before 1"), line("before 2")}, 3); err != nil {
		t.Fatal(err)
	}
	c := &store.UpdateCommit{UpdateID: 9100, At: ticketTime, Exchanges: []store.ExchangeLines{
		{ChatID: 303, Lines: []store.Exchange{line("pressed")}, Keep: 3},
		{ChatID: 303, Lines: []store.Exchange{{At: ticketTime, Bot: true, Kind: "text", Text: "answered"}}, Keep: 3},
		{ChatID: 404, Lines: []store.Exchange{line("other chat")}, Keep: 3},
	}}
	if first, err := s.CommitUpdate(ctx, c); err != nil || !first {
		t.Fatalf("CommitUpdate = %v, %v", first, err)
	}
	got, err := s.Exchanges(ctx, 303, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Text != "before 2" || got[1].Text != "pressed" || got[2].Text != "answered" || !got[2].Bot {
		t.Errorf("chat 303 kept %+v, want before 2, pressed, answered (bot)", got)
	}
	if got, _ := s.Exchanges(ctx, 404, 10); len(got) != 1 || got[0].Text != "other chat" {
		t.Errorf("chat 404 kept %+v", got)
	}

	// A duplicate of the update and a conflicting one add nothing.
	if _, err := s.CommitUpdate(ctx, c); err != nil {
		t.Fatal(err)
	}
	stale := &store.Session{ChatID: 303, UpdatedAt: ticketTime}
	if err := s.SaveSession(ctx, &store.Session{ChatID: 303, UpdatedAt: ticketTime}); err != nil {
		t.Fatal(err)
	}
	conflict := &store.UpdateCommit{UpdateID: 9101, At: ticketTime, Sessions: []*store.Session{stale},
		Exchanges: []store.ExchangeLines{{ChatID: 303, Lines: []store.Exchange{line("lost")}, Keep: 3}}}
	if _, err := s.CommitUpdate(ctx, conflict); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("conflicting CommitUpdate: %v, want ErrConflict", err)
	}
	if got, _ := s.Exchanges(ctx, 303, 10); len(got) != 3 || got[2].Text != "answered" {
		t.Errorf("after a duplicate and a conflict chat 303 has %+v, want it unchanged", got)
	}
}

// testSupportQueue: open tickets oldest first, closed ones left out, and
// who wrote last.
func testSupportQueue(t *testing.T, s store.State) {
	ctx := t.Context()
	var ids []int64
	for i, subject := range []string{"support", "withdrawal:1", "transfer:2"} {
		tk := newTicket(1, 101, subject)
		tk.CreatedAt = ticketTime.Add(time.Duration(i) * time.Minute)
		got, _, err := s.OpenTicket(ctx, tk)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, got.ID)
	}
	if err := s.CloseTicketBy(ctx, ids[1], ticketTime.Add(time.Hour), store.ClosedByAgent); err != nil {
		t.Fatal(err)
	}
	list, err := s.OpenTickets(ctx, 10)
	if err != nil || len(list) != 2 || list[0].ID != ids[0] || list[1].ID != ids[2] {
		t.Fatalf("OpenTickets = %+v, %v; want tickets %d and %d", list, err, ids[0], ids[2])
	}
	if list, err := s.OpenTickets(ctx, 1); err != nil || len(list) != 1 || list[0].ID != ids[0] {
		t.Fatalf("OpenTickets(limit 1) = %+v, %v", list, err)
	}
	at := ticketTime.Add(2 * time.Hour)
	if err := s.TicketActivity(ctx, ids[0], at, true); err != nil {
		t.Fatal(err)
	}
	if err := s.TicketActivity(ctx, ids[0], at.Add(-time.Minute), true); err != nil { // late and older: the newer is kept
		t.Fatal(err)
	}
	if err := s.TicketActivity(ctx, ids[0], at.Add(time.Minute), false); err != nil {
		t.Fatal(err)
	}
	got, err := s.Ticket(ctx, ids[0])
	if err != nil || !got.LastCustomerAt.Equal(at) || !got.LastAgentAt.Equal(at.Add(time.Minute)) {
		t.Fatalf("after activity: %+v %v", got, err)
	}
	if err := s.TicketActivity(ctx, 999999, at, true); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("activity of a missing ticket: %v", err)
	}
}

// testSupportRelayedCopies: the copy of an agent's answer is found by the
// answer, per chat; a new copy of the same answer replaces it.
func testSupportRelayedCopies(t *testing.T, s store.State) {
	ctx := t.Context()
	const group = int64(-100111)
	if _, _, err := s.RelayedCopy(ctx, group, 5); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown copy: %v", err)
	}
	if err := s.SetRelayedCopy(ctx, group, 5, 101, 900, ticketTime); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRelayedCopy(ctx, -100222, 5, 102, 901, ticketTime); err != nil {
		t.Fatal(err)
	}
	if chat, msg, err := s.RelayedCopy(ctx, group, 5); err != nil || chat != 101 || msg != 900 {
		t.Fatalf("RelayedCopy = %d/%d %v, want 101/900", chat, msg, err)
	}
	if err := s.SetRelayedCopy(ctx, group, 5, 101, 902, ticketTime.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if chat, msg, err := s.RelayedCopy(ctx, group, 5); err != nil || chat != 101 || msg != 902 {
		t.Fatalf("RelayedCopy after a new copy = %d/%d %v, want 101/902", chat, msg, err)
	}
}

// testSupportAgents: who wrote in a group under a username, found without
// case, per group, the latest user winning; first names may hold colons.
func testSupportAgents(t *testing.T, s store.State) {
	ctx := t.Context()
	const group, other = int64(-100111), int64(-100222)
	if _, err := s.AgentByUsername(ctx, group, "olga_k"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown agent: %v", err)
	}
	olga := store.Agent{UserID: 501, Username: "Olga_K", FirstName: "Ольга: смена 2"}
	if err := s.RememberAgent(ctx, group, olga); err != nil {
		t.Fatal(err)
	}
	if err := s.RememberAgent(ctx, other, store.Agent{UserID: 777, Username: "olga_k", FirstName: "Another Olga"}); err != nil {
		t.Fatal(err)
	}
	if a, err := s.AgentByUsername(ctx, group, "OLGA_k"); err != nil || a != olga {
		t.Fatalf("AgentByUsername = %+v %v, want %+v", a, err, olga)
	}
	moved := store.Agent{UserID: 502, Username: "olga_k", FirstName: "Olga"}
	if err := s.RememberAgent(ctx, group, moved); err != nil {
		t.Fatal(err)
	}
	if a, err := s.AgentByUsername(ctx, group, "Olga_K"); err != nil || a != moved {
		t.Fatalf("AgentByUsername after the username moved = %+v %v, want %+v", a, err, moved)
	}
	if a, err := s.AgentByUsername(ctx, other, "olga_k"); err != nil || a.UserID != 777 {
		t.Fatalf("the other group's agent = %+v %v, want 777", a, err)
	}
}
