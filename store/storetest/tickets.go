package storetest

import (
	"errors"
	"testing"
	"time"

	"paydesk/store"
)

var ticketTime = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newTicket(customer store.CustomerID, chat int64, subject string) store.Ticket {
	return store.Ticket{CustomerID: customer, ChatID: chat, Subject: subject, Reason: "withdrawal.stuck",
		Status: store.TicketOpen, Language: "ru", CreatedAt: ticketTime}
}

func testTickets(t *testing.T, s store.State) {
	ctx := t.Context()
	first, created, err := s.OpenTicket(ctx, newTicket(1, 101, "withdrawal:7"))
	if err != nil || !created || first.ID == 0 {
		t.Fatalf("first OpenTicket: %+v created=%v err=%v", first, created, err)
	}
	again, created, err := s.OpenTicket(ctx, newTicket(1, 101, "withdrawal:7"))
	if err != nil || created || again.ID != first.ID {
		t.Fatalf("second OpenTicket for the same subject: %+v created=%v err=%v, want ticket %d again", again, created, err, first.ID)
	}
	other, created, err := s.OpenTicket(ctx, newTicket(1, 101, "support"))
	if err != nil || !created || other.ID == first.ID {
		t.Fatalf("another subject: %+v created=%v err=%v", other, created, err)
	}
	got, err := s.Ticket(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Subject != "withdrawal:7" || got.CustomerID != 1 || got.ChatID != 101 || got.Status != store.TicketOpen ||
		got.Reason != "withdrawal.stuck" || got.Language != "ru" || !got.CreatedAt.Equal(ticketTime) {
		t.Fatalf("stored ticket %+v", got)
	}
	if _, err := s.Ticket(ctx, 999999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing ticket: %v", err)
	}
	ofChat, err := s.OpenTicketOfChat(ctx, 101)
	if err != nil || ofChat.ID != other.ID {
		t.Fatalf("OpenTicketOfChat: %+v %v, want the newest open ticket %d", ofChat, err, other.ID)
	}
	if _, err := s.OpenTicketOfChat(ctx, 202); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("chat without tickets: %v", err)
	}

	closedAt := ticketTime.Add(time.Hour)
	if err := s.CloseTicket(ctx, first.ID, closedAt); err != nil {
		t.Fatal(err)
	}
	if err := s.CloseTicket(ctx, first.ID, closedAt); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("closing twice: %v", err)
	}
	got, _ = s.Ticket(ctx, first.ID)
	if got.Status != store.TicketClosed || !got.ClosedAt.Equal(closedAt) {
		t.Fatalf("closed ticket %+v", got)
	}
	reopened, created, err := s.OpenTicket(ctx, newTicket(1, 101, "withdrawal:7"))
	if err != nil || !created || reopened.ID == first.ID {
		t.Fatalf("after closing, a new ticket: %+v created=%v err=%v", reopened, created, err)
	}
}

// testTicketRace: a double tap on two replicas opens one ticket.
func testTicketRace(t *testing.T, s store.State) {
	createdOnce(t, "ticket opens", 8, func(int) (int64, bool, error) {
		tk, created, err := s.OpenTicket(t.Context(), newTicket(2, 102, "support"))
		return tk.ID, created, err
	})
}
