package store

import (
	"context"
	"errors"
	"time"
)

// Refunds (seeds: the Czech payment gateway's «Refundace – vrácení platby»
// and the partner side of Kaspi's «Процесс Возврата Оплаты»). A merchant
// (a customer with a merchant account) received payments; a paid one can be
// refunded in full or in parts, never more in total than was paid, and an
// expected one can be cancelled (storno). A refund is queued and moves
// through the seed's states; the money goes back where it came from.

// Errors of the refund writes, matched with errors.Is.
var (
	// ErrRefundTooLarge: the refund would take the payment's refunds past
	// what was paid (another device may have refunded it meanwhile).
	ErrRefundTooLarge = errors.New("refund exceeds what is left of the payment")
	// ErrNotRefundable: the payment cannot take a refund (it was cancelled).
	ErrNotRefundable = errors.New("payment cannot be refunded")
)

// Merchant is a customer's merchant account: the shop their payers see.
type Merchant struct {
	ID         int64
	CustomerID CustomerID // who runs it; the calendar and zone are theirs
	Name       string     // the shop's name as payers see it
	Currency   string     // ISO 4217 settlement currency
	// RefundFee is the ledger's fee per refund in Currency: 2 Kč, or its
	// equivalent in another currency (billed on the monthly invoice).
	RefundFee int64
}

// PaymentStatus is the state of a payment a merchant received.
type PaymentStatus string

const (
	PaymentPaid      PaymentStatus = "paid"      // zaplacená, оплачен
	PaymentExpected  PaymentStatus = "expected"  // očekávaná, ожидает оплаты
	PaymentCancelled PaymentStatus = "cancelled" // stornovaná by the merchant
)

// PaymentMethod says how a payment was paid, so a refund goes back there.
type PaymentMethod string

const (
	MethodCard         PaymentMethod = "card"          // back to the same card
	MethodBankTransfer PaymentMethod = "bank_transfer" // back to the account it came from
)

// Payment is money a payer sent (or is expected to send) to a merchant.
type Payment struct {
	ID         int64
	MerchantID int64
	PayerID    CustomerID // 0 when the payer is not a customer of the app
	PayerName  string     // full name; shown masked
	Amount     int64      // minor units
	Currency   string
	Status     PaymentStatus
	Method     PaymentMethod
	CardLast4  string // "1234" for a card payment
	Reference  string // the merchant's order or variable symbol
	CreatedAt  time.Time
	PaidAt     time.Time // zero unless paid
	// CancelledAt is when an expected payment was cancelled; zero otherwise.
	CancelledAt time.Time
	// Refunded is the sum of its refunds that went through; Committed adds
	// the ones still queued: what is left to refund is Amount - Committed.
	Refunded, Committed int64
}

// Left is what can still be refunded of the payment.
func (p Payment) Left() int64 { return p.Amount - p.Committed }

// RefundState is where a refund is (seed: the six states of a refund request).
type RefundState string

const (
	RefundAwaitingPayment RefundState = "awaiting_payment" // ČEKAJÍCÍ NA POTVRZENÍ PLATBY
	RefundAwaitingFunds   RefundState = "awaiting_funds"   // ČEKAJÍCÍ NA DOSTATEK FINANCÍ
	RefundAwaitingBank    RefundState = "awaiting_bank"    // ČEKAJÍCÍ NA REALIZACI
	RefundRejected        RefundState = "rejected"         // ZAMÍTNUTÁ by the issuing bank
	RefundCancelled       RefundState = "cancelled"        // STORNOVANÁ
	RefundRefunded        RefundState = "refunded"         // REFUNDOVÁNO
)

// Queued reports whether the refund still waits (for the payment, the
// funds or the bank); the others are final.
func (s RefundState) Queued() bool {
	return s == RefundAwaitingPayment || s == RefundAwaitingFunds || s == RefundAwaitingBank
}

// Counts reports whether the refund takes from what is left of its payment:
// a queued or a refunded one; a rejected or cancelled one gives it back.
func (s RefundState) Counts() bool { return s.Queued() || s == RefundRefunded }

// Cancellable reports whether the merchant may still cancel the refund:
// before it is sent to the bank.
func (s RefundState) Cancellable() bool {
	return s == RefundAwaitingPayment || s == RefundAwaitingFunds
}

// RefundCancelReason says who cancelled a refund.
type RefundCancelReason string

const (
	CancelledByMerchant RefundCancelReason = "merchant"
	CancelledByDeadline RefundCancelReason = "deadline" // 14 working days in the queue
)

