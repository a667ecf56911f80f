package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// errClosed: a write asked of a closed DB.
var errClosed = errors.New("sqlite store closed")

// maxGroup bounds how many writes one transaction carries, so that one
// group cannot hold the others back for long.
const maxGroup = 256

// writer is the one goroutine that writes to the database file. SQLite has
// a single write lock: connections that take turns for it sleep in the
// busy handler and pay an fsync each. The writer instead takes every write
// that is waiting when it is free and commits them together, each in its
// own savepoint: one BEGIN IMMEDIATE and one fsync (synchronous FULL) for
// many, while each write is still all or nothing on its own and one that
// fails (a session conflict, a duplicate) is rolled back alone. A write's
// caller hears back only once the commit carrying it is on disk. While the
// writer commits one group the next one gathers, so the groups grow with
// the load and a lone write is not held back.
type writer struct {
	conn  *sql.Conn // the one connection that writes
	stmts *stmtCache
	jobs  chan *writeJob
	quit  chan struct{} // closed by close: take no more jobs
	done  chan struct{} // closed when run has returned
	once  sync.Once

	commits, writes atomic.Int64 // transactions committed, writes in them
}

// writeJob is one write: fn runs inside its own savepoint.
type writeJob struct {
	ctx   context.Context
	fn    func(q querier) error
	state atomic.Int32 // jobQueued, jobTaken or jobAbandoned
	err   chan error   // buffered: the writer never waits for the caller
}

const (
	jobQueued int32 = iota
	jobTaken
	jobAbandoned // the caller gave up (its context ended) before the writer took it
)

func newWriter(ctx context.Context, sqldb *sql.DB) (*writer, error) {
	conn, err := sqldb.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("writer connection: %w", err)
	}
	w := &writer{conn: conn, stmts: newStmtCache(conn.PrepareContext), jobs: make(chan *writeJob, maxGroup),
		quit: make(chan struct{}), done: make(chan struct{})}
	go w.run()
	return w, nil
}

// do runs fn as one write and returns once it is committed (nil) or rolled
// back (fn's error, or the commit's). If ctx ends before the writer takes
// the write, it is not made; once taken, do waits for its outcome, so an
// error never hides a write that was made.
func (w *writer) do(ctx context.Context, fn func(q querier) error) error {
	j := &writeJob{ctx: ctx, fn: fn, err: make(chan error, 1)}
	select {
	case w.jobs <- j:
	case <-ctx.Done():
		return ctx.Err()
	case <-w.quit:
		return errClosed
	}
	select {
	case err := <-j.err:
		return err
	case <-ctx.Done():
		if j.state.CompareAndSwap(jobQueued, jobAbandoned) {
			return ctx.Err()
		}
		return <-j.err
	case <-w.done:
		if j.state.CompareAndSwap(jobQueued, jobAbandoned) {
			return errClosed
		}
		return <-j.err
	}
}

// close stops the writer once the writes queued so far are committed.
func (w *writer) close() error {
	w.once.Do(func() { close(w.quit) })
	<-w.done
	return errors.Join(w.stmts.close(), w.conn.Close())
}

func (w *writer) run() {
	defer close(w.done)
	for {
		var first *writeJob
		select {
		case first = <-w.jobs:
		case <-w.quit:
			// Commit what callers managed to queue before the close.
			for {
				select {
				case j := <-w.jobs:
					w.commit([]*writeJob{j})
				default:
					return
				}
			}
		}
		group := []*writeJob{first}
	gather:
		for len(group) < maxGroup {
			select {
			case j := <-w.jobs:
				group = append(group, j)
			default:
				break gather
			}
		}
		w.commit(group)
	}
}

// commit makes the writes of group in one transaction and tells each
// caller its outcome once the transaction is committed.
func (w *writer) commit(group []*writeJob) {
	live := group[:0]
	for _, j := range group {
		if j.state.CompareAndSwap(jobQueued, jobTaken) {
			live = append(live, j)
		}
	}
	if len(live) == 0 {
		return
	}
	errs := make([]error, len(live))
	tell := func() {
		for i, j := range live {
			j.err <- errs[i]
		}
	}
	ctx := context.Background() // a write, once begun, is not cut short by one caller
	fail := func(err error) {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		tell()
	}
	// The transaction's own statements are prepared once too: parsing
	// SAVEPOINT and RELEASE for every write was a tenth of the writer's time.
	q := cachedQuerier{stmts: w.stmts, fallback: w.conn, detach: true}
	if _, err := q.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		fail(fmt.Errorf("begin: %w", err))
		return
	}
	for i, j := range live {
		if err := j.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		if _, err := q.ExecContext(ctx, `SAVEPOINT write`); err != nil {
			fail(errors.Join(fmt.Errorf("savepoint: %w", err), w.rollback(ctx)))
			return
		}
		err := j.fn(q)
		if err != nil {
			errs[i] = err
			if _, rerr := q.ExecContext(ctx, `ROLLBACK TO write`); rerr != nil {
				// The transaction itself is gone (SQLite rolled it back on
				// an I/O error): nothing of the group was written.
				fail(errors.Join(fmt.Errorf("roll back to savepoint: %w", rerr), w.rollback(ctx)))
				return
			}
		}
		if _, err := q.ExecContext(ctx, `RELEASE write`); err != nil {
			fail(errors.Join(fmt.Errorf("release savepoint: %w", err), w.rollback(ctx)))
			return
		}
	}
	if _, err := q.ExecContext(ctx, `COMMIT`); err != nil {
		fail(errors.Join(fmt.Errorf("commit: %w", err), w.rollback(ctx)))
		return
	}
	w.commits.Add(1)
	w.writes.Add(int64(len(live)))
	tell()
}

func (w *writer) rollback(ctx context.Context) error {
	if _, err := w.conn.ExecContext(ctx, `ROLLBACK`); err != nil && !isNoTransaction(err) {
		return fmt.Errorf("rollback: %w", err)
	}
	return nil
}

// isNoTransaction: SQLite already ended the transaction itself.
func isNoTransaction(err error) bool {
	return err != nil && strings.Contains(strings.ToLower(err.Error()), "no transaction is active")
}

// WriteStats are the writer's counts since Open: transactions committed
// (each one fsync) and the writes they carried.
type WriteStats struct{ Commits, Writes int64 }

// WriteStats reports how well writes were grouped.
func (db *DB) WriteStats() WriteStats {
	return WriteStats{Commits: db.w.commits.Load(), Writes: db.w.writes.Load()}
}
