package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/go-telegram/bot/models"

	"paydesk/store"
)

// Poller receives updates by long polling. Unlike the library's own loop it
// confirms an update (by asking for the next offset) only after the update
// was handled, and it stores that offset, so a crash redelivers an update
// instead of losing it.
type Poller struct {
	URL     string // Bot API base, e.g. https://api.telegram.org
	Token   string
	Client  *http.Client
	Offsets store.Updates
	Handle  func(ctx context.Context, u *models.Update) error
	Log     interface {
		Error(msg string, args ...any)
	}
	// Timeout is the long-poll timeout sent to Telegram.
	Timeout time.Duration
}

// Run polls until ctx is done.
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
		updates, err := p.getUpdates(ctx, offset)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			p.Log.Error("get updates", "err", err)
			backoff = min(max(2*backoff, 500*time.Millisecond), 30*time.Second)
			continue
		}
		backoff = 0
		for _, u := range updates {
			if err := p.Handle(ctx, u); err != nil {
				// Not confirmed: Telegram hands the update out again.
				p.Log.Error("handle update", "update", u.ID, "err", err)
				backoff = time.Second
				break
			}
			offset = u.ID + 1
			if err := p.Offsets.SetPollOffset(ctx, offset); err != nil {
				p.Log.Error("store poll offset", "err", err)
			}
		}
	}
	return nil
}

func (p *Poller) getUpdates(ctx context.Context, offset int64) ([]*models.Update, error) {
	timeout := p.Timeout
	if timeout == 0 {
		timeout = 25 * time.Second
	}
	body, _ := json.Marshal(map[string]any{
		"offset":          offset,
		"timeout":         int(timeout / time.Second),
		"allowed_updates": []string{"message", "edited_message", "callback_query"},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL+"/bot"+p.Token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, err
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
		return nil, fmt.Errorf("getUpdates: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("getUpdates: read: %w", err)
	}
	var r struct {
		OK          bool             `json:"ok"`
		Result      []*models.Update `json:"result"`
		Description string           `json:"description"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("getUpdates: decode: %w", err)
	}
	if !r.OK {
		return nil, fmt.Errorf("getUpdates: %s", r.Description)
	}
	return r.Result, nil
}
