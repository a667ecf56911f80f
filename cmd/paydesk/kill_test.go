package main

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"paydesk/bot/telegramtest"
	"paydesk/store/sqlite"
)

// buildPaydesk builds the paydesk binary into a temporary directory.
func buildPaydesk(t *testing.T, flags ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "paydesk")
	args := append([]string{"build", "-o", bin}, flags...)
	if raceEnabled {
		args = append(args, "-race")
	}
	out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is a running `paydesk serve`.
type process struct {
	cmd *exec.Cmd
	log string
}

// startProcess starts `paydesk serve` on the demo ledger in db; env adds
// or overrides variables.
func startProcess(t *testing.T, bin string, api *telegramtest.Server, db string, env ...string) *process {
	t.Helper()
	p := &process{log: filepath.Join(t.TempDir(), "serve.log")}
	logFile, err := os.Create(p.log)
	if err != nil {
		t.Fatal(err)
	}
	p.cmd = exec.Command(bin, "serve")
	p.cmd.Env = append(os.Environ(),
		"PAYDESK_TELEGRAM_TOKEN="+telegramtest.Token,
		"PAYDESK_TELEGRAM_API_URL="+api.URL(),
		"PAYDESK_DB="+db,
		"PAYDESK_DEMO=1",
		"PAYDESK_SECRET="+testSecret,
		"PAYDESK_HTTP_LISTEN=127.0.0.1:0",
	)
	p.cmd.Env = append(p.cmd.Env, env...)
	p.cmd.Stdout, p.cmd.Stderr = logFile, logFile
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	logFile.Close()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
		if t.Failed() {
			out, _ := os.ReadFile(p.log)
			t.Logf("serve log:\n%s", out)
		}
	})
	return p
}

// kill ends the process with SIGKILL: no shutdown code runs.
func (p *process) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
}

// stop ends the process with SIGTERM and expects a clean exit.
func (p *process) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			out, _ := os.ReadFile(p.log)
			t.Fatalf("after SIGTERM: %v\n%s", err, out)
		}
	case <-time.After(time.Minute):
		t.Fatal("no exit within a minute of SIGTERM")
	}
}

// TestServeSurvivesSIGKILL kills a real `paydesk serve` twice in the middle
// of linking an account and starts it again on the same database each
// time: the conversation goes on where it was, and no message is lost or
// sent twice.
func TestServeSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildPaydesk(t)
	api := telegramtest.New(t)
	db := filepath.Join(t.TempDir(), "paydesk.db")
	const chat = 7101
	sent := func(n int) []telegramtest.Call {
		return api.WaitCalls(t, n, func(c telegramtest.Call) bool {
			return c.Method == "sendMessage" && c.ChatID() == chat && c.Status == 200
		}, 2*time.Minute)
	}

	p := startProcess(t, bin, api, db)
	api.PushUpdate(telegramtest.CommandUpdate(chat, chat, "ru", "/start"))
	greeting := sent(1)[0]
	api.PushUpdate(telegramtest.CallbackUpdate(chat, chat, 1, firstButton(t, greeting)))
	ask := sent(2)[1]
	if kb, _ := ask.Params["reply_markup"].(map[string]any); kb == nil || kb["keyboard"] == nil {
		t.Fatalf("after pressing a money entry: %v, want the share-phone keyboard", ask.Params)
	}

	// Killed while the chat waits for its phone number. (Not between a
	// send and its bookkeeping: Telegram has no idempotency key, so a reply
	// sent in the instant before a crash is sent again after it.)
	waitIdle(t, db)
	p.kill(t)
	p = startProcess(t, bin, api, db)
	api.PushUpdate(withLang(telegramtest.ContactUpdate(chat, chat, chat, "+77010000001"), "ru"))
	got := sent(4)
	if !strings.Contains(got[2].Text(), "Аккаунт привязан") {
		t.Fatalf("after the restart: %q, want the account linked", got[2].Text())
	}
	api.PushUpdate(telegramtest.CommandUpdate(chat, chat, "ru", "/menu"))
	sent(5)
	// The reply goes out from the chat's sender as soon as the update is
	// committed; the poller confirms the offset with its next getUpdates,
	// which may come a moment later. Wait for it before stopping.
	for deadline := time.Now().Add(30 * time.Second); api.Confirmed() < 5 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	p.stop(t)

	var texts []string
	for _, c := range api.SentTo(chat) {
		texts = append(texts, firstLine(c.Text()))
	}
	if len(texts) != 5 {
		t.Errorf("%d messages, want 5 (greeting, ask, linked, menu, menu):\n%s", len(texts), strings.Join(texts, "\n"))
	}
	if c := api.Confirmed(); c < 5 {
		t.Errorf("confirmed offset %d: the updates were not all confirmed", c)
	}
	store, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	sess, err := store.Session(context.Background(), chat)
	if err != nil || sess.CustomerID == 0 || sess.Flow != "" {
		t.Errorf("session after the restarts: %+v, %v; want linked, at the menu", sess, err)
	}
	left, err := store.ClaimDeliveries(context.Background(), time.Now().Add(time.Hour), time.Now(), 10)
	if err != nil || len(left) != 0 {
		t.Errorf("replies left unsent after a clean stop: %v, %v", left, err)
	}
}

