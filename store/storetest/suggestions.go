package storetest

import (
	"slices"
	"testing"
	"time"

	"paydesk/store"
)

func testSuggestions(t *testing.T, s store.State) {
	ctx := t.Context()
	if list, err := s.Suggestions(ctx); err != nil || len(list) != 0 {
		t.Fatalf("Suggestions of an empty store = %v, %v", list, err)
	}
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	first := store.Suggestion{Key: "101:7", MessageIDs: []string{"menu.title", "menu.transfers"}, Lang: "ru",
		Seen: "Чем могу помочь?", Text: "Чем помочь?", UserID: 42, ChatID: 101, CreatedAt: at}
	added, err := s.AddSuggestion(ctx, &first)
	if err != nil || !added || first.ID == 0 {
		t.Fatalf("AddSuggestion = %v, %v, id %d", added, err, first.ID)
	}
	again := first
	again.ID, again.Text = 0, "something else"
	if added, err := s.AddSuggestion(ctx, &again); err != nil || added || again.ID != first.ID || again.Text != first.Text {
		t.Fatalf("AddSuggestion with the same key = %v, %v, %+v; want the stored one back", added, err, again)
	}
	unknown := store.Suggestion{Key: "101:9", Lang: "cs", Seen: "x", Text: "y", UserID: 42, ChatID: 101, CreatedAt: at.Add(time.Second)}
	if _, err := s.AddSuggestion(ctx, &unknown); err != nil || unknown.ID <= first.ID {
		t.Fatalf("second AddSuggestion: id %d after %d, %v", unknown.ID, first.ID, err)
	}
	list, err := s.Suggestions(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("Suggestions = %v, %v", list, err)
	}
	got := list[0]
	if got.ID != first.ID || got.Key != first.Key || !slices.Equal(got.MessageIDs, first.MessageIDs) || got.Lang != "ru" ||
		got.Seen != first.Seen || got.Text != first.Text || got.UserID != 42 || got.ChatID != 101 || !got.CreatedAt.Equal(at) {
		t.Errorf("stored %+v, want %+v", got, first)
	}
	if list[1].ID != unknown.ID || len(list[1].MessageIDs) != 0 {
		t.Errorf("second stored %+v", list[1])
	}
}

func testSessionTester(t *testing.T, s store.State) {
	ctx := t.Context()
	sess, err := s.Session(ctx, 77)
	if err != nil {
		t.Fatal(err)
	}
	sess.Tester = store.TesterState{ShowIDs: true, Recent: []store.ShownScreen{
		{Sum: 1<<63 + 5, Lang: "en-XA", IDs: []string{"menu.title", "common.back"}}, {Sum: 3, Lang: "ru", IDs: []string{"help.text"}},
	}}
	sess.Language = "en-XA"
	if err := s.SaveSession(ctx, &sess); err != nil {
		t.Fatal(err)
	}
	got, err := s.Session(ctx, 77)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Tester.ShowIDs || got.Language != "en-XA" || len(got.Tester.Recent) != 2 ||
		got.Tester.Recent[0].Sum != 1<<63+5 || got.Tester.Recent[0].Lang != "en-XA" ||
		!slices.Equal(got.Tester.Recent[0].IDs, []string{"menu.title", "common.back"}) ||
		!slices.Equal(got.Tester.Recent[1].IDs, []string{"help.text"}) {
		t.Errorf("tester state %+v, want %+v", got.Tester, sess.Tester)
	}
}
