package bot

import (
	"bytes"
	"io"
	"net/http"
	"time"
)

// NewAPIClient is the HTTP client for the Bot API calls, to pass to
// go-telegram/bot's WithHTTPClient. It fixes two things the library's
// default client costs a busy bot:
//
//   - The default transport keeps 2 idle connections per host, so a bot
//     answering more than 2 chats at once dials (and TLS-handshakes) a new
//     connection for most calls. This one keeps idle connections for every
//     sender that can be busy at once.
//   - The library streams each call's multipart form through an io.Pipe, so
//     net/http sends it chunked and flushes every chunk: one sendMessage
//     was a dozen write syscalls and TCP segments. This client reads the form
//     into memory first (see bufferedBodies) and sends it in one piece with
//     a Content-Length.
func NewAPIClient(idle int, timeout time.Duration) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = max(idle, 64)
	t.MaxIdleConnsPerHost = t.MaxIdleConns
	return &http.Client{Timeout: timeout, Transport: bufferedBodies{next: t}}
}

// maxBufferedBody is how much of a request body bufferedBodies holds in
// memory. Bot API calls with text and file ids are a few KiB; a body past
// this (an uploaded file) is sent as it comes, chunked.
const maxBufferedBody = 1 << 20

// bufferedBodies is a RoundTripper that sends request bodies of unknown
// length, up to maxBufferedBody, with a Content-Length, in one write.
type bufferedBodies struct{ next http.RoundTripper }

func (t bufferedBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength > 0 {
		return t.next.RoundTrip(r)
	}
	head, err := io.ReadAll(io.LimitReader(r.Body, maxBufferedBody+1))
	if err != nil {
		r.Body.Close()
		return nil, err
	}
	// A RoundTripper must not change the caller's request.
	out := r.Clone(r.Context())
	if len(head) > maxBufferedBody {
		out.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
		return t.next.RoundTrip(out)
	}
	r.Body.Close()
	out.ContentLength = int64(len(head))
	out.Body = io.NopCloser(bytes.NewReader(head))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(head)), nil }
	if len(head) == 0 {
		out.Body = http.NoBody
	}
	return t.next.RoundTrip(out)
}
