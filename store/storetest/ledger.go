package storetest

import (
	"errors"
	"testing"

	"paydesk/store"
)

func transferID(v store.Transfer) int64           { return v.ID }
func withdrawalID(v store.Withdrawal) int64       { return v.ID }
func returnRequestID(v store.ReturnRequest) int64 { return v.ID }

func testTransfers(t *testing.T, s store.Ledger) {
	ctx := t.Context()
	all := byID(fixtureTransfers, transferID, aigulTransfers)
	tests := []struct {
		name          string
		sender        store.CustomerID
		offset, limit int
		want          []store.Transfer
		total         int
	}{
		{"all, newest first, ties by id", 1, 0, 0, all, 5},
		{"first page", 1, 0, 2, all[0:2], 5},
		{"middle page", 1, 2, 2, all[2:4], 5},
		{"last page is short", 1, 4, 2, all[4:], 5},
		{"past the end", 1, 10, 2, nil, 5},
		{"limit larger than the list", 1, 0, 100, all, 5},
		{"other customer's own only", 2, 0, 10, byID(fixtureTransfers, transferID, []int64{20}), 1},
		{"customer with none", 3, 0, 10, nil, 0},
		{"unknown customer", 999, 0, 10, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := s.Transfers(ctx, tt.sender, tt.offset, tt.limit)
			if err != nil {
				t.Fatalf("Transfers: %v", err)
			}
			if total != tt.total || !same(got, tt.want) {
				t.Errorf("Transfers(%d, %d, %d) = %+v, total %d; want %+v, total %d",
					tt.sender, tt.offset, tt.limit, got, total, tt.want, tt.total)
			}
		})
	}
	for _, want := range fixtureTransfers {
		got, err := s.Transfer(ctx, want.ID)
		if err != nil || !same(got, want) {
			t.Errorf("Transfer(%d) = %+v, %v; want %+v", want.ID, got, err, want)
		}
	}
	// 31 is a withdrawal's id, not a transfer's.
	for _, id := range []int64{999, 31} {
		if _, err := s.Transfer(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Transfer(%d) error = %v, want ErrNotFound", id, err)
		}
	}
}

func testWithdrawals(t *testing.T, s store.Ledger) {
	ctx := t.Context()
	all := byID(fixtureWithdrawals, withdrawalID, aigulWithdrawals)
	tests := []struct {
		name  string
		id    store.CustomerID
		limit int
		want  []store.Withdrawal
	}{
		{"all, newest first", 1, 0, all},
		{"limited", 1, 2, all[:2]},
		{"other customer's own only", 2, 10, byID(fixtureWithdrawals, withdrawalID, []int64{33})},
		{"customer with none", 3, 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Withdrawals(ctx, tt.id, tt.limit)
			if err != nil || !same(got, tt.want) {
				t.Errorf("Withdrawals(%d, %d) = %+v, %v; want %+v", tt.id, tt.limit, got, err, tt.want)
			}
		})
	}
	for _, want := range fixtureWithdrawals {
		got, err := s.Withdrawal(ctx, want.ID)
		if err != nil || !same(got, want) {
			t.Errorf("Withdrawal(%d) = %+v, %v; want %+v", want.ID, got, err, want)
		}
		if !got.StageSince().Equal(want.History[len(want.History)-1].At) {
			t.Errorf("Withdrawal(%d).StageSince() = %v, want the last history entry", want.ID, got.StageSince())
		}
	}
	if _, err := s.Withdrawal(ctx, 11); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Withdrawal(11) error = %v, want ErrNotFound", err)
	}
}

func testReferenceData(t *testing.T, s store.Ledger) {
	ctx := t.Context()
	for _, want := range fixtureTiers {
		if got, err := s.Tier(ctx, want.Code); err != nil || got != want {
			t.Errorf("Tier(%q) = %+v, %v; want %+v", want.Code, got, err, want)
		}
	}
	for _, want := range fixtureProviders {
		if got, err := s.Provider(ctx, want.Code); err != nil || got != want {
			t.Errorf("Provider(%q) = %+v, %v; want %+v", want.Code, got, err, want)
		}
	}
	if _, err := s.Tier(ctx, "platinum"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Tier(platinum) error = %v, want ErrNotFound", err)
	}
	if _, err := s.Provider(ctx, "paypal"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Provider(paypal) error = %v, want ErrNotFound", err)
	}
}

func testReturnRequests(t *testing.T, s store.Ledger) {
	ctx := t.Context()
	for _, tt := range []struct {
		id   store.CustomerID
		want []store.ReturnRequest
	}{
		{1, byID(fixtureReturnRequests, returnRequestID, aigulReturnRequests)},
		{2, byID(fixtureReturnRequests, returnRequestID, []int64{42})},
		{3, nil},
	} {
		got, err := s.ReturnRequests(ctx, tt.id)
		if err != nil || !same(got, tt.want) {
			t.Errorf("ReturnRequests(%d) = %+v, %v; want %+v", tt.id, got, err, tt.want)
		}
	}
	for _, want := range fixtureReturnRequests {
		got, err := s.ReturnRequest(ctx, want.ID)
		if err != nil || !same(got, want) {
			t.Errorf("ReturnRequest(%d) = %+v, %v; want %+v", want.ID, got, err, want)
		}
	}
	if _, err := s.ReturnRequest(ctx, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ReturnRequest(999) error = %v, want ErrNotFound", err)
	}
}
