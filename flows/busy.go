package flows

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"

	"paydesk/locales"
	"paydesk/store"
)

// When the payments backend cannot answer (down, too slow, 5xx: the ledger
// returns store.ErrUnavailable), the customer is told the service is busy
// and offered Retry and the Menu. Nothing of the event is kept: the session
// stays where it was, and the replies the handler had prepared are dropped.
// A chat whose support ticket is open is served still: relaying to the
// agents needs only the State (supportIntercept). Retry replays the event:
//
//   - a button press: the busy screen replaces the pressed message and its
//     Retry button carries the very callback data that was pressed, so the
//     replay is the same press on the same message, and a ledger write it
//     makes has the same idempotency key (Conv.OpKey) as the attempt that
//     may have reached the backend;
//   - anything else (a text, a shared contact, a command): the event is kept
//     in the session's data under busyKey, and Retry (actRetry) runs it
//     again. The flow and step are not changed.

const (
	actRetry = "retry"
	busyKey  = "busy.replay"
)

func registerBusy(r *Router) {
	r.Action(actRetry, func(c *Conv, _ Action) error {
		raw := c.Get(busyKey)
		delete(c.Session.Data, busyKey)
		var ev replayed
		if raw == "" || json.Unmarshal([]byte(raw), &ev) != nil {
			// Replayed already, or the step moved on: nothing to retry.
			c.Show(withMenu(c, Text("common.button_invalid")))
			return nil
		}
		c.Event = ev.event(c.Event)
		return c.e.dispatch(c, false)
	})
}

// replayed is an event kept for Retry, small enough for session data.
type replayed struct {
	Kind    EventKind `json:"k"`
	Command string    `json:"c,omitempty"`
	Args    string    `json:"a,omitempty"`
	Text    string    `json:"t,omitempty"`
	FileID  string    `json:"f,omitempty"`
	Phone   string    `json:"p,omitempty"`
	UserID  int64     `json:"u,omitempty"`
}

func (r replayed) event(press Event) Event {
	ev := Event{Kind: r.Kind, ChatID: press.ChatID, UserID: press.UserID, LanguageCode: press.LanguageCode,
		Command: r.Command, Args: r.Args, Text: r.Text, FileID: r.FileID}
	if r.Kind == EventContact {
		ev.Contact = &Contact{Phone: r.Phone, UserID: r.UserID}
	}
	return ev
}

// busy is the outcome of an event that failed because the ledger was
// unavailable; sess is the session as it was loaded, before the event.
func (e *Engine) busy(ctx context.Context, ev Event, sess store.Session, lang string) (Outcome, error) {
	e.log.Warn("ledger unavailable: told the customer to retry", "chat", ev.ChatID, "event", ev.Kind.String())
	sess.Data = maps.Clone(sess.Data)
	c := &Conv{ctx: ctx, e: e, Now: e.now(), Event: ev, Session: &sess, Lang: lang}
	retry := ev.Data
	if ev.Kind != EventAction {
		kept := replayed{Kind: ev.Kind, Command: ev.Command, Args: ev.Args, Text: ev.Text, FileID: ev.FileID}
		if ev.Contact != nil {
			kept.Phone, kept.UserID = ev.Contact.Phone, ev.Contact.UserID
		}
		raw, err := json.Marshal(kept)
		if err != nil {
			return Outcome{}, fmt.Errorf("keep event for retry: %w", err)
		}
		c.Set(busyKey, string(raw))
		retry = c.Button(locales.M("backend.retry"), actRetry).Data
		if err := e.state.SaveSession(ctx, &sess); err != nil {
			return Outcome{}, fmt.Errorf("save session %d: %w", ev.ChatID, err)
		}
	}
	c.Show(Screen{
		Body:    []locales.Msg{locales.M("backend.busy")},
		Inline:  [][]Button{{{Label: locales.M("backend.retry"), Data: retry}, c.Button(locales.M("common.menu_button"), actMenu)}},
		Replace: ev.Kind == EventAction,
	})
	if ev.Kind == EventAction {
		c.Toast(locales.M("backend.busy_toast"))
	}
	c.out.Lang = lang
	return c.out, nil
}
