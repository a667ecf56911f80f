package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"
)

type queuedUpdate struct {
	id   int64
	data json.RawMessage
	// broken: pushed by PushBrokenUpdate, outside the spec on purpose.
	broken bool
}

const defaultUpdatesLimit = 100

// PushUpdate queues an update for getUpdates, assigning the next update_id
// when u.ID is 0, and returns its id. The update is checked against the
// spec's Update type, so a test cannot feed the bot something Telegram
// would never send.
func (s *Server) PushUpdate(u models.Update) int64 {
	s.mu.Lock()
	if u.ID == 0 {
		u.ID = s.lastUpdID + 1
	}
	s.lastUpdID = max(s.lastUpdID, u.ID)
	s.mu.Unlock()

	data, err := json.Marshal(u)
	if err != nil {
		s.t.Errorf("telegramtest: PushUpdate: encode update %d: %v", u.ID, err)
		return u.ID
	}
	if v, err := decodeJSON(data); err != nil {
		s.t.Errorf("telegramtest: PushUpdate: decode update %d: %v", u.ID, err)
	} else {
		for _, p := range s.spec.checkType(v, "Update", "update") {
			s.t.Errorf("telegramtest: PushUpdate: update %d does not match the spec: %s", u.ID, p)
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.updates = append(s.updates, queuedUpdate{id: u.ID, data: data})
	s.notifyLocked()
	return u.ID
}

// PushBrokenUpdate queues an update the client cannot decode: the fields of
// data (a JSON object) with update_id set to the next id. It is exempt from
// the spec check; it stands for what a newer Bot API, or a library bug, can
// put in front of the bot. It returns the id.
func (s *Server) PushBrokenUpdate(data string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastUpdID++
	id := s.lastUpdID
	raw := json.RawMessage(fmt.Sprintf(`{"update_id":%d,%s`, id, strings.TrimPrefix(data, "{")))
	s.updates = append(s.updates, queuedUpdate{id: id, data: raw, broken: true})
	s.notifyLocked()
	return id
}

// Confirmed is the highest offset any getUpdates call has sent: updates
// with update_id below it are confirmed, as Telegram counts them.
func (s *Server) Confirmed() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.confirmed
}

// getUpdates serves queued updates from offset on, waiting up to timeout
// seconds for one to be pushed; closing the server or the client going
// away ends the wait early.
// broken reports whether one of them was pushed by PushBrokenUpdate.
func (s *Server) getUpdates(r *http.Request, params map[string]any) (updates []json.RawMessage, broken bool) {
	offset, _ := params["offset"].(int64)
	limit, _ := params["limit"].(int64)
	if limit <= 0 || limit > defaultUpdatesLimit {
		limit = defaultUpdatesLimit
	}
	timeout, _ := params["timeout"].(int64)
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		s.confirmLocked(offset)
		out := make([]json.RawMessage, 0, limit)
		broken = false
		for _, u := range s.updates {
			if int64(len(out)) == limit {
				break
			}
			out = append(out, u.data)
			broken = broken || u.broken
		}
		changed := s.changed
		s.mu.Unlock()
		if len(out) > 0 || timeout <= 0 {
			return out, broken
		}
		if !s.park(r, changed, deadline.C) {
			return out, broken
		}
	}
}

// park waits for a change; false means the poll is over (timeout, server
// closed, client gone). s.parked counts the polls waiting, so tests can
// push an update exactly when a poll has to be woken.
func (s *Server) park(r *http.Request, changed chan struct{}, timeout <-chan time.Time) bool {
	s.parked.Add(1)
	defer s.parked.Add(-1)
	select {
	case <-changed:
		return true
	case <-timeout:
	case <-s.done:
	case <-r.Context().Done():
	}
	return false
}

// confirmLocked forgets updates the offset confirms: below a positive
// offset, or all but the last -offset ones for a negative offset.
func (s *Server) confirmLocked(offset int64) {
	keep := s.updates[:0]
	switch {
	case offset > 0:
		s.confirmed = max(s.confirmed, offset)
		for _, u := range s.updates {
			if u.id >= offset {
				keep = append(keep, u)
			}
		}
	case offset < 0:
		if n := int64(len(s.updates)) + offset; n > 0 {
			keep = append(keep, s.updates[n:]...)
		} else {
			keep = s.updates
		}
	default:
		keep = s.updates
	}
	s.updates = keep
}
