package flows_test

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"paydesk/flows"
	"paydesk/locales"
	"paydesk/store"
	"paydesk/store/backend"
)

// The customer's side of an unavailable payments backend, through the real
// HTTP stack: the engine's ledger is backend.Client talking to the
// reference server over the harness's SQLite demo ledger, behind a switch
// that makes the backend down, answer 503, answer after the client's
// timeout, or reset the connection after it has written.

type fault int32

const (
	healthy     fault = iota
	down              // nothing listens: connection refused
	status503         // answers 503 without touching the ledger
	slow              // writes, then answers after the client has given up
	reset             // writes, then resets the connection instead of answering
	resetFirst        // as reset for the first request with a key, then healthy
	slowWrites        // as slow, for writes only: the reads before them succeed
	resetWrites       // as reset, for writes only
)

// backendRig is the reference server on a fixed loopback address that can
// be taken down and brought back.
type backendRig struct {
	t      *testing.T
	addr   string
	ledger http.Handler
	mode   atomic.Int32
	mu     sync.Mutex
	srv    *httptest.Server
	writes map[string]int // Idempotency-Key -> requests that arrived with it
}

const clientTimeout = 300 * time.Millisecond

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// overBackend makes the harness's engine use the backend client as its
// ledger (its State stays the SQLite file).
func (h *transferHarness) overBackend(c *backend.Client) {
	h.engine = flows.New(h.db, c, flows.WithSecret([]byte("flows-test-secret-0123456789abcdef")),
		flows.WithClock(func() time.Time { return h.now }), flows.WithLogger(slog.New(slog.NewTextHandler(h.logs, nil))))
}

