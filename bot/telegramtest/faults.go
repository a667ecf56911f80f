package telegramtest

import (
	"fmt"
	"io"
	"net/http"
)

// Fault is an answer injected instead of the real one, for retry tests.
type Fault struct {
	Status      int    // e.g. 429, 500, 502, 403
	RetryAfter  int    // seconds, sent as parameters.retry_after (429)
	Drop        bool   // close the connection without answering
	Garbage     bool   // answer 200 with a body that is not JSON (a broken proxy, a client bug)
	Description string // default: what Telegram says for Status
}

type pendingFault struct {
	method string // "" matches any method
	left   int
	fault  Fault
}

// Fail makes the next n calls to method ("" = any method) get f instead of
// their answer. Faults queue in the order they were added. Requests that
// break the spec are rejected before faults apply and do not use them up.
func (s *Server) Fail(method string, n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &pendingFault{method: method, left: n, fault: f})
}

func (s *Server) takeFault(method string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, pf := range s.faults {
		if pf.method != "" && pf.method != method {
			continue
		}
		pf.left--
		if pf.left <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		f := pf.fault
		return &f
	}
	return nil
}

// injectFault answers with the fault; a dropped call is recorded with
// Status 0.
func (s *Server) injectFault(w http.ResponseWriter, call Call, f *Fault) {
	if f.Drop {
		s.record(call)
		hj, ok := w.(http.Hijacker)
		if !ok {
			s.t.Errorf("telegramtest: %s: cannot drop the connection: no http.Hijacker", call.Method)
			return
		}
		conn, _, err := hj.Hijack()
		if err != nil {
			s.t.Errorf("telegramtest: %s: drop connection: %v", call.Method, err)
			return
		}
		_ = conn.Close() // the point is a connection that ends without an answer
		return
	}
	if f.Garbage {
		call.Status = 0 // not an answer of the Bot API: nothing was sent
		s.record(call)
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html><body>Bad gateway</body></html>")
		return
	}
	status := f.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	desc := f.Description
	if desc == "" {
		desc = defaultDescription(status, f.RetryAfter)
	}
	s.finish(w, call, nil, &apiError{Status: status, Description: desc, RetryAfter: f.RetryAfter})
}

func defaultDescription(status, retryAfter int) string {
	switch status {
	case http.StatusTooManyRequests:
		return fmt.Sprintf("Too Many Requests: retry after %d", retryAfter)
	case http.StatusForbidden:
		return "Forbidden: bot was blocked by the user"
	case http.StatusBadRequest:
		return "Bad Request: chat not found"
	}
	return http.StatusText(status)
}
