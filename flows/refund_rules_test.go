package flows

import (
	"errors"
	"testing"
	"time"

	"paydesk/store"
)

func TestRefundDeadline(t *testing.T) {
	prague, _ := time.LoadLocation("Europe/Prague")
	almaty, _ := time.LoadLocation("Asia/Almaty")
	cz := store.Customer{ID: 1, Country: "CZ", TimeZone: "Europe/Prague"}
	kz := store.Customer{ID: 2, Country: "KZ", TimeZone: "Asia/Almaty"}
	for _, tc := range []struct {
		name     string
		merchant store.Customer
		created  time.Time
		want     time.Time
	}{
		// Fourteen working days are two weeks and four days on plain weeks.
		{"CZ plain weeks", cz, time.Date(2026, 2, 2, 10, 15, 30, 0, prague), time.Date(2026, 2, 20, 10, 15, 30, 0, prague)},
		// Friday evening: the count starts on Friday's remainder.
		{"CZ from a Friday", cz, time.Date(2026, 2, 6, 18, 0, 0, 0, prague), time.Date(2026, 2, 26, 18, 0, 0, 0, prague)},
		// Saturday: counted from Monday's midnight.
		{"CZ from a Saturday", cz, time.Date(2026, 2, 7, 11, 0, 0, 0, prague), time.Date(2026, 2, 27, 0, 0, 0, 0, prague)},
		// Christmas: 24, 25, 26 December and 1 January are holidays.
		{"CZ over Christmas", cz, time.Date(2025, 12, 19, 9, 0, 0, 0, prague), time.Date(2026, 1, 14, 9, 0, 0, 0, prague)},
		// Easter 2026: Good Friday 3 April and Easter Monday 6 April; DST began 29 March.
		{"CZ over Easter and DST", cz, time.Date(2026, 3, 23, 12, 0, 0, 0, prague), time.Date(2026, 4, 14, 12, 0, 0, 0, prague)},
		{"KZ plain weeks", kz, time.Date(2026, 2, 2, 14, 0, 0, 0, almaty), time.Date(2026, 2, 20, 14, 0, 0, 0, almaty)},
		// 1-2 January and Orthodox Christmas on 7 January are days off.
		{"KZ New Year", kz, time.Date(2025, 12, 29, 9, 0, 0, 0, almaty), time.Date(2026, 1, 21, 9, 0, 0, 0, almaty)},
	} {
		got, err := RefundDeadline(tc.created, tc.merchant)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("%s: RefundDeadline(%v) = %v, %v; want %v", tc.name, tc.created, got.In(tc.merchant.Location()), err, tc.want)
		}
	}
	if _, err := RefundDeadline(time.Now(), store.Customer{Country: "XX"}); err == nil {
		t.Error("an unknown country calendar gives no error")
	}
}

func TestRefundFee(t *testing.T) {
	kzt := store.Merchant{Currency: "KZT", RefundFee: 4500}
	for _, tc := range []struct {
		m    store.Merchant
		cur  string
		want int64
	}{
		{store.Merchant{Currency: "CZK", RefundFee: 200}, "CZK", 200},
		{store.Merchant{Currency: "CZK", RefundFee: 999}, "CZK", 200}, // the seed's 2 Kč whatever the ledger says
		{kzt, "KZT", 4500},
		{kzt, "CZK", 200},
		{kzt, "EUR", 0},
	} {
		if got := RefundFee(tc.m, tc.cur); got != tc.want {
			t.Errorf("RefundFee(%+v, %s) = %d, want %d", tc.m, tc.cur, got, tc.want)
		}
	}
}

func TestCanRefund(t *testing.T) {
	paid := store.Payment{Amount: 10000, Status: store.PaymentPaid}
	with := func(p store.Payment, refunded, committed int64) store.Payment {
		p.Refunded, p.Committed = refunded, committed
		return p
	}
	expected := store.Payment{Amount: 10000, Status: store.PaymentExpected}
	for _, tc := range []struct {
		name  string
		p     store.Payment
		want  RefundVerdict
		shown PaymentShown
	}{
		{"paid", paid, RefundOK, ShownPaid},
		{"partly refunded", with(paid, 4000, 4000), RefundOK, ShownPartlyRefunded},
		{"a refund queued", with(paid, 0, 4000), RefundOK, ShownPaid},
		{"all queued", with(paid, 0, 10000), RefundNothingLeft, ShownPaid},
		{"refunded", with(paid, 10000, 10000), RefundNothingLeft, ShownRefunded},
		{"expected", expected, RefundWaitsForPayment, ShownExpected},
		{"expected, refund waiting for it", with(expected, 0, 10000), RefundNothingLeft, ShownExpected},
		{"cancelled", store.Payment{Amount: 10000, Status: store.PaymentCancelled}, RefundPaymentCancelled, ShownCancelled},
	} {
		if got := CanRefund(tc.p); got != tc.want {
			t.Errorf("%s: CanRefund = %s, want %s", tc.name, got, tc.want)
		}
		if got := ShowPayment(tc.p); got != tc.shown {
			t.Errorf("%s: ShowPayment = %s, want %s", tc.name, got, tc.shown)
		}
	}
}

func TestCheckRefundAmount(t *testing.T) {
	p := store.Payment{Amount: 123450, Status: store.PaymentPaid, Committed: 23450}
	for _, tc := range []struct {
		amount int64
		want   error
	}{
		{100000, nil},
		{1, nil},
		{100001, ErrAmountOverLeft},
		{0, ErrAmountZero},
		{-5, ErrAmountZero},
	} {
		if err := CheckRefundAmount(p, tc.amount); !errors.Is(err, tc.want) {
			t.Errorf("CheckRefundAmount(%d) = %v, want %v", tc.amount, err, tc.want)
		}
	}
}
