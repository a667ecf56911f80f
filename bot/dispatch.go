package bot

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// ErrClosed: the dispatcher no longer takes updates (shutting down).
var ErrClosed = errors.New("dispatcher closed")

// errEarlierFailed fails the updates queued behind a failed one of the same
// chat: handling them now would put them before it once it is redelivered.
var errEarlierFailed = errors.New("an earlier update of the chat failed")

// HandlerFunc handles one update to the end. An error means it had no
// effect and must be delivered again.
type HandlerFunc func(ctx context.Context, u *models.Update) error

// Dispatcher is where both intakes (webhook, polling) hand updates in. It
// runs the updates of one chat one at a time, in the order they came, and
// different chats in parallel on a bounded number of workers.
type Dispatcher struct {
	handle  HandlerFunc
	timeout time.Duration

	mu     sync.Mutex
	cond   *sync.Cond
	lanes  map[int64]*lane
	ready  []*lane // lanes with work and no worker, in the order they got it
	closed bool
	wg     sync.WaitGroup
}

// lane is one chat's queue.
type lane struct {
	key  int64
	jobs []*job
}

type job struct {
	u    *models.Update
	done chan error // buffered: the worker never waits for the submitter
}

// NewDispatcher starts workers workers. Each update gets at most timeout
// (0: no limit) to be handled.
func NewDispatcher(handle HandlerFunc, workers int, timeout time.Duration) *Dispatcher {
	d := &Dispatcher{handle: handle, timeout: timeout, lanes: map[int64]*lane{}}
	d.cond = sync.NewCond(&d.mu)
	for range max(workers, 1) {
		d.wg.Go(d.work)
	}
	return d
}

// Enqueue queues u behind the earlier updates of its chat and returns where
// its result will arrive. Updates enqueued one after another from one
// goroutine keep their order within a chat.
func (d *Dispatcher) Enqueue(u *models.Update) <-chan error {
	j := &job{u: u, done: make(chan error, 1)}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		j.done <- ErrClosed
		return j.done
	}
	key := chatKey(u)
	l, ok := d.lanes[key]
	if !ok {
		l = &lane{key: key}
		d.lanes[key] = l
		d.ready = append(d.ready, l)
		d.cond.Signal()
	}
	l.jobs = append(l.jobs, j)
	return j.done
}

// Submit handles u and waits for the result, or for ctx. When ctx ends
// first, u is still handled; the caller just does not learn how.
func (d *Dispatcher) Submit(ctx context.Context, u *models.Update) error {
	select {
	case err := <-d.Enqueue(u):
		return err
	case <-ctx.Done():
		return fmt.Errorf("update %d: %w", u.ID, ctx.Err())
	}
}

// Close stops taking updates and returns once every queued one is handled.
func (d *Dispatcher) Close() {
	d.mu.Lock()
	d.closed = true
	d.cond.Broadcast()
	d.mu.Unlock()
	d.wg.Wait()
}

// work takes one update at a time from the lane that waited longest; a
// lane with more work goes to the back, so a busy chat cannot starve the
// others. A lane is in ready or with a worker, never both: that is what
// keeps a chat's updates in order.
func (d *Dispatcher) work() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for {
		for len(d.ready) == 0 {
			if d.closed && len(d.lanes) == 0 {
				return
			}
			d.cond.Wait()
		}
		l := d.ready[0]
		d.ready = d.ready[1:]
		j := l.jobs[0]
		l.jobs = l.jobs[1:]
		d.mu.Unlock()
		err := d.run(j.u)
		d.mu.Lock()
		if err != nil {
			for _, behind := range l.jobs {
				behind.done <- fmt.Errorf("update %d: %w", behind.u.ID, errEarlierFailed)
			}
			l.jobs = nil
		}
		if len(l.jobs) > 0 {
			d.ready = append(d.ready, l)
			d.cond.Signal()
		} else {
			delete(d.lanes, l.key)
			if d.closed {
				d.cond.Broadcast() // the last lane may have just emptied
			}
		}
		j.done <- err
	}
}

// run handles one update; a panic that escaped the handler fails the update
// rather than the process.
func (d *Dispatcher) run(u *models.Update) (err error) {
	ctx := context.Background()
	if d.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d.timeout)
		defer cancel()
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("update %d: panic: %v\n%s", u.ID, r, debug.Stack())
		}
	}()
	return d.handle(ctx, u)
}

// chatKey is the chat an update belongs to, for ordering; updates without
// a chat share key 0.
func chatKey(u *models.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	case u.CallbackQuery != nil:
		if m := u.CallbackQuery.Message.Message; m != nil {
			return m.Chat.ID
		}
		if m := u.CallbackQuery.Message.InaccessibleMessage; m != nil {
			return m.Chat.ID
		}
		return u.CallbackQuery.From.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	case u.ChatMember != nil:
		return u.ChatMember.Chat.ID
	case u.ChannelPost != nil:
		return u.ChannelPost.Chat.ID
	}
	return 0
}
