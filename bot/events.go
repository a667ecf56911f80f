package bot

import (
	"context"
	"errors"
	"io"
	"net/http"

	"paydesk/store/backend"
)

// EventsPath is where the payments backend posts its events, on the
// webhook listener (store/backend/openapi.yaml, webhooks).
const EventsPath = "/backend/events"

// maxEventBytes bounds an event's body; real ones are a few hundred bytes.
const maxEventBytes = 64 << 10

// EventsHandler receives the backend's signed events. A refused event has
// no effect: 401 wrong signature, 400 malformed or stale, 422 unknown
// type. An event id handled before is answered 200 and ignored. An
// accepted one becomes notices (flows.Engine.LedgerEvent) whose messages
// are committed and queued before the id is recorded, so a failure in
// between is retried by the backend and, the notices being claimed once,
// sends nothing twice; 503 asks the backend to retry.
func (b *Bot) EventsHandler(secret []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxEventBytes))
		if err != nil {
			backend.WriteProblem(w, http.StatusRequestEntityTooLarge, "event too large", "")
			return
		}
		now := b.clock.Now()
		ev, err := backend.ParseEvent(secret, body, r.Header.Get(backend.SignatureHeader), now)
		switch {
		case errors.Is(err, backend.ErrEventSignature):
			b.log.Warn("backend event refused: bad signature", "remote", r.RemoteAddr)
			backend.WriteProblem(w, http.StatusUnauthorized, "bad signature", "")
			return
		case errors.Is(err, backend.ErrEventType):
			b.log.Warn("backend event refused", "err", err)
			backend.WriteProblem(w, http.StatusUnprocessableEntity, "unknown event type", err.Error())
			return
		case err != nil:
			b.log.Warn("backend event refused", "err", err)
			backend.WriteProblem(w, http.StatusBadRequest, "bad event", err.Error())
			return
		}
		if err := b.handleEvent(r.Context(), ev.ID, func(ctx context.Context) error {
			out, err := b.engine.LedgerEvent(ctx, ev)
			if err != nil {
				return err
			}
			return b.sendProactive(ctx, out)
		}); err != nil {
			b.log.Error("backend event not handled, the backend will retry", "event", ev.ID, "type", ev.Type, "err", err)
			w.Header().Set("Retry-After", "10")
			backend.WriteProblem(w, http.StatusServiceUnavailable, "not handled, retry", "")
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// handleEvent runs an event's effect unless its id was handled, then
// records the id.
func (b *Bot) handleEvent(ctx context.Context, id string, effect func(ctx context.Context) error) error {
	seen, err := b.st.EventSeen(ctx, id)
	if err != nil {
		return err
	}
	if seen {
		b.log.Info("backend event repeated, ignored", "event", id)
		return nil
	}
	if err := effect(ctx); err != nil {
		return err
	}
	_, err = b.st.RecordEvent(ctx, id, b.clock.Now())
	return err
}
