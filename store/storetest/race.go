package storetest

import (
	"sync"
	"testing"
)

// createdOnce runs create from n goroutines at once, as a double tap on two
// devices or two replicas would, and checks that every call got the same
// object and exactly one of them created it. It returns that object's id.
func createdOnce(t *testing.T, what string, n int, create func(i int) (id int64, created bool, err error)) int64 {
	t.Helper()
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		ids     = map[int64]bool{}
		creates int
	)
	for i := range n {
		wg.Go(func() {
			id, created, err := create(i)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			ids[id] = true
			if created {
				creates++
			}
		})
	}
	wg.Wait()
	if len(ids) != 1 || creates != 1 {
		t.Fatalf("%d concurrent %s: ids %v, %d created; want one", n, what, ids, creates)
	}
	for id := range ids {
		return id
	}
	return 0
}
