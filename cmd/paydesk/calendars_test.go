package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestWarnCalendars(t *testing.T) {
	for _, tc := range []struct {
		now  time.Time
		warn string
	}{
		{time.Date(2026, time.December, 1, 9, 0, 0, 0, time.UTC), ""},
		{time.Date(2027, time.October, 15, 9, 0, 0, 0, time.UTC), "country=KZ year=2028"},
	} {
		var logs bytes.Buffer
		warnCalendars(slog.New(slog.NewTextHandler(&logs, nil)), tc.now)
		switch got := logs.String(); {
		case tc.warn == "" && got != "":
			t.Errorf("%s: warned although covered:\n%s", tc.now, got)
		case tc.warn != "" && !(strings.Contains(got, "level=WARN") && strings.Contains(got, tc.warn)):
			t.Errorf("%s: want a warning with %q, got:\n%s", tc.now, tc.warn, got)
		}
	}
}
