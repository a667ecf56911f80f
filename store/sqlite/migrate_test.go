package sqlite

import (
	"database/sql"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"
)

// openRaw opens a database file without migrating it.
func openRaw(t *testing.T) *sql.DB {
	t.Helper()
	sqldb, err := sql.Open("sqlite", dsn(filepath.Join(t.TempDir(), "raw.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqldb.Close() })
	return sqldb
}

type record struct {
	name      string
	appliedAt int64
}

func records(t *testing.T, q querier) []record {
	t.Helper()
	list, err := queryAll(t.Context(), q, func(row scanner) (record, error) {
		var r record
		return r, row.Scan(&r.name, &r.appliedAt)
	}, `SELECT name, applied_at FROM schema_migrations ORDER BY name`)
	if err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	return list
}

func TestOpenRecordsMigrationsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "paydesk.db")
	db, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	first := records(t, db.sql)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	files, err := fs.Glob(migrationFiles, "*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("embedded migrations: %v, %v", files, err)
	}
	var names []string
	for _, r := range first {
		names = append(names, r.name)
		if r.appliedAt <= 0 {
			t.Errorf("%s: applied_at %d", r.name, r.appliedAt)
		}
	}
	if !slices.Equal(names, files) {
		t.Errorf("recorded %v, want every embedded file %v", names, files)
	}

	db, err = Open(t.Context(), path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	if again := records(t, db.sql); !slices.Equal(again, first) {
		t.Errorf("after reopening, schema_migrations = %v, want it unchanged %v", again, first)
	}
}

func numbers(t *testing.T, q querier) []int64 {
	t.Helper()
	list, err := queryAll(t.Context(), q, scanInt64, `SELECT n FROM t ORDER BY rowid`)
	if err != nil {
		t.Fatalf("read t: %v", err)
	}
	return list
}

// TestMigrateAppliesOnlyNewFiles runs migrate over a growing set of files:
// each file runs once, in name order whatever order they were added in.
func TestMigrateAppliesOnlyNewFiles(t *testing.T) {
	sqldb := openRaw(t)
	ctx := t.Context()
	files := fstest.MapFS{
		"0001_create.sql": {Data: []byte("CREATE TABLE t (n INTEGER NOT NULL);\nINSERT INTO t VALUES (1);")},
		"0003_three.sql":  {Data: []byte("INSERT INTO t VALUES (3);")},
		"notes.txt":       {Data: []byte("not a migration")},
	}
	if err := migrate(ctx, sqldb, files); err != nil {
		t.Fatal(err)
	}
	files["0002_two.sql"] = &fstest.MapFile{Data: []byte("INSERT INTO t VALUES (2);")}
	files["0004_four.sql"] = &fstest.MapFile{Data: []byte("INSERT INTO t VALUES (4);")}
	if err := migrate(ctx, sqldb, files); err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, sqldb, files); err != nil {
		t.Fatal(err)
	}
	// 0002 came late: it is applied then, after 0003, and nothing twice.
	if got, want := numbers(t, sqldb), []int64{1, 3, 2, 4}; !slices.Equal(got, want) {
		t.Errorf("t = %v, want %v", got, want)
	}
	if got := len(records(t, sqldb)); got != 4 {
		t.Errorf("%d migrations recorded, want 4", got)
	}
}

// TestMigrateFailureLeavesNoTrace checks that a failing file is rolled back
// whole, is not recorded, and stops later files; once fixed it is applied.
func TestMigrateFailureLeavesNoTrace(t *testing.T) {
	sqldb := openRaw(t)
	ctx := t.Context()
	files := fstest.MapFS{
		"0001_create.sql": {Data: []byte("CREATE TABLE t (n INTEGER NOT NULL);")},
		"0002_broken.sql": {Data: []byte("INSERT INTO t VALUES (2);\nINSERT INTO missing VALUES (1);")},
		"0003_after.sql":  {Data: []byte("INSERT INTO t VALUES (3);")},
	}
	if err := migrate(ctx, sqldb, files); err == nil {
		t.Fatal("migrate with a broken file succeeded")
	}
	if got := numbers(t, sqldb); len(got) != 0 {
		t.Errorf("t = %v after a failed migration, want it empty", got)
	}
	if got := records(t, sqldb); len(got) != 1 || got[0].name != "0001_create.sql" {
		t.Errorf("recorded %v, want only 0001_create.sql", got)
	}
	files["0002_broken.sql"] = &fstest.MapFile{Data: []byte("INSERT INTO t VALUES (2);")}
	if err := migrate(ctx, sqldb, files); err != nil {
		t.Fatal(err)
	}
	if got, want := numbers(t, sqldb), []int64{2, 3}; !slices.Equal(got, want) {
		t.Errorf("t = %v, want %v", got, want)
	}
}

// TestEveryConnectionIsConfigured holds several pooled connections at once
// and checks each has the DSN's settings, not just the first one.
func TestEveryConnectionIsConfigured(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "paydesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := t.Context()
	for i := range 3 {
		conn, err := db.sql.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close() // held until the end, so the next one is new
		var (
			journal         string
			busy, foreignOn int
		)
		for pragma, dest := range map[string]any{"journal_mode": &journal, "busy_timeout": &busy, "foreign_keys": &foreignOn} {
			if err := conn.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(dest); err != nil {
				t.Fatalf("PRAGMA %s: %v", pragma, err)
			}
		}
		if journal != "wal" || busy != busyTimeoutMillis || foreignOn != 1 {
			t.Errorf("connection %d: journal_mode %s, busy_timeout %d, foreign_keys %d; want wal, %d, 1",
				i, journal, busy, foreignOn, busyTimeoutMillis)
		}
	}
}
