package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/go-telegram/bot/models"

	"paydesk/bot/metrics"
	"paydesk/store"
)

// Poller receives updates by long polling. Unlike the library's own loop it
// confirms an update (by asking for the next offset) only after the update
// was handled, and it stores that offset, so a crash redelivers an update
// instead of losing it (the dedupe makes the redelivery harmless).
type Poller struct {
	URL      string // Bot API base, e.g. https://api.telegram.org
	Token    string
	Client   *http.Client
	Offsets  store.Updates
	Dispatch *Dispatcher
	Log      *slog.Logger
	// Timeout is the long-poll timeout sent to Telegram.
	Timeout time.Duration

	// Undecodable counts the updates skipped because they could not be
	// decoded (for metrics). One such update must not stall every chat:
	// redelivering it would fail the same way forever.
	Undecodable atomic.Int64
	Metrics     *metrics.Metrics // counts them too; nil: none
}

// Run polls until ctx is done. A batch already taken is handled to the end
// even then: its updates are in flight.
func (p *Poller) Run(ctx context.Context) error {
	offset, err := p.Offsets.PollOffset(ctx)
	if err != nil {
		return fmt.Errorf("load poll offset: %w", err)
	}
	backoff := time.Duration(0)
	for ctx.Err() == nil {
		if backoff > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(backoff):
			}
		}
		updates, past, err := p.getUpdates(ctx, offset)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			p.Log.Error("get updates", "err", err)
			backoff = min(max(2*backoff, 500*time.Millisecond), 30*time.Second)
			continue
		}
		backoff = 0
		next, err := p.handle(updates, offset)
		if err != nil {
			backoff = time.Second
		} else {
			next = max(next, past) // skipped updates at the end of the batch
		}
		if next != offset {
			offset = next
			if err := p.Offsets.SetPollOffset(context.WithoutCancel(ctx), offset); err != nil {
				p.Log.Error("store poll offset", "err", err)
			}
		}
	}
	return nil
}

// handle runs a batch through the dispatcher (chats in parallel, each in
// order) and returns the offset that confirms the updates handled before
// the first that failed; that one and the rest are delivered again.
func (p *Poller) handle(updates []*models.Update, offset int64) (int64, error) {
	results := make([]<-chan error, len(updates))
	for i, u := range updates {
		results[i] = p.Dispatch.Enqueue(u)
	}
	var failed error
	for i, res := range results {
		err := <-res
		if err == nil && failed == nil {
			offset = updates[i].ID + 1
			continue
		}
		if err != nil && failed == nil {
			failed = err
			p.Log.Error("update not handled, polling will get it again", "update", updates[i].ID, "err", err)
		}
	}
	return offset, failed
}

// getUpdates fetches the next batch. next is the offset past every update
// in it, the skipped undecodable ones included.
func (p *Poller) getUpdates(ctx context.Context, offset int64) (updates []*models.Update, next int64, err error) {
	next = offset
	timeout := p.Timeout
	if timeout == 0 {
		timeout = 25 * time.Second
	}
	body, _ := json.Marshal(map[string]any{
		"offset":          offset,
		"timeout":         int(timeout / time.Second),
		"allowed_updates": AllowedUpdates,
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL+"/bot"+p.Token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	client := p.Client
	if client == nil {
		client = &http.Client{Timeout: timeout + 10*time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL holds the token: never log it
		}
		return nil, 0, fmt.Errorf("getUpdates: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, 0, fmt.Errorf("getUpdates: read: %w", err)
	}
	var r struct {
		OK          bool              `json:"ok"`
		Result      []json.RawMessage `json:"result"`
		Description string            `json:"description"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, 0, fmt.Errorf("getUpdates: decode: %w", err)
	}
	if !r.OK {
		return nil, 0, fmt.Errorf("getUpdates: %s", r.Description)
	}
	updates = make([]*models.Update, 0, len(r.Result))
	for _, data := range r.Result {
		var u models.Update
		err := json.Unmarshal(data, &u)
		if err == nil {
			updates = append(updates, &u)
			next = max(next, u.ID+1)
			continue
		}
		// Skip it: it would fail the same way every time. Its id, if it
		// has one, moves the offset past it.
		var head struct {
			ID int64 `json:"update_id"`
		}
		_ = json.Unmarshal(data, &head)
		p.Undecodable.Add(1)
		p.Metrics.Update("other", metrics.Undecodable, 0)
		p.Log.Error("undecodable update skipped", "update", head.ID, "err", err)
		next = max(next, head.ID+1)
	}
	return updates, next, nil
}
