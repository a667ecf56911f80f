package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestTwoCommandStack: `paydesk demo-backend` and `paydesk demo
// --ledger-url` make the whole stack on one machine.
func TestTwoCommandStack(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	env := map[string]string{"PAYDESK_LEDGER_TOKEN": "stack-token"}
	be, out, _ := testEnv(env)
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"demo-backend", "--listen", "127.0.0.1:0"}, be) }()
	addr := regexp.MustCompile(`PAYDESK_LEDGER_URL=(http://\S+)\)`)
	deadline := time.Now().Add(20 * time.Second)
	for addr.FindStringSubmatch(out.String()) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("demo-backend printed %q", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	url := addr.FindStringSubmatch(out.String())[1]
	de, demo, _ := testEnv(env)
	de.Stdin = strings.NewReader("2\n")
	if err := run(ctx, []string{"demo", "--as", "+77010000001", "--ledger-url", url, "--ledger-token", "stack-token"}, de); err != nil {
		t.Fatalf("demo against the backend: %v\n%s", err, demo.String())
	}
	if !strings.Contains(demo.String(), "Айгерим") || !strings.Contains(demo.String(), "На одобрении") {
		t.Errorf("demo over the backend showed:\n%s", demo.String())
	}
	wrong, _, _ := testEnv(env)
	if err := run(ctx, []string{"demo", "--as", "+77010000001", "--ledger-url", url, "--ledger-token", "wrong"}, wrong); err == nil {
		t.Error("demo with a wrong token linked the customer")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("demo-backend: %v", err)
	}
}
