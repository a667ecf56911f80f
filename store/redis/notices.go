package redis

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"paydesk/store"
)

// The backend's events (store.Notices) live under their own tag,
// {P:notices}, so the deferred notices' two keys change in one script:
//
//	{P:notices}:ev:<id>  string  an event id seen (SET NX, expires after store.EventRetention)
//	{P:notices}:n        hash    "kind|object|stage" → the deferred notice (JSON)
//	{P:notices}:due      zset    "kind|object|stage", scored by Due (ms)
//	{P:notices}:cursor   hash    change-feed cursor name → position
func (s *Store) noticeKey(name string) string { return "{" + s.prefix + ":notices}:" + name }

func noticeID(n store.Notice) string {
	return n.Kind + "|" + strconv.FormatInt(n.ObjectID, 10) + "|" + n.Stage
}

type noticeValue struct {
	Kind     string `json:"k"`
	ObjectID int64  `json:"o"`
	Stage    string `json:"s"`
	Customer int64  `json:"c"`
	Due      int64  `json:"d"`
	At       int64  `json:"a"`
}

// RecordEvent stores an event id with SET NX: of replicas recording at once,
// exactly one gets first. It expires after store.EventRetention.
func (s *Store) RecordEvent(ctx context.Context, id string, _ time.Time) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.noticeKey("ev:"+id), 1, store.EventRetention).Result()
	if err != nil {
		return false, fmt.Errorf("record event %q: %w", id, err)
	}
	return ok, nil
}

// EventSeen reports whether the event id is stored.
func (s *Store) EventSeen(ctx context.Context, id string) (bool, error) {
	n, err := s.rdb.Exists(ctx, s.noticeKey("ev:"+id)).Result()
	if err != nil {
		return false, fmt.Errorf("check event %q: %w", id, err)
	}
	return n == 1, nil
}

// deferNoticeScript stores a notice unless one with its identity is.
// KEYS: the notices hash, the due zset. ARGV: identity, JSON, due (ms).
var deferNoticeScript = goredis.NewScript(`
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
end
return 0
`)

// DeferNotice keeps n until it is due, unless a notice of its identity is
// kept already.
func (s *Store) DeferNotice(ctx context.Context, n store.Notice) error {
	v, err := json.Marshal(noticeValue{Kind: n.Kind, ObjectID: n.ObjectID, Stage: n.Stage,
		Customer: int64(n.CustomerID), Due: nanos(n.Due), At: nanos(n.At)})
	if err != nil {
		return fmt.Errorf("defer notice %s: %w", noticeID(n), err)
	}
	err = deferNoticeScript.Run(ctx, s.rdb, []string{s.noticeKey("n"), s.noticeKey("due")},
		noticeID(n), string(v), ms(n.Due)).Err()
	if errors.Is(err, goredis.Nil) {
		err = nil
	}
	return wrap(err, "defer notice %s", noticeID(n))
}

// DueNotices lists the kept notices due by now, by customer, then due
// time, then identity, at most limit (<= 0: all).
func (s *Store) DueNotices(ctx context.Context, now time.Time, limit int) ([]store.Notice, error) {
	ids, err := s.rdb.ZRangeByScore(ctx, s.noticeKey("due"), &goredis.ZRangeBy{Min: "-inf", Max: strconv.FormatInt(ms(now), 10)}).Result()
	if err != nil || len(ids) == 0 {
		return nil, wrap(err, "list due notices")
	}
	vals, err := s.rdb.HMGet(ctx, s.noticeKey("n"), ids...).Result()
	if err != nil {
		return nil, fmt.Errorf("list due notices: %w", err)
	}
	var list []store.Notice
	for _, raw := range vals {
		str, ok := raw.(string)
		if !ok {
			continue // dropped in between
		}
		var v noticeValue
		if err := json.Unmarshal([]byte(str), &v); err != nil {
			return nil, fmt.Errorf("decode due notice: %w", err)
		}
		n := store.Notice{Kind: v.Kind, ObjectID: v.ObjectID, Stage: v.Stage, CustomerID: store.CustomerID(v.Customer),
			Due: fromNanos(v.Due), At: fromNanos(v.At)}
		if n.Due.After(now) {
			continue // the zset's milliseconds rounded it in
		}
		list = append(list, n)
	}
	slices.SortFunc(list, func(a, b store.Notice) int {
		return cmp.Or(cmp.Compare(a.CustomerID, b.CustomerID), a.Due.Compare(b.Due),
			cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ObjectID, b.ObjectID), cmp.Compare(a.Stage, b.Stage))
	})
	if limit > 0 && len(list) > limit {
		list = list[:limit]
	}
	return list, nil
}

// DropNotice forgets the notice of n's identity.
func (s *Store) DropNotice(ctx context.Context, n store.Notice) error {
	_, err := s.rdb.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		p.HDel(ctx, s.noticeKey("n"), noticeID(n))
		p.ZRem(ctx, s.noticeKey("due"), noticeID(n))
		return nil
	})
	return wrap(err, "drop notice %s", noticeID(n))
}

// Cursor is the change-feed position stored under name, 0 if none.
func (s *Store) Cursor(ctx context.Context, name string) (int64, error) {
	v, err := s.rdb.HGet(ctx, s.noticeKey("cursor"), name).Int64()
	if errors.Is(err, goredis.Nil) {
		return 0, nil
	}
	return v, wrap(err, "load cursor %q", name)
}

// SetCursor stores the change-feed position under name.
func (s *Store) SetCursor(ctx context.Context, name string, pos int64) error {
	return wrap(s.rdb.HSet(ctx, s.noticeKey("cursor"), name, pos).Err(), "store cursor %q", name)
}
