package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"paydesk/store"
)

// SetTicketTopic records a ticket's forum topic unless it has one already,
// and returns the topic the ticket ends up with.
func (db *DB) SetTicketTopic(ctx context.Context, id, chatID, topicID int64) (int64, int64, error) {
	var gotChat, got int64
	err := db.write(ctx, func(tx querier) error {
		if _, err := tx.ExecContext(ctx, `UPDATE tickets SET topic_id = ?, topic_chat = ? WHERE id = ? AND topic_id = 0`, topicID, chatID, id); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT topic_chat, topic_id FROM tickets WHERE id = ?`, id).Scan(&gotChat, &got)
	})
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return 0, 0, fmt.Errorf("set topic %d/%d of ticket %d: %w", chatID, topicID, id, err)
	}
	return gotChat, got, nil
}

// TicketByTopic finds the ticket of a forum topic of a support group.
func (db *DB) TicketByTopic(ctx context.Context, chatID, topicID int64) (store.Ticket, error) {
	if topicID == 0 {
		return store.Ticket{}, fmt.Errorf("ticket of topic 0: %w", store.ErrNotFound)
	}
	t, err := queryOne(ctx, db.rd, scanTicket, `SELECT `+ticketColumns+` FROM tickets WHERE topic_chat = ? AND topic_id = ?`, chatID, topicID)
	if err != nil {
		return t, fmt.Errorf("ticket of topic %d/%d: %w", chatID, topicID, err)
	}
	return t, nil
}

// CloseTicketBy closes an open ticket, recording who closed it.
func (db *DB) CloseTicketBy(ctx context.Context, id int64, at time.Time, by store.TicketCloser) error {
	res, err := db.exec(ctx, `UPDATE tickets SET status = 'closed', closed_at = ?, closed_by = ?
		WHERE id = ? AND status = 'open'`, nanos(at), string(by), id)
	return affectedOne(res, err, "close ticket %d by %s", id, by)
}

// LastClosedTicketOfChat is the chat's most recently closed ticket.
func (db *DB) LastClosedTicketOfChat(ctx context.Context, chatID int64) (store.Ticket, store.TicketCloser, error) {
	type row struct {
		t  store.Ticket
		by store.TicketCloser
	}
	r, err := queryOne(ctx, db.rd, func(s scanner) (row, error) {
		var r row
		t, err := scanTicket(withExtra{s, &r.by})
		r.t = t
		return r, err
	}, `SELECT `+ticketColumns+`, closed_by FROM tickets
		WHERE chat_id = ? AND status = 'closed' ORDER BY closed_at DESC, id DESC LIMIT 1`, chatID)
	if err != nil {
		return store.Ticket{}, "", fmt.Errorf("last closed ticket of chat %d: %w", chatID, err)
	}
	return r.t, r.by, nil
}

// withExtra scans a ticket row followed by one more column.
type withExtra struct {
	s     scanner
	extra any
}

func (w withExtra) Scan(dest ...any) error { return w.s.Scan(append(dest, w.extra)...) }

// LastClosedTicket is the most recently closed ticket of a customer about
// subject; an unlinked chat counts as its own customer, as in OpenTicket.
func (db *DB) LastClosedTicket(ctx context.Context, customer store.CustomerID, chatID int64, subject string) (store.Ticket, error) {
	t, err := queryOne(ctx, db.rd, scanTicket, `SELECT `+ticketColumns+` FROM tickets
		WHERE coalesce(customer_id, -chat_id) = coalesce(?, -?) AND subject = ? AND status = 'closed'
		ORDER BY closed_at DESC, id DESC LIMIT 1`, nullID(int64(customer)), chatID, subject)
	if err != nil {
		return t, fmt.Errorf("last closed ticket %q of customer %d: %w", subject, customer, err)
	}
	return t, nil
}

// ReopenTicket opens a closed ticket again; the unique index on open
// tickets refuses it when another ticket about the subject is open.
func (db *DB) ReopenTicket(ctx context.Context, id int64) error {
	res, err := db.exec(ctx, `UPDATE tickets SET status = 'open', closed_at = NULL, closed_by = ''
		WHERE id = ? AND status = 'closed'`, id)
	if isUnique(err) {
		return fmt.Errorf("reopen ticket %d: %w: %w", id, store.ErrDuplicate, err)
	}
	return affectedOne(res, err, "reopen ticket %d", id)
}

// RateTicket stores the rating of a closed ticket.
func (db *DB) RateTicket(ctx context.Context, id int64, rating int) error {
	if rating < 1 || rating > 5 {
		return fmt.Errorf("rate ticket %d: rating %d is not 1..5", id, rating)
	}
	res, err := db.exec(ctx, `UPDATE tickets SET rating = ? WHERE id = ? AND status = 'closed'`, rating, id)
	return affectedOne(res, err, "rate ticket %d", id)
}

// OpenTickets lists the open tickets, oldest first.
func (db *DB) OpenTickets(ctx context.Context, limit int) ([]store.Ticket, error) {
	list, err := queryAll(ctx, db.rd, scanTicket, `SELECT `+ticketColumns+` FROM tickets
		WHERE status = 'open' ORDER BY created_at, id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("open tickets: %w", err)
	}
	return list, nil
}

// TicketActivity records when the customer or an agent last wrote.
func (db *DB) TicketActivity(ctx context.Context, id int64, at time.Time, byCustomer bool) error {
	column := "last_agent_at"
	if byCustomer {
		column = "last_customer_at"
	}
	res, err := db.exec(ctx, `UPDATE tickets SET `+column+` = max(coalesce(`+column+`, 0), ?) WHERE id = ?`, at.UnixNano(), id)
	return affectedOne(res, err, "activity of ticket %d", id)
}

// relayedCopyKept is how long a copy's mapping is kept: Telegram lets a
// bot edit its messages for 48 hours.
const relayedCopyKept = 48 * time.Hour

// SetRelayedCopy records the copy of a message and drops mappings too old
// to edit.
func (db *DB) SetRelayedCopy(ctx context.Context, fromChat int64, fromMsg int, toChat int64, toMsg int, at time.Time) error {
	err := db.write(ctx, func(tx querier) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO relayed_copies (from_chat, from_msg, to_chat, to_msg, at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (from_chat, from_msg) DO UPDATE SET to_chat = excluded.to_chat, to_msg = excluded.to_msg, at = excluded.at`,
			fromChat, fromMsg, toChat, toMsg, at.UnixNano()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM relayed_copies WHERE at < ?`, at.Add(-relayedCopyKept).UnixNano())
		return err
	})
	if err != nil {
		return fmt.Errorf("record copy of message %d/%d: %w", fromChat, fromMsg, err)
	}
	return nil
}

