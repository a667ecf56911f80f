package flows

import (
	"fmt"
	"time"

	"paydesk/flows/businessday"
	"paydesk/store"
)

// The rules of refunds (seed: «Refundace – vrácení platby»), as pure
// functions of what the ledger says:
//   - a refund request can be made only for a paid payment; one still
//     expected can be cancelled (storno) instead, and a refund asked for it
//     waits for the payment to be confirmed;
//   - several partial refunds are allowed, never more in total than was
//     paid (what is queued counts, what was rejected or cancelled does not);
//   - a queued refund is cancelled automatically after 14 working days of
//     the merchant's country calendar, counted in the merchant's zone;
//   - each refund costs 2 Kč, or the ledger's equivalent in the payment's
//     currency, billed on the monthly invoice.

// RefundQueueDays is how many working days a refund may wait in the queue.
const RefundQueueDays = 14

// refundFeeCZK is the seed's fee per refund: 2 Kč.
const refundFeeCZK = 200

// RefundDeadline is when a refund queued at created is cancelled if it has
// not gone through: 14 working days later, to the second, in the merchant's
// zone and country calendar (weekends, public holidays, DST: a working day
// is a whole date whatever its length).
func RefundDeadline(created time.Time, merchant store.Customer) (time.Time, error) {
	cal, err := businessday.For(merchant.Country)
	if err != nil {
		return time.Time{}, fmt.Errorf("calendar of merchant customer %d: %w", merchant.ID, err)
	}
	return cal.Deadline(created, RefundQueueDays, merchant.Location()), nil
}

// RefundFee is the fee of one refund of a payment in currency: 2 Kč for a
// payment in crowns, otherwise the ledger's equivalent for the merchant.
func RefundFee(m store.Merchant, currency string) int64 {
	if currency == "CZK" {
		return refundFeeCZK
	}
	if currency == m.Currency {
		return m.RefundFee
	}
	return 0 // the ledger quotes no equivalent: the invoice will say
}

// RefundVerdict is what may be done about a payment's refund now.
type RefundVerdict string

const (
	// RefundOK: paid, something left to refund.
	RefundOK RefundVerdict = "ok"
	// RefundWaitsForPayment: expected; a refund may be asked and waits for
	// the payment to be confirmed (or the payment cancelled instead).
	RefundWaitsForPayment RefundVerdict = "expected"
	// RefundNothingLeft: the refunds made and queued take the whole amount.
	RefundNothingLeft RefundVerdict = "nothing_left"
	// RefundPaymentCancelled: the payment was cancelled (storno).
	RefundPaymentCancelled RefundVerdict = "cancelled"
)

// CanRefund says whether a refund may be requested for p now.
func CanRefund(p store.Payment) RefundVerdict {
	switch {
	case p.Status == store.PaymentCancelled:
		return RefundPaymentCancelled
	case p.Left() <= 0:
		return RefundNothingLeft
	case p.Status == store.PaymentExpected:
		return RefundWaitsForPayment
	}
	return RefundOK
}

// ErrAmountOverLeft: an amount above what is left of the payment.
var ErrAmountOverLeft = fmt.Errorf("more than is left of the payment")

// CheckRefundAmount checks an amount against what is left of p.
func CheckRefundAmount(p store.Payment, amount int64) error {
	switch {
	case amount <= 0:
		return ErrAmountZero
	case amount > p.Left():
		return ErrAmountOverLeft
	}
	return nil
}

// PaymentShown is a payment's state as the merchant's list shows it.
type PaymentShown string

const (
	ShownPaid           PaymentShown = "paid"
	ShownExpected       PaymentShown = "expected"
	ShownPartlyRefunded PaymentShown = "partly_refunded"
	ShownRefunded       PaymentShown = "refunded"
	ShownCancelled      PaymentShown = "cancelled"
)

// ShowPayment is the state the list shows: refunded once the refunds that
// went through reach the amount, partly refunded before that.
func ShowPayment(p store.Payment) PaymentShown {
	switch {
	case p.Status == store.PaymentCancelled:
		return ShownCancelled
	case p.Status == store.PaymentExpected:
		return ShownExpected
	case p.Refunded >= p.Amount:
		return ShownRefunded
	case p.Refunded > 0:
		return ShownPartlyRefunded
	}
	return ShownPaid
}
