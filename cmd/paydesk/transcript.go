package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"paydesk/flows/console/scenario"
	"paydesk/flows/console/transcript"
)

// runTranscript plays every scripted scenario in every language and writes
// the transcripts for locale testers: transcript.<lang>.md and index.html.
func runTranscript(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("transcript", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "directory to write transcript.<lang>.md and index.html into")
	if err := fs.Parse(args); err != nil || *out == "" || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: paydesk transcript --out DIR")
		return errUsage
	}
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
