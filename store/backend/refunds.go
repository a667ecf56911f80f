package backend

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"paydesk/store"
)

// Merchants' payments and their refunds (openapi.yaml, tag refunds): the
// operations, their JSON, the client's methods and the server's handlers,
// in one file.

var (
	opMerchantOf       = operation{"getMerchantOfCustomer", "GET", "/v1/customers/{customer_id}/merchant", false}
	opGetMerchant      = operation{"getMerchant", "GET", "/v1/merchants/{merchant_id}", false}
	opMerchantPayments = operation{"listMerchantPayments", "GET", "/v1/merchants/{merchant_id}/payments", false}
	opGetPayment       = operation{"getPayment", "GET", "/v1/payments/{payment_id}", false}
	opRefundsOf        = operation{"listPaymentRefunds", "GET", "/v1/payments/{payment_id}/refunds", false}
	opCancelPayment    = operation{"cancelPayment", "POST", "/v1/payments/{payment_id}/cancellation", true}
	opGetRefund        = operation{"getRefund", "GET", "/v1/refunds/{refund_id}", false}
	opRefundsTo        = operation{"listIncomingRefunds", "GET", "/v1/customers/{customer_id}/incoming-refunds", false}
	opSettledRefunds   = operation{"listSettledRefunds", "GET", "/v1/refunds", false}
	opCreateRefund     = operation{"createRefund", "POST", "/v1/refunds", true}
	opCancelRefund     = operation{"cancelRefund", "POST", "/v1/refunds/{refund_id}/cancellation", true}
)

// The problem types of refused refund writes (422), so the client gives
// back the store's errors.
const (
	problemRefundTooLarge = "urn:paydesk:problem:refund-too-large"
	problemNotRefundable  = "urn:paydesk:problem:not-refundable"
)

type merchantJSON struct {
	ID         int64  `json:"id"`
	CustomerID int64  `json:"customer_id"`
	Name       string `json:"name"`
	Currency   string `json:"currency"`
	RefundFee  int64  `json:"refund_fee"`
}

func toMerchantJSON(m store.Merchant) merchantJSON {
	return merchantJSON{ID: m.ID, CustomerID: int64(m.CustomerID), Name: m.Name, Currency: m.Currency, RefundFee: m.RefundFee}
}

func (m merchantJSON) store() store.Merchant {
	return store.Merchant{ID: m.ID, CustomerID: store.CustomerID(m.CustomerID), Name: m.Name, Currency: m.Currency, RefundFee: m.RefundFee}
}

type paymentJSON struct {
	ID          int64     `json:"id"`
	MerchantID  int64     `json:"merchant_id"`
	PayerID     int64     `json:"payer_id,omitzero"`
	PayerName   string    `json:"payer_name"`
	Amount      int64     `json:"amount"`
	Currency    string    `json:"currency"`
	Status      string    `json:"status"`
	Method      string    `json:"method"`
	CardLast4   string    `json:"card_last4,omitzero"`
	Reference   string    `json:"reference"`
	CreatedAt   time.Time `json:"created_at"`
	PaidAt      time.Time `json:"paid_at,omitzero"`
	CancelledAt time.Time `json:"cancelled_at,omitzero"`
	Refunded    int64     `json:"refunded"`
	Committed   int64     `json:"committed"`
}

func toPaymentJSON(p store.Payment) paymentJSON {
	return paymentJSON{ID: p.ID, MerchantID: p.MerchantID, PayerID: int64(p.PayerID), PayerName: p.PayerName,
		Amount: p.Amount, Currency: p.Currency, Status: string(p.Status), Method: string(p.Method), CardLast4: p.CardLast4,
		Reference: p.Reference, CreatedAt: p.CreatedAt, PaidAt: p.PaidAt, CancelledAt: p.CancelledAt,
		Refunded: p.Refunded, Committed: p.Committed}
}

