package redis

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	goredis "github.com/redis/go-redis/v9"

	"paydesk/store"
)

// Locale testers' suggestions live under their own tag, {P:suggestions}:
//
//	{P:suggestions}:id   int   last suggestion id (INCR: ids only grow)
//	{P:suggestions}:key  hash  Key → id (a redelivered /fix is stored once)
//	{P:suggestions}:s    hash  id → the suggestion (JSON, without its id)
func (s *Store) suggestionKeys() []string {
	tag := "{" + s.prefix + ":suggestions}:"
	return []string{tag + "id", tag + "key", tag + "s"}
}

// addSuggestionScript stores a suggestion unless its key is stored.
// KEYS: counter, by key, records. ARGV: key, the suggestion.
// Returns {first, id, the stored suggestion}.
var addSuggestionScript = goredis.NewScript(`
local id = redis.call('HGET', KEYS[2], ARGV[1])
if id then return {0, tonumber(id), redis.call('HGET', KEYS[3], id)} end
id = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], ARGV[1], id)
redis.call('HSET', KEYS[3], id, ARGV[2])
return {1, id, ARGV[2]}
`)

// AddSuggestion stores sg once per Key and sets its ID; a stored one with
// the same Key is handed back instead.
func (s *Store) AddSuggestion(ctx context.Context, sg *store.Suggestion) (bool, error) {
	if sg.Key == "" {
		return false, fmt.Errorf("add suggestion: no key")
	}
	v := *sg
	v.ID = 0
	b, err := json.Marshal(v)
	if err != nil {
		return false, fmt.Errorf("add suggestion %q: %w", sg.Key, err)
	}
	res, err := addSuggestionScript.Run(ctx, s.rdb, s.suggestionKeys(), sg.Key, string(b)).Slice()
	if err == nil && len(res) != 3 {
		err = fmt.Errorf("script returned %d values", len(res))
	}
	if err != nil {
		return false, fmt.Errorf("add suggestion %q: %w", sg.Key, err)
	}
	first, _ := res[0].(int64)
	id, _ := res[1].(int64)
	raw, _ := res[2].(string)
	var stored store.Suggestion
	if err := json.Unmarshal([]byte(raw), &stored); err != nil {
		return false, fmt.Errorf("add suggestion %q: %w", sg.Key, err)
	}
	stored.ID = id
	*sg = stored
	return first == 1, nil
}

// Suggestions lists every stored suggestion, oldest first.
func (s *Store) Suggestions(ctx context.Context) ([]store.Suggestion, error) {
	all, err := s.rdb.HGetAll(ctx, s.suggestionKeys()[2]).Result()
	if err != nil {
		return nil, fmt.Errorf("list suggestions: %w", err)
	}
	list := make([]store.Suggestion, 0, len(all))
	for field, raw := range all {
		var sg store.Suggestion
		if err := json.Unmarshal([]byte(raw), &sg); err != nil {
			return nil, fmt.Errorf("list suggestions: %s: %w", field, err)
		}
		if sg.ID, err = strconv.ParseInt(field, 10, 64); err != nil {
			return nil, fmt.Errorf("list suggestions: id %q: %w", field, err)
		}
		list = append(list, sg)
	}
	slices.SortFunc(list, func(a, b store.Suggestion) int { return cmpInt(a.ID, b.ID) })
	return list, nil
}
