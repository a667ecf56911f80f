package backend

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"paydesk/store"
)

// Server is the reference implementation of openapi.yaml over any
// store.Ledger: what `paydesk demo-backend` runs over the SQLite demo
// ledger, what the client's tests run against, and what a backend team can
// read next to the contract. Idempotency is the ledger's (every
// store.Ledger write takes the key).
type Server struct {
	ledger store.Ledger
	token  string
	log    *slog.Logger
	mux    *http.ServeMux
}

// ServerOption configures a Server.
type ServerOption func(*Server)

// WithToken makes the server require "Authorization: Bearer token".
func WithToken(token string) ServerOption { return func(s *Server) { s.token = token } }

// WithServerLogger sets the server's logger.
func WithServerLogger(l *slog.Logger) ServerOption { return func(s *Server) { s.log = l } }

// NewServer serves the contract over ledger.
func NewServer(ledger store.Ledger, opts ...ServerOption) *Server {
	s := &Server{ledger: ledger, log: slog.Default(), mux: http.NewServeMux()}
	for _, o := range opts {
		o(s)
	}
	s.handle(opHealth, s.health)
	s.handle(opGetCustomer, s.getCustomer)
	s.handle(opLookupCustomer, s.lookupCustomer)
	s.handle(opListTransfers, s.listTransfers)
	s.handle(opGetTransfer, s.getTransfer)
	s.handle(opLatestCancellation, s.latestCancellation)
	s.handle(opListOpenCancellation, s.listOpenCancellations)
	s.handle(opRequestCancellation, s.requestCancellation)
	s.handle(opGetCancellation, s.getCancellation)
	s.handle(opResolveCancellation, s.resolveCancellation)
	s.handle(opListWithdrawals, s.listWithdrawals)
	s.handle(opListOpenWithdrawals, s.listOpenWithdrawals)
	s.handle(opListOpenByRecord, s.listOpenWithdrawalsByRecord)
	s.handle(opGetWithdrawal, s.getWithdrawal)
	s.handle(opGetTier, s.getTier)
	s.handle(opGetProvider, s.getProvider)
	s.handle(opListReturnRequests, s.listReturnRequests)
	s.handle(opListRefusals, s.listRefusals)
	s.handle(opGetReturnRequest, s.getReturnRequest)
	s.handle(opGetDispute, s.getDispute)
	s.handle(opCreateDispute, s.createDispute)
	s.handleRefunds()
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		WriteProblem(w, http.StatusNotFound, "no such operation", r.Method+" "+r.URL.Path)
	})
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// handler answers one operation: a status and a JSON body, or an error
// (badRequest, or the ledger's).
type handler func(r *http.Request, key string) (status int, body any, err error)

// badRequest is an error in what the client asked (400).
type badRequest struct{ error }

// unprocessable is a write the ledger's rules refuse (422), with the
// problem type that tells the client which rule.
type unprocessable struct{ typ, title string }

func (u unprocessable) Error() string { return u.title }

func bad(format string, args ...any) error { return badRequest{fmt.Errorf(format, args...)} }

