// Package redistest starts real redis-server processes for tests: one
// server, or a three-node Redis Cluster, on free loopback ports, stopped
// when the test ends. Without redis-server the test is skipped, except in
// CI (CI=true), where it fails: the suite must not pass by not running.
package redistest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// Server is one redis-server process. Stop and Start restart it on the
// same port, as an outage would: its data is gone unless it was started
// with StartPersistent.
type Server struct {
	t    testing.TB
	Addr string // 127.0.0.1:port
	args []string
	dir  string
	cmd  *exec.Cmd
	// persist keeps the data over a restart (StartPersistent).
	persist bool
	log     *bytes.Buffer
}

// URL is the server's redis:// URL.
func (s *Server) URL() string { return "redis://" + s.Addr }

// binary finds redis-server, or ends the test.
func binary(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found (CI=true: install redis-server and redis-tools, as .ci/run does)", name)
		}
		t.Skipf("%s not found; install redis-server to run this test", name)
	}
	return path
}

// Start starts a server on a free loopback port; it is stopped when the
// test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	binary(t, "redis-server")
	s := &Server{t: t, Addr: freeAddr(t, false), dir: t.TempDir()}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// StartPersistent is Start with an append-only file synced on every write,
// so data survives Stop (a SIGKILL) and Start, as a production Redis with
// appendonly would.
func StartPersistent(t testing.TB) *Server {
	t.Helper()
	binary(t, "redis-server")
	s := &Server{t: t, Addr: freeAddr(t, false), dir: t.TempDir(), persist: true}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// Start (re)starts a stopped server.
func (s *Server) Start() {
	s.t.Helper()
	if s.cmd != nil {
		return
	}
	_, port, _ := net.SplitHostPort(s.Addr)
	aof := []string{"--appendonly", "no"}
	if s.persist {
		aof = []string{"--appendonly", "yes", "--appendfsync", "always"}
	}
	args := append(append([]string{"--port", port, "--bind", "127.0.0.1", "--save", "", "--dir", s.dir}, aof...), s.args...)
	s.log = new(bytes.Buffer)
	cmd := exec.Command(binary(s.t, "redis-server"), args...)
	cmd.Stdout, cmd.Stderr = s.log, s.log
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("start redis-server: %v", err)
	}
	s.cmd = cmd
	if err := waitPing(s.Addr, 10*time.Second); err != nil {
		s.Stop()
		s.t.Fatalf("redis-server on %s: %v\n%s", s.Addr, err, s.log)
	}
}

// Stop kills the server (SIGKILL: an outage, not a shutdown).
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
	s.cmd = nil
}

func waitPing(addr string, within time.Duration) error {
	c := goredis.NewClient(&goredis.Options{Addr: addr, MaxRetries: -1})
	defer c.Close()
	deadline := time.Now().Add(within)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no PING answer within %s: %w", within, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// freeAddr finds a free loopback port; for a cluster node the bus port
// (port + 10000) must be free too.
func freeAddr(t testing.TB, cluster bool) string {
	t.Helper()
	for range 100 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("find a free port: %v", err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		if !cluster {
			ln.Close()
			return ln.Addr().String()
		}
		if port+10000 > 65535 {
			ln.Close()
			continue
		}
		bus, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port+10000))
		ln.Close()
		if err != nil {
			continue
		}
		bus.Close()
		return ln.Addr().String()
	}
	t.Fatal("no free port pair for a cluster node")
	return ""
}

// Cluster is a three-node Redis Cluster without replicas.
type Cluster struct {
	Nodes []*Server
}

// Addrs are the nodes' addresses.
func (c *Cluster) Addrs() []string {
	addrs := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		addrs[i] = n.Addr
	}
	return addrs
}

// URL is the cluster's redis+cluster:// URL (store/redis.Open).
func (c *Cluster) URL() string { return "redis+cluster://" + strings.Join(c.Addrs(), ",") }

// StartCluster starts three cluster-enabled servers, joins them with
// `redis-cli --cluster create` and waits until every node reports
// cluster_state:ok. It is stopped when the test ends.
func StartCluster(t testing.TB) *Cluster {
	t.Helper()
	binary(t, "redis-server")
	cli := binary(t, "redis-cli")
	c := &Cluster{}
	for range 3 {
		dir := t.TempDir()
		s := &Server{t: t, Addr: freeAddr(t, true), dir: dir,
			args: []string{"--cluster-enabled", "yes", "--cluster-config-file", filepath.Join(dir, "nodes.conf"),
				"--cluster-node-timeout", "2000"}}
		s.Start()
		t.Cleanup(s.Stop)
		c.Nodes = append(c.Nodes, s)
	}
	args := append([]string{"--cluster", "create"}, c.Addrs()...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	deadline := time.Now().Add(20 * time.Second)
	for _, n := range c.Nodes {
		for {
			out, err := exec.Command(cli, "-h", "127.0.0.1", "-p", port(n.Addr), "cluster", "info").Output()
			if err == nil && bytes.Contains(out, []byte("cluster_state:ok")) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("cluster node %s not ok: %v\n%s", n.Addr, err, out)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return c
}

func port(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}
