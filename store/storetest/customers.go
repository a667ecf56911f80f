package storetest

import (
	"errors"
	"testing"

	"paydesk/store"
)

func testCustomers(t *testing.T, s store.Ledger) {
	ctx := t.Context()
	for _, want := range fixtureCustomers {
		got, err := s.Customer(ctx, want.ID)
		if err != nil || !same(got, want) {
			t.Errorf("Customer(%d) = %+v, %v; want %+v", want.ID, got, err, want)
		}
		got, err = s.CustomerByPhone(ctx, want.Phone)
		if err != nil || !same(got, want) {
			t.Errorf("CustomerByPhone(%s) = %+v, %v; want %+v", want.Phone, got, err, want)
		}
	}
	if _, err := s.Customer(ctx, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Customer(999) error = %v, want ErrNotFound", err)
	}
	// A number that differs only in formatting is not found: callers
	// normalise first.
	for _, phone := range []string{"+77019999999", "77010000009", ""} {
		if _, err := s.CustomerByPhone(ctx, phone); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("CustomerByPhone(%q) error = %v, want ErrNotFound", phone, err)
		}
	}
}
