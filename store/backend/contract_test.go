package backend_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"paydesk/store/backend"
)

// contract is openapi.yaml, loaded and checked once.
var contract = sync.OnceValues(func() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(backend.Contract)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	doc.Servers = nil // match requests to any host: the tests' servers are on loopback ports
	return doc, nil
})

func TestContractIsValidOpenAPI(t *testing.T) {
	doc, err := contract()
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi %q, want 3.1", doc.OpenAPI)
	}
}

// validating wraps h so that every request it gets and every response it
// gives is checked against openapi.yaml; a mismatch fails the test. calls
// counts the requests by operationId.
type validating struct {
	t      testing.TB
	h      http.Handler
	router routers.Router
	mu     sync.Mutex
	calls  map[string]int
}

func newValidating(t testing.TB, h http.Handler) *validating {
	doc, err := contract()
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatalf("router: %v", err)
	}
	return &validating{t: t, h: h, router: router, calls: map[string]int{}}
}

// bearerPresent is the contract's security check: a bearer token is sent.
func bearerPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if !strings.HasPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ") {
		return errors.New("no bearer token")
	}
	return nil
}

func (v *validating) count(op string) int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.calls[op]
}

func (v *validating) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route, params, err := v.router.FindRoute(r)
	if err != nil {
		v.t.Errorf("%s %s is not in openapi.yaml: %v", r.Method, r.URL, err)
		http.Error(w, "not in the contract", http.StatusNotFound)
		return
	}
	v.mu.Lock()
	v.calls[route.Operation.OperationID]++
	v.mu.Unlock()
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: bearerPresent, MultiError: true}}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		v.t.Errorf("request %s %s does not match openapi.yaml: %v\nbody: %s", r.Method, r.URL, err, body)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	v.h.ServeHTTP(rec, r)
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	out.SetBodyBytes(rec.Body.Bytes())
	if err := openapi3filter.ValidateResponse(r.Context(), out); err != nil {
		v.t.Errorf("response to %s %s (%d) does not match openapi.yaml: %v\nbody: %s", r.Method, r.URL, rec.Code, err, rec.Body.Bytes())
	}
	for k, vs := range rec.Header() {
		w.Header()[k] = vs
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// TestEventsMatchTheContract: events of every known type, as a backend
// following openapi.yaml sends them, match its Event schema and are
// accepted by ParseEvent; the envelope of a type paydesk does not know is
// valid too (types are additive) and refused as unknown.
func TestEventsMatchTheContract(t *testing.T) {
	doc, err := contract()
	if err != nil {
		t.Fatal(err)
	}
	schema := doc.Components.Schemas["Event"].Value
	now := time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)
	secret := []byte("events-secret")
	for _, tt := range []struct {
		body  string
		known bool
	}{
		{`{"id":"e1","type":"withdrawal.stage_changed","sent_at":"2026-03-10T15:30:00+06:00","occurred_at":"2026-03-10T09:29:58Z","customer_id":1,"data":{"withdrawal_id":31,"stage":"processing"}}`, true},
		{`{"id":"e2","type":"cancellation_request.answered","sent_at":"2026-03-10T09:30:00Z","occurred_at":"2026-03-10T09:29:00Z","customer_id":1,"data":{"cancellation_request_id":7,"status":"returned"}}`, true},
		{`{"id":"e3","type":"return_request.refused","sent_at":"2026-03-10T09:31:00Z","occurred_at":"2026-03-10T09:00:00Z","customer_id":2,"data":{"return_request_id":41}}`, true},
		{`{"id":"e4","type":"refund.state_changed","sent_at":"2026-03-10T09:31:00Z","occurred_at":"2026-03-10T09:00:00Z","customer_id":2,"data":{"refund_id":5,"state":"refunded"}}`, true},
		{`{"id":"e5","type":"merchant.payout_sent","sent_at":"2026-03-10T09:31:00Z","occurred_at":"2026-03-10T09:00:00Z","customer_id":2,"data":{"payout_id":5}}`, false},
	} {
		var v any
		if err := json.Unmarshal([]byte(tt.body), &v); err != nil {
			t.Fatal(err)
		}
		if err := schema.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil && tt.known {
			t.Errorf("%s does not match the Event schema: %v", tt.body, err)
		}
		ev, err := backend.ParseEvent(secret, []byte(tt.body), backend.Sign(secret, []byte(tt.body)), now)
		switch {
		case tt.known && err != nil:
			t.Errorf("ParseEvent(%s): %v", tt.body, err)
		case tt.known && (ev.ObjectID == 0 || ev.CustomerID == 0 || ev.At.IsZero()):
			t.Errorf("ParseEvent(%s) = %+v", tt.body, ev)
		case !tt.known && !errors.Is(err, backend.ErrEventType):
			t.Errorf("ParseEvent(unknown type): %v, want ErrEventType", err)
		}
	}
}
