package telegramtest

import "testing"

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

func TestSpecOverrideMustExist(t *testing.T) {
	t.Setenv(specEnv, t.TempDir()+"/nowhere.json")
	if _, err := loadSpec(); err == nil {
		t.Fatal("loadSpec with a missing override succeeded; want an error naming it")
	}
}