// RefundChange records when a refund entered a state.
type RefundChange struct {
	State RefundState
	At    time.Time
}

// Refund is a merchant's request to give (part of) a payment back.
type Refund struct {
	ID         int64
	PaymentID  int64
	MerchantID int64
	PayerID    CustomerID // the payment's payer; 0 when not a customer
	Amount     int64
	Currency   string
	Fee        int64 // in Currency, billed on the monthly invoice
	State      RefundState
	// Missing is, while awaiting funds, how much more must come in from
	// new payments before the refund can be paid out.
	Missing int64
	// CancelledBy is set once the refund is cancelled.
	CancelledBy RefundCancelReason
	CreatedAt   time.Time
	// Deadline is when a refund still queued is cancelled automatically
	// (14 working days of the merchant's country after CreatedAt).
	Deadline time.Time
	History  []RefundChange // oldest first; the last entry is the current state
}

// Since is when the refund entered its current state.
func (r Refund) Since() time.Time {
	if n := len(r.History); n > 0 {
		return r.History[n-1].At
	}
	return r.CreatedAt
}

// Refunds is the merchants' side of the ledger and what payers see of it.
// The writes carry an idempotency key; the ledger keeps the total of a
// payment's refunds within what was paid in the same transaction as the
// write, so two devices refunding at once cannot overdraw it.
type Refunds interface {
	// MerchantOf returns the merchant account a customer runs, or ErrNotFound.
	MerchantOf(ctx context.Context, customer CustomerID) (Merchant, error)
	// Merchant returns a merchant account by id, or ErrNotFound.
	Merchant(ctx context.Context, id int64) (Merchant, error)
	// MerchantPayments lists a merchant's payments, newest first.
	MerchantPayments(ctx context.Context, merchantID int64, offset, limit int) (list []Payment, total int, err error)
	// Payment returns a payment by id, or ErrNotFound.
	Payment(ctx context.Context, id int64) (Payment, error)
	// RefundsOf lists a payment's refunds, oldest first.
	RefundsOf(ctx context.Context, paymentID int64) ([]Refund, error)
	// Refund returns a refund by id, with its history, or ErrNotFound.
	Refund(ctx context.Context, id int64) (Refund, error)
	// RefundsTo lists the refunds coming to a payer, newest first.
	RefundsTo(ctx context.Context, payer CustomerID) ([]Refund, error)
	// CreateRefund queues r (PaymentID, Amount, Fee, CreatedAt, Deadline
	// given; the ledger sets the rest) on its payment. Its state is
	// RefundAwaitingPayment for an expected payment, else as the ledger
	// decides (awaiting funds or the bank). It fails with
	// ErrRefundTooLarge when the payment's queued and refunded refunds
	// plus r would exceed what was paid, and ErrNotRefundable for a
	// cancelled payment; nothing changes then. The same key again returns
	// the refund it created, created false.
	CreateRefund(ctx context.Context, key string, r Refund) (refund Refund, created bool, err error)
	// CancelRefund cancels a refund the merchant may still cancel
	// (RefundState.Cancellable) at time at; changed is false, and nothing
	// changes, when it could no longer be cancelled.
	CancelRefund(ctx context.Context, key string, id int64, at time.Time) (refund Refund, changed bool, err error)
	// CancelPayment cancels (storno) an expected payment at time at, and
	// with it the refunds waiting for it; changed is false, and nothing
	// changes, when the payment was no longer expected.
	CancelPayment(ctx context.Context, key string, id int64, at time.Time) (payment Payment, changed bool, err error)
	// SettledRefunds lists the refunds that became refunded, rejected or
	// cancelled at or after since, with an id above after, by id, at most
	// limit (<= 0: all): what the notifications job tells the parties.
	SettledRefunds(ctx context.Context, since time.Time, after int64, limit int) ([]Refund, error)
}

// RefundEngine is a ledger that moves queued refunds on by itself as time
// passes (the demo ledger: new incoming payments arrive, expected payments
// are paid, the bank confirms, the 14-working-day limit runs out). A real
// backend moves them on its own and does not implement it.
type RefundEngine interface {
	// AdvanceRefunds brings every payment and refund to where it is at now.
	// It is idempotent by itself: advancing again to a time already reached
	// (a second tick, a second replica) changes nothing, so it takes no key.
	AdvanceRefunds(ctx context.Context, now time.Time) error
}
