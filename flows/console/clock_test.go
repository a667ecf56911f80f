package console_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"paydesk/flows/console"
)

func TestParseClockShift(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"+2d", 48 * time.Hour},
		{"+5h", 5 * time.Hour},
		{"+30m", 30 * time.Minute},
		{"1d12h", 36 * time.Hour},
		{" +1d2h3m ", 26*time.Hour + 3*time.Minute},
	} {
		got, err := console.ParseClockShift(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseClockShift(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "+", "-1d", "2", "d", "+2x", "+0d", "+1d-2h", "+1234567d", "+2d3"} {
		if got, err := console.ParseClockShift(bad); !errors.Is(err, console.ErrClockShift) {
			t.Errorf("ParseClockShift(%q) = %v, %v; want ErrClockShift", bad, got, err)
		}
	}
}

// TestClockMovesTheEngineAndTicks checks that /clock moves the session's
// clock and runs the periodic jobs: a week on, the demo's open cancellation
// request expires and its sender is told.
func TestClockMovesTheEngineAndTicks(t *testing.T) {
	s := NewSession(t)
	s.Run(Script{Lang: "en", As: sender, Lines: []string{"/menu", "1", "1", "1", "1"}}) // request a cancellation
	var out bytes.Buffer
	c := s.console(&out, Script{Lang: "en", As: sender})
	c.Advance = func(d time.Duration) time.Time { s.Advance(d); return s.now }
	ctx := context.Background()
	for _, line := range []string{"/clock soon", "/clock +7d"} {
		if err := c.Line(ctx, line); err != nil {
			t.Fatal(err)
		}
	}
	got := out.String()
	if !strings.Contains(got, "/clock soon: ") {
		t.Errorf("a bad shift is not explained:\n%s", got)
	}
	if want := goldenNow.Add(7 * 24 * time.Hour); !s.now.Equal(want) || !strings.Contains(got, want.Format("2006-01-02 15:04")) {
		t.Errorf("clock at %v, want %v:\n%s", s.now, want, got)
	}
	if !strings.Contains(got, "time passes") || !strings.Contains(got, "did not answer") {
		t.Errorf("the periodic jobs did not run (the expired request is not told):\n%s", got)
	}
}
