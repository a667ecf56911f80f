package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"paydesk/bot/telegramtest"
)

// TestLogsCarryNoSecretsPhonesOrNames runs `serve` (as main does, through
// run) over the fake Bot API, walks every demo customer through linking,
// typing their phone and name by hand, and two of them through support
// (a ticket, its case card, a relayed message), with dropped
// connections, 5xx and 429 on the way; then it greps every log line,
// at debug level, for the token, the secrets, the demo customers' phone
// numbers and their full names.
func TestLogsCarryNoSecretsPhonesOrNames(t *testing.T) {
	api := telegramtest.New(t)
	db := filepath.Join(t.TempDir(), "paydesk.db")
	const webhookSecret = "logs-test-webhook-secret-0123456789"
	env := map[string]string{
		"PAYDESK_TELEGRAM_TOKEN":   telegramtest.Token,
		"PAYDESK_TELEGRAM_API_URL": api.URL(),
		"PAYDESK_DB":               db,
		"PAYDESK_DEMO":             "1",
		"PAYDESK_SECRET":           testSecret,
		"PAYDESK_WEBHOOK_SECRET":   webhookSecret, // set, unused while polling: still a secret
		"PAYDESK_HTTP_LISTEN":      "127.0.0.1:0",
		"PAYDESK_LOG_FORMAT":       "json",
		"PAYDESK_LOG_LEVEL":        "debug",
		"PAYDESK_TICK":             "1s",
		"PAYDESK_SUPPORT_CHAT_ID":  "-1009876543210",
		"PAYDESK_SUPPORT_HOURS":    "Mon-Sun 00:00-24:00",
		"PAYDESK_SECRT":            testSecret, // a typo, warned about
	}
	e, _, logs := testEnv(env)
	// A dropped connection makes the client library's error quote the
	// request URL, which holds the token (the library masks it today).
	api.Fail("sendMessage", 1, telegramtest.Fault{Drop: true})
	api.Fail("sendMessage", 1, telegramtest.Fault{Status: 502})
	api.Fail("sendMessage", 1, telegramtest.Fault{Status: 429, RetryAfter: 1})

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, e) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})

	customers := []struct {
		chat        int64
		lang, phone string
	}{
		{7401, "ru", "+77010000001"},
		{7402, "cs", "+420601000001"},
		{7403, "en", "+447700900001"},
		{7404, "ru", "+77010000002"},
	}
	names := map[string]string{} // phone -> full name, from the seeded ledger
	// step pushes an update and waits for the bot to answer the chat.
	step := func(chat int64, push func()) {
		t.Helper()
		before := len(api.SentTo(chat))
		push()
		for deadline := time.Now().Add(30 * time.Second); len(api.SentTo(chat)) <= before; {
			if time.Now().After(deadline) {
				t.Fatalf("chat %d: no answer within 30s\nlogs:\n%s", chat, logs)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	for _, c := range customers {
		step(c.chat, func() { api.PushUpdate(telegramtest.CommandUpdate(c.chat, c.chat, c.lang, "/start")) })
		greeting := api.SentTo(c.chat)[0]
		step(c.chat, func() { api.PushUpdate(telegramtest.CallbackUpdate(c.chat, c.chat, 1, firstButton(t, greeting))) })
		step(c.chat, func() { api.PushUpdate(telegramtest.TextUpdate(c.chat, c.chat, c.lang, c.phone)) })
	}
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT phone, name FROM customers`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var phone, name string
		if err := rows.Scan(&phone, &name); err != nil {
			t.Fatal(err)
		}
		names[phone] = name
	}
	rows.Close()
	for _, c := range customers {
		name := names[c.phone]
		if name == "" {
			t.Fatalf("no demo customer with phone %s", c.phone)
		}
		first, last, _ := strings.Cut(name, " ")
		contact := withLang(telegramtest.ContactUpdate(c.chat, c.chat, c.chat, c.phone), c.lang)
		contact.Message.Contact.FirstName, contact.Message.Contact.LastName = first, last
		contact.Message.From.FirstName, contact.Message.From.LastName = first, last
		step(c.chat, func() { api.PushUpdate(contact) })
		step(c.chat, func() {
			api.PushUpdate(telegramtest.TextUpdate(c.chat, c.chat, c.lang, "I am "+name+", call me on "+c.phone))
		})
		if c.chat > 7402 {
			continue // support for two is enough: the support group's rate limit makes each slow
		}
		step(c.chat, func() { api.PushUpdate(telegramtest.CommandUpdate(c.chat, c.chat, c.lang, "/support")) })
		api.PushUpdate(telegramtest.TextUpdate(c.chat, c.chat, c.lang, "my name is "+name+" and my number "+c.phone))
	}
	api.WaitCalls(t, 2, func(c telegramtest.Call) bool { return c.Method == "createForumTopic" }, 30*time.Second)
	// Each customer's message reaches the topic: copied, or folded into the
	// case card while the group's budget is short.
	api.WaitCalls(t, 2, func(c telegramtest.Call) bool {
		return c.ChatID() < 0 && (c.Method == "copyMessage" || c.Method == "sendMessage")
	}, 30*time.Second)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	done <- nil // for the cleanup

	out := logs.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, line := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("PAYDESK_LOG_FORMAT=json, but a line is not JSON: %q", line)
		}
	}
	// The run logged what it should have: otherwise an empty log passes.
	for _, want := range []string{`"level":"DEBUG"`, "paydesk serving", "retrying", "PAYDESK_SECRT is not a paydesk variable"} {
		if !strings.Contains(out, want) {
			t.Errorf("the logs lack %q", want)
		}
	}
	forbidden := []string{telegramtest.Token, strings.SplitN(telegramtest.Token, ":", 2)[1], testSecret, webhookSecret}
	for phone, name := range names {
		forbidden = append(forbidden, phone, strings.TrimPrefix(phone, "+"), name)
		if _, last, ok := strings.Cut(name, " "); ok {
			forbidden = append(forbidden, last)
		}
	}
	recipients, err := conn.Query(`SELECT DISTINCT recipient_name FROM transfers`)
	if err != nil {
		t.Fatal(err)
	}
	for recipients.Next() {
		var name string
		recipients.Scan(&name)
		forbidden = append(forbidden, name)
	}
	recipients.Close()
	for _, f := range forbidden {
		for _, line := range lines {
			if strings.Contains(line, f) {
				t.Errorf("a log line carries %q:\n%s", f, line)
				break
			}
		}
	}
	t.Logf("%d log lines checked for %d forbidden strings", len(lines), len(forbidden))
	if testing.Verbose() {
		t.Log(out)
	}
}
