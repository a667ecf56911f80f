package bot_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"paydesk/bot"
	"paydesk/bot/telegramtest"
)

// busyRequests counts the requests of healthServer's /busy in its handler.
var busyRequests atomic.Int32

// healthServer serves a bare /healthz within lim on loopback, and /busy,
// which stays in the handler until the client goes.
func healthServer(t *testing.T, lim bot.ServerLimits) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(rw http.ResponseWriter, _ *http.Request) { io.WriteString(rw, "ok\n") })
	mux.HandleFunc("GET /busy", func(rw http.ResponseWriter, r *http.Request) {
		busyRequests.Add(1)
		defer busyRequests.Add(-1)
		<-r.Context().Done()
	})
	errc := make(chan error, 1)
	srv := bot.Serve(ln, mux, lim, errc)
	t.Cleanup(func() { srv.Close(); <-errc })
	return ln.Addr().String()
}

// capOnly are limits whose timeouts outlast a test, with a cap.
func capOnly(maxConns int) bot.ServerLimits {
	return bot.ServerLimits{ReadHeader: time.Minute, Read: time.Minute, Write: time.Minute, Idle: time.Minute, MaxConns: maxConns}
}

// keepAlive opens a connection, makes one request on it and leaves it
// open and idle, as a keep-alive client does.
// With must false, a connection the server closed (to make room) is nil.
func keepAlive(t *testing.T, addr string, must ...bool) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil && len(must) > 0 && !must[0] {
		return nil
	}
	if err != nil {
		t.Fatalf("keep-alive request: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return c
}

// slowHeaders opens a connection that sends the start of a request and
// no more: the server must not wait for the rest forever.
func slowHeaders(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	io.WriteString(c, "POST /telegram/hook HTTP/1.1\r\nHost: x\r\nX-Pad: ")
	return c
}

// closedBy reports whether the server closes c within d.
func closedBy(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout()) && !errors.Is(err, os.ErrDeadlineExceeded)
}

func get(addr string) (string, error) {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get("http://" + addr + "/healthz")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return string(body), err
}

// At the cap, the connection idle longest makes room for a new one.
func TestServerCapEvictsIdleConnections(t *testing.T) {
	const capConns = 20
	addr := healthServer(t, capOnly(capConns))
	var idle []net.Conn
	for range capConns {
		idle = append(idle, keepAlive(t, addr))
	}
	for i := range 5 {
		if body, err := get(addr); err != nil || body != "ok\n" {
			t.Fatalf("request %d with %d idle connections open at the cap: %q, %v", i, capConns, body, err)
		}
	}
	// The first newcomer took the place of the oldest idle connection;
	// later ones found room as the earlier newcomers left (one more may
	// have been closed while one was still leaving). Which one is "oldest"
	// may shift by one or two: the server marks a connection idle just
	// after it answered, and a loaded machine may be late doing so.
	var closed []int
	for i, c := range idle {
		if closedBy(c, 100*time.Millisecond) {
			closed = append(closed, i)
		}
	}
	if len(closed) == 0 || len(closed) > 5 || closed[len(closed)-1] >= capConns/2 {
		t.Errorf("idle connections closed: %v, want one or a few of the oldest", closed)
	}
}

// At the cap, a client sending its headers slowly makes room too: a real
// one sends them in milliseconds.
func TestServerCapEvictsSlowHeaders(t *testing.T) {
	const capConns = 10
	addr := healthServer(t, capOnly(capConns))
	var slow []net.Conn
	for range capConns {
		slow = append(slow, slowHeaders(t, addr))
	}
	time.Sleep(100 * time.Millisecond) // the server has accepted them
	if body, err := get(addr); err != nil || body != "ok\n" {
		t.Fatalf("/healthz with the cap held by slow clients: %q, %v", body, err)
	}
	if !closedBy(slow[0], 5*time.Second) {
		t.Error("the slowest client is still connected")
	}
}

// At the cap with every connection's request in the handler, a new one is
// closed at once rather than left in the backlog.
func TestServerCapShedsWhenAllBusy(t *testing.T) {
	const capConns = 10
	addr := healthServer(t, capOnly(capConns))
	var busy []net.Conn
	for range capConns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		io.WriteString(c, "GET /busy HTTP/1.1\r\nHost: x\r\n\r\n")
		busy = append(busy, c)
	}
	for deadline := time.Now().Add(30 * time.Second); busyRequests.Load() < capConns; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d requests reached the handler", busyRequests.Load(), capConns)
		}
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !closedBy(c, 5*time.Second) {
		t.Error("a connection over the cap was kept waiting")
	}
	if closedBy(busy[0], 100*time.Millisecond) {
		t.Error("a connection whose request was being handled was closed")
	}
}

