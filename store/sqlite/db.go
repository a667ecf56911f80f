// Package sqlite is paydesk's embedded store: one SQLite file (modernc.org/sqlite,
// no cgo) that can hold everything store.Store asks for, plus a demo ledger that
// stands in for the payments backend.
//
// Storage conventions, relied on by every file of this package and by the
// migrations:
//   - Times are INTEGER nanoseconds since the Unix epoch, UTC. Nanoseconds keep
//     a time.Time exact across a save and a load (seconds would silently round
//     a session's UpdatedAt), and int64 nanoseconds cover the years 1678-2262.
//     NULL stands for the zero time.Time ("has not happened yet").
//   - Money is INTEGER minor units next to a TEXT ISO 4217 currency code.
//   - Every operation is one statement or one transaction. Writing
//     transactions start with BEGIN IMMEDIATE, so two writers queue on the busy
//     timeout instead of failing with SQLITE_BUSY when a read lock cannot be
//     upgraded; read-only transactions use a plain BEGIN and never block
//     writers (WAL).
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"paydesk/store"
)

var (
	_ store.State  = (*DB)(nil)
	_ store.Ledger = (*DB)(nil)
)

// busyTimeoutMillis is how long a connection waits for another one's write
// lock before giving up with SQLITE_BUSY.
const busyTimeoutMillis = 5000

// DB is the SQLite store. It implements both store.State and store.Ledger
// (the demo ledger) in one file, and is safe for concurrent use.
type DB struct {
	sql *sql.DB
}

// Open opens (creating if needed) the database file at path and brings its
// schema up to date. Every pooled connection gets WAL, the busy timeout and
// foreign keys, because they are set in the DSN rather than once.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file::memory:") {
		// database/sql would give each pooled connection its own empty database.
		return nil, fmt.Errorf("open sqlite: %q is not a file path", path)
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open sqlite %s: path must not contain '?' or '#'", path)
	}
	sqldb, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	if err := migrate(ctx, sqldb, migrationFiles); err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite %s: %w", path, err), sqldb.Close())
	}
	return &DB{sql: sqldb}, nil
}

// dsn adds the per-connection settings to path.
func dsn(path string) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMillis))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	return path + "?" + q.Encode()
}

// Ping reports whether the database file can be reached.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.sql.PingContext(ctx); err != nil {
		return fmt.Errorf("ping sqlite: %w", err)
	}
	return nil
}

// Close closes every pooled connection.
func (db *DB) Close() error {
	if err := db.sql.Close(); err != nil {
		return fmt.Errorf("close sqlite: %w", err)
	}
	return nil
}

// querier is what both *sql.DB and *sql.Tx offer, so a helper can run alone
// or as part of a larger transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// write runs fn in one writing transaction (BEGIN IMMEDIATE).
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return inTx(ctx, db.sql, nil, fn)
}

// read runs fn in one read-only transaction: a consistent snapshot that does
// not take the write lock.
func (db *DB) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return inTx(ctx, db.sql, &sql.TxOptions{ReadOnly: true}, fn)
}

func inTx(ctx context.Context, sqldb *sql.DB, opts *sql.TxOptions, fn func(tx *sql.Tx) error) error {
	tx, err := sqldb.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, rollback(tx))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func rollback(tx *sql.Tx) error {
	if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("rollback: %w", err)
	}
	return nil
}
