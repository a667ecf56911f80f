package backend

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"paydesk/store"
)

// The store.Ledger methods, one per operation of openapi.yaml.

// e164 is the contract's Phone pattern.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// Ping asks the backend whether it is ready (GET /v1/health).
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.do(ctx, call{op: opHealth, path: opHealth.path()})
	return err
}

// Close releases idle connections.
func (c *Client) Close() error {
	c.http.CloseIdleConnections()
	return nil
}

func (c *Client) Customer(ctx context.Context, id store.CustomerID) (store.Customer, error) {
	var out customerJSON
	_, err := c.do(ctx, call{op: opGetCustomer, path: opGetCustomer.path(int64(id)), out: &out})
	return out.store(), err
}

// CustomerByPhone finds a customer by an E.164 number; anything else is
// nobody's number (ErrNotFound) and is not sent.
func (c *Client) CustomerByPhone(ctx context.Context, phone string) (store.Customer, error) {
	if !e164.MatchString(phone) {
		return store.Customer{}, fmt.Errorf("customer by phone: not E.164: %w", store.ErrNotFound)
	}
	var out customerJSON
	_, err := c.do(ctx, call{op: opLookupCustomer, path: opLookupCustomer.path(), body: lookupJSON{Phone: phone}, out: &out})
	return out.store(), err
}

func (c *Client) Transfers(ctx context.Context, sender store.CustomerID, offset, limit int) ([]store.Transfer, int, error) {
	var out list[transferJSON]
	q := url.Values{}
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
	setLimit(q, limit)
	if _, err := c.do(ctx, call{op: opListTransfers, path: opListTransfers.path(int64(sender)), query: q, out: &out}); err != nil {
		return nil, 0, err
	}
	if out.Total == nil {
		return nil, 0, fmt.Errorf("%s: answer without total", opListTransfers.id)
	}
	return mapSlice(out.Items, transferJSON.store), *out.Total, nil
}

func (c *Client) Transfer(ctx context.Context, id int64) (store.Transfer, error) {
	var out transferJSON
	_, err := c.do(ctx, call{op: opGetTransfer, path: opGetTransfer.path(id), out: &out})
	return out.store(), err
}

func (c *Client) Withdrawals(ctx context.Context, id store.CustomerID, limit int) ([]store.Withdrawal, error) {
	var out list[withdrawalJSON]
	q := url.Values{}
	setLimit(q, limit)
	_, err := c.do(ctx, call{op: opListWithdrawals, path: opListWithdrawals.path(int64(id)), query: q, out: &out})
	return mapSlice(out.Items, withdrawalJSON.store), err
}

func (c *Client) Withdrawal(ctx context.Context, id int64) (store.Withdrawal, error) {
	var out withdrawalJSON
	_, err := c.do(ctx, call{op: opGetWithdrawal, path: opGetWithdrawal.path(id), out: &out})
	return out.store(), err
}

func (c *Client) OpenWithdrawals(ctx context.Context, after int64, limit int) ([]store.Withdrawal, error) {
	var out list[withdrawalJSON]
	q := url.Values{"status": {"open"}}
	setAfter(q, after)
	setLimit(q, limit)
	_, err := c.do(ctx, call{op: opListOpenWithdrawals, path: opListOpenWithdrawals.path(), query: q, out: &out})
	return mapSlice(out.Items, withdrawalJSON.store), err
}

func (c *Client) OpenWithdrawalsChangedAfter(ctx context.Context, afterSeq int64, limit int) ([]store.StagedWithdrawal, error) {
	var out list[stagedWithdrawalJSON]
	q := url.Values{}
	if afterSeq > 0 {
		q.Set("after_seq", strconv.FormatInt(afterSeq, 10))
	}
	setLimit(q, limit)
	_, err := c.do(ctx, call{op: opListOpenByRecord, path: opListOpenByRecord.path(), query: q, out: &out})
	return mapSlice(out.Items, stagedWithdrawalJSON.store), err
}

func (c *Client) Tier(ctx context.Context, code string) (store.Tier, error) {
	var out tierJSON
	_, err := c.do(ctx, call{op: opGetTier, path: opGetTier.path(code), out: &out})
	return store.Tier{Code: out.Code, ApprovalDays: out.ApprovalDays}, err
}

func (c *Client) Provider(ctx context.Context, code string) (store.Provider, error) {
	var out providerJSON
	_, err := c.do(ctx, call{op: opGetProvider, path: opGetProvider.path(code), out: &out})
	return store.Provider{Code: out.Code, Name: out.Name, AvgDays: out.AvgDays, MaxDays: out.MaxDays}, err
}

func (c *Client) ReturnRequests(ctx context.Context, id store.CustomerID) ([]store.ReturnRequest, error) {
	var out list[returnRequestJSON]
	_, err := c.do(ctx, call{op: opListReturnRequests, path: opListReturnRequests.path(int64(id)), out: &out})
	return mapSlice(out.Items, returnRequestJSON.store), err
}

