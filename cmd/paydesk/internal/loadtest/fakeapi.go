// Package loadtest drives a bot the way Telegram does, to measure it: a
// fast fake Bot API on loopback that tells each virtual customer when its
// reply arrived, virtual customers that post updates to the bot's webhook
// and press the buttons of the replies they get, and the figures (updates
// a second, latency percentiles, CPU, heap and allocations per update).
// Unlike bot/telegramtest it checks nothing against the Bot API spec: it
// has to cost the measured process as little as it can.
package loadtest

import (
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Reply is a message the bot sent or edited in a customer's chat, as the
// fake Bot API received it.
type Reply struct {
	Method    string
	MessageID int
	Text      string
	Markup    string // reply_markup as the bot sent it (JSON); "" for none
	At        time.Time
}

// FakeAPI answers the Bot API calls a bot makes and hands each chat's
// replies to the customer waiting for them.
type FakeAPI struct {
	srv   *http.Server
	ln    net.Listener
	token string

	mu     sync.Mutex
	chats  map[int64]chan Reply
	nextID atomic.Int64

	calls, messages atomic.Int64 // every call; sendMessage and copyMessage
}

// StartFakeAPI listens on a loopback port; token is the only bot token it serves.
func StartFakeAPI(token string) (*FakeAPI, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &FakeAPI{ln: ln, token: token, chats: map[int64]chan Reply{}}
	f.srv = &http.Server{Handler: http.HandlerFunc(f.serve), ReadHeaderTimeout: 10 * time.Second}
	go f.srv.Serve(ln)
	return f, nil
}

// URL is the server URL to give the Bot API client.
func (f *FakeAPI) URL() string { return "http://" + f.ln.Addr().String() }

// Close stops the server.
func (f *FakeAPI) Close() error { return f.srv.Close() }

// Calls is how many Bot API calls arrived, and how many of them were new messages.
func (f *FakeAPI) Calls() (calls, messages int64) { return f.calls.Load(), f.messages.Load() }

// Listen returns the channel a chat's replies arrive on.
func (f *FakeAPI) Listen(chat int64) <-chan Reply {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch, ok := f.chats[chat]
	if !ok {
		ch = make(chan Reply, 8) // a step's replies; small, as there is one per linked chat
		f.chats[chat] = ch
	}
	return ch
}

func (f *FakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	at := time.Now()
	f.calls.Add(1)
	token, method, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	if !ok || token != f.token {
		http.Error(w, `{"ok":false,"error_code":401,"description":"Unauthorized"}`, http.StatusUnauthorized)
		return
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil && r.ContentLength > 0 {
		r.ParseForm()
	}
	chat, _ := strconv.ParseInt(r.FormValue("chat_id"), 10, 64)
	w.Header().Set("Content-Type", "application/json")
	switch method {
	case "sendMessage", "copyMessage", "editMessageText":
		id, _ := strconv.Atoi(r.FormValue("message_id"))
		if method != "editMessageText" {
			id = int(f.nextID.Add(1))
			f.messages.Add(1)
		}
		f.deliver(chat, Reply{Method: method, MessageID: id, Text: r.FormValue("text"), Markup: r.FormValue("reply_markup"), At: at})
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": map[string]any{
			"message_id": id, "date": at.Unix(), "chat": map[string]any{"id": chat, "type": "private"}}})
	default:
		// answerCallbackQuery, setWebhook, deleteWebhook, setMyCommands, ...
		w.Write([]byte(`{"ok":true,"result":true}`))
	}
}

func (f *FakeAPI) deliver(chat int64, rep Reply) {
	f.mu.Lock()
	ch := f.chats[chat]
	f.mu.Unlock()
	if ch == nil {
		return
	}
	select {
	case ch <- rep:
	default: // nobody reads this chat fast enough; drop rather than stall the bot
	}
}