func (p paymentJSON) store() store.Payment {
	return store.Payment{ID: p.ID, MerchantID: p.MerchantID, PayerID: store.CustomerID(p.PayerID), PayerName: p.PayerName,
		Amount: p.Amount, Currency: p.Currency, Status: store.PaymentStatus(p.Status), Method: store.PaymentMethod(p.Method),
		CardLast4: p.CardLast4, Reference: p.Reference, CreatedAt: p.CreatedAt, PaidAt: p.PaidAt, CancelledAt: p.CancelledAt,
		Refunded: p.Refunded, Committed: p.Committed}
}

type refundChangeJSON struct {
	State string    `json:"state"`
	At    time.Time `json:"at"`
}

type refundJSON struct {
	ID          int64              `json:"id"`
	PaymentID   int64              `json:"payment_id"`
	MerchantID  int64              `json:"merchant_id"`
	PayerID     int64              `json:"payer_id,omitzero"`
	Amount      int64              `json:"amount"`
	Currency    string             `json:"currency"`
	Fee         int64              `json:"fee"`
	State       string             `json:"state"`
	Missing     int64              `json:"missing,omitzero"`
	CancelledBy string             `json:"cancelled_by,omitzero"`
	CreatedAt   time.Time          `json:"created_at"`
	Deadline    time.Time          `json:"deadline"`
	History     []refundChangeJSON `json:"history"`
}

func toRefundJSON(r store.Refund) refundJSON {
	out := refundJSON{ID: r.ID, PaymentID: r.PaymentID, MerchantID: r.MerchantID, PayerID: int64(r.PayerID),
		Amount: r.Amount, Currency: r.Currency, Fee: r.Fee, State: string(r.State), Missing: r.Missing,
		CancelledBy: string(r.CancelledBy), CreatedAt: r.CreatedAt, Deadline: r.Deadline,
		History: make([]refundChangeJSON, 0, len(r.History))}
	for _, h := range r.History {
		out.History = append(out.History, refundChangeJSON{State: string(h.State), At: h.At})
	}
	return out
}

func (r refundJSON) store() store.Refund {
	out := store.Refund{ID: r.ID, PaymentID: r.PaymentID, MerchantID: r.MerchantID, PayerID: store.CustomerID(r.PayerID),
		Amount: r.Amount, Currency: r.Currency, Fee: r.Fee, State: store.RefundState(r.State), Missing: r.Missing,
		CancelledBy: store.RefundCancelReason(r.CancelledBy), CreatedAt: r.CreatedAt, Deadline: r.Deadline}
	for _, h := range r.History {
		out.History = append(out.History, store.RefundChange{State: store.RefundState(h.State), At: h.At})
	}
	return out
}

type newRefundJSON struct {
	PaymentID int64     `json:"payment_id"`
	Amount    int64     `json:"amount"`
	Fee       int64     `json:"fee"`
	CreatedAt time.Time `json:"created_at"`
	Deadline  time.Time `json:"deadline"`
}

type cancelJSON struct {
	CancelledAt time.Time `json:"cancelled_at"`
}

type refundCancellationJSON struct {
	Refund  refundJSON `json:"refund"`
	Changed bool       `json:"changed"`
}

type paymentCancellationJSON struct {
	Payment paymentJSON `json:"payment"`
	Changed bool        `json:"changed"`
}

// The client's methods.

func (c *Client) MerchantOf(ctx context.Context, customer store.CustomerID) (store.Merchant, error) {
	var out merchantJSON
	_, err := c.do(ctx, call{op: opMerchantOf, path: opMerchantOf.path(int64(customer)), out: &out})
	return out.store(), err
}

func (c *Client) Merchant(ctx context.Context, id int64) (store.Merchant, error) {
	var out merchantJSON
	_, err := c.do(ctx, call{op: opGetMerchant, path: opGetMerchant.path(id), out: &out})
	return out.store(), err
}

func (c *Client) MerchantPayments(ctx context.Context, merchantID int64, offset, limit int) ([]store.Payment, int, error) {
	var out list[paymentJSON]
	q := url.Values{}
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
	setLimit(q, limit)
	if _, err := c.do(ctx, call{op: opMerchantPayments, path: opMerchantPayments.path(merchantID), query: q, out: &out}); err != nil {
		return nil, 0, err
	}
	if out.Total == nil {
		return nil, 0, fmt.Errorf("%s: answer without total", opMerchantPayments.id)
	}
	return mapSlice(out.Items, paymentJSON.store), *out.Total, nil
}

