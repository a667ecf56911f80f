package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"paydesk/store"
)

// RefundFixture is implemented by a ledger that can be filled with
// merchants, payments and refunds, as LedgerFixture fills the rest; rows
// come with their ids. The refund tests need both; a ledger without it
// skips them.
type RefundFixture interface {
	AddMerchant(ctx context.Context, m store.Merchant) (int64, error)
	// AddPayment ignores Refunded and Committed: they come from the refunds.
	AddPayment(ctx context.Context, p store.Payment) (int64, error)
	// AddRefund stores a refund with its History (empty: State since CreatedAt).
	AddRefund(ctx context.Context, r store.Refund) (int64, error)
}

// The refund fixture: Tereza runs a shop; Aigul pays it (and runs none);
// John runs another shop whose payment must never show up in Tereza's.
var (
	terezaShop = store.Merchant{ID: 70, CustomerID: 2, Name: "Obchod Terezy", Currency: "CZK", RefundFee: 200}
	johnShop   = store.Merchant{ID: 71, CustomerID: 3, Name: "John's", Currency: "EUR", RefundFee: 8}

	paidByAigul = store.Payment{ID: 80, MerchantID: 70, PayerID: 1, PayerName: "Айгуль Сейткали", Amount: 100000, Currency: "CZK",
		Status: store.PaymentPaid, Method: store.MethodCard, CardLast4: "4417", Reference: "T-1", CreatedAt: ago(3 * day), PaidAt: ago(3 * day)}
	expected = store.Payment{ID: 81, MerchantID: 70, PayerName: "Petr Svoboda", Amount: 50000, Currency: "CZK",
		Status: store.PaymentExpected, Method: store.MethodBankTransfer, Reference: "T-2", CreatedAt: ago(time.Hour)}
	stornoed = store.Payment{ID: 82, MerchantID: 70, PayerName: "Jana Dvořáková", Amount: 20000, Currency: "CZK",
		Status: store.PaymentCancelled, Method: store.MethodBankTransfer, Reference: "T-3", CreatedAt: ago(5 * day), CancelledAt: ago(4 * day)}
	refundedEarlier = store.Payment{ID: 83, MerchantID: 70, PayerID: 1, PayerName: "Айгуль Сейткали", Amount: 30000, Currency: "CZK",
		Status: store.PaymentPaid, Method: store.MethodCard, CardLast4: "4417", Reference: "T-0", CreatedAt: ago(9 * day), PaidAt: ago(9 * day)}
	johnsPayment = store.Payment{ID: 84, MerchantID: 71, PayerID: 1, PayerName: "Айгуль Сейткали", Amount: 1000, Currency: "EUR",
		Status: store.PaymentPaid, Method: store.MethodCard, CardLast4: "4417", CreatedAt: ago(2 * time.Hour), PaidAt: ago(2 * time.Hour)}
	// refunded in full a week ago
	earlierRefund = store.Refund{ID: 90, PaymentID: 83, Amount: 30000, Fee: 200, State: store.RefundRefunded,
		CreatedAt: ago(8 * day), Deadline: ago(8 * day).Add(20 * day), History: []store.RefundChange{
			{State: store.RefundAwaitingBank, At: ago(8 * day)}, {State: store.RefundRefunded, At: ago(7 * day)}}}
)

// terezaPayments are the fixture payments of Tereza's shop, newest first.
var terezaPayments = []int64{81, 80, 82, 83}

type refundLedger interface {
	store.Ledger
	RefundFixture
}

func loadRefunds(t *testing.T, s store.Ledger) refundLedger {
	t.Helper()
	f, ok := s.(refundLedger)
	if !ok {
		t.Skipf("%T cannot be filled with merchants, payments and refunds", s)
	}
	ctx := t.Context()
	for _, m := range []store.Merchant{terezaShop, johnShop} {
		mustAdd(t, "AddMerchant", m.ID)(f.AddMerchant(ctx, m))
	}
	for _, p := range []store.Payment{paidByAigul, expected, stornoed, refundedEarlier, johnsPayment} {
		mustAdd(t, "AddPayment", p.ID)(f.AddPayment(ctx, p))
	}
	mustAdd(t, "AddRefund", earlierRefund.ID)(f.AddRefund(ctx, earlierRefund))
	return f
}

