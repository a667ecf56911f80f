package storetest

import (
	"errors"
	"fmt"
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

func testDisputes(t *testing.T, s store.Ledger) {
	ctx := t.Context()
	if _, err := s.DisputeOf(ctx, 41); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("DisputeOf before any dispute: %v, want ErrNotFound", err)
	}
	want := fixtureDispute()
	got, created, err := s.CreateDispute(ctx, "dispute-1", want)
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
	again, created, err := s.CreateDispute(ctx, "dispute-2", second)
	if err != nil || created || !same(again, want) {
		t.Fatalf("second CreateDispute = %+v created=%v err=%v; want the first dispute back", again, created, err)
	}

	// A dispute without photos reads back with none.
	bare := store.Dispute{ReturnRequestID: 40, Reason: "other", Text: "x", Status: store.DisputeUnderReview, CreatedAt: base}
	if _, _, err := s.CreateDispute(ctx, "dispute-3", bare); err != nil {
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
func testDisputeRace(t *testing.T, s store.Ledger) {
	createdOnce(t, "disputes", 8, func(i int) (int64, bool, error) {
		d := fixtureDispute()
		d.Text = string(rune('a' + i))
		got, created, err := s.CreateDispute(t.Context(), fmt.Sprintf("dispute-race-%d", i), d)
		return got.ID, created, err
	})
}

func testUndisputedRefusals(t *testing.T, s store.Ledger) {
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
	other := refused(56, ago(60*time.Hour)) // in: another customer's
	other.CustomerID = 3
	rows = append(rows, other)
	for _, r := range rows {
		mustAdd(t, "AddReturnRequest", r.ID)(f.AddReturnRequest(ctx, r))
	}
	d := fixtureDispute()
	d.ReturnRequestID = 54
	if _, _, err := s.CreateDispute(ctx, "dispute-54", d); err != nil {
		t.Fatal(err)
	}
	list := func(after int64, limit int) []int64 {
		t.Helper()
		got, err := s.UndisputedRefusals(ctx, ago(72*time.Hour), ago(48*time.Hour), after, limit)
		if err != nil {
			t.Fatalf("UndisputedRefusals: %v", err)
		}
		var ids []int64
		for _, r := range got {
			ids = append(ids, r.ID)
		}
		return ids
	}
	if got, want := list(0, 0), []int64{51, 52, 55, 56}; !slices.Equal(got, want) {
		t.Fatalf("UndisputedRefusals = %v, want %v (by id; 50, 53 out of the window, 54 disputed)", got, want)
	}
	if got, want := list(0, 2), []int64{51, 52}; !slices.Equal(got, want) {
		t.Fatalf("first page of 2 = %v, want %v", got, want)
	}
	if got, want := list(52, 2), []int64{55, 56}; !slices.Equal(got, want) {
		t.Fatalf("page after 52 = %v, want %v", got, want)
	}
}
