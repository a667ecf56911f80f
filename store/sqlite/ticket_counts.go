package sqlite

import (
	"context"
	"fmt"
)

// OpenTicketsByLanguage counts the open support tickets per language (the
// tickets_open metric). The partial index tickets_one_open covers exactly
// the open tickets, so this stays cheap however many were ever closed.
func (db *DB) OpenTicketsByLanguage(ctx context.Context) (map[string]int, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT language, count(*) FROM tickets WHERE status = 'open' GROUP BY language`)
	if err != nil {
		return nil, fmt.Errorf("count open tickets: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var lang string
		var n int
		if err := rows.Scan(&lang, &n); err != nil {
			return nil, fmt.Errorf("count open tickets: %w", err)
		}
		out[lang] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count open tickets: %w", err)
	}
	return out, nil
}
