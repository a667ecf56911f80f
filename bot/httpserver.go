package bot

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// ServerLimits bound what one HTTP client can hold of the webhook (and
// health/metrics) server. The webhook listener is reachable by anyone who
// can reach the reverse proxy, before any secret is checked, so without
// them a client that sends headers and then a byte now and then, or a
// pile of idle keep-alive connections, would hold file descriptors until
// the process had none left for Telegram.
type ServerLimits struct {
	ReadHeader time.Duration // the request line and headers
	Read       time.Duration // the whole request, body included (an update is a few KB)
	// Write bounds the handling and the answer: more than Webhook.Wait,
	// after which an update not yet handled answers 500.
	Write time.Duration
	Idle  time.Duration // a keep-alive connection waiting for its next request
	// MaxConns caps the open connections (keep it well under the file
	// limit). At the cap a new connection takes the place of the one idle
	// longest (a keep-alive client just reconnects), else of the one that
	// has been sending its headers longest (a real client sends them in
	// milliseconds). Connections whose request is being handled are never
	// closed; when every one is, the new connection is closed at once
	// rather than left in the kernel's backlog to time out.
	MaxConns int
}

// DefaultServerLimits suit Telegram, which posts small bodies over at most
// 100 connections (setWebhook max_connections).
func DefaultServerLimits() ServerLimits {
	return ServerLimits{ReadHeader: 5 * time.Second, Read: 15 * time.Second, Write: 60 * time.Second,
		Idle: 60 * time.Second, MaxConns: 1000}
}

// maxHeaderBytes bounds the request headers; Telegram's are a few hundred bytes.
const maxHeaderBytes = 16 << 10

// Serve serves h on ln within lim until srv.Shutdown or srv.Close. It
// returns the server at once; the error of its Serve goes to errc
// (http.ErrServerClosed after a Shutdown).
func Serve(ln net.Listener, h http.Handler, lim ServerLimits, errc chan<- error) *http.Server {
	cl := &connLimiter{Listener: ln, max: lim.MaxConns, conns: map[net.Conn]*connInfo{}}
	srv := &http.Server{
		Handler:           cl.handling(h),
		ReadHeaderTimeout: lim.ReadHeader,
		ReadTimeout:       lim.Read,
		WriteTimeout:      lim.Write,
		IdleTimeout:       lim.Idle,
		MaxHeaderBytes:    maxHeaderBytes,
		ConnState:         cl.track,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			return context.WithValue(ctx, connKey{}, c)
		},
	}
	go func() { errc <- srv.Serve(cl) }()
	return srv
}

type connKey struct{}

// What an open connection is doing, for choosing which to close.
type connPhase int

const (
	phaseReading  connPhase = iota // accepted, or reading a request's headers
	phaseHandling                  // its request is in the handler
	phaseIdle                      // keep-alive, between requests
)

type connInfo struct {
	phase connPhase
	since time.Time
}

// connLimiter is a listener that keeps at most max connections open,
// making room by closing an idle or a slow one.
type connLimiter struct {
	net.Listener
	max int

	mu    sync.Mutex
	conns map[net.Conn]*connInfo
}

func (l *connLimiter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		lc := &limitedConn{Conn: c, l: l}
		if l.max <= 0 || l.admit(lc) {
			return lc, nil
		}
		c.Close() // every connection is busy with a request: shed this one
	}
}

// admit counts c in, first closing an idle or a slow connection if the
// cap is reached; false when there is no room.
func (l *connLimiter) admit(c net.Conn) bool {
	l.mu.Lock()
	var victim net.Conn
	if len(l.conns) >= l.max {
		victim = l.victim()
		if victim == nil {
			l.mu.Unlock()
			return false
		}
		delete(l.conns, victim)
	}
	l.conns[c] = &connInfo{phase: phaseReading, since: time.Now()}
	l.mu.Unlock()
	if victim != nil {
		victim.Close()
	}
	return true
}

// victim is the connection idle longest, else the one reading its headers
// longest; nil when all are handling requests.
func (l *connLimiter) victim() net.Conn {
	var best net.Conn
	var bestInfo *connInfo
	for c, info := range l.conns {
		if info.phase == phaseHandling {
			continue
		}
		if best == nil || info.phase > bestInfo.phase || // idle before reading
			(info.phase == bestInfo.phase && info.since.Before(bestInfo.since)) {
			best, bestInfo = c, info
		}
	}
	return best
}

// track follows the server's view of each connection (http.Server.ConnState).
func (l *connLimiter) track(c net.Conn, s http.ConnState) {
	switch s {
	case http.StateIdle:
		l.set(c, phaseIdle)
	case http.StateActive:
		l.set(c, phaseReading)
	}
}

// handling marks a connection whose request reached the handler.
func (l *connLimiter) handling(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := r.Context().Value(connKey{}).(net.Conn)
		l.set(c, phaseHandling)
		defer l.set(c, phaseReading) // until the server calls it idle
		h.ServeHTTP(w, r)
	})
}

func (l *connLimiter) set(c net.Conn, p connPhase) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if info, ok := l.conns[c]; ok && info.phase != p {
		info.phase, info.since = p, time.Now()
	}
}

// limitedConn gives its place back when closed.
type limitedConn struct {
	net.Conn
	l *connLimiter
}

func (c *limitedConn) Close() error {
	c.l.mu.Lock()
	delete(c.l.conns, c)
	c.l.mu.Unlock()
	return c.Conn.Close()
}
