package main

import (
	"regexp"
	"strings"
	"testing"

	"paydesk/store/redis/redistest"
)

// TestBenchDrivesTheBotAndTheBaseline runs a short bench: every customer's
// updates are answered over the webhook, no error, the figures printed for
// paydesk and for the echo baseline.
func TestBenchDrivesTheBotAndTheBaseline(t *testing.T) {
	e, out, errs := testEnv(nil)
	err := run(t.Context(), []string{"bench", "--users", "3", "--duration", "1500ms", "--warmup", "500ms", "--limits", "off", "--baseline",
		"--db", t.TempDir() + "/bench.db"}, e)
	if err != nil {
		t.Fatalf("bench: %v\nstdout:\n%s\nstderr:\n%s", err, out, errs)
	}
	text := out.String()
	for _, want := range []string{"paydesk\n", "go-telegram/bot echo (baseline)", "paydesk / baseline:", "p99", "CPU per update", "allocs/update", "peak heap", "writes in"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	for _, m := range regexp.MustCompile(`\((\d+) answered in [0-9.]+s; (\d+) errors`).FindAllStringSubmatch(text, -1) {
		if m[1] == "0" || m[2] != "0" {
			t.Errorf("%s answered, %s errors; want some answered and no errors:\n%s", m[1], m[2], text)
		}
	}
}

func TestBenchRefusesUnknownSettings(t *testing.T) {
	for _, args := range [][]string{{"--store", "mongo"}, {"--limits", "some"}, {"--script", "x"},
		{"--redis", "http://127.0.0.1:6379", "--store", "redis"}} {
		e, _, _ := testEnv(nil)
		err := run(t.Context(), append([]string{"bench"}, args...), e)
		if err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("bench %v: %v, want an error naming %s", args, err, args[0])
		}
	}
}

// TestBenchOnRedis: --store redis keeps the State in the Redis of --redis.
func TestBenchOnRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the load harness")
	}
	srv := redistest.Start(t)
	e, out, errs := testEnv(nil)
	err := run(t.Context(), []string{"bench", "--store", "redis", "--redis", srv.URL(), "--users", "3", "--duration", "1500ms",
		"--warmup", "500ms", "--limits", "off", "--db", t.TempDir() + "/bench.db"}, e)
	if err != nil {
		t.Fatalf("bench: %v\nstdout:\n%s\nstderr:\n%s", err, out, errs)
	}
	m := regexp.MustCompile(`\((\d+) answered in [0-9.]+s; (\d+) errors`).FindStringSubmatch(out.String())
	if !strings.Contains(out.String(), "store redis") || m == nil || m[1] == "0" || m[2] != "0" {
		t.Errorf("want some answered and no errors, on redis:\n%s", out)
	}
}
