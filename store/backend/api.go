// Package backend connects paydesk to a payments backend over HTTP: the
// contract (openapi.yaml, embedded as Contract), a Client that implements
// store.Ledger over it, and the reference Server that serves it over any
// store.Ledger (the SQLite demo ledger in `paydesk demo-backend` and in the
// tests). Client and Server share one table of operations (below), so an
// endpoint is added in one place per side: its row here, one Client method,
// one Server handler.
package backend

import (
	_ "embed"
	"fmt"
	"net/url"
	"strings"
)

// Contract is openapi.yaml: what a payments backend implements for paydesk.
//
//go:embed openapi.yaml
var Contract []byte

// operation is one row of the contract: its operationId, method and path
// template ({name} for path parameters, filled in order by path).
type operation struct {
	id     string
	method string
	tmpl   string
	write  bool // carries an Idempotency-Key
}

// The operations of openapi.yaml.
var (
	opHealth               = operation{"health", "GET", "/v1/health", false}
	opGetCustomer          = operation{"getCustomer", "GET", "/v1/customers/{customer_id}", false}
	opLookupCustomer       = operation{"lookupCustomerByPhone", "POST", "/v1/customer-lookup", false}
	opListTransfers        = operation{"listTransfers", "GET", "/v1/customers/{customer_id}/transfers", false}
	opGetTransfer          = operation{"getTransfer", "GET", "/v1/transfers/{transfer_id}", false}
	opLatestCancellation   = operation{"latestCancellation", "GET", "/v1/transfers/{transfer_id}/cancellation-requests/latest", false}
	opListOpenCancellation = operation{"listOpenCancellations", "GET", "/v1/cancellation-requests", false}
	opRequestCancellation  = operation{"requestCancellation", "POST", "/v1/cancellation-requests", true}
	opGetCancellation      = operation{"getCancellation", "GET", "/v1/cancellation-requests/{request_id}", false}
	opResolveCancellation  = operation{"resolveCancellation", "POST", "/v1/cancellation-requests/{request_id}/resolution", true}
	opListWithdrawals      = operation{"listWithdrawals", "GET", "/v1/customers/{customer_id}/withdrawals", false}
	opListOpenWithdrawals  = operation{"listOpenWithdrawals", "GET", "/v1/withdrawals", false}
	opListOpenByRecord     = operation{"listOpenWithdrawalsByRecord", "GET", "/v1/open-withdrawals", false}
	opGetWithdrawal        = operation{"getWithdrawal", "GET", "/v1/withdrawals/{withdrawal_id}", false}
	opGetTier              = operation{"getTier", "GET", "/v1/tiers/{code}", false}
	opGetProvider          = operation{"getProvider", "GET", "/v1/providers/{code}", false}
	opListReturnRequests   = operation{"listReturnRequests", "GET", "/v1/customers/{customer_id}/return-requests", false}
	opListRefusals         = operation{"listUndisputedRefusals", "GET", "/v1/return-requests", false}
	opGetReturnRequest     = operation{"getReturnRequest", "GET", "/v1/return-requests/{return_request_id}", false}
	opGetDispute           = operation{"getDispute", "GET", "/v1/return-requests/{return_request_id}/dispute", false}
	opCreateDispute        = operation{"createDispute", "POST", "/v1/disputes", true}
)

// pattern is the operation's http.ServeMux pattern.
func (o operation) pattern() string { return o.method + " " + o.tmpl }

// path fills the template's parameters in order.
func (o operation) path(args ...any) string {
	var b strings.Builder
	rest := o.tmpl
	for _, a := range args {
		i, j := strings.IndexByte(rest, '{'), strings.IndexByte(rest, '}')
		if i < 0 || j < i {
			panic("backend: too many path arguments for " + o.id)
		}
		b.WriteString(rest[:i])
		b.WriteString(url.PathEscape(fmt.Sprint(a)))
		rest = rest[j+1:]
	}
	if strings.IndexByte(rest, '{') >= 0 {
		panic("backend: missing path arguments for " + o.id)
	}
	b.WriteString(rest)
	return b.String()
}
