package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"paydesk/store"
)

// Fixture transfers the cancellation tests use: 11 goes to customer 2
// (tereza), 13 to somebody who is not a customer.
const (
	toTereza   int64 = 11
	toStranger int64 = 13
)

func testCancellations(t *testing.T, s store.Ledger) {
	ctx := t.Context()
	if _, err := s.LatestCancellation(ctx, toTereza); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("LatestCancellation before any request: %v, want ErrNotFound", err)
	}
	first, created, err := s.RequestCancellation(ctx, "k1", toTereza, base)
	if err != nil || !created || first.ID == 0 {
		t.Fatalf("first RequestCancellation: %+v created=%v err=%v", first, created, err)
	}
	want := store.CancellationRequest{ID: first.ID, TransferID: toTereza, Status: store.CancellationNotified, CreatedAt: base}
	if !same(first, want) {
		t.Fatalf("RequestCancellation = %+v, want %+v", first, want)
	}
	again, created, err := s.RequestCancellation(ctx, "k2", toTereza, base.Add(time.Minute))
	if err != nil || created || !same(again, want) {
		t.Fatalf("second RequestCancellation: %+v created=%v err=%v, want the first request again", again, created, err)
	}
	other, _, err := s.RequestCancellation(ctx, "k3", toStranger, base.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{first.ID, other.ID} {
		if got, err := s.Cancellation(ctx, id); err != nil || got.ID != id {
			t.Errorf("Cancellation(%d) = %+v, %v", id, got, err)
		}
	}
	if _, err := s.Cancellation(ctx, 999999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Cancellation of a missing id: %v, want ErrNotFound", err)
	}
	checkOpen(t, s, []int64{first.ID, other.ID}, map[store.CustomerID][]int64{2: {first.ID}, 1: nil, 3: nil})

	// Declining closes the request, once; a later answer changes nothing.
	resolvedAt := base.Add(time.Hour)
	declined, changed, err := s.ResolveCancellation(ctx, "k4", first.ID, store.CancellationDeclined, resolvedAt)
	if err != nil || !changed || declined.Status != store.CancellationDeclined || !declined.ResolvedAt.Equal(resolvedAt) {
		t.Fatalf("decline: %+v changed=%v err=%v", declined, changed, err)
	}
	late, changed, err := s.ResolveCancellation(ctx, "k5", first.ID, store.CancellationReturned, resolvedAt.Add(time.Hour))
	if err != nil || changed || !same(late, declined) {
		t.Fatalf("returning a declined request: %+v changed=%v err=%v, want it unchanged", late, changed, err)
	}
	if tr, err := s.Transfer(ctx, toTereza); err != nil || tr.Status != store.TransferCompleted {
		t.Fatalf("transfer after a declined request: %+v %v, want it completed", tr, err)
	}
	if _, _, err := s.ResolveCancellation(ctx, "k6", other.ID, store.CancellationNotified, resolvedAt); err == nil {
		t.Fatal("resolving to notified succeeded, want an error")
	}
	checkOpen(t, s, []int64{other.ID}, map[store.CustomerID][]int64{2: nil})

	// A closed request does not block a new one; the newest is the latest.
	second, created, err := s.RequestCancellation(ctx, "k7", toTereza, base.Add(2*time.Hour))
	if err != nil || !created || second.ID == first.ID {
		t.Fatalf("request after a declined one: %+v created=%v err=%v", second, created, err)
	}
	if latest, err := s.LatestCancellation(ctx, toTereza); err != nil || latest.ID != second.ID {
		t.Fatalf("LatestCancellation = %+v, %v; want %d", latest, err, second.ID)
	}

	// Returning closes it and gives the money back in the ledger.
	returned, changed, err := s.ResolveCancellation(ctx, "k8", second.ID, store.CancellationReturned, resolvedAt)
	if err != nil || !changed || returned.Status != store.CancellationReturned {
		t.Fatalf("return: %+v changed=%v err=%v", returned, changed, err)
	}
	if tr, err := s.Transfer(ctx, toTereza); err != nil || tr.Status != store.TransferReturned {
		t.Fatalf("transfer after the money was returned: %+v %v", tr, err)
	}
	if tr, err := s.Transfer(ctx, toStranger); err != nil || tr.Status != store.TransferCompleted {
		t.Fatalf("another transfer changed: %+v %v", tr, err)
	}
}

// checkOpen compares OpenCancellations and OpenCancellationsTo with the
// request ids expected, oldest first.
func checkOpen(t *testing.T, s store.Ledger, all []int64, to map[store.CustomerID][]int64) {
	t.Helper()
	list, err := s.OpenCancellations(t.Context())
	if err != nil || !same(requestIDs(list), all) {
		t.Errorf("OpenCancellations = %v, %v; want %v", requestIDs(list), err, all)
	}
	for id, want := range to {
		list, err := s.OpenCancellationsTo(t.Context(), id)
		if err != nil || !same(requestIDs(list), want) {
			t.Errorf("OpenCancellationsTo(%d) = %v, %v; want %v", id, requestIDs(list), err, want)
		}
	}
}

func requestIDs(list []store.CancellationRequest) []int64 {
	var ids []int64
	for _, r := range list {
		ids = append(ids, r.ID)
	}
	return ids
}

// testCancellationRace: a double tap on two devices asks once, and two
// answers at once (return on one device, decline on another) close the
// request once.
func testCancellationRace(t *testing.T, s store.Ledger) {
	const n = 8
	id := createdOnce(t, "cancellation requests", n, func(i int) (int64, bool, error) {
		r, created, err := s.RequestCancellation(t.Context(), fmt.Sprintf("race-%d", i), toTereza, base)
		return r.ID, created, err
	})
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		changes int
	)
	for i := range n {
		to := store.CancellationReturned
		if i%2 == 1 {
			to = store.CancellationDeclined
		}
		wg.Go(func() {
			_, changed, err := s.ResolveCancellation(t.Context(), fmt.Sprintf("answer-%d", i), id, to, base.Add(time.Hour))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if changed {
				changes++
			}
		})
	}
	wg.Wait()
	if changes != 1 {
		t.Fatalf("%d concurrent answers changed the request %d times, want once", n, changes)
	}
}
