package flows_test

import (
	"bytes"
	"testing"
	"time"

	"paydesk/flows"
	"paydesk/store/backend"
)

// TestLinkTokenContractExample: the example token in the backend contract
// (store/backend/openapi.yaml) is one the bot accepts, so a payments app can
// check its issuer against it.
func TestLinkTokenContractExample(t *testing.T) {
	const token = "1-vbbc00-h8EDuqXvtR8g0UHF"
	if !bytes.Contains(backend.Contract, []byte("start=link-"+token)) {
		t.Fatal("the example is no longer in openapi.yaml; update this test with it")
	}
	secret := []byte("0123456789abcdef0123456789abcdef")
	id, err := flows.ParseLinkToken(secret, token, time.Date(2029, 12, 31, 0, 0, 0, 0, time.UTC))
	if err != nil || id != 1 {
		t.Fatalf("ParseLinkToken(example) = %d, %v; want customer 1", id, err)
	}
	if got := flows.IssueLinkToken(secret, 1, time.Unix(1893456000, 0)); got != token {
		t.Fatalf("IssueLinkToken = %q, want the contract's %q", got, token)
	}
	// The contract's example of a mac that begins with "-".
	const dashed = "7-vbbc3c---e4rj8hgquiQxoo"
	if !bytes.Contains(backend.Contract, []byte("`"+dashed+"`")) {
		t.Fatal("the dashed example is no longer in openapi.yaml")
	}
	if id, err := flows.ParseLinkToken(secret, dashed, time.Unix(1893456000, 0)); err != nil || id != 7 {
		t.Fatalf("ParseLinkToken(%q) = %d, %v; want customer 7", dashed, id, err)
	}
}
