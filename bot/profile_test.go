package bot_test

import (
	"strings"
	"testing"

	tg "github.com/go-telegram/bot"

	"paydesk/bot/telegramtest"
)

// TestSyncProfile sets the command menu and both descriptions in every
// language (and the default) against the fake Bot API, which checks each
// request against the spec; a restart reads them back and sets nothing;
// a changed text is set again in its language only.
func TestSyncProfile(t *testing.T) {
	r := newRig(t, rigConfig{})
	sets, err := r.bot.SyncProfile(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if sets != 12 {
		t.Errorf("first start: %d set calls, want 12 (3 per language and the default)", sets)
	}
	byLang := map[string]bool{}
	for _, c := range r.api.CallsTo("setMyCommands") {
		lang, _ := c.Params["language_code"].(string)
		byLang[lang] = true
		cmds, _ := c.Params["commands"].([]any)
		if len(cmds) != 6 {
			t.Errorf("setMyCommands %q: %d commands", lang, len(cmds))
		}
	}
	if len(byLang) != 4 || !byLang[""] || !byLang["ru"] || !byLang["cs"] || !byLang["en"] {
		t.Errorf("command menus set for %v, want the default, ru, cs and en", byLang)
	}
	for _, c := range r.api.CallsTo("setMyDescription") {
		if c.Params["language_code"] == "ru" && !strings.Contains(c.Params["description"].(string), "поддержки") {
			t.Errorf("Russian description %q", c.Params["description"])
		}
	}

	// A restart: everything is in place, nothing is set.
	before := len(r.api.Calls())
	if sets, err := r.bot.SyncProfile(t.Context()); err != nil || sets != 0 {
		t.Errorf("restart: %d set calls, %v; want none", sets, err)
	}
	for _, c := range r.api.Calls()[before:] {
		if strings.HasPrefix(c.Method, "set") {
			t.Errorf("restart called %s", c.Method)
		}
	}

	// Someone changed the Czech short description by hand: only it is set back.
	client, err := tg.New(telegramtest.Token, tg.WithServerURL(r.api.URL()), tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.SetMyShortDescription(t.Context(), &tg.SetMyShortDescriptionParams{LanguageCode: "cs", ShortDescription: "hand-made"}); err != nil {
		t.Fatal(err)
	}
	before = len(r.api.Calls())
	if sets, err := r.bot.SyncProfile(t.Context()); err != nil || sets != 1 {
		t.Errorf("after a change by hand: %d set calls, %v; want 1", sets, err)
	}
	for _, c := range r.api.Calls()[before:] {
		if strings.HasPrefix(c.Method, "set") && (c.Method != "setMyShortDescription" || c.Params["language_code"] != "cs") {
			t.Errorf("set %s %v", c.Method, c.Params["language_code"])
		}
	}
}