// waitIdle waits until the bot owes no reply: every one committed was sent
// and forgotten.
func waitIdle(t *testing.T, db string) {
	t.Helper()
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	deadline := time.Now().Add(time.Minute)
	for {
		var n int
		if err := conn.QueryRow(`SELECT count(*) FROM deliveries`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d replies still owed after a minute", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// TestRelaySurvivesSIGKILL kills a real `paydesk serve` after a customer's
// message to support was committed and before its copy reached the topic
// (Telegram answers the copy 500 for a while): after the restart the copy
// arrives, once.
func TestRelaySurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	const group, chat = int64(-1009876543210), int64(7102)
	bin := buildPaydesk(t)
	api := telegramtest.New(t)
	db := filepath.Join(t.TempDir(), "paydesk.db")
	env := []string{"PAYDESK_SUPPORT_CHAT_ID=-1009876543210", "PAYDESK_SUPPORT_HOURS=Mon-Sun 00:00-24:00", "PAYDESK_DELIVERY_LEASE=2s"}
	toGroup := func(method string, status int) func(c telegramtest.Call) bool {
		return func(c telegramtest.Call) bool { return c.Method == method && c.ChatID() == group && c.Status == status }
	}

	p := startProcess(t, bin, api, db, env...)
	api.PushUpdate(withLang(telegramtest.ContactUpdate(chat, chat, chat, "+77010000001"), "ru"))
	api.PushUpdate(telegramtest.CommandUpdate(chat, chat, "ru", "/support"))
	api.WaitCalls(t, 1, toGroup("sendMessage", 200), time.Minute) // the case card: the topic is recorded

	api.Fail("copyMessage", 3, telegramtest.Fault{Status: 500})
	msg := telegramtest.TextUpdate(chat, chat, "ru", "где мои деньги?")
	api.PushUpdate(msg)
	// A copy is tried only once it is committed: kill the process then.
	api.WaitCalls(t, 1, toGroup("copyMessage", 500), time.Minute)
	p.kill(t)

	p = startProcess(t, bin, api, db, env...)
	cp := api.WaitCalls(t, 1, toGroup("copyMessage", 200), time.Minute)[0]
	if id, _ := cp.Params["message_id"].(int64); id != int64(msg.Message.ID) {
		t.Fatalf("copied message %d, want the customer's %d", id, msg.Message.ID)
	}
	waitIdle(t, db)
	p.stop(t)
	if n := len(api.WaitCalls(t, 1, toGroup("copyMessage", 200), time.Second)); n != 1 {
		t.Errorf("the customer's message was copied %d times, want once", n)
	}
}
