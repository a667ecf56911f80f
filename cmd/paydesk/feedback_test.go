package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"paydesk/store"
	"paydesk/store/sqlite"
)

// TestLocalesFeedback exports stored suggestions as CSV and as TOML that
// parses and has the locale files' shape.
func TestLocalesFeedback(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "paydesk.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for i, s := range []store.Suggestion{
		{MessageIDs: []string{"menu.title"}, Lang: "ru", Seen: "Чем могу помочь?", Text: "Чем помочь?"},
		{MessageIDs: []string{"menu.title"}, Lang: "ru", Seen: "Чем могу помочь?", Text: "Чем помочь? \"Коротко\""},
		{MessageIDs: []string{"withdrawal.card", "common.back"}, Lang: "ru", Seen: "Вывод", Text: "Вывод средств"},
		{MessageIDs: []string{"help.text"}, Lang: "cs", Seen: "Co umím", Text: "Umím toto"},
		{MessageIDs: []string{"duration.days"}, Lang: "ru", Seen: "5 дней", Text: "{{.Count}} сут."},
	} {
		s.Key, s.UserID, s.ChatID, s.CreatedAt = string(rune('a'+i)), 42, 42, at
		if _, err := db.AddSuggestion(ctx, &s); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	env := func(k string) string { return map[string]string{"PAYDESK_DB": path}[k] }

	var out, errs bytes.Buffer
	if err := runWith(ctx, []string{"locales", "feedback", "--format", "csv"}, env, &out, &errs); err != nil {
		t.Fatalf("csv: %v %s", err, errs.String())
	}
	if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 6 || !strings.Contains(lines[3], "withdrawal.card common.back") {
		t.Errorf("csv:\n%s", out.String())
	}

	out.Reset()
	if err := runWith(ctx, []string{"locales", "feedback", "--format", "toml", "--lang", "ru"}, env, &out, &errs); err != nil {
		t.Fatalf("toml: %v %s", err, errs.String())
	}
	var got struct {
		Menu     map[string]string `toml:"menu"`
		Duration struct {
			Days map[string]string `toml:"days"`
		} `toml:"duration"`
	}
	if _, err := toml.Decode(out.String(), &got); err != nil {
		t.Fatalf("toml does not parse: %v\n%s", err, out.String())
	}
	if got.Menu["title"] != "Чем помочь? \"Коротко\"" || got.Duration.Days["other"] != "{{.Count}} сут." || strings.Contains(out.String(), "Umím") ||
		!strings.Contains(out.String(), "# [withdrawal.card common.back]") {
		t.Errorf("toml:\n%s", out.String())
	}
	if err := runWith(ctx, []string{"locales", "feedback", "--format", "toml"}, env, &out, &errs); err == nil {
		t.Error("toml without --lang accepted")
	}
	missing := func(k string) string {
		return map[string]string{"PAYDESK_DB": filepath.Join(t.TempDir(), "none.db")}[k]
	}
	if err := runWith(ctx, []string{"locales", "feedback"}, missing, &out, &errs); err == nil || !strings.Contains(err.Error(), "PAYDESK_DB") {
		t.Errorf("a database that is not there: %v", err)
	}
}

// TestLocalesCheckPasses: `paydesk locales check` exits 0 on the
// repository's locale files (the known problems are listed, not failing).
func TestLocalesCheckPasses(t *testing.T) {
	var out, errs bytes.Buffer
	if err := runWith(context.Background(), []string{"locales", "check"}, func(string) string { return "" }, &out, &errs); err != nil {
		t.Fatalf("locales check: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "locales: ok") {
		t.Errorf("output:\n%s", out.String())
	}
}

// runWith runs paydesk with only getenv for an environment.
func runWith(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return run(ctx, args, &Env{Getenv: getenv, Stdin: strings.NewReader(""), Stdout: stdout, Stderr: stderr})
}
