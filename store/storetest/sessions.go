package storetest

import (
	"errors"
	"fmt"
	"maps"
	"sync"
	"testing"
	"time"

	"paydesk/store"
)

func testSessionFresh(t *testing.T, s store.State) {
	got, err := s.Session(t.Context(), 42)
	if err != nil {
		t.Fatalf("Session(42): %v", err)
	}
	if want := (store.Session{ChatID: 42}); !same(got, want) {
		t.Errorf("Session(42) = %+v, want the fresh %+v", got, want)
	}
}

// unicodeData is step data a flow might keep: names, Czech diacritics,
// emoji, markup characters and empty values must all survive a save.
var unicodeData = map[string]string{
	"recipient": "Айгуль Сейткали",
	"text":      "Příliš žluťoučký kůň úpěl ďábelské ódy",
	"emoji":     "💸🇰🇿👍🏽",
	"markup":    `<b>"Tom & Jerry"</b> 'quoted' \ back`,
	"lines":     "one\ntwo\tthree",
	"empty":     "",
	"ключ":      "значение",
}

func testSessionSave(t *testing.T, s store.State) {
	ctx := t.Context()
	sess := store.Session{ChatID: 7, CustomerID: 1, Language: "ru", ClientLanguage: "cs", Flow: "cancel", Step: "confirm",
		Data: maps.Clone(unicodeData), UpdatedAt: base}
	if err := s.SaveSession(ctx, &sess); err != nil {
		t.Fatalf("SaveSession(new): %v", err)
	}
	if sess.Version != 1 {
		t.Fatalf("after the first save Version = %d, want 1", sess.Version)
	}
	assertSession(t, s, sess)

	// A new session (Version 0) must not overwrite one that exists.
	intruder := store.Session{ChatID: 7, Flow: "other"}
	if err := s.SaveSession(ctx, &intruder); !errors.Is(err, store.ErrConflict) {
		t.Errorf("SaveSession(Version 0 over an existing one) error = %v, want ErrConflict", err)
	}
	if intruder.Version != 0 {
		t.Errorf("a conflicting save changed Version to %d", intruder.Version)
	}

	stale := sess
	sess.Step, sess.UpdatedAt = "done", base.Add(time.Minute)
	sess.Reset()
	if err := s.SaveSession(ctx, &sess); err != nil {
		t.Fatalf("SaveSession(version 1): %v", err)
	}
	if sess.Version != 2 {
		t.Fatalf("after the second save Version = %d, want 2", sess.Version)
	}
	assertSession(t, s, sess) // Reset cleared the data

	if err := s.SaveSession(ctx, &stale); !errors.Is(err, store.ErrConflict) {
		t.Errorf("SaveSession(stale version 1) error = %v, want ErrConflict", err)
	}
	if stale.Version != 1 {
		t.Errorf("a conflicting save changed Version to %d", stale.Version)
	}
	assertSession(t, s, sess) // the stale save changed nothing

	// A version from the future is as wrong as a stale one.
	future := sess
	future.Version = 10
	if err := s.SaveSession(ctx, &future); !errors.Is(err, store.ErrConflict) {
		t.Errorf("SaveSession(version 10 of 2) error = %v, want ErrConflict", err)
	}

	// Other chats are untouched.
	if other, err := s.Session(ctx, 8); err != nil || other.Version != 0 {
		t.Errorf("Session(8) = %+v, %v; want a fresh one", other, err)
	}
}

func assertSession(t *testing.T, s store.State, want store.Session) {
	t.Helper()
	got, err := s.Session(t.Context(), want.ChatID)
	if err != nil {
		t.Fatalf("Session(%d): %v", want.ChatID, err)
	}
	if !same(got, want) {
		t.Errorf("Session(%d) = %+v\nwant %+v", want.ChatID, got, want)
	}
}

// testSessionRace lets several saves from the same version race, over and
// over: in every round exactly one must win, and the stored session must be
// the winner's. The first round races to create the session.
func testSessionRace(t *testing.T, s store.State) {
	ctx := t.Context()
	const (
		rounds = 20
		racers = 4
	)
	for round := range rounds {
		read, err := s.Session(ctx, 99)
		if err != nil {
			t.Fatalf("round %d: Session: %v", round, err)
		}
		errs := make([]error, racers)
		saved := make([]store.Session, racers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range racers {
			wg.Go(func() {
				mine := read
				mine.Data = map[string]string{"racer": fmt.Sprint(i), "round": fmt.Sprint(round)}
				mine.UpdatedAt = base.Add(time.Duration(round) * time.Second)
				<-start
				errs[i] = s.SaveSession(ctx, &mine)
				saved[i] = mine
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Fatalf("round %d: racers %d and %d both saved from version %d", round, winner, i, read.Version)
			case err == nil:
				winner = i
			case !errors.Is(err, store.ErrConflict):
				t.Fatalf("round %d: racer %d: %v, want nil or ErrConflict", round, i, err)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no racer saved from version %d", round, read.Version)
		}
		if saved[winner].Version != read.Version+1 {
			t.Fatalf("round %d: winner's Version = %d, want %d", round, saved[winner].Version, read.Version+1)
		}
		assertSession(t, s, saved[winner])
	}
}

func testChatsOf(t *testing.T, s store.State) {
	ctx := t.Context()
	save := func(chat int64, customer store.CustomerID, at time.Time) {
		t.Helper()
		sess, err := s.Session(ctx, chat)
		if err != nil {
			t.Fatalf("Session(%d): %v", chat, err)
		}
		sess.CustomerID, sess.UpdatedAt = customer, at
		if err := s.SaveSession(ctx, &sess); err != nil {
			t.Fatalf("SaveSession(%d): %v", chat, err)
		}
	}
	check := func(customer store.CustomerID, want ...int64) {
		t.Helper()
		got, err := s.ChatsOf(ctx, customer)
		if err != nil || !same(got, want) {
			t.Errorf("ChatsOf(%d) = %v, %v; want %v", customer, got, err, want)
		}
	}
	save(100, 7, base)
	save(200, 7, base.Add(2*time.Second))
	save(300, 7, base.Add(time.Second))
	save(400, 8, base.Add(time.Hour))
	save(500, 0, base.Add(time.Hour)) // not linked
	check(7, 200, 300, 100)
	check(8, 400)
	check(9)

	save(100, 7, base.Add(5*time.Second)) // active again
	save(200, 0, base.Add(6*time.Second)) // unlinked
	check(7, 100, 300)
	check(0) // unlinked chats belong to nobody
}
