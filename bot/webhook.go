package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"paydesk/bot/metrics"
)

// AllowedUpdates are the update kinds the bot handles; both intakes ask
// Telegram for these only.
var AllowedUpdates = []string{"message", "edited_message", "callback_query"} // edits reach support as marked notes

// secretHeader carries the secret_token given to setWebhook.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// maxUpdateBytes bounds a webhook body; real updates are a few kilobytes.
const maxUpdateBytes = 1 << 20

// Webhook receives updates from Telegram over HTTP (TLS ends at a reverse
// proxy in front of it) and serves the health checks. Unlike the library's
// handler it answers only after the update was handled, and with 500 when
// it could not be, so Telegram delivers it again.
type Webhook struct {
	Path     string // where Telegram posts updates (the webhook URL's path); "" for health checks only
	Secret   string // the secret_token given to setWebhook
	Dispatch *Dispatcher
	Ready    func(ctx context.Context) error // the store is reachable
	// Wait is how long a request waits for its update to be handled before
	// answering 500 (Telegram gives up on a webhook after about a minute).
	Wait    time.Duration
	Log     *slog.Logger
	Metrics *metrics.Metrics // counts bodies that are not updates; nil: none
	// Exporter is served at /metrics when set. The listener of the public
	// webhook path leaves it nil: metrics go on the internal listener.
	Exporter http.Handler
}

// Handler serves Path, /healthz (the process is alive), /readyz (the
// store is reachable) and, with an Exporter, /metrics.
func (w *Webhook) Handler() http.Handler {
	mux := http.NewServeMux()
	if w.Path != "" {
		mux.HandleFunc("POST "+w.Path, w.serveUpdate)
	}
	if w.Exporter != nil {
		mux.Handle("GET /metrics", w.Exporter)
	}
	mux.HandleFunc("GET /healthz", func(rw http.ResponseWriter, _ *http.Request) {
		io.WriteString(rw, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(rw http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := w.Ready(ctx); err != nil {
			w.Log.Warn("not ready", "err", err)
			http.Error(rw, "store unreachable", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(rw, "ok\n")
	})
	return mux
}

func (w *Webhook) serveUpdate(rw http.ResponseWriter, r *http.Request) {
	got := r.Header.Get(secretHeader)
	if w.Secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(w.Secret)) != 1 {
		w.Log.Warn("webhook request without the right secret", "remote", r.RemoteAddr)
		http.Error(rw, "unauthorized", http.StatusUnauthorized)
		return
	}
	if r.ContentLength > maxUpdateBytes {
		http.Error(rw, "an update is never this large", http.StatusRequestEntityTooLarge)
		return
	}
	u, err := decodeUpdate(http.MaxBytesReader(rw, r.Body, maxUpdateBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		http.Error(rw, "an update is never this large", http.StatusRequestEntityTooLarge)
		return
	}
	if err != nil {
		w.Log.Warn("webhook body is not an update", "err", err)
		w.Metrics.Update("other", metrics.Undecodable, 0)
		http.Error(rw, "not an update", http.StatusBadRequest)
		return
	}
	wait := w.Wait
	if wait <= 0 {
		wait = 50 * time.Second
	}
	ctx, cancel := context.WithTimeout(r.Context(), wait)
	defer cancel()
	if err := w.Dispatch.Submit(ctx, u); err != nil {
		w.Log.Error("update not handled, Telegram will deliver it again", "update", u.ID, "err", err)
		http.Error(rw, "not handled", http.StatusInternalServerError)
		return
	}
	rw.WriteHeader(http.StatusOK)
}

func decodeUpdate(r io.Reader) (*models.Update, error) {
	var u models.Update
	dec := json.NewDecoder(r)
	if err := dec.Decode(&u); err != nil {
		return nil, err
	}
	if u.ID <= 0 {
		return nil, errors.New("no update_id")
	}
	return &u, nil
}

// SetWebhook tells Telegram to post updates to url with secret, for the
// update kinds the bot handles, over at most maxConnections connections.
func (b *Bot) SetWebhook(ctx context.Context, url, secret string, maxConnections int) error {
	return b.call(ctx, 0, Interactive, "setWebhook", func(ctx context.Context) error {
		_, err := b.api.SetWebhook(ctx, &tg.SetWebhookParams{URL: url, SecretToken: secret,
			MaxConnections: maxConnections, AllowedUpdates: AllowedUpdates})
		return err
	})
}

// DeleteWebhook turns the webhook off, as getUpdates requires. Pending
// updates are kept: polling picks them up.
func (b *Bot) DeleteWebhook(ctx context.Context) error {
	return b.call(ctx, 0, Interactive, "deleteWebhook", func(ctx context.Context) error {
		_, err := b.api.DeleteWebhook(ctx, &tg.DeleteWebhookParams{})
		return err
	})
}
