package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// maxCachedStmts bounds a statement cache; queries are constants of this
// package, so it is only reached by a query built from variable parts,
// which is then prepared each time.
const maxCachedStmts = 512

// stmtCache keeps prepared statements by their text, so the hot path
// (update marks, sessions, deliveries) parses each query once rather than
// on every call.
type stmtCache struct {
	prepare func(ctx context.Context, query string) (*sql.Stmt, error)

	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func newStmtCache(prepare func(ctx context.Context, query string) (*sql.Stmt, error)) *stmtCache {
	return &stmtCache{prepare: prepare, m: map[string]*sql.Stmt{}}
}

// get returns the prepared statement of query; cached reports whether the
// cache keeps it (otherwise the caller closes it after use).
func (c *stmtCache) get(query string) (st *sql.Stmt, cached bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, true, nil
	}
	// Prepared without the caller's context: the statement outlives it.
	st, err = c.prepare(context.Background(), query)
	if err != nil {
		return nil, false, err
	}
	if len(c.m) >= maxCachedStmts {
		return st, false, nil
	}
	c.m[query] = st
	return st, true, nil
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for q, st := range c.m {
		errs = append(errs, st.Close())
		delete(c.m, q)
	}
	return errors.Join(errs...)
}

// cachedQuerier runs queries through a statement cache: on the read pool
// (database/sql prepares a statement once per pooled connection and keeps
// it), or on the writer's connection.
type cachedQuerier struct {
	stmts    *stmtCache
	fallback querier // for a statement that cannot be prepared: it reports the error
	// detach runs every statement without its caller's cancellation: in
	// the writer's group a statement interrupted by one caller's context
	// would make SQLite roll back the whole transaction, everyone's writes.
	detach bool
}

func (q cachedQuerier) ctx(ctx context.Context) context.Context {
	if q.detach {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

func (q cachedQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx = q.ctx(ctx)
	st, cached, err := q.stmts.get(query)
	if err != nil {
		return nil, err
	}
	if !cached {
		defer st.Close()
	}
	return st.ExecContext(ctx, args...)
}

func (q cachedQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx = q.ctx(ctx)
	st, cached, err := q.stmts.get(query)
	if err != nil {
		return nil, err
	}
	if !cached {
		// Closing a statement with open rows waits for the rows to close.
		return q.fallback.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

func (q cachedQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	ctx = q.ctx(ctx)
	st, cached, err := q.stmts.get(query)
	if err != nil || !cached {
		if st != nil {
			st.Close()
		}
		return q.fallback.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}
