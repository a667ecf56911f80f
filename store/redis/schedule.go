package redis

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"paydesk/store"
)

// The nudge schedule (store.Nudges.ScheduleNudges) is one sorted set per
// kind, under a tag of its own so kinds spread over a cluster:
//
//	{P:schedule:<kind>}  zset  "<object id, 20 digits>|<stage>" → due (ms, rounded up)
//
// The object id is zero-padded so that members of one score sort by it.
// Due is kept to the millisecond, rounded up: an entry is never due early.
func (s *Store) scheduleKey(kind string) string { return "{" + s.prefix + ":schedule:" + kind + "}" }

func scheduleMember(n store.ScheduledNudge) string {
	return fmt.Sprintf("%020d|%s", n.ObjectID, n.Stage)
}

// msUp is t in Unix milliseconds, rounded up.
func msUp(t time.Time) int64 {
	m := t.UnixMilli()
	if t.Sub(time.UnixMilli(m)) > 0 {
		m++
	}
	return m
}

// byKind groups entries by kind, in the order kinds first appear.
func byKind(list []store.ScheduledNudge) (kinds []string, groups map[string][]store.ScheduledNudge) {
	groups = map[string][]store.ScheduledNudge{}
	for _, n := range list {
		if _, ok := groups[n.Kind]; !ok {
			kinds = append(kinds, n.Kind)
		}
		groups[n.Kind] = append(groups[n.Kind], n)
	}
	return kinds, groups
}

// ScheduleNudges adds the entries with ZADD, which replaces the score of a
// member already there.
func (s *Store) ScheduleNudges(ctx context.Context, list ...store.ScheduledNudge) error {
	if len(list) == 0 {
		return nil
	}
	kinds, groups := byKind(list)
	_, err := s.rdb.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for _, kind := range kinds {
			zs := make([]goredis.Z, 0, len(groups[kind]))
			for _, n := range groups[kind] {
				zs = append(zs, goredis.Z{Score: float64(msUp(n.Due)), Member: scheduleMember(n)})
			}
			p.ZAdd(ctx, s.scheduleKey(kind), zs...)
		}
		return nil
	})
	return wrap(err, "schedule %d nudges", len(list))
}

// DueNudges reads the kind's set by score up to now.
func (s *Store) DueNudges(ctx context.Context, kind string, now time.Time, limit int) ([]store.ScheduledNudge, error) {
	by := &goredis.ZRangeBy{Min: "-inf", Max: strconv.FormatInt(ms(now), 10)}
	if limit > 0 {
		by.Count = int64(limit)
	}
	zs, err := s.rdb.ZRangeByScoreWithScores(ctx, s.scheduleKey(kind), by).Result()
	if err != nil {
		return nil, fmt.Errorf("due nudges %s by %v: %w", kind, now, err)
	}
	list := make([]store.ScheduledNudge, 0, len(zs))
	for _, z := range zs {
		member, _ := z.Member.(string)
		idText, stage, ok := strings.Cut(member, "|")
		id, err := strconv.ParseInt(idText, 10, 64)
		if !ok || err != nil {
			return nil, fmt.Errorf("due nudges %s: bad member %q", kind, member)
		}
		list = append(list, store.ScheduledNudge{Kind: kind, ObjectID: id, Stage: stage,
			Due: time.UnixMilli(int64(z.Score)).UTC()})
	}
	return list, nil
}

// unscheduleScript removes each member whose score is still the one given.
// KEYS: the kind's set. ARGV: member, score, member, score, ...
var unscheduleScript = goredis.NewScript(`
for i = 1, #ARGV, 2 do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) == tonumber(ARGV[i + 1]) then
    redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
return 0
`)

// UnscheduleNudges removes the entries whose due is still the one read,
// one script per kind.
func (s *Store) UnscheduleNudges(ctx context.Context, list ...store.ScheduledNudge) error {
	kinds, groups := byKind(list)
	for _, kind := range kinds {
		args := make([]any, 0, 2*len(groups[kind]))
		for _, n := range groups[kind] {
			args = append(args, scheduleMember(n), msUp(n.Due))
		}
		if err := unscheduleScript.Run(ctx, s.rdb, []string{s.scheduleKey(kind)}, args...).Err(); err != nil {
			return fmt.Errorf("unschedule %d nudges %s: %w", len(groups[kind]), kind, err)
		}
	}
	return nil
}
