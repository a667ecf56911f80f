package backend

import (
	"time"

	"paydesk/store"
)

// The JSON shapes of openapi.yaml's schemas and their conversions to the
// store types. Field names are the contract's snake_case; a time that has
// not happened (the zero time.Time) is left out, as the contract says.

type customerJSON struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Phone    string `json:"phone"`
	Language string `json:"language"`
	Country  string `json:"country"`
	TimeZone string `json:"time_zone"`
	Tier     string `json:"tier"`
	Currency string `json:"currency"`
}

func toCustomerJSON(c store.Customer) customerJSON {
	return customerJSON{ID: int64(c.ID), Name: c.Name, Phone: c.Phone, Language: c.Language,
		Country: c.Country, TimeZone: c.TimeZone, Tier: c.Tier, Currency: c.Currency}
}

func (c customerJSON) store() store.Customer {
	return store.Customer{ID: store.CustomerID(c.ID), Name: c.Name, Phone: c.Phone, Language: c.Language,
		Country: c.Country, TimeZone: c.TimeZone, Tier: c.Tier, Currency: c.Currency}
}

type transferJSON struct {
	ID            int64     `json:"id"`
	SenderID      int64     `json:"sender_id"`
	RecipientID   int64     `json:"recipient_id,omitzero"`
	RecipientName string    `json:"recipient_name"`
	Amount        int64     `json:"amount"`
	Currency      string    `json:"currency"`
	CreatedAt     time.Time `json:"created_at"`
	Status        string    `json:"status"`
}

func toTransferJSON(t store.Transfer) transferJSON {
	return transferJSON{ID: t.ID, SenderID: int64(t.SenderID), RecipientID: int64(t.RecipientID),
		RecipientName: t.RecipientName, Amount: t.Amount, Currency: t.Currency, CreatedAt: t.CreatedAt,
		Status: string(t.Status)}
}

func (t transferJSON) store() store.Transfer {
	return store.Transfer{ID: t.ID, SenderID: store.CustomerID(t.SenderID), RecipientID: store.CustomerID(t.RecipientID),
		RecipientName: t.RecipientName, Amount: t.Amount, Currency: t.Currency, CreatedAt: t.CreatedAt,
		Status: store.TransferStatus(t.Status)}
}

type cancellationJSON struct {
	ID         int64     `json:"id"`
	TransferID int64     `json:"transfer_id"`
	Status     string    `json:"status"`
	CreatedAt  time.Time `json:"created_at"`
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
}

func toCancellationJSON(r store.CancellationRequest) cancellationJSON {
	return cancellationJSON{ID: r.ID, TransferID: r.TransferID, Status: string(r.Status),
		CreatedAt: r.CreatedAt, ResolvedAt: r.ResolvedAt}
}

func (r cancellationJSON) store() store.CancellationRequest {
	return store.CancellationRequest{ID: r.ID, TransferID: r.TransferID, Status: store.CancellationStatus(r.Status),
		CreatedAt: r.CreatedAt, ResolvedAt: r.ResolvedAt}
}

type stageChangeJSON struct {
	Stage string    `json:"stage"`
	At    time.Time `json:"at"`
}

type withdrawalJSON struct {
	ID         int64             `json:"id"`
	CustomerID int64             `json:"customer_id"`
	Amount     int64             `json:"amount"`
	Currency   string            `json:"currency"`
	Method     string            `json:"method"`
	Provider   string            `json:"provider"`
	Stage      string            `json:"stage"`
	History    []stageChangeJSON `json:"history"`
	CreatedAt  time.Time         `json:"created_at"`
}

func toWithdrawalJSON(w store.Withdrawal) withdrawalJSON {
	out := withdrawalJSON{ID: w.ID, CustomerID: int64(w.CustomerID), Amount: w.Amount, Currency: w.Currency,
		Method: w.Method, Provider: w.Provider, Stage: string(w.Stage), CreatedAt: w.CreatedAt,
		History: make([]stageChangeJSON, 0, len(w.History))}
	for _, h := range w.History {
		out.History = append(out.History, stageChangeJSON{Stage: string(h.Stage), At: h.At})
	}
	return out
}

func (w withdrawalJSON) store() store.Withdrawal {
	out := store.Withdrawal{ID: w.ID, CustomerID: store.CustomerID(w.CustomerID), Amount: w.Amount, Currency: w.Currency,
		Method: w.Method, Provider: w.Provider, Stage: store.WithdrawalStage(w.Stage), CreatedAt: w.CreatedAt}
	for _, h := range w.History {
		out.History = append(out.History, store.StageChange{Stage: store.WithdrawalStage(h.Stage), At: h.At})
	}
	return out
}

