package telegramtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"

	tg "github.com/go-telegram/bot"
)

// recorder stands in for the test the fake reports to, so these tests can
// prove the fake complains without failing themselves.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// Fatalf records and ends the goroutine, as testing.T does, without
// failing the real test.
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errors...)
}

// newRecorded starts a fake whose complaints go to a recorder.
func newRecorded(t *testing.T, opts ...Option) (*Server, *recorder) {
	rec := &recorder{TB: t}
	return New(rec, opts...), rec
}

// wantClean fails when the fake complained about anything.
func wantClean(t *testing.T, rec *recorder) {
	t.Helper()
	for _, e := range rec.Errors() {
		t.Errorf("fake complained: %s", e)
	}
}

// newClient is a real go-telegram/bot client pointed at the fake.
func newClient(t *testing.T, s *Server, opts ...tg.Option) *tg.Bot {
	t.Helper()
	b, err := tg.New(Token, append([]tg.Option{tg.WithServerURL(s.URL()), tg.WithSkipGetMe()}, opts...)...)
	if err != nil {
		t.Fatalf("tg.New: %v", err)
	}
	return b
}

// apiAnswer is the Bot API envelope as the fake wrote it.
type apiAnswer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
}

// post sends a multipart form the way the library does, but with whatever
// fields a test wants, including wrong ones.
func post(t *testing.T, url, token, method string, fields map[string]string) (int, apiAnswer) {
	t.Helper()
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	for k, v := range fields {
		if err := form.WriteField(k, v); err != nil {
			t.Fatalf("write field %s: %v", k, err)
		}
	}
	if err := form.Close(); err != nil {
		t.Fatalf("close form: %v", err)
	}
	resp, err := http.Post(url+"/bot"+token+"/"+method, form.FormDataContentType(), &body)
	if err != nil {
		t.Fatalf("post %s: %v", method, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s answer: %v", method, err)
	}
	var a apiAnswer
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatalf("decode %s answer %q: %v", method, data, err)
	}
	return resp.StatusCode, a
}

func containsAny(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
