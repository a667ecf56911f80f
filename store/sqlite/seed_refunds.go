package sqlite

import (
	"context"
	"fmt"
	"time"

	"paydesk/store"
)

// The demo ledger's merchants: a Czech e-shop and a Kazakh partner of the
// payments app, each a demo customer with a merchant account, with payments
// in every state and refunds in every state, some of them paid by the other
// demo customers so that the payer's side has something to show. Dated
// relative to now like the rest of the seed; queued refunds move on as the
// demo's clock runs (AdvanceRefunds): the e-shop's new incoming payments
// reach the refund waiting for funds in two days, an expected payment is
// paid in hours, and the bank confirms a refund a day after it was sent.

const (
	firstDemoMerchant = 401
	firstDemoPayment  = 501
	firstDemoRefund   = 601
)

// demoRefund is a refund of a demo payment: created ago before now, then
// through its later states (each ago before now).
type demoRefund struct {
	amount  int64
	ago     time.Duration
	states  []demoRefundState // after the first state, which is at ago
	missing int64             // awaiting funds: what is still missing
	// bankIn is, for a refund at the bank, when after now the bank answers.
	bankIn time.Duration
}

type demoRefundState struct {
	state store.RefundState
	ago   time.Duration
	by    store.RefundCancelReason
}

type demoPayment struct {
	payer    store.CustomerID // 0: not a customer of the app
	name     string
	amount   int64
	status   store.PaymentStatus
	method   store.PaymentMethod
	card     string
	ref      string
	ago      time.Duration // created
	paidAgo  time.Duration // paid (status paid)
	payIn    time.Duration // expected: paid this long after now; 0: not in the demo
	stornoed time.Duration // cancelled: this long ago
	refunds  []demoRefund
}

type demoMerchant struct {
	customer     store.Customer
	merchant     store.Merchant
	balance      int64 // new incoming payments not yet used for refunds
	inflowPerDay int64
	payments     []demoPayment
}

// demoRefundDeadline is the seeded refunds' automatic cancellation: the
// backend's 14 working days, which are never fewer than 20 calendar days.
const demoRefundDeadline = 20 * day

var (
	paidCard = func(payer store.CustomerID, name string, amount int64, card, ref string, ago time.Duration, refunds ...demoRefund) demoPayment {
		return demoPayment{payer: payer, name: name, amount: amount, status: store.PaymentPaid, method: store.MethodCard,
			card: card, ref: ref, ago: ago, paidAgo: ago, refunds: refunds}
	}
	atBank = func(amount int64, ago, bankIn time.Duration) demoRefund {
		return demoRefund{amount: amount, ago: ago, states: []demoRefundState{{store.RefundAwaitingBank, ago, ""}}, bankIn: bankIn}
	}
	waitingFunds = func(amount int64, ago time.Duration, missing int64) demoRefund {
		return demoRefund{amount: amount, ago: ago, states: []demoRefundState{{store.RefundAwaitingFunds, ago, ""}}, missing: missing}
	}
	settledRefund = func(amount int64, ago time.Duration, first store.RefundState, last demoRefundState) demoRefund {
		return demoRefund{amount: amount, ago: ago, states: []demoRefundState{{first, ago, ""}, last}}
	}
)

