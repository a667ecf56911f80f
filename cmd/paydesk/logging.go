package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// newLogger is serve's logger: text (logfmt) or JSON records on w at level
// and above, with every secret in redact replaced wherever it appears (a
// library error that quotes a request URL would otherwise carry the bot
// token into the logs). Phone numbers and full names are never logged in
// the first place: the code logs chat and customer ids.
func newLogger(w io.Writer, format, level string, redact []string) *slog.Logger {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(or(level, "info"))); err != nil {
		lvl = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lvl, ReplaceAttr: redactor(redact)}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// redactor is a ReplaceAttr that blanks the secrets out of every value,
// the message included.
func redactor(secrets []string) func(groups []string, a slog.Attr) slog.Attr {
	var pairs []string
	for _, s := range secrets {
		if len(s) >= 8 { // shorter "secrets" would blank out ordinary words
			pairs = append(pairs, s, "[redacted]")
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	r := strings.NewReplacer(pairs...)
	return func(_ []string, a slog.Attr) slog.Attr {
		switch v := a.Value; v.Kind() {
		case slog.KindString:
			if s := v.String(); r.Replace(s) != s {
				a.Value = slog.StringValue(r.Replace(s))
			}
		case slog.KindAny:
			if s := fmt.Sprint(v.Any()); r.Replace(s) != s {
				a.Value = slog.StringValue(r.Replace(s))
			}
		}
		return a
	}
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