func newBackendRig(t *testing.T, h *harness) (*backendRig, *backend.Client) {
	r := &backendRig{t: t, ledger: backend.NewServer(h.db), writes: map[string]int{}}
	r.start("127.0.0.1:0")
	r.addr = r.srv.Listener.Addr().String()
	t.Cleanup(func() { r.stop() })
	c, err := backend.New(backend.Config{URL: "http://" + r.addr, Timeout: clientTimeout, Attempts: 2,
		Backoff: 5 * time.Millisecond, BreakerThreshold: 1000, Now: time.Now, Log: discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return r, c
}

func (r *backendRig) start(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		r.t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(r.serve))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	r.mu.Lock()
	r.srv = srv
	r.mu.Unlock()
}

func (r *backendRig) stop() {
	r.mu.Lock()
	srv := r.srv
	r.srv = nil
	r.mu.Unlock()
	if srv != nil {
		srv.CloseClientConnections()
		srv.Close()
	}
}

// set switches the fault; down and back up close and reopen the listener.
func (r *backendRig) set(f fault) {
	was := fault(r.mode.Swap(int32(f)))
	switch {
	case f == down && was != down:
		r.stop()
	case f != down && was == down:
		r.start(r.addr)
	}
}

func (r *backendRig) serve(w http.ResponseWriter, req *http.Request) {
	mode := fault(r.mode.Load())
	if key := req.Header.Get("Idempotency-Key"); key != "" {
		r.mu.Lock()
		r.writes[key]++
		if mode == resetFirst && r.writes[key] > 1 {
			mode = healthy
		}
		r.mu.Unlock()
	}
	if req.Header.Get("Idempotency-Key") == "" {
		switch mode {
		case resetFirst, slowWrites, resetWrites:
			mode = healthy
		}
	}
	switch mode {
	case status503:
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"type":"about:blank","title":"maintenance","status":503}`))
		return
	case slow, slowWrites:
		rec := httptest.NewRecorder()
		r.ledger.ServeHTTP(rec, req)
		time.Sleep(clientTimeout + 100*time.Millisecond)
		copyRecorded(w, rec)
		return
	case reset, resetFirst, resetWrites:
		r.ledger.ServeHTTP(httptest.NewRecorder(), req) // the write is made...
		conn, _, err := w.(http.Hijacker).Hijack()      // ...and its answer lost
		if err == nil {
			conn.(*net.TCPConn).SetLinger(0) // RST, not FIN
			conn.Close()
		}
		return
	}
	r.ledger.ServeHTTP(w, req)
}

func copyRecorded(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	maps.Copy(w.Header(), rec.Header())
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// writesArrived is how many write requests reached the backend, and the
// most that arrived with any one key.
func (r *backendRig) writesArrived() (total, maxPerKey int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range r.writes {
		total += n
		maxPerKey = max(maxPerKey, n)
	}
	return total, maxPerKey
}

// wantBusy checks the busy screen: localized, Retry and Menu, and for a
// press, in place of the pressed message with Retry pressing it again.
func wantBusy(t *testing.T, out flows.Outcome, pressed string) (retry string) {
	t.Helper()
	wantIDs(t, out, "backend.busy")
	s := out.Replies[0].Screen
	if len(s.Inline) != 1 || len(s.Inline[0]) != 2 || s.Inline[0][0].Label.ID != "backend.retry" || s.Inline[0][1].Label.ID != "common.menu_button" {
		t.Fatalf("busy screen buttons %+v, want Retry and Menu", s.Inline)
	}
	if pressed != "" && (s.Inline[0][0].Data != pressed || !s.Replace || out.Toast.ID != "backend.busy_toast") {
		t.Errorf("busy after a press: retry %q replace=%v toast %q; want the pressed %q again, in place, with a notice",
			s.Inline[0][0].Data, s.Replace, out.Toast.ID, pressed)
	}
	return s.Inline[0][0].Data
}

// TestBackendFaultsKeepTheConversation: whichever way the backend fails
// while the customer confirms a cancellation request, they are told it is
// busy, the conversation stays at the confirmation, Retry makes the
// request, and the backend made it once.
func TestBackendFaultsKeepTheConversation(t *testing.T) {
	for _, tt := range []struct {
		name  string
		fault fault
	}{
		{"down", down},
		{"503", status503},
		{"after the timeout", slow},
		{"reset", reset},
		// The write itself reaches the backend, which makes it, and its
		// answer is lost, on every attempt: the customer is told to retry,
		// and the write is made once.
		{"write answered after the timeout", slowWrites},
		{"connection reset mid-write", resetWrites},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newTransferHarness(t)
			rig, client := newBackendRig(t, h.harness)
			h.overBackend(client)
			h.link(senderChat, "+77010000001")
			confirm := button(t, h.press(senderChat, button(t, h.card(senderChat, toNurlan), "transfer.request_button")), "transfer.confirm_button")
			before := h.sessionOf(senderChat)

			rig.set(tt.fault)
			retry := wantBusy(t, h.press(senderChat, confirm), confirm)
			after := h.sessionOf(senderChat)
			if after.Flow != before.Flow || after.Step != before.Step || !maps.Equal(after.Data, before.Data) || after.Version != before.Version {
				t.Errorf("session after the busy answer %+v, want it untouched %+v", after, before)
			}
			// Still busy: asked again, answered the same, the session kept.
			// (A write that failed only in its answer was made: pressing
			// again finds the request; that is checked below.)
			if tt.fault != slowWrites && tt.fault != resetWrites {
				wantBusy(t, h.press(senderChat, retry), confirm)
			}

			rig.set(healthy)
			done := h.press(senderChat, retry)
			if !has(to(done, senderChat), "transfer.request_status") {
				t.Fatalf("Retry once the backend is back: %v, want the card with the request", ids(done))
			}
			if n := h.openCount(); n != 1 {
				t.Errorf("%d open cancellation requests at the backend, want 1", n)
			}
			total, perKey := rig.writesArrived()
			t.Logf("%s: %d write requests reached the backend, at most %d with one key, %d request made", tt.name, total, perKey, h.openCount())
			if (tt.fault == slowWrites || tt.fault == resetWrites) && perKey < 2 {
				t.Errorf("%s: the write reached the backend %d times; the fault did not hit it", tt.name, perKey)
			}
			if tt.fault == down || tt.fault == status503 {
				// Nothing was written while it failed; Retry wrote once.
				if r, ok := h.latest(toNurlan); !ok || r.Status != store.CancellationNotified {
					t.Errorf("request after Retry: %+v %v", r, ok)
				}
			}
			// A second Retry (a double tap) finds the request, makes no other.
			h.press(senderChat, retry)
			if n := h.openCount(); n != 1 {
				t.Errorf("after a second Retry %d open requests, want 1", n)
			}
		})
	}
}

// TestBackendResetOnceIsRetried: a connection reset after the backend wrote
// is retried by the client with the same key: the customer sees the
// request made, and the backend made it once though it was asked twice.
func TestBackendResetOnceIsRetried(t *testing.T) {
	h := newTransferHarness(t)
	rig, client := newBackendRig(t, h.harness)
	h.overBackend(client)
	h.link(senderChat, "+77010000001")
	confirm := button(t, h.press(senderChat, button(t, h.card(senderChat, toNurlan), "transfer.request_button")), "transfer.confirm_button")
	rig.set(resetFirst)
	done := h.press(senderChat, confirm)
	if !has(to(done, senderChat), "transfer.request_status") {
		t.Fatalf("confirm with the first answer lost: %v, want the card with the request", ids(done))
	}
	total, perKey := rig.writesArrived()
	if total != 2 || perKey != 2 || h.openCount() != 1 {
		t.Errorf("%d writes arrived (%d with one key), %d requests made; want 2 with the same key, 1 made", total, perKey, h.openCount())
	}
}

// TestBusyInput: a shared contact while the backend is down is kept for
// Retry, and Retry links the chat.
func TestBusyInput(t *testing.T) {
	h := newTransferHarness(t)
	rig, client := newBackendRig(t, h.harness)
	h.overBackend(client)
	rig.set(down)
	out := h.in(senderChat, flows.Event{Kind: flows.EventContact, LanguageCode: "ru",
		Contact: &flows.Contact{Phone: "+77010000001", UserID: senderChat}})
	retry := wantBusy(t, out, "")
	bundle, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	if got := bundle.For("ru").Text(out.Replies[0].Screen.Body[0]); got == bundle.For("en").Text(out.Replies[0].Screen.Body[0]) {
		t.Errorf("busy screen in ru is the English text: %q", got)
	}
	if s := h.sessionOf(senderChat); s.CustomerID != 0 {
		t.Fatalf("linked while the backend was down: %+v", s)
	}
	rig.set(healthy)
	if got := ids(h.press(senderChat, retry)); len(got) == 0 || got[0] != "link.done" {
		t.Fatalf("Retry: %v, want the chat linked", got)
	}
	if got := ids(h.press(senderChat, retry)); len(got) == 0 || got[0] != "common.button_invalid" {
		t.Errorf("second Retry: %v, want nothing left to retry", got)
	}
}

func (h *harness) sessionOf(chatID int64) store.Session {
	h.t.Helper()
	s, err := h.db.Session(context.Background(), chatID)
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

// TestBusyOpenTicketStillRelays: while the payments backend answers 503,
// the messages of a chat whose support ticket is open still go to the
// agents (an open ticket needs only the bot's State), and the ticket's
// own buttons and /cancel still answer; once the customer has left the
// queue, what needs the ledger gets the busy screen, and the chat stays
// linked.
func TestBusyOpenTicketStillRelays(t *testing.T) {
	ctx := context.Background()
	h := newTransferHarness(t)
	rig, client := newBackendRig(t, h.harness)
	h.overBackend(client)
	h.link(senderChat, "+77010000001")
	menu := h.in(senderChat, flows.Event{Kind: flows.EventCommand, Command: "menu"})
	h.in(senderChat, flows.Event{Kind: flows.EventCommand, Command: "support"})
	tk, err := h.db.OpenTicketOfChat(ctx, senderChat)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.db.SetTicketTopic(ctx, tk.ID, -1001, 77); err != nil { // as the adapter does once it made the topic
		t.Fatal(err)
	}

	rig.set(status503)
	for _, ev := range []flows.Event{
		{Kind: flows.EventText, Text: "where is my money?"},
		{Kind: flows.EventPhoto, FileID: "p1"},
	} {
		out := h.in(senderChat, ev)
		wantIDs(t, out)
		wantRelays(t, out, "to-topic")
	}
	wantIDs(t, h.press(senderChat, button(t, menu, "menu.withdrawals")), "support.in_queue")
	wantIDs(t, h.in(senderChat, flows.Event{Kind: flows.EventCommand, Command: "cancel"}), "support.cancel.ask")
	left := h.in(senderChat, flows.Event{Kind: flows.EventText, Text: "Back to the bot"})
	wantIDs(t, left, "support.left", "menu.title")
	wantRelays(t, left, "note:support.agent.customer_left", "closed")

	withdrawals := button(t, menu, "menu.withdrawals")
	wantBusy(t, h.press(senderChat, withdrawals), withdrawals)
	wantBusy(t, h.in(senderChat, flows.Event{Kind: flows.EventText, Text: "hello"}), "")
	if s := h.sessionOf(senderChat); s.CustomerID != 1 {
		t.Errorf("session after the outage %+v, want the chat still linked to customer 1", s)
	}
}
