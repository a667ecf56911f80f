package bot

import (
	"context"
	"fmt"
	"maps"
	"sync"

	"paydesk/store"
)

// deferredState is the State the flows engine sees. While an update is
// handled (its context carries a pendingSaves), session saves are held
// back and applied by CommitUpdate together with the update's mark and its
// replies, so an update's effects are all or nothing. Outside an update
// (ticks, tools) it is the plain State.
type deferredState struct {
	store.State
}

type pendingKey struct{}

// pendingSaves are the sessions an update saved, as the engine left them,
// with the version each was read at.
type pendingSaves struct {
	mu       sync.Mutex
	order    []int64
	sessions map[int64]*store.Session
}

func withPending(ctx context.Context) (context.Context, *pendingSaves) {
	p := &pendingSaves{sessions: map[int64]*store.Session{}}
	return context.WithValue(ctx, pendingKey{}, p), p
}

func pendingFrom(ctx context.Context) *pendingSaves {
	p, _ := ctx.Value(pendingKey{}).(*pendingSaves)
	return p
}

// Session reads a session this update saved, else the stored one.
func (s deferredState) Session(ctx context.Context, chatID int64) (store.Session, error) {
	if p := pendingFrom(ctx); p != nil {
		p.mu.Lock()
		held, ok := p.sessions[chatID]
		p.mu.Unlock()
		if ok {
			out := *held
			out.Data = maps.Clone(held.Data)
			out.Version++ // as if saved
			return out, nil
		}
	}
	return s.State.Session(ctx, chatID)
}

// SaveSession holds the save until the update commits. A second save of
// the same chat keeps the version the first was based on.
func (s deferredState) SaveSession(ctx context.Context, sess *store.Session) error {
	p := pendingFrom(ctx)
	if p == nil {
		return s.State.SaveSession(ctx, sess)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	held := *sess
	held.Data = maps.Clone(sess.Data)
	if prev, ok := p.sessions[sess.ChatID]; ok {
		if sess.Version != prev.Version+1 {
			return fmt.Errorf("save session %d at version %d: %w", sess.ChatID, sess.Version, store.ErrConflict)
		}
		held.Version = prev.Version
	} else {
		p.order = append(p.order, sess.ChatID)
	}
	p.sessions[sess.ChatID] = &held
	sess.Version++
	return nil
}

// list is the held sessions in the order they were first saved.
func (p *pendingSaves) list() []*store.Session {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]*store.Session, 0, len(p.order))
	for _, id := range p.order {
		out = append(out, p.sessions[id])
	}
	return out
}

// drop forgets the held saves (the update panicked).
func (p *pendingSaves) drop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.order, p.sessions = nil, map[int64]*store.Session{}
}
