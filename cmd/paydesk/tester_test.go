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
	"paydesk/locales"
)

// TestLocaleTesterEndToEnd: a tester named in PAYDESK_LOCALE_TESTERS
// switches to the pseudo-locale and the IDs mode on Telegram (the fake Bot
// API), replies /fix to a bot message, and `paydesk locales feedback`
// exports the suggestion with that message's IDs. A customer's /language
// offers neither.
func TestLocaleTesterEndToEnd(t *testing.T) {
	const tester, customer = 8101, 8102
	api := telegramtest.New(t)
	dbPath := filepath.Join(t.TempDir(), "paydesk.db")
	m := &Main{Config: Config{Token: telegramtest.Token, APIURL: api.URL(), DB: dbPath, Demo: true, Secret: testSecret,
		SessionTTL: 24 * time.Hour, LocaleTesters: []int64{tester}}, Log: slog.New(slog.DiscardHandler)}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	sent := func(chat int64, n int) []telegramtest.Call {
		return api.WaitCalls(t, n, func(c telegramtest.Call) bool {
			return (c.Method == "sendMessage" || c.Method == "editMessageText") && c.ChatID() == chat
		}, 10*time.Second)
	}

	api.PushUpdate(telegramtest.CommandUpdate(customer, customer, "en", "/language"))
	if rows := buttons(sent(customer, 1)[0]); len(rows) != 4 {
		t.Errorf("a customer's picker has %d rows: %v", len(rows), rows)
	}

	api.PushUpdate(telegramtest.CommandUpdate(tester, tester, "en", "/language"))
	picker := sent(tester, 1)[0]
	rows := buttons(picker)
	if len(rows) != 6 {
		t.Fatalf("the tester's picker has %d rows: %v", len(rows), rows)
	}
	api.PushUpdate(telegramtest.CallbackUpdate(tester, tester, 1, rows[3])) // Pseudo-locale
	if got := sent(tester, 2)[1].Text(); !strings.HasPrefix(got, "[") || strings.IndexFunc(got, locales.IsPseudo) < 0 {
		t.Errorf("after choosing the pseudo-locale: %q", got)
	}
	api.PushUpdate(telegramtest.CommandUpdate(tester, tester, "en", "/language"))
	api.PushUpdate(telegramtest.CallbackUpdate(tester, tester, 3, buttons(sent(tester, 3)[2])[4])) // Show message IDs
	sent(tester, 4)
	api.PushUpdate(telegramtest.CommandUpdate(tester, tester, "en", "/help"))
	help := sent(tester, 5)[4]
	if !strings.Contains(help.Text(), "<code>help.text</code>") {
		t.Fatalf("no message IDs under the help: %q", help.Text())
	}

	fix := telegramtest.CommandUpdate(tester, tester, "en", "/fix cs Co umím")
	fix.Message.ReplyToMessage = &models.Message{ID: 5, Chat: fix.Message.Chat, Date: fix.Message.Date,
		From: &models.User{ID: 123456, IsBot: true, FirstName: "Paydesk Test"}, Text: locales.PlainText(help.Text())}
	api.PushUpdate(fix)
	if ack := sent(tester, 6)[5].Text(); !strings.Contains(ack, "help.text") {
		t.Errorf("acknowledgement %q", ack)
	}
	m.Close()

	var out bytes.Buffer
	env := func(k string) string { return map[string]string{"PAYDESK_DB": dbPath}[k] }
	if err := runWith(context.Background(), []string{"locales", "feedback"}, env, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), ",cs,help.text common.menu_button,8101,") || !strings.Contains(out.String(), "Co umím") {
		t.Errorf("export:\n%s", out.String())
	}
}

// TestServeSetsProfileOnce: the first start sets the command menu and the
// descriptions in every language; a restart sets nothing.
func TestServeSetsProfileOnce(t *testing.T) {
	api := telegramtest.New(t)
	dbPath := filepath.Join(t.TempDir(), "paydesk.db")
	sets := func() int {
		n := 0
		for _, c := range api.Calls() {
			if strings.HasPrefix(c.Method, "setMy") {
				n++
			}
		}
		return n
	}
	first := startServe(t, api, dbPath)
	if n := sets(); n != 12 {
		t.Errorf("first start made %d setMy* calls, want 12", n)
	}
	first.Close()
	startServe(t, api, dbPath)
	if n := sets(); n != 12 {
		t.Errorf("a restart made %d more setMy* calls, want none", n-12)
	}
}

// buttons are the callback data of a message's inline buttons, one per row
// (the first of each row).
func buttons(c telegramtest.Call) []string {
	kb, _ := c.Params["reply_markup"].(map[string]any)
	rows, _ := kb["inline_keyboard"].([]any)
	var out []string
	for _, r := range rows {
		b := r.([]any)[0].(map[string]any)
		out = append(out, b["callback_data"].(string))
	}
	return out
}
