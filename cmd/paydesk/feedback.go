package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"paydesk/locales"
	"paydesk/store"
	"paydesk/store/sqlite"
)

// runFeedback exports the locale testers' /fix suggestions: CSV for a
// spreadsheet, or TOML in the shape of one language's locale file (its
// tables and keys) to merge into locales/active.<lang>.toml.
func runFeedback(ctx context.Context, e *Env, args []string) error {
	fs := e.flags("locales", nil)
	format := fs.String("format", "csv", "csv or toml")
	lang := fs.String("lang", "", "only this language (ru, cs or en); toml needs it")
	defaultDB := e.Getenv("PAYDESK_DB")
	if defaultDB == "" {
		defaultDB = "paydesk.db"
	}
	dbPath := fs.String("db", defaultDB, "the SQLite file serve uses (PAYDESK_DB)")
	if _, err := e.parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *format != "csv" && *format != "toml" {
		fmt.Fprintf(e.Stderr, "paydesk locales feedback: --format %q: want csv or toml\n", *format)
		return errUsage
	}
	stdout := e.Stdout
	if *lang != "" && !slices.Contains(locales.Languages, *lang) {
		return fmt.Errorf("--lang %q: want one of %v", *lang, locales.Languages)
	}
	if *format == "toml" && *lang == "" {
		return fmt.Errorf("--format toml needs --lang: each language has its own locale file")
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return fmt.Errorf("--db %s: %w (point it at the database serve uses, PAYDESK_DB)", *dbPath, err)
	}
	db, err := sqlite.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.Suggestions(ctx)
	if err != nil {
		return err
	}
	if *lang != "" {
		list = slices.DeleteFunc(list, func(s store.Suggestion) bool { return s.Lang != *lang })
	}
	if *format == "toml" {
		bundle, err := locales.New()
		if err != nil {
			return err
		}
		return writeFeedbackTOML(stdout, *lang, list, bundle.Plural)
	}
	return writeFeedbackCSV(stdout, list)
}

func writeFeedbackCSV(w io.Writer, list []store.Suggestion) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "created_at", "lang", "message_ids", "user_id", "seen", "suggestion"})
	for _, s := range list {
		cw.Write([]string{strconv.FormatInt(s.ID, 10), s.CreatedAt.UTC().Format(time.RFC3339), s.Lang,
			strings.Join(s.MessageIDs, " "), strconv.FormatInt(s.UserID, 10), s.Seen, s.Text})
	}
	cw.Flush()
	return cw.Error()
}

// writeFeedbackTOML writes the suggestions for one message as that
// message's key under its table ([menu] title = "..."), the latest
// suggestion winning and the earlier ones as comments. A suggestion for a
// screen made of several messages cannot say which one it rewrites: it is
// written as a comment naming them, for the translator to place. A plural
// message gets its own table with the text as its "other" form, to be
// split into the forms by hand.
func writeFeedbackTOML(w io.Writer, lang string, list []store.Suggestion, plural func(id string) bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Suggestions of the locale testers for locales/active.%s.toml (paydesk locales feedback).\n", lang)
	fmt.Fprintf(&b, "# Merge the keys into their tables; the comments say who suggested what, and what they saw.\n")
	byID := map[string][]store.Suggestion{}
	var unplaced []store.Suggestion
	for _, s := range list {
		if len(s.MessageIDs) == 1 {
			byID[s.MessageIDs[0]] = append(byID[s.MessageIDs[0]], s)
		} else {
			unplaced = append(unplaced, s)
		}
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	table := "\x00"
	for _, id := range ids {
		t, key := "", id
		if i := strings.LastIndex(id, "."); i >= 0 {
			t, key = id[:i], id[i+1:]
		}
		if plural(id) {
			t, key = id, "other"
		}
		if t != table {
			table = t
			if t != "" {
				fmt.Fprintf(&b, "\n[%s]\n", t)
			}
		}
		sugg := byID[id]
		for _, s := range sugg[:len(sugg)-1] {
			fmt.Fprintf(&b, "# earlier: %s = %s\n", key, tomlString(s.Text))
		}
		last := sugg[len(sugg)-1]
		if plural(id) {
			b.WriteString("# a plural message: split the text into its forms (one, few, many, other)\n")
		}
		fmt.Fprintf(&b, "# by %d on %s; seen: %s\n", last.UserID, last.CreatedAt.UTC().Format("2006-01-02 15:04"), oneLine(last.Seen))
		fmt.Fprintf(&b, "%s = %s\n", key, tomlString(last.Text))
	}
	if len(unplaced) > 0 {
		b.WriteString("\n# Suggestions for a screen of several messages (or an unknown one): place them by hand.\n")
		for _, s := range unplaced {
			fmt.Fprintf(&b, "# [%s] by %d: %s  (seen: %s)\n", strings.Join(s.MessageIDs, " "), s.UserID, oneLine(s.Text), oneLine(s.Seen))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// tomlString is s as a TOML basic string.
func tomlString(s string) string {
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(map[string]string{"k": s}); err != nil {
		return strconv.Quote(s)
	}
	_, v, _ := strings.Cut(strings.TrimSpace(buf.String()), " = ")
	return v
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