func (c *Client) Payment(ctx context.Context, id int64) (store.Payment, error) {
	var out paymentJSON
	_, err := c.do(ctx, call{op: opGetPayment, path: opGetPayment.path(id), out: &out})
	return out.store(), err
}

func (c *Client) RefundsOf(ctx context.Context, paymentID int64) ([]store.Refund, error) {
	var out list[refundJSON]
	_, err := c.do(ctx, call{op: opRefundsOf, path: opRefundsOf.path(paymentID), out: &out})
	return mapSlice(out.Items, refundJSON.store), err
}

func (c *Client) Refund(ctx context.Context, id int64) (store.Refund, error) {
	var out refundJSON
	_, err := c.do(ctx, call{op: opGetRefund, path: opGetRefund.path(id), out: &out})
	return out.store(), err
}

func (c *Client) RefundsTo(ctx context.Context, payer store.CustomerID) ([]store.Refund, error) {
	var out list[refundJSON]
	_, err := c.do(ctx, call{op: opRefundsTo, path: opRefundsTo.path(int64(payer)), out: &out})
	return mapSlice(out.Items, refundJSON.store), err
}

func (c *Client) SettledRefunds(ctx context.Context, since time.Time, after int64, limit int) ([]store.Refund, error) {
	var out list[refundJSON]
	q := url.Values{"settled_since": {since.Format(time.RFC3339Nano)}}
	setAfter(q, after)
	setLimit(q, limit)
	_, err := c.do(ctx, call{op: opSettledRefunds, path: opSettledRefunds.path(), query: q, out: &out})
	return mapSlice(out.Items, refundJSON.store), err
}

func (c *Client) CreateRefund(ctx context.Context, key string, r store.Refund) (store.Refund, bool, error) {
	var out refundJSON
	status, err := c.do(ctx, call{op: opCreateRefund, path: opCreateRefund.path(), key: key, out: &out,
		body: newRefundJSON{PaymentID: r.PaymentID, Amount: r.Amount, Fee: r.Fee, CreatedAt: r.CreatedAt, Deadline: r.Deadline}})
	return out.store(), status == http.StatusCreated, refundError(err)
}

func (c *Client) CancelRefund(ctx context.Context, key string, id int64, at time.Time) (store.Refund, bool, error) {
	var out refundCancellationJSON
	_, err := c.do(ctx, call{op: opCancelRefund, path: opCancelRefund.path(id), key: key, body: cancelJSON{CancelledAt: at}, out: &out})
	return out.Refund.store(), out.Changed, err
}

func (c *Client) CancelPayment(ctx context.Context, key string, id int64, at time.Time) (store.Payment, bool, error) {
	var out paymentCancellationJSON
	_, err := c.do(ctx, call{op: opCancelPayment, path: opCancelPayment.path(id), key: key, body: cancelJSON{CancelledAt: at}, out: &out})
	return out.Payment.store(), out.Changed, err
}

// refundError gives back the store's error for a refused refund.
func refundError(err error) error {
	var p problemError
	if !errors.As(err, &p) {
		return err
	}
	switch p.Type {
	case problemRefundTooLarge:
		return fmt.Errorf("%w: %w", err, store.ErrRefundTooLarge)
	case problemNotRefundable:
		return fmt.Errorf("%w: %w", err, store.ErrNotRefundable)
	}
	return err
}

// The server's handlers.

func (s *Server) handleRefunds() {
	s.handle(opMerchantOf, s.merchantOf)
	s.handle(opGetMerchant, s.getMerchant)
	s.handle(opMerchantPayments, s.merchantPayments)
	s.handle(opGetPayment, s.getPayment)
	s.handle(opRefundsOf, s.refundsOf)
	s.handle(opCancelPayment, s.cancelPayment)
	s.handle(opGetRefund, s.getRefund)
	s.handle(opRefundsTo, s.refundsTo)
	s.handle(opSettledRefunds, s.settledRefunds)
	s.handle(opCreateRefund, s.createRefund)
	s.handle(opCancelRefund, s.cancelRefund)
}