func testRefunds(t *testing.T, s store.Ledger) {
	f := loadRefunds(t, s)
	ctx := t.Context()
	if m, err := f.MerchantOf(ctx, tereza.ID); err != nil || m != terezaShop {
		t.Fatalf("MerchantOf(tereza) = %+v, %v; want %+v", m, err, terezaShop)
	}
	if _, err := f.MerchantOf(ctx, aigul.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("MerchantOf(a customer without a shop): %v, want ErrNotFound", err)
	}
	if m, err := f.Merchant(ctx, johnShop.ID); err != nil || m != johnShop {
		t.Fatalf("Merchant(%d) = %+v, %v", johnShop.ID, m, err)
	}
	list, total, err := f.MerchantPayments(ctx, terezaShop.ID, 0, 10)
	if err != nil || total != len(terezaPayments) || !slices.Equal(paymentIDs(list), terezaPayments) {
		t.Fatalf("MerchantPayments = %v, total %d, %v; want %v newest first", paymentIDs(list), total, err, terezaPayments)
	}
	page, total, err := f.MerchantPayments(ctx, terezaShop.ID, 1, 2)
	if err != nil || total != len(terezaPayments) || !slices.Equal(paymentIDs(page), terezaPayments[1:3]) {
		t.Fatalf("MerchantPayments(offset 1, limit 2) = %v, %d, %v", paymentIDs(page), total, err)
	}
	p, err := f.Payment(ctx, refundedEarlier.ID)
	if err != nil || p.Refunded != 30000 || p.Committed != 30000 || p.Left() != 0 {
		t.Fatalf("fully refunded payment: %+v, %v; want refunded = committed = amount", p, err)
	}

	// A partial refund of a paid payment is queued past the payment's confirmation.
	at := base
	r1, created, err := f.CreateRefund(ctx, "refund-1", store.Refund{PaymentID: paidByAigul.ID, Amount: 40000, Fee: 200,
		CreatedAt: at, Deadline: at.Add(20 * day)})
	if err != nil || !created {
		t.Fatalf("CreateRefund: %v (created %v)", err, created)
	}
	if !r1.State.Queued() || r1.State == store.RefundAwaitingPayment || r1.Amount != 40000 || r1.Currency != "CZK" ||
		r1.PayerID != aigul.ID || r1.MerchantID != terezaShop.ID || r1.Fee != 200 || !r1.Deadline.Equal(at.Add(20*day)) ||
		len(r1.History) == 0 || r1.History[len(r1.History)-1].State != r1.State {
		t.Fatalf("created refund %+v", r1)
	}
	again, created, err := f.CreateRefund(ctx, "refund-1", store.Refund{PaymentID: paidByAigul.ID, Amount: 40000, Fee: 200,
		CreatedAt: at.Add(time.Minute), Deadline: at.Add(20 * day)})
	if err != nil || created || again.ID != r1.ID {
		t.Fatalf("CreateRefund with the same key: %+v, created %v, %v; want refund %d again", again, created, err, r1.ID)
	}
	if p, _ := f.Payment(ctx, paidByAigul.ID); p.Committed != 40000 || p.Refunded != 0 || p.Left() != 60000 {
		t.Fatalf("after a queued refund: %+v; want 40000 committed, 60000 left", p)
	}
	// More than is left is refused and changes nothing.
	if _, _, err := f.CreateRefund(ctx, "refund-2", store.Refund{PaymentID: paidByAigul.ID, Amount: 60001, Fee: 200,
		CreatedAt: at, Deadline: at.Add(20 * day)}); !errors.Is(err, store.ErrRefundTooLarge) {
		t.Fatalf("refund over what is left: %v, want ErrRefundTooLarge", err)
	}
	r2, _, err := f.CreateRefund(ctx, "refund-3", store.Refund{PaymentID: paidByAigul.ID, Amount: 60000, Fee: 200,
		CreatedAt: at.Add(time.Hour), Deadline: at.Add(20 * day)})
	if err != nil {
		t.Fatalf("refund of exactly what is left: %v", err)
	}
	// A refund on an expected payment waits for it; a cancelled payment takes none.
	r3, _, err := f.CreateRefund(ctx, "refund-4", store.Refund{PaymentID: expected.ID, Amount: 10000, Fee: 200,
		CreatedAt: at, Deadline: at.Add(20 * day)})
	if err != nil || r3.State != store.RefundAwaitingPayment {
		t.Fatalf("refund of an expected payment: %+v, %v; want awaiting_payment", r3, err)
	}
	if _, _, err := f.CreateRefund(ctx, "refund-5", store.Refund{PaymentID: stornoed.ID, Amount: 100, Fee: 200,
		CreatedAt: at, Deadline: at.Add(20 * day)}); !errors.Is(err, store.ErrNotRefundable) {
		t.Fatalf("refund of a cancelled payment: %v, want ErrNotRefundable", err)
	}
	if list, err := f.RefundsOf(ctx, paidByAigul.ID); err != nil || !slices.Equal(refundIDs(list), []int64{r1.ID, r2.ID}) {
		t.Fatalf("RefundsOf = %v, %v; want %d, %d oldest first", refundIDs(list), err, r1.ID, r2.ID)
	}
	if list, err := f.RefundsTo(ctx, aigul.ID); err != nil || !slices.Equal(refundIDs(list), []int64{r2.ID, r1.ID, earlierRefund.ID}) {
		t.Fatalf("RefundsTo(aigul) = %v, %v; want newest first", refundIDs(list), err)
	}
	if got, err := f.Refund(ctx, earlierRefund.ID); err != nil || len(got.History) != 2 || got.State != store.RefundRefunded ||
		!got.History[1].At.Equal(ago(7*day)) {
		t.Fatalf("Refund(%d) = %+v, %v", earlierRefund.ID, got, err)
	}
	if _, err := f.Refund(ctx, 999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Refund(999): %v, want ErrNotFound", err)
	}

	// Cancelling a queued refund gives its amount back, once.
	if r1.State.Cancellable() {
		c, changed, err := f.CancelRefund(ctx, "cancel-1", r1.ID, at.Add(2*time.Hour))
		if err != nil || !changed || c.State != store.RefundCancelled || c.CancelledBy != store.CancelledByMerchant {
			t.Fatalf("CancelRefund: %+v, changed %v, %v", c, changed, err)
		}
		if _, changed, err := f.CancelRefund(ctx, "cancel-1b", r1.ID, at.Add(3*time.Hour)); err != nil || changed {
			t.Fatalf("CancelRefund of a cancelled refund: changed %v, %v; want no change", changed, err)
		}
		if p, _ := f.Payment(ctx, paidByAigul.ID); p.Left() != 40000 {
			t.Fatalf("after cancelling: %d left, want 40000", p.Left())
		}
	}
	if _, changed, err := f.CancelRefund(ctx, "cancel-2", earlierRefund.ID, at); err != nil || changed {
		t.Fatalf("CancelRefund of a refunded refund: changed %v, %v; want no change", changed, err)
	}
	// Storno: an expected payment is cancelled with the refund waiting for it.
	sp, changed, err := f.CancelPayment(ctx, "storno-1", expected.ID, at.Add(time.Hour))
	if err != nil || !changed || sp.Status != store.PaymentCancelled || !sp.CancelledAt.Equal(at.Add(time.Hour)) {
		t.Fatalf("CancelPayment: %+v, changed %v, %v", sp, changed, err)
	}
	if r, _ := f.Refund(ctx, r3.ID); r.State != store.RefundCancelled {
		t.Fatalf("the refund waiting for a cancelled payment is %s, want cancelled", r.State)
	}
	if _, changed, err := f.CancelPayment(ctx, "storno-2", paidByAigul.ID, at); err != nil || changed {
		t.Fatalf("CancelPayment of a paid payment: changed %v, %v; want no change", changed, err)
	}
	if p, _ := f.Payment(ctx, paidByAigul.ID); p.Status != store.PaymentPaid {
		t.Fatalf("a paid payment was cancelled: %+v", p)
	}
	// Settled: the earlier one a week ago, the cancelled ones now.
	settled, err := f.SettledRefunds(ctx, at, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{r3.ID}
	if r1.State.Cancellable() {
		want = []int64{r1.ID, r3.ID}
	}
	if !slices.Equal(refundIDs(settled), want) {
		t.Fatalf("SettledRefunds(since now) = %v, want %v", refundIDs(settled), want)
	}
	if all, err := f.SettledRefunds(ctx, ago(30*day), 0, 1); err != nil || !slices.Equal(refundIDs(all), []int64{earlierRefund.ID}) {
		t.Fatalf("SettledRefunds(limit 1) = %v, %v; want the first by id", refundIDs(all), err)
	}
}

// testRefundRace: two devices (and more) refunding the same payment at once
// never take it past what was paid; a double tap with one key makes one.
func testRefundRace(t *testing.T, s store.Ledger) {
	f := loadRefunds(t, s)
	const n = 8
	createdOnce(t, "refunds with one key", n, func(i int) (int64, bool, error) {
		r, created, err := f.CreateRefund(t.Context(), "tap", store.Refund{PaymentID: paidByAigul.ID, Amount: 10000, Fee: 200,
			CreatedAt: base, Deadline: base.Add(20 * day)})
		return r.ID, created, err
	})
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		ok, large int
	)
	for i := range n {
		wg.Go(func() {
			_, _, err := f.CreateRefund(t.Context(), fmt.Sprintf("device-%d", i), store.Refund{PaymentID: paidByAigul.ID,
				Amount: 40000, Fee: 200, CreatedAt: base, Deadline: base.Add(20 * day)})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, store.ErrRefundTooLarge):
				large++
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	p, err := f.Payment(t.Context(), paidByAigul.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ok != 2 || large != n-2 || p.Committed != 90000 {
		t.Fatalf("%d concurrent refunds of 40000 on 90000 left: %d made, %d refused, %d committed; want 2, %d, 90000",
			n, ok, large, p.Committed, n-2)
	}
}

func paymentIDs(list []store.Payment) []int64 {
	var ids []int64
	for _, p := range list {
		ids = append(ids, p.ID)
	}
	return ids
}

func refundIDs(list []store.Refund) []int64 {
	var ids []int64
	for _, r := range list {
		ids = append(ids, r.ID)
	}
	return ids
}