func (c *Client) ReturnRequest(ctx context.Context, id int64) (store.ReturnRequest, error) {
	var out returnRequestJSON
	_, err := c.do(ctx, call{op: opGetReturnRequest, path: opGetReturnRequest.path(id), out: &out})
	return out.store(), err
}

func (c *Client) RequestCancellation(ctx context.Context, key string, transferID int64, at time.Time) (store.CancellationRequest, bool, error) {
	var out cancellationJSON
	status, err := c.do(ctx, call{op: opRequestCancellation, path: opRequestCancellation.path(), key: key,
		body: requestCancellationJSON{TransferID: transferID, RequestedAt: at}, out: &out})
	return out.store(), status == http.StatusCreated, err
}

func (c *Client) Cancellation(ctx context.Context, id int64) (store.CancellationRequest, error) {
	var out cancellationJSON
	_, err := c.do(ctx, call{op: opGetCancellation, path: opGetCancellation.path(id), out: &out})
	return out.store(), err
}

func (c *Client) LatestCancellation(ctx context.Context, transferID int64) (store.CancellationRequest, error) {
	var out cancellationJSON
	_, err := c.do(ctx, call{op: opLatestCancellation, path: opLatestCancellation.path(transferID), out: &out})
	return out.store(), err
}

func (c *Client) OpenCancellations(ctx context.Context) ([]store.CancellationRequest, error) {
	return c.openCancellations(ctx, url.Values{"status": {"open"}})
}

func (c *Client) OpenCancellationsTo(ctx context.Context, recipient store.CustomerID) ([]store.CancellationRequest, error) {
	return c.openCancellations(ctx, url.Values{"status": {"open"}, "recipient_id": {strconv.FormatInt(int64(recipient), 10)}})
}

func (c *Client) openCancellations(ctx context.Context, q url.Values) ([]store.CancellationRequest, error) {
	var out list[cancellationJSON]
	_, err := c.do(ctx, call{op: opListOpenCancellation, path: opListOpenCancellation.path(), query: q, out: &out})
	return mapSlice(out.Items, cancellationJSON.store), err
}

// ResolveCancellation closes a request; to must be returned, declined or
// expired (anything else is refused here, before it is sent).
func (c *Client) ResolveCancellation(ctx context.Context, key string, id int64, to store.CancellationStatus, at time.Time) (store.CancellationRequest, bool, error) {
	switch to {
	case store.CancellationReturned, store.CancellationDeclined, store.CancellationExpired:
	default:
		return store.CancellationRequest{}, false, fmt.Errorf("resolve cancellation %d: cannot resolve to %q", id, to)
	}
	var out resolutionJSON
	_, err := c.do(ctx, call{op: opResolveCancellation, path: opResolveCancellation.path(id), key: key,
		body: resolveCancellationJSON{Status: string(to), ResolvedAt: at}, out: &out})
	return out.Request.store(), out.Changed, err
}

func (c *Client) CreateDispute(ctx context.Context, key string, d store.Dispute) (store.Dispute, bool, error) {
	var out disputeJSON
	status, err := c.do(ctx, call{op: opCreateDispute, path: opCreateDispute.path(), key: key,
		body: newDisputeJSON{ReturnRequestID: d.ReturnRequestID, Reason: d.Reason, Text: d.Text,
			PhotoFileIDs: d.PhotoFileIDs, CreatedAt: d.CreatedAt}, out: &out})
	return out.store(), status == http.StatusCreated, err
}

func (c *Client) DisputeOf(ctx context.Context, returnRequestID int64) (store.Dispute, error) {
	var out disputeJSON
	_, err := c.do(ctx, call{op: opGetDispute, path: opGetDispute.path(returnRequestID), out: &out})
	return out.store(), err
}

func (c *Client) UndisputedRefusals(ctx context.Context, refusedAfter, refusedBy time.Time, after int64, limit int) ([]store.ReturnRequest, error) {
	var out list[returnRequestJSON]
	q := url.Values{"status": {"refused"}, "disputed": {"false"},
		"refused_after": {refusedAfter.Format(time.RFC3339Nano)}, "refused_by": {refusedBy.Format(time.RFC3339Nano)}}
	setAfter(q, after)
	setLimit(q, limit)
	_, err := c.do(ctx, call{op: opListRefusals, path: opListRefusals.path(), query: q, out: &out})
	return mapSlice(out.Items, returnRequestJSON.store), err
}

// setLimit adds limit when it bounds the list (<= 0: all).
func setLimit(q url.Values, limit int) {
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
}

func setAfter(q url.Values, after int64) {
	if after > 0 {
		q.Set("after", strconv.FormatInt(after, 10))
	}
}