// stagedWithdrawalJSON is the contract's StagedWithdrawal.
type stagedWithdrawalJSON struct {
	withdrawalJSON
	StageSeq int64 `json:"stage_seq"`
}

func toStagedWithdrawalJSON(w store.StagedWithdrawal) stagedWithdrawalJSON {
	return stagedWithdrawalJSON{withdrawalJSON: toWithdrawalJSON(w.Withdrawal), StageSeq: w.StageSeq}
}

func (w stagedWithdrawalJSON) store() store.StagedWithdrawal {
	return store.StagedWithdrawal{Withdrawal: w.withdrawalJSON.store(), StageSeq: w.StageSeq}
}

type tierJSON struct {
	Code         string `json:"code"`
	ApprovalDays int    `json:"approval_days"`
}

type providerJSON struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	AvgDays int    `json:"avg_days"`
	MaxDays int    `json:"max_days"`
}

type returnRequestJSON struct {
	ID           int64     `json:"id"`
	CustomerID   int64     `json:"customer_id"`
	OrderNo      string    `json:"order_no"`
	Item         string    `json:"item"`
	Amount       int64     `json:"amount"`
	Currency     string    `json:"currency"`
	Status       string    `json:"status"`
	SellerReason string    `json:"seller_reason,omitzero"`
	RefusedAt    time.Time `json:"refused_at,omitzero"`
	CreatedAt    time.Time `json:"created_at"`
}

func toReturnRequestJSON(r store.ReturnRequest) returnRequestJSON {
	return returnRequestJSON{ID: r.ID, CustomerID: int64(r.CustomerID), OrderNo: r.OrderNo, Item: r.Item,
		Amount: r.Amount, Currency: r.Currency, Status: string(r.Status), SellerReason: r.SellerReason,
		RefusedAt: r.RefusedAt, CreatedAt: r.CreatedAt}
}

func (r returnRequestJSON) store() store.ReturnRequest {
	return store.ReturnRequest{ID: r.ID, CustomerID: store.CustomerID(r.CustomerID), OrderNo: r.OrderNo, Item: r.Item,
		Amount: r.Amount, Currency: r.Currency, Status: store.ReturnStatus(r.Status), SellerReason: r.SellerReason,
		RefusedAt: r.RefusedAt, CreatedAt: r.CreatedAt}
}

// newDisputeJSON is the body of createDispute; disputeJSON what comes back.
type newDisputeJSON struct {
	ReturnRequestID int64     `json:"return_request_id"`
	Reason          string    `json:"reason"`
	Text            string    `json:"text"`
	PhotoFileIDs    []string  `json:"photo_file_ids,omitempty"`
	CreatedAt       time.Time `json:"created_at"`
}

type disputeJSON struct {
	ID              int64     `json:"id"`
	ReturnRequestID int64     `json:"return_request_id"`
	Reason          string    `json:"reason"`
	Text            string    `json:"text"`
	PhotoFileIDs    []string  `json:"photo_file_ids,omitempty"`
	Status          string    `json:"status"`
	CreatedAt       time.Time `json:"created_at"`
}

func toDisputeJSON(d store.Dispute) disputeJSON {
	return disputeJSON{ID: d.ID, ReturnRequestID: d.ReturnRequestID, Reason: d.Reason, Text: d.Text,
		PhotoFileIDs: d.PhotoFileIDs, Status: string(d.Status), CreatedAt: d.CreatedAt}
}

func (d disputeJSON) store() store.Dispute {
	return store.Dispute{ID: d.ID, ReturnRequestID: d.ReturnRequestID, Reason: d.Reason, Text: d.Text,
		PhotoFileIDs: d.PhotoFileIDs, Status: store.DisputeStatus(d.Status), CreatedAt: d.CreatedAt}
}

// list is every list response: {"items": [...]} (transfers add "total").
type list[T any] struct {
	Items []T  `json:"items"`
	Total *int `json:"total,omitempty"`
}

type requestCancellationJSON struct {
	TransferID  int64     `json:"transfer_id"`
	RequestedAt time.Time `json:"requested_at"`
}

type resolveCancellationJSON struct {
	Status     string    `json:"status"`
	ResolvedAt time.Time `json:"resolved_at"`
}

type resolutionJSON struct {
	Request cancellationJSON `json:"request"`
	Changed bool             `json:"changed"`
}

type lookupJSON struct {
	Phone string `json:"phone"`
}

// problem is an RFC 9457 problem detail.
type problem struct {
	Type   string `json:"type,omitempty"`
	Title  string `json:"title,omitempty"`
	Status int    `json:"status,omitempty"`
	Detail string `json:"detail,omitempty"`
}

func mapSlice[A, B any](in []A, f func(A) B) []B {
	out := make([]B, 0, len(in))
	for _, a := range in {
		out = append(out, f(a))
	}
	return out
}
