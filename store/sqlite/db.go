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
//   - Every operation is one statement or one transaction. Every write goes
//     through the one writer goroutine (writer.go), which commits the writes
//     waiting for it together, each in its own savepoint, with synchronous
//     FULL: one fsync for many, each write still all or nothing. Reads use a
//     pool of connections and never block the writer (WAL); read-only
//     transactions use a plain BEGIN.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

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
// (the demo ledger) in one file, and is safe for concurrent use. Reads go
// to a pool of connections sized to the bot's workers; every write goes to
// the one writer, which commits them in groups (writer.go).
type DB struct {
	sql *sql.DB       // the read pool
	rd  cachedQuerier // reads on the pool with prepared statements
	wdb *sql.DB       // holds the writer's single connection
	w   *writer
}

// Option configures Open.
type Option func(*options)

type options struct{ readers int }

// WithReaders sizes the read pool: as many connections as updates are
// handled at once (the dispatcher's workers) plus the background loops,
// all kept open, so no read waits for a connection or opens a new one.
func WithReaders(n int) Option { return func(o *options) { o.readers = max(n, 1) } }

// defaultReaders fits the dispatcher's default 16 workers and the background loops.
const defaultReaders = 20

// Open opens (creating if needed) the database file at path and brings its
// schema up to date. Every pooled connection gets WAL, the busy timeout and
// foreign keys, because they are set in the DSN rather than once.
func Open(ctx context.Context, path string, opts ...Option) (*DB, error) {
	o := options{readers: defaultReaders}
	for _, opt := range opts {
		opt(&o)
	}
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
	if err := migrateWhenFree(ctx, sqldb); err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite %s: %w", path, err), sqldb.Close())
	}
	sqldb.SetMaxOpenConns(o.readers)
	sqldb.SetMaxIdleConns(o.readers)
	sqldb.SetConnMaxIdleTime(0)
	wdb, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite %s: %w", path, err), sqldb.Close())
	}
	wdb.SetMaxOpenConns(1)
	w, err := newWriter(ctx, wdb)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite %s: %w", path, err), wdb.Close(), sqldb.Close())
	}
	db := &DB{sql: sqldb, wdb: wdb, w: w}
	db.rd = cachedQuerier{stmts: newStmtCache(sqldb.PrepareContext), fallback: sqldb}
	return db, nil
}

// dsn adds the per-connection settings to path.
func dsn(path string) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMillis))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)") // a commit is on disk before the write returns
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

// Close commits the writes queued so far and closes every connection.
func (db *DB) Close() error {
	err := errors.Join(db.w.close(), db.wdb.Close(), db.rd.stmts.close(), db.sql.Close())
	if err != nil {
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

// write runs fn as one write: all of it or nothing, committed (with other
// writes, see writer) before write returns.
func (db *DB) write(ctx context.Context, fn func(tx querier) error) error {
	return db.w.do(ctx, fn)
}

// exec runs one writing statement through the writer.
func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := db.w.do(ctx, func(q querier) error {
		var err error
		res, err = q.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
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

// migrateWhenFree migrates, trying again while another handle holds the
// file: handles opening one new file at once (replicas starting together)
// race to turn it into WAL mode, and SQLite answers that race SQLITE_BUSY
// at once rather than after the busy timeout. Each migration is its own
// check-then-write transaction, so trying again is safe.
func migrateWhenFree(ctx context.Context, sqldb *sql.DB) error {
	const tries, pause = 50, 20 * time.Millisecond
	for i := 1; ; i++ {
		err := migrate(ctx, sqldb, migrationFiles)
		if err == nil || i == tries || !isBusy(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(pause):
		}
	}
}
