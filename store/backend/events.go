package backend

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"paydesk/store"
)

// The backend's events (openapi.yaml, webhooks: ledgerEvent): the envelope,
// its signature and its checks. The HTTP endpoint is bot's; the contract's
// rules live here, next to the contract.

// SignatureHeader carries "sha256=" and the hex HMAC-SHA256 of the raw body.
const SignatureHeader = "Paydesk-Signature"

// MaxEventSkew is how far an event's sent_at may be from paydesk's clock.
const MaxEventSkew = 5 * time.Minute

// Why an event is refused; each maps to one answer of the contract.
var (
	ErrEventSignature = errors.New("event signature missing or wrong") // 401
	ErrEventMalformed = errors.New("event malformed")                  // 400
	ErrEventStale     = errors.New("event sent_at too far from now")   // 400
	ErrEventType      = errors.New("event type unknown")               // 422
)

// Sign is the signature header value of body: what a backend sends.
func Sign(secret []byte, body []byte) string {
	h := hmac.New(sha256.New, secret)
	h.Write(body)
	return "sha256=" + hex.EncodeToString(h.Sum(nil))
}

// eventJSON is the envelope; data is decoded by type.
type eventJSON struct {
	ID         string          `json:"id"`
	Type       string          `json:"type"`
	SentAt     time.Time       `json:"sent_at"`
	OccurredAt time.Time       `json:"occurred_at"`
	CustomerID int64           `json:"customer_id"`
	Data       json.RawMessage `json:"data"`
}

// eventData is the union of the known types' data.
type eventData struct {
	WithdrawalID   int64  `json:"withdrawal_id"`
	Stage          string `json:"stage"`
	CancellationID int64  `json:"cancellation_request_id"`
	Status         string `json:"status"`
	ReturnID       int64  `json:"return_request_id"`
	RefundID       int64  `json:"refund_id"`
	State          string `json:"state"`
}

// ParseEvent checks a posted event in the contract's order: the signature
// over the raw body, the envelope, the time it was sent, its type, its
// data. A refused event wraps one of the ErrEvent* errors.
func ParseEvent(secret, body []byte, signature string, now time.Time) (store.LedgerEvent, error) {
	got, ok := strings.CutPrefix(signature, "sha256=")
	want := Sign(secret, body)[len("sha256="):]
	if len(secret) == 0 || !ok || !hmac.Equal([]byte(got), []byte(want)) {
		return store.LedgerEvent{}, ErrEventSignature
	}
	var e eventJSON
	if err := json.Unmarshal(body, &e); err != nil {
		return store.LedgerEvent{}, fmt.Errorf("%w: %v", ErrEventMalformed, err)
	}
	if e.ID == "" || len(e.ID) > 200 || e.Type == "" || e.SentAt.IsZero() || e.OccurredAt.IsZero() || e.CustomerID <= 0 || len(e.Data) == 0 {
		return store.LedgerEvent{}, fmt.Errorf("%w: id, type, sent_at, occurred_at, customer_id and data are required", ErrEventMalformed)
	}
	if skew := now.Sub(e.SentAt); skew > MaxEventSkew || skew < -MaxEventSkew {
		return store.LedgerEvent{}, fmt.Errorf("%w: sent_at %s, now %s", ErrEventStale, e.SentAt.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if !store.KnownEvent(e.Type) {
		return store.LedgerEvent{}, fmt.Errorf("%w: %q", ErrEventType, e.Type)
	}
	var d eventData
	if err := json.Unmarshal(e.Data, &d); err != nil {
		return store.LedgerEvent{}, fmt.Errorf("%w: data: %v", ErrEventMalformed, err)
	}
	ev := store.LedgerEvent{ID: e.ID, Type: e.Type, CustomerID: store.CustomerID(e.CustomerID), At: e.OccurredAt}
	switch e.Type {
	case store.EventWithdrawalStage:
		ev.ObjectID, ev.Stage = d.WithdrawalID, d.Stage
		switch store.WithdrawalStage(d.Stage) {
		case store.StageApproval, store.StageProcessing, store.StageReceived, store.StageRejected:
		default:
			return store.LedgerEvent{}, fmt.Errorf("%w: stage %q", ErrEventMalformed, d.Stage)
		}
	case store.EventCancellationAnswered:
		ev.ObjectID, ev.Stage = d.CancellationID, d.Status
		switch store.CancellationStatus(d.Status) {
		case store.CancellationReturned, store.CancellationDeclined, store.CancellationExpired:
		default:
			return store.LedgerEvent{}, fmt.Errorf("%w: status %q", ErrEventMalformed, d.Status)
		}
	case store.EventReturnRefused:
		ev.ObjectID, ev.Stage = d.ReturnID, string(store.ReturnRefused)
	case store.EventRefundState:
		ev.ObjectID, ev.Stage = d.RefundID, d.State
		switch store.RefundState(d.State) {
		case store.RefundAwaitingPayment, store.RefundAwaitingFunds, store.RefundAwaitingBank,
			store.RefundRejected, store.RefundCancelled, store.RefundRefunded:
		default:
			return store.LedgerEvent{}, fmt.Errorf("%w: state %q", ErrEventMalformed, d.State)
		}
	}
	if ev.ObjectID <= 0 {
		return store.LedgerEvent{}, fmt.Errorf("%w: data names no object", ErrEventMalformed)
	}
	return ev, nil
}
