package sqlite

import (
	"context"
	"fmt"
	"time"

	"paydesk/store"
)

// UpdateHandled reports whether the update is marked as handled.
func (db *DB) UpdateHandled(ctx context.Context, updateID int64) (bool, error) {
	handled, err := db.exists(ctx, `SELECT 1 FROM processed_updates WHERE update_id = ?`, updateID)
	if err != nil {
		return false, fmt.Errorf("check update %d: %w", updateID, err)
	}
	return handled, nil
}

// exists reports whether query finds a row.
func (db *DB) exists(ctx context.Context, query string, args ...any) (bool, error) {
	var found bool
	err := db.rd.QueryRowContext(ctx, `SELECT EXISTS (`+query+`)`, args...).Scan(&found)
	return found, err
}

// CommitUpdate marks the update, saves the sessions, stores the deliveries
// and adds the exchanges in one write (a savepoint of the writer's group). The mark comes first, so of two
// racing commits of one update the second finds it and changes nothing.
func (db *DB) CommitUpdate(ctx context.Context, c *store.UpdateCommit) (bool, error) {
	first := true
	ids := make([]int64, len(c.Deliveries)) // 0: dropped, its Key was committed before
	versions := make([]int64, len(c.Sessions))
	err := db.write(ctx, func(tx querier) error {
		if c.UpdateID != 0 {
			res, err := tx.ExecContext(ctx, `INSERT INTO processed_updates (update_id, at) VALUES (?, ?)
				ON CONFLICT (update_id) DO NOTHING`, c.UpdateID, nanos(c.At))
			if err != nil {
				return fmt.Errorf("mark: %w", err)
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				first = false
				return err
			}
		}
		if c.FromChat != 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM blocked_chats WHERE chat_id = ?`, c.FromChat); err != nil {
				return fmt.Errorf("unblock chat %d: %w", c.FromChat, err)
			}
		}
		for i, s := range c.Sessions {
			saved := *s // s itself changes only if the whole commit does
			if err := saveSession(ctx, tx, &saved); err != nil {
				return err
			}
			versions[i] = saved.Version
		}
		for i, d := range c.Deliveries {
			fresh, err := recordKeys(ctx, tx, d.Key, c.At)
			if err != nil {
				return fmt.Errorf("key delivery %q: %w", d.Key, err)
			}
			if !fresh {
				continue // owed and stored before
			}
			id, err := insert(ctx, tx, `INSERT INTO deliveries (chat_id, proactive, method, message_id, text, markup, from_chat_id, ticket_id, lease_until)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.ChatID, d.Proactive, d.Method, d.MessageID, d.Text, d.Markup, d.FromChatID, d.TicketID, c.LeaseUntil.UnixNano())
			if err != nil {
				return fmt.Errorf("store delivery to chat %d: %w", d.ChatID, err)
			}
			ids[i] = id
		}
		for _, x := range c.Exchanges {
			if len(x.Lines) == 0 {
				continue
			}
			if err := addExchanges(ctx, tx, x.ChatID, x.Lines, x.Keep); err != nil {
				return fmt.Errorf("add exchanges of chat %d: %w", x.ChatID, err)
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("commit update %d: %w", c.UpdateID, err)
	}
	if !first {
		return false, nil
	}
	stored := c.Deliveries[:0]
	for i, d := range c.Deliveries {
		if ids[i] != 0 {
			d.ID = ids[i]
			stored = append(stored, d)
		}
	}
	c.Deliveries = stored
	for i, s := range c.Sessions {
		s.Version = versions[i]
	}
	return true, nil
}

// recordKeys records the keys a delivery's Key is made of, unless one of
// them was recorded before; fresh reports whether the delivery is to be
// stored (an unkeyed one always is).
func recordKeys(ctx context.Context, tx querier, key string, at time.Time) (fresh bool, err error) {
	parts := store.KeyParts(key)
	if len(parts) > 1 { // all or none: look before recording any
		for _, k := range parts {
			var seen bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM delivery_keys WHERE key = ?)`, k).Scan(&seen); err != nil || seen {
				return false, err
			}
		}
	}
	for _, k := range parts {
		res, err := tx.ExecContext(ctx, `INSERT INTO delivery_keys (key, at) VALUES (?, ?)
			ON CONFLICT (key) DO NOTHING`, k, nanos(at))
		if err != nil {
			return false, err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return false, err // one key: it was committed before
		}
	}
	return true, nil
}

// DeliveryKeyed reports whether a delivery keyed key was committed.
func (db *DB) DeliveryKeyed(ctx context.Context, key string) (bool, error) {
	seen, err := db.exists(ctx, `SELECT 1 FROM delivery_keys WHERE key = ?`, key)
	if err != nil {
		return false, fmt.Errorf("check delivery key %q: %w", key, err)
	}
	return seen, nil
}

func scanDelivery(row scanner) (store.Delivery, error) {
	var d store.Delivery
	err := row.Scan(&d.ID, &d.ChatID, &d.Proactive, &d.Method, &d.MessageID, &d.Text, &d.Markup, &d.FromChatID, &d.TicketID)
	return d, err
}

// ClaimDeliveries leases the oldest deliveries whose lease ran out.
func (db *DB) ClaimDeliveries(ctx context.Context, now, until time.Time, limit int) ([]store.Delivery, error) {
	var list []store.Delivery
	err := db.write(ctx, func(tx querier) error {
		var err error
		list, err = queryAll(ctx, tx, scanDelivery, `SELECT id, chat_id, proactive, method, message_id, text, markup, from_chat_id, ticket_id
			FROM deliveries WHERE lease_until <= ? ORDER BY id LIMIT ?`, now.UnixNano(), limit)
		if err != nil {
			return err
		}
		for _, d := range list {
			if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET lease_until = ? WHERE id = ?`, until.UnixNano(), d.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	return list, nil
}

// DeleteDelivery forgets a delivery.
func (db *DB) DeleteDelivery(ctx context.Context, id int64) error {
	if _, err := db.exec(ctx, `DELETE FROM deliveries WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete delivery %d: %w", id, err)
	}
	return nil
}

// BlockChat records that the chat's user blocked the bot.
func (db *DB) BlockChat(ctx context.Context, chatID int64, at time.Time) error {
	_, err := db.exec(ctx, `INSERT INTO blocked_chats (chat_id, at) VALUES (?, ?)
		ON CONFLICT (chat_id) DO UPDATE SET at = excluded.at`, chatID, at.UnixNano())
	if err != nil {
		return fmt.Errorf("block chat %d: %w", chatID, err)
	}
	return nil
}

// ChatBlocked reports whether the chat's user blocked the bot and has not
// written since.
func (db *DB) ChatBlocked(ctx context.Context, chatID int64) (bool, error) {
	blocked, err := db.exists(ctx, `SELECT 1 FROM blocked_chats WHERE chat_id = ?`, chatID)
	if err != nil {
		return false, fmt.Errorf("check chat %d blocked: %w", chatID, err)
	}
	return blocked, nil
}
