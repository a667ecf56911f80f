// Package storetest is the conformance suites every store implementation
// must pass, so flows and bot can rely on what the interfaces promise
// (compare-and-swap sessions, exactly-once update marks, once-only keyed
// deliveries, newest-first ledger lists) whichever store is plugged in.
// There is one suite per interface: RunState for store.State, RunLedger for
// store.Ledger.
//
// Use them from the implementation's tests:
//
//	func TestState(t *testing.T) {
//		storetest.RunState(t, func(t *testing.T) store.State { ... a new, empty store ... })
//	}
package storetest

import (
	"context"
	"testing"

	"paydesk/store"
)

// LedgerFixture is implemented by a ledger that can be filled with rows.
// store.Ledger only reads the payments data (it belongs to the payments
// backend), so the suite needs this to put rows in place before it reads
// them back. Rows come with their ids; each Add returns the stored id. A
// ledger without it skips the tests that read rows.
type LedgerFixture interface {
	AddTier(ctx context.Context, t store.Tier) error
	AddProvider(ctx context.Context, p store.Provider) error
	AddCustomer(ctx context.Context, c store.Customer) (store.CustomerID, error)
	AddTransfer(ctx context.Context, t store.Transfer) (int64, error)
	AddWithdrawal(ctx context.Context, w store.Withdrawal) (int64, error)
	AddReturnRequest(ctx context.Context, r store.ReturnRequest) (int64, error)
}

