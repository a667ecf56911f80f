package bot

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"paydesk/store"
)

// deferredState is the State the flows engine sees. While an update is
// handled (its context carries a pendingSaves), session saves and the lines
// added to case-card conversations are held back and applied by
// CommitUpdate together with the update's mark and its replies, so an
// update's effects are all or nothing and cost one write. Outside an update
// (ticks, tools) it is the plain State.
type deferredState struct {
	store.State
}

type pendingKey struct{}

// pendingSaves are the sessions an update saved, as the engine left them,
// with the version each was read at.
type pendingSaves struct {
	mu        sync.Mutex
	order     []int64
	sessions  map[int64]*store.Session
	exchanges []store.ExchangeLines
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

// AddExchanges holds the lines until the update commits.
func (s deferredState) AddExchanges(ctx context.Context, chatID int64, lines []store.Exchange, keep int) error {
	p := pendingFrom(ctx)
	if p == nil {
		return s.State.AddExchanges(ctx, chatID, lines, keep)
	}
	if len(lines) == 0 {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.exchanges = append(p.exchanges, store.ExchangeLines{ChatID: chatID, Lines: slices.Clone(lines), Keep: keep})
	return nil
}

// Exchanges reads the stored lines followed by those this update holds.
func (s deferredState) Exchanges(ctx context.Context, chatID int64, limit int) ([]store.Exchange, error) {
	list, err := s.State.Exchanges(ctx, chatID, limit)
	p := pendingFrom(ctx)
	if err != nil || p == nil {
		return list, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, x := range p.exchanges {
		if x.ChatID == chatID {
			list = append(list, x.Lines...)
		}
	}
	if len(list) > limit {
		list = list[len(list)-limit:]
	}
	return list, nil
}

// held is what the update saved, for its commit: the sessions in the order
// they were first saved, and the conversation lines in the order added.
func (p *pendingSaves) held() ([]*store.Session, []store.ExchangeLines) {
	p.mu.Lock()
	exchanges := p.exchanges
	p.mu.Unlock()
	return p.list(), exchanges
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
	p.order, p.sessions, p.exchanges = nil, map[int64]*store.Session{}, nil
}
