package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"paydesk/flows"
)

// TestLinkTokenURL: with the bot's username, link-token prints the deep
// link the payments app hands out, and its token links the customer.
func TestLinkTokenURL(t *testing.T) {
	const secret = "link-token-test-secret-0123456789abcdef"
	env := map[string]string{"PAYDESK_SECRET": secret, "PAYDESK_BOT_USERNAME": "@paydesk_demo_bot"}
	e, out, _ := testEnv(env)
	if err := run(t.Context(), []string{"link-token", "42"}, e); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`^https://t\.me/paydesk_demo_bot\?start=link-(\S+)\n$`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("printed %q, want https://t.me/paydesk_demo_bot?start=link-…", out.String())
	}
	if id, err := flows.ParseLinkToken([]byte(secret), m[1], time.Now()); err != nil || id != 42 {
		t.Fatalf("token %q: %d, %v", m[1], id, err)
	}
	e, out, _ = testEnv(env)
	if err := run(t.Context(), []string{"link-token", "--bot", "other_bot", "42"}, e); err != nil ||
		!strings.HasPrefix(out.String(), "https://t.me/other_bot?start=link-") {
		t.Fatalf("--bot: %q, %v", out.String(), err)
	}
	delete(env, "PAYDESK_BOT_USERNAME")
	e, out, _ = testEnv(env)
	if err := run(t.Context(), []string{"link-token", "42"}, e); err != nil || !strings.HasPrefix(out.String(), "/start link-") {
		t.Fatalf("without a username: %q, %v", out.String(), err)
	}
	e, _, _ = testEnv(env)
	if err := run(t.Context(), []string{"link-token", "--bot", "x y", "42"}, e); err == nil {
		t.Fatal("a username with a space was accepted")
	}
}
