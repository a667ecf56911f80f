package bot

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
)

// TestAPIClientSendsCallsInOnePiece checks that a go-telegram/bot call,
// whose form the library streams through a pipe, reaches the server with a
// Content-Length instead of chunked, with the form intact.
func TestAPIClientSendsCallsInOnePiece(t *testing.T) {
	type seen struct {
		length   int64
		encoding []string
		text     string
	}
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := seen{length: r.ContentLength, encoding: r.TransferEncoding}
		if err := r.ParseMultipartForm(1 << 20); err == nil {
			s.text = r.FormValue("text")
		}
		got <- s
		io.WriteString(w, `{"ok":true,"result":{"message_id":1,"date":0,"chat":{"id":7,"type":"private"}}}`)
	}))
	defer srv.Close()

	api, err := tg.New("1:t", tg.WithServerURL(srv.URL), tg.WithSkipGetMe(),
		tg.WithHTTPClient(time.Minute, NewAPIClient(4, time.Minute)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.SendMessage(context.Background(), &tg.SendMessageParams{ChatID: 7, Text: "Привет, мир"}); err != nil {
		t.Fatal(err)
	}
	s := <-got
	if s.length <= 0 || len(s.encoding) != 0 {
		t.Errorf("request sent with Content-Length %d, Transfer-Encoding %v; want a length and no chunking", s.length, s.encoding)
	}
	if s.text != "Привет, мир" {
		t.Errorf("text arrived as %q", s.text)
	}
}

// TestAPIClientStreamsLargeBodies checks that a body past maxBufferedBody
// is still sent whole, as it comes.
func TestAPIClientStreamsLargeBodies(t *testing.T) {
	big := strings.Repeat("x", maxBufferedBody+12345)
	var n int
	var chunked bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		n, chunked = len(b), len(r.TransferEncoding) > 0
	}))
	defer srv.Close()

	pr, pw := io.Pipe()
	go func() { io.Copy(pw, bytes.NewReader([]byte(big))); pw.Close() }()
	req, _ := http.NewRequest(http.MethodPost, srv.URL, pr)
	resp, err := NewAPIClient(1, time.Minute).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n != len(big) || !chunked {
		t.Errorf("server read %d bytes (chunked %v), want %d chunked", n, chunked, len(big))
	}
}
