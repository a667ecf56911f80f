package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"paydesk/store"
)

const ticketColumns = `id, coalesce(customer_id, 0), chat_id, subject, reason, status, topic_id, topic_chat, language, created_at, closed_at, rating, last_customer_at, last_agent_at`

func scanTicket(row scanner) (store.Ticket, error) {
	var (
		t                                store.Ticket
		created, closed, byCust, byAgent sql.NullInt64
	)
	err := row.Scan(&t.ID, &t.CustomerID, &t.ChatID, &t.Subject, &t.Reason, &t.Status, &t.TopicID, &t.TopicChat, &t.Language, &created, &closed, &t.Rating, &byCust, &byAgent)
	t.CreatedAt, t.ClosedAt = fromNanos(created), fromNanos(closed)
	t.LastCustomerAt, t.LastAgentAt = fromNanos(byCust), fromNanos(byAgent)
	return t, err
}

// OpenTicket returns the open ticket of t's customer for t.Subject, creating
// it when there is none. The partial unique index tickets_one_open decides
// races: the loser of two concurrent inserts reads the winner's ticket.
func (db *DB) OpenTicket(ctx context.Context, t store.Ticket) (store.Ticket, bool, error) {
	var (
		out     store.Ticket
		created bool
	)
	err := db.write(ctx, func(tx querier) error {
		existing, err := queryOne(ctx, tx, scanTicket, `SELECT `+ticketColumns+` FROM tickets
			WHERE coalesce(customer_id, -chat_id) = coalesce(?, -?) AND subject = ? AND status = 'open'`,
			nullID(int64(t.CustomerID)), t.ChatID, t.Subject)
		if err == nil {
			out = existing
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		id, err := insert(ctx, tx, `INSERT INTO tickets (customer_id, chat_id, subject, reason, status, topic_id, topic_chat, language, created_at)
			VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?)`,
			nullID(int64(t.CustomerID)), t.ChatID, t.Subject, t.Reason, t.TopicID, t.TopicChat, t.Language, nanos(t.CreatedAt))
		if err != nil {
			return err
		}
		out, created = t, true
		out.ID, out.Status = id, store.TicketOpen
		return nil
	})
	if err != nil {
		return store.Ticket{}, false, fmt.Errorf("open ticket %q for customer %d: %w", t.Subject, t.CustomerID, err)
	}
	return out, created, nil
}

// Ticket returns a ticket by id.
func (db *DB) Ticket(ctx context.Context, id int64) (store.Ticket, error) {
	t, err := queryOne(ctx, db.rd, scanTicket, `SELECT `+ticketColumns+` FROM tickets WHERE id = ?`, id)
	if err != nil {
		return t, fmt.Errorf("load ticket %d: %w", id, err)
	}
	return t, nil
}

// OpenTicketOfChat returns the newest open ticket of a customer's chat.
func (db *DB) OpenTicketOfChat(ctx context.Context, chatID int64) (store.Ticket, error) {
	t, err := queryOne(ctx, db.rd, scanTicket, `SELECT `+ticketColumns+` FROM tickets
		WHERE chat_id = ? AND status = 'open' ORDER BY created_at DESC, id DESC LIMIT 1`, chatID)
	if err != nil {
		return t, fmt.Errorf("open ticket of chat %d: %w", chatID, err)
	}
	return t, nil
}

// CloseTicket closes an open ticket; closing a closed or missing one is
// store.ErrNotFound.
func (db *DB) CloseTicket(ctx context.Context, id int64, at time.Time) error {
	res, err := db.exec(ctx, `UPDATE tickets SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'`, nanos(at), id)
	if err != nil {
		return fmt.Errorf("close ticket %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("close ticket %d: %w", id, store.ErrNotFound)
	}
	return nil
}
