// Package storetest is the conformance suite every store.Store
// implementation must pass, so flows can rely on the behaviour the
// interfaces promise (compare-and-swap sessions, exactly-once update marks,
// newest-first ledger lists) whichever store is plugged in.
//
// Use it from the implementation's tests:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { ... a new, empty store ... })
//	}
package storetest

import (
	"context"
	"testing"

	"paydesk/store"
)

// LedgerFixture is implemented by a store that can be filled with ledger
// rows. store.Store only reads the ledger (it belongs to the payments
// backend), so the suite needs this to put rows in place before it reads
// them back. Rows come with their ids; each Add returns the stored id. A
// store without it skips the customer and ledger tests.
type LedgerFixture interface {
	AddTier(ctx context.Context, t store.Tier) error
	AddProvider(ctx context.Context, p store.Provider) error
	AddCustomer(ctx context.Context, c store.Customer) (store.CustomerID, error)
	AddTransfer(ctx context.Context, t store.Transfer) (int64, error)
	AddWithdrawal(ctx context.Context, w store.Withdrawal) (int64, error)
	AddReturnRequest(ctx context.Context, r store.ReturnRequest) (int64, error)
}

// Run runs the suite. open must return a new, empty store on every call;
// the suite closes it when the subtest ends. Times are whole seconds, so a
// store that keeps seconds passes as well as one that keeps nanoseconds.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("Ping", func(t *testing.T) {
		if err := openStore(t, open).Ping(t.Context()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})
	t.Run("Customers", func(t *testing.T) { testCustomers(t, openWithLedger(t, open)) })
	t.Run("SessionFresh", func(t *testing.T) { testSessionFresh(t, openStore(t, open)) })
	t.Run("SessionSave", func(t *testing.T) { testSessionSave(t, openStore(t, open)) })
	t.Run("SessionRace", func(t *testing.T) { testSessionRace(t, openStore(t, open)) })
	t.Run("ChatsOf", func(t *testing.T) { testChatsOf(t, openStore(t, open)) })
	t.Run("Transfers", func(t *testing.T) { testTransfers(t, openWithLedger(t, open)) })
	t.Run("Withdrawals", func(t *testing.T) { testWithdrawals(t, openWithLedger(t, open)) })
	t.Run("ReferenceData", func(t *testing.T) { testReferenceData(t, openWithLedger(t, open)) })
	t.Run("ReturnRequests", func(t *testing.T) { testReturnRequests(t, openWithLedger(t, open)) })
	t.Run("MarkUpdate", func(t *testing.T) { testMarkUpdate(t, openStore(t, open)) })
	t.Run("MarkUpdateRace", func(t *testing.T) { testMarkUpdateRace(t, openStore(t, open)) })
	t.Run("ForgetUpdates", func(t *testing.T) { testForgetUpdates(t, openStore(t, open)) })
	t.Run("PollOffset", func(t *testing.T) { testPollOffset(t, openStore(t, open)) })
	t.Run("CommitUpdate", func(t *testing.T) { testCommitUpdate(t, openStore(t, open)) })
	t.Run("CommitUpdateConflict", func(t *testing.T) { testCommitUpdateConflict(t, openStore(t, open)) })
	t.Run("CommitUpdateRace", func(t *testing.T) { testCommitUpdateRace(t, openStore(t, open)) })
	t.Run("DeliveryIDsNotReused", func(t *testing.T) { testDeliveryIDsNotReused(t, openStore(t, open)) })
	t.Run("TickDeliveries", func(t *testing.T) { testTickDeliveries(t, openStore(t, open)) })
	t.Run("BlockedChats", func(t *testing.T) { testBlockedChats(t, openStore(t, open)) })
	t.Run("Tickets", func(t *testing.T) { testTickets(t, openStore(t, open)) })
	t.Run("TicketRace", func(t *testing.T) { testTicketRace(t, openStore(t, open)) })
	t.Run("OpenWithdrawals", func(t *testing.T) { testOpenWithdrawals(t, openWithLedger(t, open)) })
	t.Run("ClaimNudge", func(t *testing.T) { testClaimNudge(t, openStore(t, open)) })
	t.Run("ClaimNudgeRace", func(t *testing.T) { testClaimNudgeRace(t, openStore(t, open)) })
	t.Run("Disputes", func(t *testing.T) { testDisputes(t, openWithLedger(t, open)) })
	t.Run("DisputeRace", func(t *testing.T) { testDisputeRace(t, openWithLedger(t, open)) })
	t.Run("DisputeReminders", func(t *testing.T) { testDisputeReminders(t, openWithLedger(t, open)) })
	t.Run("Cancellations", func(t *testing.T) { testCancellations(t, openWithLedger(t, open)) })
	t.Run("CancellationRace", func(t *testing.T) { testCancellationRace(t, openWithLedger(t, open)) })
	t.Run("CancellationDeliveries", func(t *testing.T) { testCancellationDeliveries(t, openWithLedger(t, open)) })
	t.Run("SupportTopics", func(t *testing.T) { testSupportTopics(t, openStore(t, open)) })
	t.Run("SupportLifecycle", func(t *testing.T) { testSupportLifecycle(t, openStore(t, open)) })
	t.Run("Exchanges", func(t *testing.T) { testExchanges(t, openStore(t, open)) })
}

func openStore(t *testing.T, open func(t *testing.T) store.Store) store.Store {
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
func openWithLedger(t *testing.T, open func(t *testing.T) store.Store) store.Store {
	t.Helper()
	s := openStore(t, open)
	f, ok := s.(LedgerFixture)
	if !ok {
		t.Skipf("%T does not implement storetest.LedgerFixture: no ledger rows to read", s)
	}
	loadLedger(t, f)
	return s
}
