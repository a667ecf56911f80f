package transcript_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"paydesk/flows/console/scenario"
	"paydesk/flows/console/transcript"
)

// chromium finds the browser; in CI (CI=true) a missing browser fails the
// test, elsewhere it skips it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed (.ci/run installs it with apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed")
	return ""
}

// headless runs chromium on a page with a fresh profile and no network
// services, and returns its standard output.
func headless(t *testing.T, browser string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--user-data-dir=" + t.TempDir(), "--window-size=1400,1800"}
	cmd := exec.CommandContext(ctx, browser, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s", browser, args, err, stderr.String())
	}
	return stdout.String()
}

// TestGalleryInBrowser writes the gallery, opens it offline in headless
// Chromium, and checks the page itself reports every language column
// rendered, with messages, the filter by flow working, and no script
// error; it also takes a screenshot
// (left in the test's directory; set PAYDESK_SCREENSHOT to keep a copy).
func TestGalleryInBrowser(t *testing.T) {
	browser := chromium(t)
	doc, err := transcript.Build(context.Background(), scenario.SQLiteIn(t.TempDir()), scenario.All, scenario.Languages)
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := transcript.HTML(&page, doc); err != nil {
		t.Fatal(err)
	}
	if external := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//`).FindString(page.String()); external != "" {
		t.Errorf("the page loads something from the network: %q", external)
	}
	dir := t.TempDir()
	index := filepath.Join(dir, "index.html")
	if err := os.WriteFile(index, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	url := "file://" + index

	dom := headless(t, browser, "--dump-dom", url)
	result := regexp.MustCompile(`<div id="render-result"[^>]*>[^<]*</div>`).FindString(dom)
	if result == "" {
		t.Fatalf("the page wrote no render result (the script did not run to the end):\n%.2000s", dom)
	}
	attr := func(name string) string {
		m := regexp.MustCompile(name + `="([^"]*)"`).FindStringSubmatch(result)
		if m == nil {
			return ""
		}
		return m[1]
	}
	if attr("data-errors") != "0" || attr("data-ok") != "true" || attr("data-filter") != "true" || attr("data-columns") != strings.Join(scenario.Languages, " ") {
		t.Errorf("render result %s", result)
	}
	for _, lang := range scenario.Languages {
		if n := attr("data-bubbles" + lang); n == "" || n == "0" {
			t.Errorf("no messages rendered in the %s column: %s", lang, result)
		}
	}
	if got := strings.Count(dom, `class="scenario"`); got != len(scenario.All) {
		t.Errorf("%d scenario sections, want %d", got, len(scenario.All))
	}

	shot := filepath.Join(dir, "gallery.png")
	headless(t, browser, "--screenshot="+shot, "--hide-scrollbars", url)
	png, err := os.ReadFile(shot)
	if err != nil || len(png) < 10000 || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("screenshot %s: %d bytes, %v", shot, len(png), err)
	}
	if keep := os.Getenv("PAYDESK_SCREENSHOT"); keep != "" {
		if err := os.WriteFile(keep, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
