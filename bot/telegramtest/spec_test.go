package telegramtest

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestFindSpecSaysWhereItLooked(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	missing := filepath.Join(dir, "nowhere", "api.json")
	t.Setenv(specEnv, missing)
	path, looked := findSpec()
	if path != "" {
		t.Fatalf("found %s in an empty temp dir", path)
	}
	all := strings.Join(looked, "\n")
	for _, want := range []string{missing, filepath.Join(dir, specRel), filepath.Join("/", specRel)} {
		if !strings.Contains(all, want) {
			t.Errorf("looked at %q, want it to mention %s", looked, want)
		}
	}
}

func TestSpecLoaded(t *testing.T) {
	sp, err := apiSpec()
	if err != nil {
		t.Fatal(err)
	}
	if sp.Version != "Bot API 10.1" {
		t.Errorf("spec version %q", sp.Version)
	}
	// Discriminators steer union checks and minimal answers.
	if got := sp.Types["ChatMemberBanned"].fieldsByName["status"].constant; got != "kicked" {
		t.Errorf("ChatMemberBanned.status constant = %q, want kicked", got)
	}
	if got := sp.Types["BotCommandScopeChat"].fieldsByName["type"].constant; got != "chat" {
		t.Errorf("BotCommandScopeChat.type constant = %q, want chat", got)
	}
}
