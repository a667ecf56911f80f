// Package telegramtest is a fake Telegram Bot API for tests: an httptest
// server that go-telegram/bot talks to through tg.WithServerURL, that
// answers like Telegram, and that checks every request against the Bot API
// spec (botapi/api.json, embedded), failing the test on any
// violation. It records every call so tests can assert on what the bot
// sent, and it can inject faults (429, 5xx, dropped connections).
package telegramtest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Token is the only bot token the fake accepts; others get 401, as from
// Telegram.
const Token = "123456:TEST-token"

// Call is one request the fake received.
type Call struct {
	Method string
	// Params holds the decoded parameters: Integer as int64, Float as
	// float64, Boolean as bool, String as string, JSON-serialized values
	// as map[string]any / []any (numbers inside as int64 or float64), and
	// uploaded files as Upload.
	Params map[string]any
	At     time.Time
	Status int // HTTP status the fake answered with
}

// ChatID is the call's chat_id when it is numeric, else 0.
func (c Call) ChatID() int64 {
	id, _ := c.Params["chat_id"].(int64)
	return id
}

// Text is the call's text (or caption) parameter.
func (c Call) Text() string {
	if text, ok := c.Params["text"].(string); ok {
		return text
	}
	caption, _ := c.Params["caption"].(string)
	return caption
}

// Server is a running fake Bot API.
type Server struct {
	t      testing.TB
	spec   *spec
	srv    *httptest.Server
	now    func() time.Time
	bot    botUser
	done   chan struct{}
	close  sync.Once
	parked atomic.Int32 // getUpdates calls waiting in a long poll

	mu        sync.Mutex
	calls     []Call
	changed   chan struct{} // closed and replaced whenever calls or updates change
	faults    []*pendingFault
	members   map[[2]int64]string
	blocked   map[int64]bool
	lastMsgID map[int64]int64
	lastTopic map[int64]int64
	sendTimes map[int64][]time.Time
	updates   []queuedUpdate
	lastUpdID int64
	confirmed int64
	profile   map[string]any // the bot's commands and descriptions (profile.go)
	flood     *FloodLimits
	floodSeen floodState
}

type botUser struct {
	id       int64
	username string
}

// Option configures a Server.
type Option func(*Server)

// WithClock sets the clock behind Call.At, SendTimes and message dates, for
// tests that drive the bot with an injected clock.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithBotUser sets the id and username getMe reports.
func WithBotUser(id int64, username string) Option {
	return func(s *Server) { s.bot = botUser{id: id, username: username} }
}

// New starts a fake Bot API; t.Cleanup closes it.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	sp, err := apiSpec()
	if err != nil {
		t.Fatalf("%v", err)
		return nil
	}
	s := &Server{
		t:         t,
		spec:      sp,
		now:       time.Now,
		bot:       botUser{id: 123456, username: "paydesk_test_bot"},
		done:      make(chan struct{}),
		changed:   make(chan struct{}),
		members:   map[[2]int64]string{},
		blocked:   map[int64]bool{},
		lastMsgID: map[int64]int64{},
		lastTopic: map[int64]int64{},
		sendTimes: map[int64][]time.Time{},
	}
	for _, o := range opts {
		o(s)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	t.Cleanup(s.Close)
	return s
}

// URL is the base URL for tg.WithServerURL.
func (s *Server) URL() string { return s.srv.URL }

// Close stops the server; pending long polls return at once. Safe to call
// more than once.
func (s *Server) Close() {
	s.close.Do(func() {
		close(s.done)
		s.srv.Close()
	})
}