// RelayedCopy finds the copy of a message.
func (db *DB) RelayedCopy(ctx context.Context, fromChat int64, fromMsg int) (int64, int, error) {
	type copyOf struct {
		chat int64
		msg  int
	}
	c, err := queryOne(ctx, db.rd, func(s scanner) (copyOf, error) {
		var c copyOf
		return c, s.Scan(&c.chat, &c.msg)
	}, `SELECT to_chat, to_msg FROM relayed_copies WHERE from_chat = ? AND from_msg = ?`, fromChat, fromMsg)
	if err != nil {
		return 0, 0, fmt.Errorf("copy of message %d/%d: %w", fromChat, fromMsg, err)
	}
	return c.chat, c.msg, nil
}

// AssignTicket records who has the ticket.
func (db *DB) AssignTicket(ctx context.Context, id int64, a store.Assignee) error {
	res, err := db.exec(ctx, `UPDATE tickets SET assignee_id = ?, assignee_name = ? WHERE id = ?`, a.UserID, a.Name, id)
	return affectedOne(res, err, "assign ticket %d", id)
}

// TicketAssignee is who has the ticket.
func (db *DB) TicketAssignee(ctx context.Context, id int64) (store.Assignee, error) {
	a, err := queryOne(ctx, db.rd, func(s scanner) (store.Assignee, error) {
		var a store.Assignee
		return a, s.Scan(&a.UserID, &a.Name)
	}, `SELECT assignee_id, assignee_name FROM tickets WHERE id = ?`, id)
	if err != nil {
		return a, fmt.Errorf("assignee of ticket %d: %w", id, err)
	}
	return a, nil
}

