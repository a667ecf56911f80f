package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"paydesk/store"
)

func scanSession(row scanner) (store.Session, error) {
	var (
		s       store.Session
		data    string
		updated sql.NullInt64
	)
	if err := row.Scan(&s.ChatID, &s.CustomerID, &s.Language, &s.ClientLanguage, &s.Flow, &s.Step, &data, &s.Version, &updated); err != nil {
		return s, err
	}
	if err := json.Unmarshal([]byte(data), &s.Data); err != nil {
		return s, fmt.Errorf("decode data: %w", err)
	}
	if len(s.Data) == 0 {
		s.Data = nil // the same as a fresh session
	}
	s.UpdatedAt = fromNanos(updated)
	return s, nil
}

// Session returns the chat's session, or a fresh one (Version 0) when the
// chat has none.
func (db *DB) Session(ctx context.Context, chatID int64) (store.Session, error) {
	s, err := queryOne(ctx, db.rd, scanSession, `SELECT chat_id, customer_id, language, client_language, flow, step, data, version, updated_at
		FROM sessions WHERE chat_id = ?`, chatID)
	if errors.Is(err, store.ErrNotFound) {
		return store.Session{ChatID: chatID}, nil
	}
	if err != nil {
		return s, fmt.Errorf("load session %d: %w", chatID, err)
	}
	return s, nil
}

// SaveSession stores s if the stored version still is s.Version (0: no
// session stored yet) and then increments s.Version; otherwise it returns
// store.ErrConflict and leaves s alone. The check and the write are one
// statement, so two racing saves from the same version cannot both win.
func (db *DB) SaveSession(ctx context.Context, s *store.Session) error {
	saved := *s // s itself changes only once the save is committed
	if err := db.write(ctx, func(q querier) error { return saveSession(ctx, q, &saved) }); err != nil {
		return err
	}
	s.Version = saved.Version
	return nil
}

// saveSession is SaveSession on q, so CommitUpdate can save sessions inside
// its own transaction.
func saveSession(ctx context.Context, q querier, s *store.Session) error {
	if s.Version < 0 {
		return fmt.Errorf("save session %d: negative version %d", s.ChatID, s.Version)
	}
	data := []byte("{}")
	if len(s.Data) > 0 {
		var err error
		if data, err = json.Marshal(s.Data); err != nil {
			return fmt.Errorf("save session %d: encode data: %w", s.ChatID, err)
		}
	}
	args := []any{s.CustomerID, s.Language, s.ClientLanguage, s.Flow, s.Step, string(data), nanos(s.UpdatedAt), s.ChatID, s.Version}
	query := `UPDATE sessions
		SET customer_id = ?, language = ?, client_language = ?, flow = ?, step = ?, data = ?, updated_at = ?, version = version + 1
		WHERE chat_id = ? AND version = ?`
	if s.Version == 0 {
		query = `INSERT INTO sessions (customer_id, language, client_language, flow, step, data, updated_at, chat_id, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ? + 1)
			ON CONFLICT (chat_id) DO NOTHING`
	}
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("save session %d: %w", s.ChatID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("save session %d: %w", s.ChatID, err)
	}
	if n == 0 {
		return fmt.Errorf("save session %d at version %d: %w", s.ChatID, s.Version, store.ErrConflict)
	}
	s.Version++
	return nil
}

// ChatsOf lists the chats linked to the customer, most recently updated
// first (ties: the higher chat id first, so the order is stable).
func (db *DB) ChatsOf(ctx context.Context, id store.CustomerID) ([]int64, error) {
	chats, err := queryAll(ctx, db.rd, scanInt64, `SELECT chat_id FROM sessions
		WHERE customer_id = ? AND customer_id <> 0
		ORDER BY updated_at DESC, chat_id DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("list chats of customer %d: %w", id, err)
	}
	return chats, nil
}

func scanInt64(row scanner) (int64, error) {
	var v int64
	err := row.Scan(&v)
	return v, err
}
