package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/go-telegram/bot/models"
)

// textUpdate is update id in chat.
func textUpdate(id, chat int64) *models.Update {
	return &models.Update{ID: id, Message: &models.Message{Chat: models.Chat{ID: chat}, Text: fmt.Sprint(id)}}
}

func TestDispatcherKeepsEachChatsOrderOnBoundedWorkers(t *testing.T) {
	const chats, perChat, workers = 100, 20, 8
	var (
		mu      sync.Mutex
		seen    = map[int64][]int64{}
		running atomic.Int32
		peak    atomic.Int32
	)
	d := NewDispatcher(func(_ context.Context, u *models.Update) error {
		n := running.Add(1)
		defer running.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		mu.Lock()
		seen[u.Message.Chat.ID] = append(seen[u.Message.Chat.ID], u.ID)
		mu.Unlock()
		return nil
	}, workers, 0)
	var wg sync.WaitGroup
	for c := range int64(chats) {
		wg.Go(func() {
			results := make([]<-chan error, 0, perChat)
			for i := range int64(perChat) {
				results = append(results, d.Enqueue(textUpdate(c*perChat+i+1, c+1)))
			}
			for _, r := range results {
				if err := <-r; err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	d.Close()
	for c := range int64(chats) {
		got := seen[c+1]
		if len(got) != perChat {
			t.Fatalf("chat %d: %d updates handled, want %d", c+1, len(got), perChat)
		}
		for i, id := range got {
			if id != c*perChat+int64(i)+1 {
				t.Fatalf("chat %d handled %v: out of order", c+1, got)
			}
		}
	}
	if p := peak.Load(); p > workers {
		t.Errorf("%d updates handled at once, more than %d workers", p, workers)
	}
}

func TestDispatcherRunsChatsInParallel(t *testing.T) {
	both := make(chan struct{})
	var arrived atomic.Int32
	d := NewDispatcher(func(context.Context, *models.Update) error {
		if arrived.Add(1) == 2 {
			close(both)
		}
		<-both // each waits for the other: only parallel handling gets out
		return nil
	}, 2, 0)
	defer d.Close()
	a, b := d.Enqueue(textUpdate(1, 1)), d.Enqueue(textUpdate(2, 2))
	if err := errors.Join(<-a, <-b); err != nil {
		t.Fatal(err)
	}
}

func TestDispatcherFailsTheChatsUpdatesBehindAFailure(t *testing.T) {
	release := make(chan struct{})
	var handled sync.Map
	d := NewDispatcher(func(_ context.Context, u *models.Update) error {
		handled.Store(u.ID, true)
		switch u.ID {
		case 1:
			<-release // hold chat 1 until the others are queued
			return errors.New("store unavailable")
		case 4:
			panic("flow bug")
		}
		return nil
	}, 4, 0)
	defer d.Close()
	first := d.Enqueue(textUpdate(1, 1))
	behind := d.Enqueue(textUpdate(2, 1))
	other := d.Enqueue(textUpdate(3, 2))
	panicky := d.Enqueue(textUpdate(4, 3))
	if err := <-other; err != nil {
		t.Errorf("another chat's update: %v", err)
	}
	close(release)
	if err := <-first; err == nil {
		t.Error("the failing update reported success")
	}
	if err := <-behind; !errors.Is(err, errEarlierFailed) {
		t.Errorf("the update behind it: %v, want errEarlierFailed", err)
	}
	if _, ok := handled.Load(int64(2)); ok {
		t.Error("the update behind the failure was handled before it")
	}
	if err := <-panicky; err == nil {
		t.Error("a panicking handler reported success")
	}
	if err := <-d.Enqueue(textUpdate(5, 3)); err != nil {
		t.Errorf("after a panic the chat is not handled: %v", err)
	}
}

func TestDispatcherCloseFinishesWhatIsQueued(t *testing.T) {
	release := make(chan struct{})
	var done atomic.Int32
	d := NewDispatcher(func(context.Context, *models.Update) error {
		<-release
		done.Add(1)
		return nil
	}, 1, 0)
	results := []<-chan error{d.Enqueue(textUpdate(1, 1)), d.Enqueue(textUpdate(2, 2)), d.Enqueue(textUpdate(3, 1))}
	closed := make(chan struct{})
	go func() { d.Close(); close(closed) }()
	Eventually(t, "the dispatcher to close", func() bool {
		d.mu.Lock()
		defer d.mu.Unlock()
		return d.closed
	})
	if err := <-d.Enqueue(textUpdate(4, 4)); !errors.Is(err, ErrClosed) {
		t.Errorf("Enqueue while closing: %v, want ErrClosed", err)
	}
	close(release)
	<-closed
	if n := done.Load(); n != 3 {
		t.Errorf("Close returned with %d of 3 queued updates handled", n)
	}
	for _, r := range results {
		if err := <-r; err != nil {
			t.Error(err)
		}
	}
}

// BenchmarkDispatcher measures updates per second through the dispatcher
// with a handler that does nothing, spread over 1000 chats.
func BenchmarkDispatcher(b *testing.B) {
	for _, workers := range []int{1, 16} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			d := NewDispatcher(func(context.Context, *models.Update) error { return nil }, workers, 0)
			defer d.Close()
			updates := make([]*models.Update, 1000)
			for i := range updates {
				updates[i] = textUpdate(int64(i+1), int64(i+1))
			}
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					<-d.Enqueue(updates[i%len(updates)])
					i++
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
		})
	}
}