// A client that sends its headers a byte now and then is cut off at the
// header timeout; an idle keep-alive connection at the idle timeout.
func TestServerTimeoutsCloseSlowAndIdleClients(t *testing.T) {
	addr := healthServer(t, bot.ServerLimits{ReadHeader: 300 * time.Millisecond, Read: time.Second, Write: time.Second, Idle: 300 * time.Millisecond, MaxConns: 100})
	slow := slowHeaders(t, addr)
	stop := make(chan struct{})
	defer close(stop)
	go func() { // a byte every 50 ms, for at most 5 s
		for range 100 {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			if _, err := slow.Write([]byte("a")); err != nil {
				return
			}
		}
	}()
	if !closedBy(slow, 5*time.Second) {
		t.Error("a client sending a byte now and then holds its connection")
	}
	if !closedBy(keepAlive(t, addr), 5*time.Second) {
		t.Error("an idle keep-alive connection is never closed")
	}
}

func TestWebhookRefusesLargeBodies(t *testing.T) {
	w := &bot.Webhook{Path: "/hook", Secret: "0123456789abcdef", Log: slog.New(slog.DiscardHandler)}
	h := w.Handler()
	for _, chunked := range []bool{false, true} {
		body := strings.NewReader(`{"update_id":1,"message":{"text":"` + strings.Repeat("a", 10<<20) + `"}}`)
		req, _ := http.NewRequest(http.MethodPost, "/hook", body)
		if chunked {
			req.ContentLength = -1 // no Content-Length: found while reading
		}
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", w.Secret)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("10 MB body (chunked %v): %d, want 413", chunked, rec.Code)
		}
	}
}

// The scenario: 600 connections that hold the webhook's listener
// without knowing the secret, half sending headers a byte now and then,
// half idle after a request. While they are open, /healthz and real
// updates are answered, both under the default cap (all 600 stay open
// until their timeouts) and under a cap of 200, standing in for a low file
// limit (the hanging ones make room).
func TestWebhookAnswersWhile600ConnectionsHang(t *testing.T) {
	for _, tc := range []struct {
		name     string
		maxConns int
	}{{"default cap", bot.DefaultServerLimits().MaxConns}, {"cap below the attack", 200}} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, rigConfig{})
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			lim := bot.DefaultServerLimits()
			lim.MaxConns = tc.maxConns
			lim.ReadHeader = 10 * time.Second // outlasts the checks on a busy machine
			errc := make(chan error, 1)
			srv := bot.Serve(ln, r.webhook, lim, errc)
			t.Cleanup(func() { srv.Close(); <-errc })
			addr := ln.Addr().String()

			const half = 300
			var slow, idle []net.Conn
			opened := time.Now()
			stop := make(chan struct{})
			defer close(stop)
			for range half {
				c := slowHeaders(t, addr)
				slow = append(slow, c)
				go func() { // a byte every 500 ms, for at most 20 s
					for range 40 {
						select {
						case <-stop:
							return
						case <-time.After(500 * time.Millisecond):
						}
						if _, err := c.Write([]byte("a")); err != nil {
							return
						}
					}
				}()
				if c := keepAlive(t, addr, tc.maxConns >= 2*half); c != nil {
					idle = append(idle, c)
				}
			}

			if body, err := get(addr); err != nil || body != "ok\n" {
				t.Fatalf("/healthz with %d connections hanging: %q, %v", 2*half, body, err)
			}
			chat := int64(7601)
			u := withID(telegramtest.CommandUpdate(chat, chat, "en", "/start"), 1)
			data, _ := json.Marshal(u)
			req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/hook", bytes.NewReader(data))
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", webhookSecret)
			client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("update with %d connections hanging: %v", 2*half, err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("update with %d connections hanging: %d", 2*half, resp.StatusCode)
			}
			r.waitSent(t, chat, 1)
			if tc.maxConns < 2*half {
				return
			}
			// Under the default cap they were all still there: nothing was
			// shed to answer, the server just had room. (The slow ones only
			// if a busy machine did not take the header timeout to get here.)
			still := idle
			if time.Since(opened) < lim.ReadHeader-time.Second {
				still = append(still, slow...)
			}
			for i, c := range still {
				if closedBy(c, time.Millisecond) {
					t.Fatalf("connection %d of %d was closed before the checks were done", i, len(still))
				}
			}
			for i, c := range slow {
				if !closedBy(c, 30*time.Second) {
					t.Fatalf("slow connection %d is still open after the header timeout", i)
				}
			}
		})
	}
}