// RunState runs the State suite. open must return a new, empty store on
// every call; the suite closes it when the subtest ends. Times are whole
// seconds, so a store that keeps seconds passes as well as one that keeps
// nanoseconds.
func RunState(t *testing.T, open func(t *testing.T) store.State) {
	o := func(t *testing.T) store.State { return opened(t, open) }
	t.Run("Ping", func(t *testing.T) {
		if err := o(t).Ping(t.Context()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})
	t.Run("SessionFresh", func(t *testing.T) { testSessionFresh(t, o(t)) })
	t.Run("SessionSave", func(t *testing.T) { testSessionSave(t, o(t)) })
	t.Run("SessionRace", func(t *testing.T) { testSessionRace(t, o(t)) })
	t.Run("ChatsOf", func(t *testing.T) { testChatsOf(t, o(t)) })
	t.Run("MarkUpdate", func(t *testing.T) { testMarkUpdate(t, o(t)) })
	t.Run("MarkUpdateRace", func(t *testing.T) { testMarkUpdateRace(t, o(t)) })
	t.Run("ForgetUpdates", func(t *testing.T) { testForgetUpdates(t, o(t)) })
	t.Run("PollOffset", func(t *testing.T) { testPollOffset(t, o(t)) })
	t.Run("CommitUpdate", func(t *testing.T) { testCommitUpdate(t, o(t)) })
	t.Run("CommitUpdateConflict", func(t *testing.T) { testCommitUpdateConflict(t, o(t)) })
	t.Run("CommitUpdateRace", func(t *testing.T) { testCommitUpdateRace(t, o(t)) })
	t.Run("DeliveryIDsNotReused", func(t *testing.T) { testDeliveryIDsNotReused(t, o(t)) })
	t.Run("DeliveryKeys", func(t *testing.T) { testDeliveryKeys(t, o(t)) })
	t.Run("DeliveryKeysRace", func(t *testing.T) { testDeliveryKeysRace(t, o(t)) })
	t.Run("DeliveryKeysJoined", func(t *testing.T) { testDeliveryKeysJoined(t, o(t)) })
	t.Run("TickDeliveries", func(t *testing.T) { testTickDeliveries(t, o(t)) })
	t.Run("BlockedChats", func(t *testing.T) { testBlockedChats(t, o(t)) })
	t.Run("Tickets", func(t *testing.T) { testTickets(t, o(t)) })
	t.Run("TicketRace", func(t *testing.T) { testTicketRace(t, o(t)) })
	t.Run("ClaimNudge", func(t *testing.T) { testClaimNudge(t, o(t)) })
	t.Run("ClaimNudgeRace", func(t *testing.T) { testClaimNudgeRace(t, o(t)) })
	t.Run("NudgeSchedule", func(t *testing.T) { testNudgeSchedule(t, o(t)) })
	t.Run("SupportTopics", func(t *testing.T) { testSupportTopics(t, o(t)) })
	t.Run("SupportQueue", func(t *testing.T) { testSupportQueue(t, o(t)) })
	t.Run("SupportRelayedCopies", func(t *testing.T) { testSupportRelayedCopies(t, o(t)) })
	t.Run("SupportAgents", func(t *testing.T) { testSupportAgents(t, o(t)) })
	t.Run("SupportLifecycle", func(t *testing.T) { testSupportLifecycle(t, o(t)) })
	t.Run("Exchanges", func(t *testing.T) { testExchanges(t, o(t)) })
	t.Run("CommitUpdateExchanges", func(t *testing.T) { testCommitUpdateExchanges(t, o(t)) })
	t.Run("Suggestions", func(t *testing.T) { testSuggestions(t, o(t)) })
	t.Run("SessionTester", func(t *testing.T) { testSessionTester(t, o(t)) })
	t.Run("CommitUpdateRelays", func(t *testing.T) { testCommitUpdateRelays(t, o(t)) })
	t.Run("Events", func(t *testing.T) { testEvents(t, o(t)) })
	t.Run("Notices", func(t *testing.T) { testNotices(t, o(t)) })
}

// RunLedger runs the Ledger suite. open must return a new, empty ledger on
// every call that implements LedgerFixture (or the tests that read rows
// skip); the suite closes it when the subtest ends.
func RunLedger(t *testing.T, open func(t *testing.T) store.Ledger) {
	o := func(t *testing.T) store.Ledger { return openWithLedger(t, open) }
	t.Run("Ping", func(t *testing.T) {
		if err := opened(t, open).Ping(t.Context()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})
	t.Run("Customers", func(t *testing.T) { testCustomers(t, o(t)) })
	t.Run("Transfers", func(t *testing.T) { testTransfers(t, o(t)) })
	t.Run("Withdrawals", func(t *testing.T) { testWithdrawals(t, o(t)) })
	t.Run("ReferenceData", func(t *testing.T) { testReferenceData(t, o(t)) })
	t.Run("ReturnRequests", func(t *testing.T) { testReturnRequests(t, o(t)) })
	t.Run("OpenWithdrawals", func(t *testing.T) { testOpenWithdrawals(t, o(t)) })
	t.Run("OpenWithdrawalsChangedAfter", func(t *testing.T) { testOpenWithdrawalsChangedAfter(t, o(t)) })
	t.Run("Disputes", func(t *testing.T) { testDisputes(t, o(t)) })
	t.Run("DisputeRace", func(t *testing.T) { testDisputeRace(t, o(t)) })
	t.Run("UndisputedRefusals", func(t *testing.T) { testUndisputedRefusals(t, o(t)) })
	t.Run("Cancellations", func(t *testing.T) { testCancellations(t, o(t)) })
	t.Run("CancellationRace", func(t *testing.T) { testCancellationRace(t, o(t)) })
	t.Run("IdempotencyKeys", func(t *testing.T) { testIdempotencyKeys(t, o(t)) })
	t.Run("Refunds", func(t *testing.T) { testRefunds(t, o(t)) })
	t.Run("RefundRace", func(t *testing.T) { testRefundRace(t, o(t)) })
}

// opened opens a store and closes it when the test ends.
func opened[S interface{ Close() error }](t *testing.T, open func(t *testing.T) S) S {
	t.Helper()
	s := open(t)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// openWithLedger opens a store holding the fixture ledger (ledger.go).
func openWithLedger(t *testing.T, open func(t *testing.T) store.Ledger) store.Ledger {
	t.Helper()
	s := opened(t, open)
	f, ok := s.(LedgerFixture)
	if !ok {
		t.Skipf("%T does not implement storetest.LedgerFixture: no ledger rows to read", s)
	}
	loadLedger(t, f)
	return s
}
