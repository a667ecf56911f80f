package flows

import (
	"errors"
	"fmt"
	"time"

	"paydesk/locales"
	"paydesk/store"
)

// refundNoticeWindow is how far back the job looks for refunds that went
// through, were rejected or cancelled: each is owed to its merchant and
// payer once (by key), so a tick missed for a while still tells them.
const refundNoticeWindow = 2 * 24 * time.Hour

// refundPageSize is how many settled refunds the job reads at a time.
const refundPageSize = 100

// refundJob moves the demo ledger's queued refunds on to the engine's clock
// (a real backend moves them itself), then owes the merchant and the payer
// of every refund settled in the window a message: the merchant when it was
// refunded, rejected or cancelled by the deadline; the payer when it was
// refunded, rejected or cancelled. Keyed per refund and chat, so each is
// sent once however often the job sees the refund.
func refundJob(t *Tick) error {
	if eng, ok := t.Ledger().(store.RefundEngine); ok {
		if err := eng.AdvanceRefunds(t.Context(), t.Now); err != nil {
			return err
		}
	}
	var errs []error
	for after := int64(0); ; {
		list, err := t.Ledger().SettledRefunds(t.Context(), t.Now.Add(-refundNoticeWindow), after, refundPageSize)
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
		for _, r := range list {
			if err := tellRefund(t, r); err != nil {
				errs = append(errs, fmt.Errorf("refund %d: %w", r.ID, err))
			}
			after = r.ID
		}
		if len(list) < refundPageSize {
			return errors.Join(errs...)
		}
	}
}

// tellRefund owes the parties of a settled refund their message.
func tellRefund(t *Tick, r store.Refund) error {
	p, err := t.Ledger().Payment(t.Context(), r.PaymentID)
	if err != nil {
		return err
	}
	m, err := t.Ledger().Merchant(t.Context(), p.MerchantID)
	if err != nil {
		return err
	}
	kind := string(r.State)
	if r.State == store.RefundCancelled {
		kind += "_" + string(cmpOrReason(r.CancelledBy))
	}
	if r.State == store.RefundRefunded || r.State == store.RefundRejected || r.CancelledBy == store.CancelledByDeadline {
		if err := tellParty(t, m.CustomerID, r, func(chat int64, loc *time.Location) Screen {
			return Screen{
				Body: []Msg{M("refund.told_merchant_"+kind, "Amount", paymentMoney(p, r.Amount), "Ref", paymentRef(p),
					"Payer", store.MaskName(p.PayerName), "Dest", destination(p), "Days", RefundQueueDays,
					"Since", locales.DateTime{T: r.Since(), Loc: loc})},
				Inline: [][]Button{{t.Button(chat, M("refund.open_button"), actRefundCard, r.ID, 0)}},
			}
		}); err != nil {
			return err
		}
	}
	if r.PayerID == 0 {
		return nil
	}
	return tellParty(t, r.PayerID, r, func(chat int64, loc *time.Location) Screen {
		s := Screen{Body: []Msg{M("refund.told_payer_"+kind, "Shop", m.Name, "Amount", paymentMoney(p, r.Amount),
			"Dest", destination(p), "Date", locales.Date{T: p.CreatedAt, Loc: loc})}}
		if payerMaySeekHelp(r.State) {
			s.Inline = append(s.Inline, []Button{t.Button(chat, M("transfer.support_button"), actPayerSupport, r.ID)})
		}
		s.Inline = append(s.Inline, []Button{t.Button(chat, M("refund.open_button"), actPayerRefund, r.ID)})
		return s
	})
}

// tellParty sends screen to each of a customer's linked chats, once per
// (refund, chat).
func tellParty(t *Tick, id store.CustomerID, r store.Refund, screen func(chat int64, loc *time.Location) Screen) error {
	chats, err := t.State().ChatsOf(t.Context(), id)
	if err != nil || len(chats) == 0 {
		return err
	}
	cust, err := t.Ledger().Customer(t.Context(), id)
	if err != nil {
		return err
	}
	for _, chat := range chats {
		t.SendOnce(fmt.Sprintf("refund.told:%d:%d", r.ID, chat), chat, LangOf(t.Context(), t.State(), chat, cust),
			screen(chat, cust.Location()))
	}
	return nil
}
