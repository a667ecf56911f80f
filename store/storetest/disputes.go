package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"paydesk/store"
)

// fixtureDispute disputes the fixture's refused request 41. Its text is
// stored as the customer typed it, markup and all.
func fixtureDispute() store.Dispute {
	return store.Dispute{ReturnRequestID: 41, Reason: "damaged", Text: "Не работает левый наушник <b>&",
		PhotoFileIDs: []string{"AgACAgIAAxkBAAIB", "AgACAgIAAxkBAAIC"}, Status: store.DisputeUnderReview,
		CreatedAt: base.Add(time.Hour)}
}

func testDisputes(t *testing.T, s store.Store) {
	ctx := t.Context()
	if _, err := s.DisputeOf(ctx, 41); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("DisputeOf before any dispute: %v, want ErrNotFound", err)
	}
	want := fixtureDispute()
	got, created, err := s.CreateDispute(ctx, want)
	if err != nil || !created || got.ID == 0 {
		t.Fatalf("CreateDispute: %+v created=%v err=%v", got, created, err)
	}
	want.ID = got.ID
	if !same(got, want) {
		t.Fatalf("CreateDispute returned %+v, want %+v", got, want)
	}
	if stored, err := s.DisputeOf(ctx, 41); err != nil || !same(stored, want) {
		t.Fatalf("DisputeOf(41) = %+v, %v; want %+v", stored, err, want)
	}
	if r, err := s.ReturnRequest(ctx, 41); err != nil || r.Status != store.ReturnDisputed {
		t.Fatalf("return request after the dispute: %+v, %v; want status disputed", r, err)
	}

	second := fixtureDispute()
	second.Reason, second.Text, second.PhotoFileIDs = "other", "second try", nil
	again, created, err := s.CreateDispute(ctx, second)
	if err != nil || created || !same(again, want) {
		t.Fatalf("second CreateDispute = %+v created=%v err=%v; want the first dispute back", again, created, err)
	}

	// A dispute without photos reads back with none.
	bare := store.Dispute{ReturnRequestID: 40, Reason: "other", Text: "x", Status: store.DisputeUnderReview, CreatedAt: base}
	if _, _, err := s.CreateDispute(ctx, bare); err != nil {
		t.Fatal(err)
	}
	if d, err := s.DisputeOf(ctx, 40); err != nil || len(d.PhotoFileIDs) != 0 {
		t.Fatalf("dispute without photos: %+v, %v", d, err)
	}
	// Only a refused request becomes disputed; a pending one keeps its status.
	if r, err := s.ReturnRequest(ctx, 40); err != nil || r.Status != store.ReturnPending {
		t.Fatalf("pending request after a dispute: %+v, %v", r, err)
	}
}

// testDisputeRace: a double tap on two replicas records one dispute.
func testDisputeRace(t *testing.T, s store.Store) {
	createdOnce(t, "disputes", 8, func(i int) (int64, bool, error) {
		d := fixtureDispute()
		d.Text = string(rune('a' + i))
		got, created, err := s.CreateDispute(t.Context(), d)
		return got.ID, created, err
	})
}

func testDisputeReminders(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := s.(LedgerFixture) // openWithLedger has checked
	// Refusals around the window (base-72h, base-48h]; 41 (refused a day
	// before base) is too fresh.
	refused := func(id int64, refusedAt time.Time) store.ReturnRequest {
		return store.ReturnRequest{ID: id, CustomerID: 1, OrderNo: "KZ-1", Item: "Чайник", Amount: 100, Currency: "KZT",
			Status: store.ReturnRefused, SellerReason: "нет упаковки", RefusedAt: refusedAt, CreatedAt: refusedAt.Add(-day)}
	}
	rows := []store.ReturnRequest{
		refused(50, ago(72*time.Hour)),             // the window just closed: out
		refused(51, ago(72*time.Hour-time.Second)), // one second left to dispute: in
		refused(52, ago(48*time.Hour)),             // exactly 24 h left: in
		refused(53, ago(48*time.Hour-time.Second)), // 24 h and a second left: not yet
		refused(54, ago(60*time.Hour)),             // in, and disputed below: out
		refused(55, ago(50*time.Hour)),             // in
	}
	noChat := refused(56, ago(60*time.Hour)) // in, but John has no chat to remind him in: out
	noChat.CustomerID = 3
	rows = append(rows, noChat)
	for _, r := range rows {
		mustAdd(t, "AddReturnRequest", r.ID)(f.AddReturnRequest(ctx, r))
	}
	// Aigerim has a linked chat.
	sess, err := s.Session(ctx, 901)
	if err != nil {
		t.Fatal(err)
	}
	sess.CustomerID, sess.UpdatedAt = 1, base
	if err := s.SaveSession(ctx, &sess); err != nil {
		t.Fatal(err)
	}
	d := fixtureDispute()
	d.ReturnRequestID = 54
	if _, _, err := s.CreateDispute(ctx, d); err != nil {
		t.Fatal(err)
	}
	list := func(limit int) []int64 {
		t.Helper()
		got, err := s.RefusalsToRemind(ctx, ago(72*time.Hour), ago(48*time.Hour), limit)
		if err != nil {
			t.Fatalf("RefusalsToRemind: %v", err)
		}
		var ids []int64
		for _, r := range got {
			ids = append(ids, r.ID)
		}
		return ids
	}
	if got, want := list(0), []int64{51, 55, 52}; !slices.Equal(got, want) {
		t.Fatalf("RefusalsToRemind = %v, want %v (oldest refusal first)", got, want)
	}
	if got, want := list(2), []int64{51, 55}; !slices.Equal(got, want) {
		t.Fatalf("RefusalsToRemind with limit 2 = %v, want %v", got, want)
	}
	reminded := store.Nudge{Kind: store.NudgeDisputeReminder, ObjectID: 55, Stage: "refused", At: base}
	if first, err := s.ClaimNudge(ctx, reminded); err != nil || !first {
		t.Fatalf("ClaimNudge(reminder of 55): first=%v err=%v", first, err)
	}
	// A nudge of another kind about an object with the same id changes nothing.
	if _, err := s.ClaimNudge(ctx, store.Nudge{Kind: "withdrawal.stuck", ObjectID: 51, Stage: "approval", At: base}); err != nil {
		t.Fatal(err)
	}
	if got, want := list(0), []int64{51, 52}; !slices.Equal(got, want) {
		t.Fatalf("after reminding 55: %v, want %v", got, want)
	}
}
