package console_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"paydesk/flows/console/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/")

// TestGolden pins every scenario of every flow (flows/console/scenario) in
// each language: testdata/<scenario>.<lang>.golden.
func TestGolden(t *testing.T) {
	for _, sc := range scenario.All {
		for _, lang := range sc.Languages() {
			t.Run(sc.Name+"/"+lang, func(t *testing.T) {
				got, _ := play(t, sc, lang)
				Golden(t, sc.Name+"."+lang, got)
			})
		}
	}
}

// play plays a scenario over SQLite files in the test's directory.
func play(t *testing.T, sc scenario.Scenario, lang string) (string, *scenario.Player) {
	t.Helper()
	got, p, err := scenario.Play(context.Background(), scenario.SQLiteIn(t.TempDir()), sc, lang)
	if err != nil {
		t.Fatal(err)
	}
	return got, p
}

// newPlayer is a player for a test's own script.
func newPlayer(t *testing.T, lang string) *scenario.Player {
	t.Helper()
	p, err := scenario.NewPlayer(context.Background(), scenario.SQLiteIn(t.TempDir()), lang)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// run plays a script on p and fails the test on an error.
func run(t *testing.T, p *scenario.Player, sc scenario.Script) string {
	t.Helper()
	got, err := p.Run(sc)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// Golden compares got with testdata/name.golden, or rewrites it with -update.
func Golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./flows/console -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("transcript %s differs from %s (go test ./flows/console -update, then read the diff):\n%s", name, path, diff(string(want), got))
	}
}

// diff shows the first differing lines, enough to see what changed.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + itoa(i+1) + "\n  want: " + wl + "\n  got:  " + gl + "\n")
			shown++
		}
	}
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }
