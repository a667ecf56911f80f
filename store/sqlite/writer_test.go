package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"paydesk/store"
)

// holdWriter keeps the writer busy until release is called, so that the
// writes queued meanwhile form the next group.
func holdWriter(t *testing.T, db *DB) (release func()) {
	t.Helper()
	started, hold := make(chan struct{}), make(chan struct{})
	go db.write(context.Background(), func(querier) error {
		close(started)
		<-hold
		return nil
	})
	<-started
	return func() { close(hold) }
}

func waitQueued(t *testing.T, db *DB, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for len(db.w.jobs) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d writes queued, want %d", len(db.w.jobs), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestGroupCommitFailsOnlyTheFailedUpdate: 64 updates committed in one
// transaction, one of which saves a session another saved first. That one
// fails with ErrConflict and leaves nothing behind; the others are all
// there, with their marks, sessions and deliveries.
func TestGroupCommitFailsOnlyTheFailedUpdate(t *testing.T) {
	ctx := t.Context()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "paydesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stale := store.Session{ChatID: 7, Flow: "menu"}
	if err := db.SaveSession(ctx, &store.Session{ChatID: 7}); err != nil {
		t.Fatal(err)
	}
	before := db.WriteStats()
	release := holdWriter(t, db)
	const n = 64
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			s := &store.Session{ChatID: int64(100 + i), Flow: "menu"}
			if i == 13 {
				s = &stale // version 0, but version 1 is stored
			}
			_, errs[i] = db.CommitUpdate(ctx, &store.UpdateCommit{UpdateID: int64(1000 + i), At: time.Unix(1, 0),
				Sessions: []*store.Session{s}, Deliveries: []store.Delivery{{ChatID: s.ChatID, Method: store.DeliverySend, Text: "hi"}}})
		})
		waitQueued(t, db, i+1) // queued one by one, so the group's order is known
	}
	release()
	wg.Wait()

	if got := db.WriteStats(); got.Commits-before.Commits != 2 || got.Writes-before.Writes != n+1 {
		t.Errorf("%d commits for %d writes, want 2 for %d (the held one, then the 64 together)",
			got.Commits-before.Commits, got.Writes-before.Writes, n+1)
	}
	for i, err := range errs {
		handled, herr := db.UpdateHandled(ctx, int64(1000+i))
		if herr != nil {
			t.Fatal(herr)
		}
		if i == 13 {
			if !errors.Is(err, store.ErrConflict) || handled {
				t.Errorf("the conflicting update: err %v, marked %v; want ErrConflict and no mark", err, handled)
			}
			continue
		}
		if err != nil || !handled {
			t.Errorf("update %d: err %v, marked %v; want it committed", i, err, handled)
		}
	}
	list, err := db.ClaimDeliveries(ctx, time.Unix(2, 0), time.Unix(3, 0), 2*n)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != n-1 {
		t.Errorf("%d deliveries stored, want %d", len(list), n-1)
	}
	for _, d := range list {
		if d.ChatID == 7 {
			t.Error("the conflicting update's delivery was stored")
		}
	}
}

// TestWriteGivenUpBeforeItsTurnIsNotMade: a write whose context ends while
// it waits for the writer is not made, and says so.
func TestWriteGivenUpBeforeItsTurnIsNotMade(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "paydesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	release := holdWriter(t, db)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := db.MarkUpdate(ctx, 5, time.Unix(1, 0))
		done <- err
	}()
	waitQueued(t, db, 1)
	cancel()
	err = <-done
	release()
	if !errors.Is(err, context.Canceled) {
		t.Errorf("MarkUpdate after its context ended: %v, want context.Canceled", err)
	}
	// Let the writer pass the abandoned write, then look.
	if _, err := db.MarkUpdate(t.Context(), 6, time.Unix(1, 0)); err != nil {
		t.Fatal(err)
	}
	if handled, err := db.UpdateHandled(t.Context(), 5); err != nil || handled {
		t.Errorf("abandoned mark: handled %v, err %v; want not made", handled, err)
	}
}

// TestWriteWhoseCallerGivesUpMidwayDoesNotFailTheGroup: a caller's context
// ending while its write runs does not cut the write's statements short
// (SQLite would roll the whole group back); the write and the others of
// its group are committed.
func TestWriteWhoseCallerGivesUpMidwayDoesNotFailTheGroup(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "paydesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	release := holdWriter(t, db)
	ctx, cancel := context.WithCancel(t.Context())
	errs := make(chan error, 2)
	go func() {
		errs <- db.write(ctx, func(q querier) error {
			cancel() // the caller gives up while its write runs
			_, err := q.ExecContext(ctx, `INSERT INTO processed_updates (update_id, at) VALUES (71, 1)`)
			return err
		})
	}()
	waitQueued(t, db, 1)
	go func() {
		_, err := db.MarkUpdate(t.Context(), 72, time.Unix(1, 0))
		errs <- err
	}()
	waitQueued(t, db, 2)
	release()
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("a write of the group: %v", err)
		}
	}
	for _, id := range []int64{71, 72} {
		if handled, err := db.UpdateHandled(t.Context(), id); err != nil || !handled {
			t.Errorf("update %d: handled %v, err %v; want committed", id, handled, err)
		}
	}
}