// AddExchanges appends lines to a chat's conversation and drops all but the
// newest keep, in one transaction.
func (db *DB) AddExchanges(ctx context.Context, chatID int64, lines []store.Exchange, keep int) error {
	if len(lines) == 0 {
		return nil
	}
	if err := db.write(ctx, func(tx querier) error { return addExchanges(ctx, tx, chatID, lines, keep) }); err != nil {
		return fmt.Errorf("add %d exchanges of chat %d: %w", len(lines), chatID, err)
	}
	return nil
}

// addExchanges is AddExchanges on q, so CommitUpdate can add an update's
// lines in its own transaction.
func addExchanges(ctx context.Context, tx querier, chatID int64, lines []store.Exchange, keep int) error {
	var next int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) + 1 FROM exchanges WHERE chat_id = ?`, chatID).Scan(&next); err != nil {
		return err
	}
	for i, l := range lines {
		bot := 0
		if l.Bot {
			bot = 1
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO exchanges (chat_id, seq, at, bot, kind, text) VALUES (?, ?, ?, ?, ?, ?)`,
			chatID, next+int64(i), nanos(l.At), bot, l.Kind, l.Text); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM exchanges WHERE chat_id = ? AND seq <= ?`, chatID, next+int64(len(lines))-1-int64(keep))
	return err
}

// Exchanges returns a chat's newest lines, oldest first.
func (db *DB) Exchanges(ctx context.Context, chatID int64, limit int) ([]store.Exchange, error) {
	list, err := queryAll(ctx, db.rd, func(s scanner) (store.Exchange, error) {
		var (
			e  store.Exchange
			at sql.NullInt64
		)
		err := s.Scan(&at, &e.Bot, &e.Kind, &e.Text)
		e.At = fromNanos(at)
		return e, err
	}, `SELECT at, bot, kind, text FROM (
			SELECT seq, at, bot, kind, text FROM exchanges WHERE chat_id = ? ORDER BY seq DESC LIMIT ?
		) ORDER BY seq`, chatID, limit)
	if err != nil {
		return nil, fmt.Errorf("exchanges of chat %d: %w", chatID, err)
	}
	return list, nil
}

// affectedOne turns an UPDATE that touched no row into store.ErrNotFound.
func affectedOne(res sql.Result, err error, format string, args ...any) error {
	if err != nil {
		return fmt.Errorf(format+": %w", append(args, err)...)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf(format+": %w", append(args, store.ErrNotFound)...)
	}
	return nil
}

// RememberAgent records who wrote in a support group under a username.
func (db *DB) RememberAgent(ctx context.Context, chatID int64, a store.Agent) error {
	_, err := db.exec(ctx, `INSERT INTO agent_usernames (group_id, username, user_id, shown_username, first_name) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (group_id, username) DO UPDATE SET user_id = excluded.user_id,
			shown_username = excluded.shown_username, first_name = excluded.first_name`,
		chatID, strings.ToLower(a.Username), a.UserID, a.Username, a.FirstName)
	if err != nil {
		return fmt.Errorf("remember agent @%s of group %d: %w", a.Username, chatID, err)
	}
	return nil
}

// AgentByUsername is who last wrote in a support group under username.
func (db *DB) AgentByUsername(ctx context.Context, chatID int64, username string) (store.Agent, error) {
	var a store.Agent
	err := db.rd.QueryRowContext(ctx, `SELECT user_id, shown_username, first_name FROM agent_usernames WHERE group_id = ? AND username = ?`,
		chatID, strings.ToLower(username)).Scan(&a.UserID, &a.Username, &a.FirstName)
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return a, fmt.Errorf("agent @%s of group %d: %w", username, chatID, err)
	}
	return a, nil
}