func (s *Server) handle(op operation, h handler) {
	s.mux.HandleFunc(op.pattern(), func(w http.ResponseWriter, r *http.Request) {
		if s.token != "" {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="ledger"`)
				WriteProblem(w, http.StatusUnauthorized, "missing or wrong bearer token", "")
				return
			}
		}
		key := r.Header.Get("Idempotency-Key")
		if op.write && key == "" {
			WriteProblem(w, http.StatusBadRequest, "Idempotency-Key header required", "")
			return
		}
		status, body, err := h(r, key)
		var (
			br badRequest
			un unprocessable
		)
		switch {
		case errors.As(err, &br):
			WriteProblem(w, http.StatusBadRequest, "invalid request", br.Error())
		case errors.As(err, &un):
			writeProblem(w, problem{Type: un.typ, Title: un.title, Status: http.StatusUnprocessableEntity})
		case errors.Is(err, store.ErrNotFound):
			WriteProblem(w, http.StatusNotFound, "not found", "")
		case errors.Is(err, store.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
			w.Header().Set("Retry-After", "1")
			WriteProblem(w, http.StatusServiceUnavailable, "ledger unavailable", "")
		case err != nil:
			s.log.Error("ledger operation failed", "op", op.id, "err", err)
			WriteProblem(w, http.StatusInternalServerError, "ledger error", "")
		default:
			writeJSON(w, status, body)
		}
	})
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body) // the client sees a cut answer as a broken connection
}

// WriteProblem answers with an RFC 9457 problem (the contract's errors;
// bot's event endpoint answers the same way).
func WriteProblem(w http.ResponseWriter, status int, title, detail string) {
	writeProblem(w, problem{Type: "about:blank", Title: title, Status: status, Detail: detail})
}

func writeProblem(w http.ResponseWriter, p problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// decode reads a JSON body, refusing unknown fields as the contract does.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bad("body: %v", err)
	}
	return nil
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, bad("%s: want a positive integer", name)
	}
	return id, nil
}

// queryInt reads an optional non-negative integer query parameter (0 when absent).
func queryInt(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, bad("%s: want a non-negative integer", name)
	}
	return n, nil
}

func queryTime(r *http.Request, name string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, r.URL.Query().Get(name))
	if err != nil {
		return time.Time{}, bad("%s: want an RFC 3339 time", name)
	}
	return t, nil
}

func requireQuery(r *http.Request, name, want string) error {
	if got := r.URL.Query().Get(name); got != want {
		return bad("%s: want %q", name, want)
	}
	return nil
}

// byID answers a read of what a path parameter names: get it from the
// ledger, write it as to makes it.
func byID[T, J any](r *http.Request, param string, get func(context.Context, int64) (T, error), to func(T) J) (int, any, error) {
	id, err := pathID(r, param)
	if err != nil {
		return 0, nil, err
	}
	v, err := get(r.Context(), id)
	return http.StatusOK, to(v), err
}

// ofCustomer adapts a ledger read by customer to byID.
func ofCustomer[T any](get func(context.Context, store.CustomerID) (T, error)) func(context.Context, int64) (T, error) {
	return func(ctx context.Context, id int64) (T, error) { return get(ctx, store.CustomerID(id)) }
}

// items wraps a list as the contract's {"items": [...]}.
func items[T, J any](to func(T) J) func([]T) list[J] {
	return func(v []T) list[J] { return list[J]{Items: mapSlice(v, to)} }
}

func (s *Server) health(r *http.Request, _ string) (int, any, error) {
	if err := s.ledger.Ping(r.Context()); err != nil {
		return 0, nil, fmt.Errorf("%w: %w", store.ErrUnavailable, err)
	}
	return http.StatusOK, map[string]string{"status": "ok"}, nil
}

func (s *Server) getCustomer(r *http.Request, _ string) (int, any, error) {
	return byID(r, "customer_id", ofCustomer(s.ledger.Customer), toCustomerJSON)
}

func (s *Server) lookupCustomer(r *http.Request, _ string) (int, any, error) {
	var in lookupJSON
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	c, err := s.ledger.CustomerByPhone(r.Context(), in.Phone)
	return http.StatusOK, toCustomerJSON(c), err
}

func (s *Server) listTransfers(r *http.Request, _ string) (int, any, error) {
	id, err := pathID(r, "customer_id")
	if err != nil {
		return 0, nil, err
	}
	offset, err1 := queryInt(r, "offset")
	limit, err2 := queryInt(r, "limit")
	if err := errors.Join(err1, err2); err != nil {
		return 0, nil, err
	}
	items, total, err := s.ledger.Transfers(r.Context(), store.CustomerID(id), int(offset), int(limit))
	return http.StatusOK, list[transferJSON]{Items: mapSlice(items, toTransferJSON), Total: &total}, err
}

func (s *Server) getTransfer(r *http.Request, _ string) (int, any, error) {
	return byID(r, "transfer_id", s.ledger.Transfer, toTransferJSON)
}

func (s *Server) latestCancellation(r *http.Request, _ string) (int, any, error) {
	return byID(r, "transfer_id", s.ledger.LatestCancellation, toCancellationJSON)
}

func (s *Server) listOpenCancellations(r *http.Request, _ string) (int, any, error) {
	if err := requireQuery(r, "status", "open"); err != nil {
		return 0, nil, err
	}
	var (
		items []store.CancellationRequest
		err   error
	)
	if r.URL.Query().Has("recipient_id") {
		id, perr := queryInt(r, "recipient_id")
		if perr != nil {
			return 0, nil, perr
		}
		items, err = s.ledger.OpenCancellationsTo(r.Context(), store.CustomerID(id))
	} else {
		items, err = s.ledger.OpenCancellations(r.Context())
	}
	return http.StatusOK, list[cancellationJSON]{Items: mapSlice(items, toCancellationJSON)}, err
}

func (s *Server) requestCancellation(r *http.Request, key string) (int, any, error) {
	var in requestCancellationJSON
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if _, err := s.ledger.Transfer(r.Context(), in.TransferID); err != nil {
		return 0, nil, err
	}
	c, created, err := s.ledger.RequestCancellation(r.Context(), key, in.TransferID, in.RequestedAt)
	return createdStatus(created), toCancellationJSON(c), err
}

func createdStatus(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}

func (s *Server) getCancellation(r *http.Request, _ string) (int, any, error) {
	return byID(r, "request_id", s.ledger.Cancellation, toCancellationJSON)
}

func (s *Server) resolveCancellation(r *http.Request, key string) (int, any, error) {
	id, err := pathID(r, "request_id")
	if err != nil {
		return 0, nil, err
	}
	var in resolveCancellationJSON
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	switch to := store.CancellationStatus(in.Status); to {
	case store.CancellationReturned, store.CancellationDeclined, store.CancellationExpired:
	default:
		return 0, nil, bad("status: want returned, declined or expired")
	}
	c, changed, err := s.ledger.ResolveCancellation(r.Context(), key, id, store.CancellationStatus(in.Status), in.ResolvedAt)
	return http.StatusOK, resolutionJSON{Request: toCancellationJSON(c), Changed: changed}, err
}

func (s *Server) listWithdrawals(r *http.Request, _ string) (int, any, error) {
	id, err := pathID(r, "customer_id")
	if err != nil {
		return 0, nil, err
	}
	limit, err := queryInt(r, "limit")
	if err != nil {
		return 0, nil, err
	}
	items, err := s.ledger.Withdrawals(r.Context(), store.CustomerID(id), int(limit))
	return http.StatusOK, list[withdrawalJSON]{Items: mapSlice(items, toWithdrawalJSON)}, err
}

func (s *Server) listOpenWithdrawals(r *http.Request, _ string) (int, any, error) {
	if err := requireQuery(r, "status", "open"); err != nil {
		return 0, nil, err
	}
	after, err1 := queryInt(r, "after")
	limit, err2 := queryInt(r, "limit")
	if err := errors.Join(err1, err2); err != nil {
		return 0, nil, err
	}
	items, err := s.ledger.OpenWithdrawals(r.Context(), after, int(limit))
	return http.StatusOK, list[withdrawalJSON]{Items: mapSlice(items, toWithdrawalJSON)}, err
}

func (s *Server) listOpenWithdrawalsByRecord(r *http.Request, _ string) (int, any, error) {
	after, err1 := queryInt(r, "after_seq")
	limit, err2 := queryInt(r, "limit")
	if err := errors.Join(err1, err2); err != nil {
		return 0, nil, err
	}
	items, err := s.ledger.OpenWithdrawalsChangedAfter(r.Context(), after, int(limit))
	return http.StatusOK, list[stagedWithdrawalJSON]{Items: mapSlice(items, toStagedWithdrawalJSON)}, err
}

func (s *Server) getWithdrawal(r *http.Request, _ string) (int, any, error) {
	return byID(r, "withdrawal_id", s.ledger.Withdrawal, toWithdrawalJSON)
}

func (s *Server) getTier(r *http.Request, _ string) (int, any, error) {
	t, err := s.ledger.Tier(r.Context(), r.PathValue("code"))
	return http.StatusOK, tierJSON{Code: t.Code, ApprovalDays: t.ApprovalDays}, err
}

func (s *Server) getProvider(r *http.Request, _ string) (int, any, error) {
	p, err := s.ledger.Provider(r.Context(), r.PathValue("code"))
	return http.StatusOK, providerJSON{Code: p.Code, Name: p.Name, AvgDays: p.AvgDays, MaxDays: p.MaxDays}, err
}

func (s *Server) listReturnRequests(r *http.Request, _ string) (int, any, error) {
	return byID(r, "customer_id", ofCustomer(s.ledger.ReturnRequests), items(toReturnRequestJSON))
}

func (s *Server) listRefusals(r *http.Request, _ string) (int, any, error) {
	if err := errors.Join(requireQuery(r, "status", "refused"), requireQuery(r, "disputed", "false")); err != nil {
		return 0, nil, err
	}
	from, err1 := queryTime(r, "refused_after")
	by, err2 := queryTime(r, "refused_by")
	after, err3 := queryInt(r, "after")
	limit, err4 := queryInt(r, "limit")
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return 0, nil, err
	}
	items, err := s.ledger.UndisputedRefusals(r.Context(), from, by, after, int(limit))
	return http.StatusOK, list[returnRequestJSON]{Items: mapSlice(items, toReturnRequestJSON)}, err
}

func (s *Server) getReturnRequest(r *http.Request, _ string) (int, any, error) {
	return byID(r, "return_request_id", s.ledger.ReturnRequest, toReturnRequestJSON)
}

func (s *Server) getDispute(r *http.Request, _ string) (int, any, error) {
	return byID(r, "return_request_id", s.ledger.DisputeOf, toDisputeJSON)
}

func (s *Server) createDispute(r *http.Request, key string) (int, any, error) {
	var in newDisputeJSON
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if _, err := s.ledger.ReturnRequest(r.Context(), in.ReturnRequestID); err != nil {
		return 0, nil, err
	}
	d, created, err := s.ledger.CreateDispute(r.Context(), key, store.Dispute{ReturnRequestID: in.ReturnRequestID,
		Reason: in.Reason, Text: in.Text, PhotoFileIDs: in.PhotoFileIDs, Status: store.DisputeUnderReview, CreatedAt: in.CreatedAt})
	return createdStatus(created), toDisputeJSON(d), err
}