var demoMerchants = []demoMerchant{
	{
		customer: store.Customer{ID: 21, Name: "Jan Horák", Phone: "+420602000001", Language: "cs",
			Country: "CZ", TimeZone: "Europe/Prague", Tier: "standard", Currency: "CZK"},
		merchant: store.Merchant{ID: firstDemoMerchant, CustomerID: 21, Name: "ElektroDům.cz", Currency: "CZK", RefundFee: 200},
		balance:  129000, inflowPerDay: 60000,
		payments: []demoPayment{
			paidCard(2, "Tereza Nováková", 123450, "8830", "EL-24117", 2*time.Hour),
			{name: "Martin Novotný", amount: 89900, status: store.PaymentExpected, method: store.MethodBankTransfer,
				ref: "EL-24116", ago: 5 * time.Hour, payIn: 6 * time.Hour,
				refunds: []demoRefund{{amount: 30000, ago: 4 * time.Hour, states: []demoRefundState{{store.RefundAwaitingPayment, 4 * time.Hour, ""}}}}},
			paidCard(3, "John Miller", 349900, "1234", "EL-24109", 1*day+2*time.Hour, atBank(50000, 3*time.Hour, 21*time.Hour)),
			{name: "Eva Horáková", amount: 45000, status: store.PaymentExpected, method: store.MethodBankTransfer,
				ref: "EL-24102", ago: 1*day + 6*time.Hour},
			paidCard(2, "Tereza Nováková", 249000, "8830", "EL-24087", 3*day+1*time.Hour, waitingFunds(249000, 2*day, 120000)),
			paidCard(0, "Lucie Černá", 159900, "4321", "EL-24051", 6*day+3*time.Hour,
				settledRefund(159900, 5*day, store.RefundAwaitingBank, demoRefundState{store.RefundRefunded, 4 * day, ""})),
			paidCard(2, "Tereza Nováková", 79900, "8830", "EL-24040", 4*day+5*time.Hour,
				settledRefund(79900, 3*day+4*time.Hour, store.RefundAwaitingFunds, demoRefundState{store.RefundCancelled, 3 * day, store.CancelledByMerchant})),
			paidCard(2, "Tereza Nováková", 599000, "8830", "EL-23998", 9*day+2*time.Hour,
				settledRefund(100000, 7*day, store.RefundAwaitingBank, demoRefundState{store.RefundRejected, 6 * day, ""})),
			{name: "Jakub Procházka", amount: 34990, status: store.PaymentCancelled, method: store.MethodBankTransfer,
				ref: "EL-23960", ago: 12 * day, stornoed: 11 * day},
			paidCard(0, "Martin Novotný", 45000, "7716", "EL-23911", 15*day),
			paidCard(0, "Petr Svoboda", 120000, "5502", "EL-23840", 30*day,
				settledRefund(120000, 28*day, store.RefundAwaitingFunds, demoRefundState{store.RefundCancelled, 28*day - demoRefundDeadline, store.CancelledByDeadline})),
			paidCard(3, "John Miller", 12990, "1234", "EL-23802", 33*day),
		},
	},
	{
		customer: store.Customer{ID: 22, Name: "Данияр Жумабеков", Phone: "+77010000003", Language: "ru",
			Country: "KZ", TimeZone: "Asia/Almaty", Tier: "standard", Currency: "KZT"},
		merchant: store.Merchant{ID: firstDemoMerchant + 1, CustomerID: 22, Name: "Алма Маркет", Currency: "KZT", RefundFee: 4500},
		balance:  1500000, inflowPerDay: 2000000,
		payments: []demoPayment{
			paidCard(1, "Айгерим Садыкова", 2499000, "4417", "AM-80412", 1*time.Hour),
			{name: "Болат Искаков", amount: 12000000, status: store.PaymentExpected, method: store.MethodBankTransfer,
				ref: "AM-80409", ago: 6 * time.Hour, payIn: 1 * day,
				refunds: []demoRefund{{amount: 2000000, ago: 5 * time.Hour, states: []demoRefundState{{store.RefundAwaitingPayment, 5 * time.Hour, ""}}}}},
			paidCard(4, "Нурлан Ахметов", 1500000, "2208", "AM-80377", 2*day+1*time.Hour, atBank(500000, 4*time.Hour, 20*time.Hour)),
			paidCard(1, "Айгерим Садыкова", 3200000, "4417", "AM-80350", 3*day+2*time.Hour, waitingFunds(3200000, 2*day, 1700000)),
			{name: "Серик Бекмуханов", amount: 950000, status: store.PaymentExpected, method: store.MethodBankTransfer,
				ref: "AM-80341", ago: 1*day + 3*time.Hour},
			paidCard(1, "Айгерим Садыкова", 850000, "4417", "AM-80298", 5*day,
				settledRefund(850000, 4*day, store.RefundAwaitingBank, demoRefundState{store.RefundRefunded, 3 * day, ""})),
			paidCard(4, "Нурлан Ахметов", 600000, "2208", "AM-80260", 7*day,
				settledRefund(200000, 5*day, store.RefundAwaitingFunds, demoRefundState{store.RefundCancelled, 4 * day, store.CancelledByMerchant})),
			paidCard(1, "Айгерим Садыкова", 4500000, "4417", "AM-80233", 10*day,
				settledRefund(4500000, 8*day, store.RefundAwaitingBank, demoRefundState{store.RefundRejected, 7 * day, ""})),
			{name: "Асель Жумабаева", amount: 700000, status: store.PaymentCancelled, method: store.MethodBankTransfer,
				ref: "AM-80190", ago: 12 * day, stornoed: 11 * day},
			paidCard(0, "Серик Бекмуханов", 1200000, "9051", "AM-80102", 30*day,
				settledRefund(1200000, 28*day, store.RefundAwaitingFunds, demoRefundState{store.RefundCancelled, 28*day - demoRefundDeadline, store.CancelledByDeadline})),
		},
	},
}

// seedMerchants adds the demo merchants, their payments and refunds.
func seedMerchants(ctx context.Context, tx querier, now time.Time) error {
	payment, refund := int64(firstDemoPayment), int64(firstDemoRefund)
	for _, m := range demoMerchants {
		if _, err := addCustomer(ctx, tx, m.customer); err != nil {
			return fmt.Errorf("customer %d: %w", m.customer.ID, err)
		}
		if _, err := addMerchant(ctx, tx, m.merchant, m.balance, m.inflowPerDay, now); err != nil {
			return fmt.Errorf("merchant %d: %w", m.merchant.ID, err)
		}
		for _, d := range m.payments {
			p := store.Payment{ID: payment, MerchantID: m.merchant.ID, PayerID: d.payer, PayerName: d.name,
				Amount: d.amount, Currency: m.merchant.Currency, Status: d.status, Method: d.method, CardLast4: d.card,
				Reference: d.ref, CreatedAt: now.Add(-d.ago)}
			var payAt time.Time
			switch d.status {
			case store.PaymentPaid:
				p.PaidAt = now.Add(-d.paidAgo)
			case store.PaymentExpected:
				if d.payIn > 0 {
					payAt = now.Add(d.payIn)
				}
			case store.PaymentCancelled:
				p.CancelledAt = now.Add(-d.stornoed)
			}
			if _, err := addPayment(ctx, tx, p, payAt); err != nil {
				return fmt.Errorf("payment %d: %w", p.ID, err)
			}
			for _, dr := range d.refunds {
				r := store.Refund{ID: refund, PaymentID: p.ID, Amount: dr.amount, Fee: m.merchant.RefundFee,
					Missing: dr.missing, CreatedAt: now.Add(-dr.ago), Deadline: now.Add(-dr.ago).Add(demoRefundDeadline)}
				for _, s := range dr.states {
					r.History = append(r.History, store.RefundChange{State: s.state, At: now.Add(-s.ago)})
					r.State, r.CancelledBy = s.state, s.by
				}
				var bankAt time.Time
				if dr.bankIn > 0 {
					bankAt = now.Add(dr.bankIn)
				}
				if _, err := addRefund(ctx, tx, r, bankAt, false); err != nil {
					return fmt.Errorf("refund %d: %w", r.ID, err)
				}
				refund++
			}
			payment++
		}
	}
	return nil
}