// apiError is a Bot API error answer.
type apiError struct {
	Status      int
	Description string
	RetryAfter  int
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	at := s.now()
	token, method, ok := splitPath(r.URL.Path)
	if !ok {
		s.finish(w, Call{Method: r.URL.Path, At: at}, nil, &apiError{Status: http.StatusNotFound, Description: "Not Found"})
		return
	}
	call := Call{Method: method, Params: map[string]any{}, At: at}
	if token != Token {
		s.finish(w, call, nil, &apiError{Status: http.StatusUnauthorized, Description: "Unauthorized"})
		return
	}
	m := s.spec.Methods[method]
	if m == nil {
		s.t.Errorf("telegramtest: %s: method is not in the Bot API spec (%s)", method, s.spec.Version)
		s.finish(w, call, nil, &apiError{Status: http.StatusNotFound, Description: "Not Found"})
		return
	}
	raw, err := readParams(r)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		// The client went away mid-request (a process the test killed):
		// nothing was asked of Telegram, and nobody is left to answer.
		s.t.Logf("telegramtest: %s: the client went away mid-request: %v", method, err)
		return
	}
	if err != nil {
		s.t.Errorf("telegramtest: %s: %v", method, err)
		s.finish(w, call, nil, badRequest(err.Error()))
		return
	}
	params, problems := s.spec.checkParams(m, raw)
	call.Params = params
	if len(problems) > 0 {
		for _, p := range problems {
			s.t.Errorf("telegramtest: %s: %s: %s", method, p.Path, p.Reason)
		}
		s.finish(w, call, nil, badRequest(problems[0].String()))
		return
	}
	if f := s.takeFault(method); f != nil {
		s.injectFault(w, call, f)
		return
	}
	if apiErr := s.floodCheck(method, int64Param(params["chat_id"]), at); apiErr != nil {
		s.finish(w, call, nil, apiErr)
		return
	}
	var result any
	var apiErr *apiError
	broken := false
	if method == "getUpdates" {
		result, broken = s.getUpdates(r, params)
	} else {
		result, apiErr = s.answer(m, params)
	}
	if apiErr == nil && !broken {
		s.checkResult(m, result)
	}
	s.finish(w, call, result, apiErr)
}

// splitPath reads "/bot<token>/<method>".
func splitPath(p string) (token, method string, ok bool) {
	rest, ok := strings.CutPrefix(p, "/bot")
	if !ok {
		return "", "", false
	}
	token, method, ok = strings.Cut(rest, "/")
	return token, method, ok && method != "" && !strings.Contains(method, "/")
}

func int64Param(v any) int64 {
	id, _ := v.(int64)
	return id
}

func badRequest(reason string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Description: "Bad Request: " + reason}
}

// checkResult guards the fake itself: every answer must be shaped as the
// spec's return type, or the library would decode something Telegram
// never sends.
func (s *Server) checkResult(m *specMethod, result any) {
	data, err := json.Marshal(result)
	if err != nil {
		s.t.Errorf("telegramtest bug: %s: encode result: %v", m.Name, err)
		return
	}
	v, err := decodeJSON(data)
	if err != nil {
		s.t.Errorf("telegramtest bug: %s: decode result: %v", m.Name, err)
		return
	}
	for _, p := range s.spec.checkValue(v, m.Returns, "result") {
		s.t.Errorf("telegramtest bug: %s answer does not match the spec: %s", m.Name, p)
	}
}

// finish records the call and writes Telegram's envelope. The call is
// recorded before the answer is written, so a client that has its answer
// always finds its call in Calls.
func (s *Server) finish(w http.ResponseWriter, call Call, result any, apiErr *apiError) {
	body := map[string]any{"ok": true, "result": result}
	call.Status = http.StatusOK
	if apiErr != nil {
		call.Status = apiErr.Status
		body = map[string]any{"ok": false, "error_code": apiErr.Status, "description": apiErr.Description}
		if apiErr.RetryAfter > 0 {
			body["parameters"] = map[string]any{"retry_after": apiErr.RetryAfter}
		}
	}
	s.record(call)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(call.Status)
	if err := json.NewEncoder(w).Encode(body); err != nil {
		s.t.Logf("telegramtest: %s: write answer: %v", call.Method, err)
	}
}

func (s *Server) record(call Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, call)
	if call.Status == http.StatusOK && isSendMethod(call.Method) {
		if id := call.ChatID(); id != 0 {
			s.sendTimes[id] = append(s.sendTimes[id], call.At)
		}
	}
	s.notifyLocked()
}

// notifyLocked wakes everyone waiting for new calls or updates.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}
