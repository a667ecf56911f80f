package bot

import (
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
	// MaxConns caps the open connections. At the cap the connection idle
	// longest is closed to make room (a keep-alive client just reconnects);
	// when none is idle the new connection is closed at once, rather than
	// left waiting in the kernel's backlog where it would time out.
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
	cl := &connLimiter{Listener: ln, max: lim.MaxConns, idle: map[net.Conn]time.Time{}}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: lim.ReadHeader,
		ReadTimeout:       lim.Read,
		WriteTimeout:      lim.Write,
		IdleTimeout:       lim.Idle,
		MaxHeaderBytes:    maxHeaderBytes,
		ConnState:         cl.track,
	}
	go func() { errc <- srv.Serve(cl) }()
	return srv
}

// connLimiter is a listener that keeps at most max connections open,
// making room by closing the connection idle longest.
type connLimiter struct {
	net.Listener
	max int

	mu   sync.Mutex
	open int
	idle map[net.Conn]time.Time // keep-alive connections between requests, since when
}

func (l *connLimiter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.max <= 0 || l.admit() {
			return &limitedConn{Conn: c, l: l}, nil
		}
		c.Close() // every connection is busy with a request: shed this one
	}
}

// admit counts a new connection in, closing the longest idle one if the
// cap is reached; false when there is no room.
func (l *connLimiter) admit() bool {
	l.mu.Lock()
	if l.open < l.max {
		l.open++
		l.mu.Unlock()
		return true
	}
	var oldest net.Conn
	var since time.Time
	for c, t := range l.idle {
		if oldest == nil || t.Before(since) {
			oldest, since = c, t
		}
	}
	if oldest == nil {
		l.mu.Unlock()
		return false
	}
	delete(l.idle, oldest)
	l.open++ // the evicted one's Close takes its count back
	l.mu.Unlock()
	oldest.Close()
	return true
}

// track follows the server's view of each connection (http.Server.ConnState).
func (l *connLimiter) track(c net.Conn, s http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s == http.StateIdle {
		l.idle[c] = time.Now()
	} else {
		delete(l.idle, c)
	}
}

// limitedConn gives its place back once, when closed.
type limitedConn struct {
	net.Conn
	l    *connLimiter
	once sync.Once
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.mu.Lock()
		if c.l.max > 0 {
			c.l.open--
		}
		delete(c.l.idle, c)
		c.l.mu.Unlock()
	})
	return err
}
