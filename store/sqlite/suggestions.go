package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"paydesk/store"
)

// AddSuggestion stores a tester's suggestion once per key: a second add
// with the key reads the stored one back instead.
func (db *DB) AddSuggestion(ctx context.Context, s *store.Suggestion) (bool, error) {
	ids, err := json.Marshal(s.MessageIDs)
	if err != nil {
		return false, fmt.Errorf("add suggestion %q: encode message ids: %w", s.Key, err)
	}
	var (
		out   = *s
		first bool
	)
	err = db.write(ctx, func(tx querier) error {
		out, first = *s, false // fn starts afresh each time the writer runs it
		stored, err := queryOne(ctx, tx, scanSuggestion, selectSuggestions+` WHERE key = ?`, s.Key)
		if err == nil {
			out = stored
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		id, err := insert(ctx, tx, `INSERT INTO suggestions (key, message_ids, lang, seen, text, user_id, chat_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.Key, string(ids), s.Lang, s.Seen, s.Text, s.UserID, s.ChatID, nanos(s.CreatedAt))
		if err != nil {
			return err
		}
		out.ID, first = id, true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("add suggestion %q: %w", s.Key, err)
	}
	*s = out
	return first, nil
}

// Suggestions lists every suggestion, oldest first.
func (db *DB) Suggestions(ctx context.Context) ([]store.Suggestion, error) {
	list, err := queryAll(ctx, db.rd, scanSuggestion, selectSuggestions+` ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list suggestions: %w", err)
	}
	return list, nil
}

const selectSuggestions = `SELECT id, key, message_ids, lang, seen, text, user_id, chat_id, created_at FROM suggestions`

func scanSuggestion(row scanner) (store.Suggestion, error) {
	var (
		s       store.Suggestion
		ids     string
		created sql.NullInt64
	)
	if err := row.Scan(&s.ID, &s.Key, &ids, &s.Lang, &s.Seen, &s.Text, &s.UserID, &s.ChatID, &created); err != nil {
		return s, err
	}
	if err := json.Unmarshal([]byte(ids), &s.MessageIDs); err != nil {
		return s, fmt.Errorf("decode message ids of suggestion %d: %w", s.ID, err)
	}
	s.CreatedAt = fromNanos(created)
	return s, nil
}
