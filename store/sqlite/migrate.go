package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
)

//go:embed migrations/*.sql
var embedded embed.FS

// migrationFiles are the schema changes, one SQL file each, applied in
// file-name order (hence the 0001_ prefixes).
var migrationFiles = mustSub(embedded, "migrations")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // dir is a constant that go:embed has checked
	}
	return sub
}

// migrate applies every *.sql file of fsys that schema_migrations does not
// list yet, in name order, each in its own transaction together with its
// record. A failing file leaves no trace and stops the run. Because the
// check for a record happens inside the (BEGIN IMMEDIATE) transaction, two
// processes opening the same file at once cannot apply a file twice.
func migrate(ctx context.Context, sqldb *sql.DB, fsys fs.FS) error {
	const create = `CREATE TABLE IF NOT EXISTS schema_migrations (
		name       TEXT PRIMARY KEY,
		applied_at INTEGER NOT NULL -- nanoseconds since the epoch, UTC
	)`
	if _, err := sqldb.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := applyMigration(ctx, sqldb, fsys, name); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

func applyMigration(ctx context.Context, sqldb *sql.DB, fsys fs.FS, name string) error {
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	return inTx(ctx, sqldb, nil, func(tx *sql.Tx) error {
		var applied bool
		err := tx.QueryRowContext(ctx,
			`SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE name = ?)`, path.Base(name)).Scan(&applied)
		if err != nil {
			return fmt.Errorf("check: %w", err)
		}
		if applied {
			return nil
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("apply: %w", err)
		}
		// The store has no clock of its own (clocks are injected), so the
		// record of when takes SQLite's.
		_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at)
			VALUES (?, CAST(unixepoch('subsec') * 1000000000 AS INTEGER))`, path.Base(name))
		if err != nil {
			return fmt.Errorf("record: %w", err)
		}
		return nil
	})
}