func (s *Server) merchantOf(r *http.Request, _ string) (int, any, error) {
	return byID(r, "customer_id", ofCustomer(s.ledger.MerchantOf), toMerchantJSON)
}

func (s *Server) getMerchant(r *http.Request, _ string) (int, any, error) {
	return byID(r, "merchant_id", s.ledger.Merchant, toMerchantJSON)
}

func (s *Server) merchantPayments(r *http.Request, _ string) (int, any, error) {
	id, err := pathID(r, "merchant_id")
	if err != nil {
		return 0, nil, err
	}
	offset, err1 := queryInt(r, "offset")
	limit, err2 := queryInt(r, "limit")
	if err := errors.Join(err1, err2); err != nil {
		return 0, nil, err
	}
	items, total, err := s.ledger.MerchantPayments(r.Context(), id, int(offset), int(limit))
	return http.StatusOK, list[paymentJSON]{Items: mapSlice(items, toPaymentJSON), Total: &total}, err
}

func (s *Server) getPayment(r *http.Request, _ string) (int, any, error) {
	return byID(r, "payment_id", s.ledger.Payment, toPaymentJSON)
}

func (s *Server) refundsOf(r *http.Request, _ string) (int, any, error) {
	return byID(r, "payment_id", s.ledger.RefundsOf, items(toRefundJSON))
}

func (s *Server) getRefund(r *http.Request, _ string) (int, any, error) {
	return byID(r, "refund_id", s.ledger.Refund, toRefundJSON)
}

func (s *Server) refundsTo(r *http.Request, _ string) (int, any, error) {
	return byID(r, "customer_id", ofCustomer(s.ledger.RefundsTo), items(toRefundJSON))
}

func (s *Server) settledRefunds(r *http.Request, _ string) (int, any, error) {
	since, err1 := queryTime(r, "settled_since")
	after, err2 := queryInt(r, "after")
	limit, err3 := queryInt(r, "limit")
	if err := errors.Join(err1, err2, err3); err != nil {
		return 0, nil, err
	}
	items, err := s.ledger.SettledRefunds(r.Context(), since, after, int(limit))
	return http.StatusOK, list[refundJSON]{Items: mapSlice(items, toRefundJSON)}, err
}

func (s *Server) createRefund(r *http.Request, key string) (int, any, error) {
	var in newRefundJSON
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if _, err := s.ledger.Payment(r.Context(), in.PaymentID); err != nil {
		return 0, nil, err
	}
	rf, created, err := s.ledger.CreateRefund(r.Context(), key, store.Refund{PaymentID: in.PaymentID, Amount: in.Amount,
		Fee: in.Fee, CreatedAt: in.CreatedAt, Deadline: in.Deadline})
	switch {
	case errors.Is(err, store.ErrRefundTooLarge):
		return 0, nil, unprocessable{problemRefundTooLarge, "refund exceeds what is left of the payment"}
	case errors.Is(err, store.ErrNotRefundable):
		return 0, nil, unprocessable{problemNotRefundable, "payment cannot be refunded"}
	}
	return createdStatus(created), toRefundJSON(rf), err
}

func (s *Server) cancelRefund(r *http.Request, key string) (int, any, error) {
	id, err := pathID(r, "refund_id")
	if err != nil {
		return 0, nil, err
	}
	var in cancelJSON
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	rf, changed, err := s.ledger.CancelRefund(r.Context(), key, id, in.CancelledAt)
	return http.StatusOK, refundCancellationJSON{Refund: toRefundJSON(rf), Changed: changed}, err
}

func (s *Server) cancelPayment(r *http.Request, key string) (int, any, error) {
	id, err := pathID(r, "payment_id")
	if err != nil {
		return 0, nil, err
	}
	var in cancelJSON
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	p, changed, err := s.ledger.CancelPayment(r.Context(), key, id, in.CancelledAt)
	return http.StatusOK, paymentCancellationJSON{Payment: toPaymentJSON(p), Changed: changed}, err
}
