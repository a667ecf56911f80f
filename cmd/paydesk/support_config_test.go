package main

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"paydesk/bot/telegramtest"
)

func TestSupportConfig(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	support := func(getenv func(string) string) (SupportConfig, error) {
		c, err := loadConfig(getenv)
		return c.Support, err
	}
	c, err := support(env())
	if err != nil || c.ChatID != 0 || c.Lang != "en" || c.Hours.Loc.String() != "UTC" || c.Hours.Wait != 15*time.Minute ||
		!c.Hours.Days[time.Monday] || c.Hours.Days[time.Sunday] || c.Hours.Open != 9*time.Hour {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	c, err = support(env("PAYDESK_SUPPORT_CHAT_ID", "-1001234567890", "PAYDESK_SUPPORT_LANGUAGE", "ru",
		"PAYDESK_SUPPORT_TZ", "Asia/Almaty", "PAYDESK_SUPPORT_HOURS", "Mon-Sat 10:00-20:00", "PAYDESK_SUPPORT_WAIT", "1h"))
	if err != nil || c.ChatID != -1001234567890 || c.Lang != "ru" || c.Hours.Loc.String() != "Asia/Almaty" ||
		!c.Hours.Days[time.Saturday] || c.Hours.Close != 20*time.Hour || c.Hours.Wait != time.Hour {
		t.Fatalf("set: %+v %v", c, err)
	}
	c, err = support(env("PAYDESK_SUPPORT_GROUPS", "ru=-100111, cs=-100222,en=-100333,*=-100111", "PAYDESK_SUPPORT_CHAT_ID", "-100999"))
	if g := c.SupportGroups(); err != nil || len(g) != 4 || g["ru"] != -100111 || g["cs"] != -100222 || g["en"] != -100333 || g["*"] != -100111 {
		t.Fatalf("groups: %v %v", g, err)
	}
	c, _ = support(env("PAYDESK_SUPPORT_GROUPS", "cs=-100222", "PAYDESK_SUPPORT_CHAT_ID", "-100999"))
	if g := c.SupportGroups(); g["cs"] != -100222 || g["*"] != -100999 {
		t.Fatalf("a group for cs and the chat id for the rest: %v", g)
	}
	for _, bad := range [][]string{
		{"PAYDESK_SUPPORT_GROUPS", "ru:-100111"},
		{"PAYDESK_SUPPORT_GROUPS", "de=-100111"},
		{"PAYDESK_SUPPORT_GROUPS", "ru=100111"},
		{"PAYDESK_SUPPORT_GROUPS", "ru=-1,ru=-2"},
		{"PAYDESK_SUPPORT_CHAT_ID", "1234"},
		{"PAYDESK_SUPPORT_CHAT_ID", "@support"},
		{"PAYDESK_SUPPORT_LANGUAGE", "de"},
		{"PAYDESK_SUPPORT_TZ", "Mars/Olympus"},
		{"PAYDESK_SUPPORT_HOURS", "weekdays"},
		{"PAYDESK_SUPPORT_WAIT", "soon"},
	} {
		if _, err := support(env(bad...)); err == nil || !strings.Contains(err.Error(), bad[0]) {
			t.Errorf("%s=%s: %v, want an error naming the variable", bad[0], bad[1], err)
		}
	}
}

// serve without a support group warns at start and still records tickets.
func TestServeWarnsWithoutSupportGroup(t *testing.T) {
	api := telegramtest.New(t)
	var logs bytes.Buffer
	m := &Main{
		Config: Config{Token: telegramtest.Token, APIURL: api.URL(), DB: filepath.Join(t.TempDir(), "paydesk.db"),
			Demo: true, Secret: testSecret, SessionTTL: time.Hour},
		Log: slog.New(slog.NewTextHandler(&logs, nil)),
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "PAYDESK_SUPPORT_GROUPS are not set") {
		t.Fatalf("no warning at start:\n%s", logs.String())
	}
}

// serve with a support group: a handoff opens a topic, the agent's answer
// and the customer's edit travel through polling.
func TestServeRelaysThroughSupportGroup(t *testing.T) {
	const group, chat, agent = int64(-1009876543210), int64(7101), int64(9101)
	api := telegramtest.New(t)
	cfg, err := loadConfig(func(k string) string {
		return map[string]string{"PAYDESK_SUPPORT_CHAT_ID": "-1009876543210", "PAYDESK_SUPPORT_HOURS": "Mon-Sun 00:00-24:00",
			"PAYDESK_HTTP_LISTEN": "127.0.0.1:0"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Token, cfg.APIURL, cfg.DB, cfg.Demo, cfg.Secret = telegramtest.Token, api.URL(), filepath.Join(t.TempDir(), "paydesk.db"), true, testSecret
	m := &Main{Config: cfg, Log: slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	wait := func(method string, n int) []telegramtest.Call {
		return api.WaitCalls(t, n, func(c telegramtest.Call) bool { return c.Method == method }, 10*time.Second)
	}

	api.PushUpdate(telegramtest.ContactUpdate(chat, chat, chat, "+447700900001"))
	api.PushUpdate(telegramtest.CommandUpdate(chat, chat, "en", "/support"))
	topic := wait("createForumTopic", 1)[0]
	if topic.Params["name"] != "#1 · EN · General question" {
		t.Fatalf("topic %v", topic.Params)
	}
	// The topic is recorded once Telegram made it: the card posted into it
	// says so (an agent writes there only after it appears anyway).
	api.WaitCalls(t, 1, func(c telegramtest.Call) bool { return c.Method == "sendMessage" && c.ChatID() == group }, 10*time.Second)
	answer := models.Update{Message: &models.Message{ID: 77, Date: 1767225600,
		From:            &models.User{ID: agent, FirstName: "Anna", Username: "anna"},
		Chat:            models.Chat{ID: group, Type: models.ChatTypeSupergroup, Title: "Support", IsForum: true},
		MessageThreadID: 2, IsTopicMessage: true, Text: "Hello, John"}}
	api.PushUpdate(answer)
	if cp := wait("copyMessage", 1)[0]; cp.ChatID() != chat {
		t.Fatalf("agent's answer copied to %d", cp.ChatID())
	}
	edit := telegramtest.TextUpdate(chat, chat, "en", "my withdrawal #203, sorry")
	edit.EditedMessage, edit.Message = edit.Message, nil
	api.PushUpdate(edit)
	if cp := wait("copyMessage", 2)[1]; cp.ChatID() != group {
		t.Fatalf("customer's edit copied to %d", cp.ChatID())
	}
}
