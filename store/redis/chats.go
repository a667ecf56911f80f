package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"paydesk/store"
)

// nudgeKey is one claimed nudge. Claims are single keys, tagged by the
// object so they spread over a cluster; they do not expire (a stage is
// nudged once, ever, as in store/sqlite).
func (s *Store) nudgeKey(n store.Nudge) string {
	return s.prefix + ":nudge:{" + n.Kind + ":" + strconv.FormatInt(n.ObjectID, 10) + "}:" + n.Stage
}

// ClaimNudge records the nudge with SET NX: of replicas claiming at once,
// exactly one gets first.
func (s *Store) ClaimNudge(ctx context.Context, n store.Nudge) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.nudgeKey(n), nanos(n.At), 0).Result()
	if err != nil {
		return false, fmt.Errorf("claim nudge %s %d %s: %w", n.Kind, n.ObjectID, n.Stage, err)
	}
	return ok, nil
}

// NudgeClaimed reports whether the nudge was claimed.
func (s *Store) NudgeClaimed(ctx context.Context, n store.Nudge) (bool, error) {
	k, err := s.rdb.Exists(ctx, s.nudgeKey(n)).Result()
	if err != nil {
		return false, fmt.Errorf("check nudge %s %d %s: %w", n.Kind, n.ObjectID, n.Stage, err)
	}
	return k == 1, nil
}

type exchangeValue struct {
	At   int64  `json:"a"`
	Bot  bool   `json:"b,omitempty"`
	Kind string `json:"k"`
	Text string `json:"t"`
}

func encodeExchanges(lines []store.Exchange) ([]any, error) {
	out := make([]any, len(lines))
	for i, l := range lines {
		b, err := json.Marshal(exchangeValue{nanos(l.At), l.Bot, l.Kind, l.Text})
		if err != nil {
			return nil, err
		}
		out[i] = string(b)
	}
	return out, nil
}

// AddExchanges appends lines and keeps the newest keep: the commit script
// with these lines alone. The list expires with the chat's session.
func (s *Store) AddExchanges(ctx context.Context, chatID int64, lines []store.Exchange, keep int) error {
	if len(lines) == 0 {
		return nil
	}
	c := &store.UpdateCommit{Exchanges: []store.ExchangeLines{{ChatID: chatID, Lines: lines, Keep: keep}}}
	if _, err := s.commit(ctx, c); err != nil {
		return fmt.Errorf("add %d exchanges of chat %d: %w", len(lines), chatID, err)
	}
	return nil
}

// Exchanges returns a chat's newest lines, at most limit, oldest first.
func (s *Store) Exchanges(ctx context.Context, chatID int64, limit int) ([]store.Exchange, error) {
	if limit <= 0 {
		return nil, nil
	}
	raw, err := s.rdb.LRange(ctx, s.j.exchanges(chatID), int64(-limit), -1).Result()
	if err != nil {
		return nil, fmt.Errorf("exchanges of chat %d: %w", chatID, err)
	}
	list := make([]store.Exchange, len(raw))
	for i, r := range raw {
		var v exchangeValue
		if err := json.Unmarshal([]byte(r), &v); err != nil {
			return nil, fmt.Errorf("exchanges of chat %d: %w", chatID, err)
		}
		list[i] = store.Exchange{At: fromNanos(v.At), Bot: v.Bot, Kind: v.Kind, Text: v.Text}
	}
	return list, nil
}

// relayedCopyKept is how long a copy's mapping is kept: Telegram lets a
// bot edit its messages for 48 hours.
const relayedCopyKept = 48 * time.Hour

// copyKey is where the copy of message fromMsg of chat fromChat is noted,
// a single key that expires when the copy can no longer be edited.
func (s *Store) copyKey(fromChat int64, fromMsg int) string {
	return s.prefix + ":copy:{" + strconv.FormatInt(fromChat, 10) + "}:" + strconv.Itoa(fromMsg)
}

// SetRelayedCopy records the copy of a message (as "toChat:toMsg"), kept
// for as long as Telegram lets it be edited (Redis's own clock).
func (s *Store) SetRelayedCopy(ctx context.Context, fromChat int64, fromMsg int, toChat int64, toMsg int, _ time.Time) error {
	v := strconv.FormatInt(toChat, 10) + ":" + strconv.Itoa(toMsg)
	return wrap(s.rdb.Set(ctx, s.copyKey(fromChat, fromMsg), v, relayedCopyKept).Err(), "note copy of message %d of chat %d", fromMsg, fromChat)
}

// RelayedCopy finds the copy of a message; ErrNotFound if none.
func (s *Store) RelayedCopy(ctx context.Context, fromChat int64, fromMsg int) (int64, int, error) {
	v, err := s.rdb.Get(ctx, s.copyKey(fromChat, fromMsg)).Result()
	if errors.Is(err, goredis.Nil) {
		err = store.ErrNotFound
	}
	if err != nil {
		return 0, 0, fmt.Errorf("copy of message %d of chat %d: %w", fromMsg, fromChat, err)
	}
	chat, msg, _ := strings.Cut(v, ":")
	toChat, err1 := strconv.ParseInt(chat, 10, 64)
	toMsg, err2 := strconv.Atoi(msg)
	if err := errors.Join(err1, err2); err != nil {
		return 0, 0, fmt.Errorf("copy of message %d of chat %d: %q: %w", fromMsg, fromChat, v, err)
	}
	return toChat, toMsg, nil
}

// agentsKey is the hash of a support group's agents by lower-case
// username, each "userID:username:firstName" (a username has no colon).
func (s *Store) agentsKey(chatID int64) string {
	return s.prefix + ":agents:{" + strconv.FormatInt(chatID, 10) + "}"
}

// RememberAgent records who wrote in a support group under a username.
func (s *Store) RememberAgent(ctx context.Context, chatID int64, a store.Agent) error {
	v := strconv.FormatInt(a.UserID, 10) + ":" + a.Username + ":" + a.FirstName
	return wrap(s.rdb.HSet(ctx, s.agentsKey(chatID), strings.ToLower(a.Username), v).Err(), "remember agent @%s of group %d", a.Username, chatID)
}

// AgentByUsername is who last wrote in a support group under username.
func (s *Store) AgentByUsername(ctx context.Context, chatID int64, username string) (store.Agent, error) {
	v, err := s.rdb.HGet(ctx, s.agentsKey(chatID), strings.ToLower(username)).Result()
	if errors.Is(err, goredis.Nil) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Agent{}, fmt.Errorf("agent @%s of group %d: %w", username, chatID, err)
	}
	id, rest, _ := strings.Cut(v, ":")
	a := store.Agent{}
	a.Username, a.FirstName, _ = strings.Cut(rest, ":")
	if a.UserID, err = strconv.ParseInt(id, 10, 64); err != nil {
		return store.Agent{}, fmt.Errorf("agent @%s of group %d: %q: %w", username, chatID, v, err)
	}
	return a, nil
}
