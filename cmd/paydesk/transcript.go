package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"paydesk/flows/console/scenario"
	"paydesk/flows/console/transcript"
)

// runTranscript plays every scripted scenario in every language and writes
// the transcripts for locale testers: transcript.<lang>.md and index.html.
func runTranscript(ctx context.Context, e *Env, args []string) error {
	fs := e.flags("transcript", nil)
	out := fs.String("out", "", "directory to write transcript.<lang>.md and index.html into")
	if _, err := e.parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(e.Stderr, "paydesk transcript: --out DIR is required")
		shortUsage(e.Stderr, "transcript")
		return errUsage
	}
	stdout := e.Stdout
	files, err := writeTranscripts(ctx, *out)
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	return nil
}

// writeTranscripts writes the transcripts into dir and returns their paths.
func writeTranscripts(ctx context.Context, dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "paydesk-transcript-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	doc, err := transcript.Build(ctx, scenario.SQLiteIn(tmp), scenario.All, scenario.Languages)
	if err != nil {
		return nil, err
	}
	var files []string
	write := func(name string, render func(io.Writer) error) error {
		var buf bytes.Buffer
		if err := render(&buf); err != nil {
			return fmt.Errorf("render %s: %w", name, err)
		}
		path := filepath.Join(dir, name)
		files = append(files, path)
		return os.WriteFile(path, buf.Bytes(), 0o644)
	}
	for _, lang := range doc.Languages {
		if err := write("transcript."+lang+".md", func(w io.Writer) error { return transcript.Markdown(w, doc, lang) }); err != nil {
			return nil, err
		}
	}
	if err := write("index.html", func(w io.Writer) error { return transcript.HTML(w, doc) }); err != nil {
		return nil, err
	}
	return files, nil
}
