package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"paydesk/store"
)

// scanner is a *sql.Row or *sql.Rows, so one scan function serves both a
// lookup by id and a list.
type scanner interface {
	Scan(dest ...any) error
}

// queryOne runs a query for at most one row and scans it; no row is
// store.ErrNotFound.
func queryOne[T any](ctx context.Context, q querier, scan func(scanner) (T, error), query string, args ...any) (T, error) {
	v, err := scan(q.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return v, store.ErrNotFound
	}
	return v, err
}

// queryAll runs a query and scans every row.
func queryAll[T any](ctx context.Context, q querier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return list, nil
}

// insert runs an INSERT and returns the new row's id; a UNIQUE or PRIMARY
// KEY violation is store.ErrDuplicate.
func insert(ctx context.Context, q querier, query string, args ...any) (int64, error) {
	res, err := q.ExecContext(ctx, query, args...)
	if isUnique(err) {
		return 0, fmt.Errorf("%w: %w", store.ErrDuplicate, err)
	}
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}
