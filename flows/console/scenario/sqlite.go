package scenario

import (
	"context"
	"os"
	"time"

	"paydesk/store"
	"paydesk/store/sqlite"
)

// SQLiteIn opens each scenario's store as a new SQLite file in dir, seeded
// with the demo ledger, and removes the file when the scenario ends: what
// the golden tests and `paydesk transcript` run.
func SQLiteIn(dir string) Opener {
	return func(ctx context.Context, now time.Time) (store.State, store.Ledger, func() error, error) {
		f, err := os.CreateTemp(dir, "scenario-*.db")
		if err != nil {
			return nil, nil, nil, err
		}
		f.Close()
		path := f.Name()
		state, ledger, closeFn, err := SQLiteFile(path)(ctx, now)
		if err != nil {
			return nil, nil, nil, err
		}
		return state, ledger, func() error {
			err := closeFn()
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(path + suffix)
			}
			return err
		}, nil
	}
}

// SQLiteFile opens the scenario's store in the SQLite file path, seeded
// with the demo ledger, and leaves the file for the caller to read.
func SQLiteFile(path string) Opener {
	return func(ctx context.Context, now time.Time) (store.State, store.Ledger, func() error, error) {
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			return nil, nil, nil, err
		}
		if err := db.SeedDemo(ctx, now); err != nil {
			db.Close()
			return nil, nil, nil, err
		}
		return db, db, db.Close, nil
	}
}
