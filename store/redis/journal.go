package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"paydesk/store"
)

// journalKeys are the keys under the {P:journal} tag: everything one
// update's commit touches (see the package doc).
type journalKeys struct {
	tag                                         string
	marks, keys, did, d, lease, blocked, offset string
	linked                                      string
}

func newJournalKeys(prefix string) journalKeys {
	tag := "{" + prefix + ":journal}:"
	return journalKeys{
		tag:     tag,
		marks:   tag + "marks",
		keys:    tag + "keys",
		did:     tag + "did",
		d:       tag + "d",
		lease:   tag + "lease",
		blocked: tag + "blocked",
		offset:  tag + "offset",
		linked:  tag + "linked",
	}
}

func (k journalKeys) session(chatID int64) string {
	return k.tag + "s:" + strconv.FormatInt(chatID, 10)
}

// exchanges is a chat's recent conversation for the case card, a list,
// oldest first: in the journal slot, since an update commits its lines.
func (k journalKeys) exchanges(chatID int64) string {
	return k.tag + "x:" + strconv.FormatInt(chatID, 10)
}

// commitScript applies an UpdateCommit: it checks first (the mark, every
// session's version) and writes only when all checks pass, so a commit is
// all or nothing. Redis runs a script alone, and refuses a writing script
// at its start (not half-way) when out of memory.
//
// KEYS: marks, blocked, did, d, lease, keys, linked, then one session key
// per session, then one exchanges key per group of lines. ARGV: update id
// (0: none), at (ms), from chat (0: none), lease-until (ms), session TTL
// (ms), the session count, per session chat, version, customer and
// payload, then the delivery count and per delivery its Key ("" for none)
// and encoding, then the group count and per group how many to keep, the
// line count and the lines.
//
// A delivery's Key may join several keys with "+" (store.JoinKeys): it is
// stored only if none of them is recorded, and then all are.
//
// It returns {0} for a duplicate, {-i} when session i (1-based) conflicts,
// else {1, id...} with 0 for a keyed delivery stored before.
var commitScript = goredis.NewScript(`
local upd = ARGV[1]
if upd ~= '0' and redis.call('ZSCORE', KEYS[1], upd) then return {0} end
local ns = tonumber(ARGV[6])
local a = 7
for i = 1, ns do
  local cur = redis.call('GET', KEYS[7+i])
  local have = '0'
  if cur then have = string.match(cur, '^(%d+)|') end
  if have ~= ARGV[a+1] then return {-i} end
  a = a + 4
end
if upd ~= '0' then redis.call('ZADD', KEYS[1], ARGV[2], upd) end
if ARGV[3] ~= '0' then redis.call('HDEL', KEYS[2], ARGV[3]) end
a = 7
for i = 1, ns do
  local k, chat, cust = KEYS[7+i], ARGV[a], ARGV[a+2]
  local cur = redis.call('GET', k)
  if cur then
    local old = string.match(cur, '^%d+|(%-?%d+)|')
    if old ~= '0' and old ~= cust then redis.call('ZREM', KEYS[7], old .. ':' .. chat) end
  end
  if cust ~= '0' then redis.call('ZADD', KEYS[7], 0, cust .. ':' .. chat) end
  redis.call('SET', k, (tonumber(ARGV[a+1]) + 1) .. '|' .. cust .. '|' .. ARGV[a+3], 'PX', ARGV[5])
  a = a + 4
end
local out = {1}
local nd = tonumber(ARGV[a])
a = a + 1
for i = 1, nd do
  local key, val = ARGV[a], ARGV[a+1]
  a = a + 2
  local id = 0
  local fresh = true
  local parts = {}
  for k in string.gmatch(key, '[^+]+') do
    parts[#parts+1] = k
    if redis.call('ZSCORE', KEYS[6], k) then fresh = false end
  end
  if fresh then
    for _, k in ipairs(parts) do redis.call('ZADD', KEYS[6], ARGV[2], k) end
    id = redis.call('INCR', KEYS[3])
    redis.call('HSET', KEYS[4], id, val)
    redis.call('ZADD', KEYS[5], ARGV[4], string.format('%019d', id))
  end
  out[#out+1] = id
end
local nx = tonumber(ARGV[a])
a = a + 1
for i = 1, nx do
  local k, keep, nl = KEYS[7+ns+i], tonumber(ARGV[a]), tonumber(ARGV[a+1])
  a = a + 2
  for j = 1, nl do
    redis.call('RPUSH', k, ARGV[a])
    a = a + 1
  end
  if keep > 0 then
    redis.call('LTRIM', k, -keep, -1)
    redis.call('PEXPIRE', k, ARGV[5])
  else
    redis.call('DEL', k)
  end
end
return out
`)

// claimScript leases the oldest deliveries whose lease ran out.
// KEYS: lease, d. ARGV: now (ms), until (ms), limit.
// It returns id, encoding, id, encoding...
var claimScript = goredis.NewScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1000)
table.sort(due)
local out = {}
local n = 0
for _, m in ipairs(due) do
  if n >= tonumber(ARGV[3]) then break end
  local id = tostring(tonumber(m))
  local v = redis.call('HGET', KEYS[2], id)
  if v then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[2], m)
    out[#out+1] = id
    out[#out+1] = v
    n = n + 1
  else
    redis.call('ZREM', KEYS[1], m)
  end
end
return out
`)

// sessionValue is a session as stored after "version|customer|": short
// names and omitted zeros keep an idle session small (MEMORY USAGE, see
// TestSessionMemory).
type sessionValue struct {
	Language       string             `json:"l,omitempty"`
	ClientLanguage string             `json:"c,omitempty"`
	Flow           string             `json:"f,omitempty"`
	Step           string             `json:"s,omitempty"`
	Data           map[string]string  `json:"d,omitempty"`
	UpdatedAt      int64              `json:"u,omitempty"` // ns
	Tester         *store.TesterState `json:"t,omitempty"` // locale testers only
}

func encodeSession(s *store.Session) (string, error) {
	v := sessionValue{s.Language, s.ClientLanguage, s.Flow, s.Step, s.Data, nanos(s.UpdatedAt), nil}
	if s.Tester.ShowIDs || len(s.Tester.Recent) > 0 {
		v.Tester = &s.Tester
	}
	b, err := json.Marshal(v)
	return string(b), err
}

func decodeSession(chatID int64, raw string) (store.Session, error) {
	s := store.Session{ChatID: chatID}
	ver, rest, ok1 := strings.Cut(raw, "|")
	cust, payload, ok2 := strings.Cut(rest, "|")
	if !ok1 || !ok2 {
		return s, fmt.Errorf("session %d: malformed value", chatID)
	}
	var err error
	if s.Version, err = strconv.ParseInt(ver, 10, 64); err != nil {
		return s, fmt.Errorf("session %d: version: %w", chatID, err)
	}
	c, err := strconv.ParseInt(cust, 10, 64)
	if err != nil {
		return s, fmt.Errorf("session %d: customer: %w", chatID, err)
	}
	s.CustomerID = store.CustomerID(c)
	var v sessionValue
	if err := json.Unmarshal([]byte(payload), &v); err != nil {
		return s, fmt.Errorf("session %d: %w", chatID, err)
	}
	s.Language, s.ClientLanguage, s.Flow, s.Step, s.Data = v.Language, v.ClientLanguage, v.Flow, v.Step, v.Data
	s.UpdatedAt = fromNanos(v.UpdatedAt)
	if v.Tester != nil {
		s.Tester = *v.Tester
	}
	return s, nil
}

// deliveryValue is a delivery as stored; its id is the hash field.
type deliveryValue struct {
	ChatID    int64  `json:"c"`
	Proactive bool   `json:"p,omitempty"`
	Method    string `json:"m"`
	MessageID int    `json:"i,omitempty"`
	Text      string `json:"t"`
	Markup    string `json:"r,omitempty"`
	FromChat  int64  `json:"f,omitempty"`
	TicketID  int64  `json:"k,omitempty"`
}

// Session returns the chat's session, or a fresh one.
func (s *Store) Session(ctx context.Context, chatID int64) (store.Session, error) {
	raw, err := s.rdb.Get(ctx, s.j.session(chatID)).Result()
	if errors.Is(err, goredis.Nil) {
		return store.Session{ChatID: chatID}, nil
	}
	if err != nil {
		return store.Session{}, fmt.Errorf("load session %d: %w", chatID, err)
	}
	return decodeSession(chatID, raw)
}

// SaveSession stores s with compare-and-swap on its version: the commit
// script with one session and nothing else.
func (s *Store) SaveSession(ctx context.Context, sess *store.Session) error {
	c := &store.UpdateCommit{Sessions: []*store.Session{sess}}
	if _, err := s.commit(ctx, c); err != nil {
		return fmt.Errorf("save session %d: %w", sess.ChatID, err)
	}
	return nil
}

// ChatsOf lists the chats linked to a customer, most recently active first.
// The index may name a chat whose session expired or was linked elsewhere
// since; those are dropped from it here.
func (s *Store) ChatsOf(ctx context.Context, id store.CustomerID) ([]int64, error) {
	if id == 0 {
		return nil, nil
	}
	prefix := strconv.FormatInt(int64(id), 10) + ":"
	members, err := s.rdb.ZRangeByLex(ctx, s.j.linked, &goredis.ZRangeBy{Min: "[" + prefix, Max: "(" + prefix[:len(prefix)-1] + ";"}).Result()
	if err != nil || len(members) == 0 {
		return nil, wrap(err, "list chats of customer %d", id)
	}
	keys := make([]string, len(members))
	chats := make([]int64, len(members))
	for i, m := range members {
		if chats[i], err = strconv.ParseInt(strings.TrimPrefix(m, prefix), 10, 64); err != nil {
			return nil, fmt.Errorf("list chats of customer %d: index member %q: %w", id, m, err)
		}
		keys[i] = s.j.session(chats[i])
	}
	vals, err := s.rdb.MGet(ctx, keys...).Result()
	if err != nil {
		return nil, fmt.Errorf("list chats of customer %d: %w", id, err)
	}
	var live []store.Session
	var stale []any
	for i, v := range vals {
		raw, ok := v.(string)
		if !ok {
			stale = append(stale, members[i])
			continue
		}
		sess, err := decodeSession(chats[i], raw)
		if err != nil {
			return nil, fmt.Errorf("list chats of customer %d: %w", id, err)
		}
		if sess.CustomerID == id {
			live = append(live, sess)
		}
	}
	if len(stale) > 0 {
		// Only expired sessions; a racing save re-adds its member anyway.
		if err := s.rdb.ZRem(ctx, s.j.linked, stale...).Err(); err != nil {
			return nil, fmt.Errorf("list chats of customer %d: drop expired: %w", id, err)
		}
	}
	slices.SortFunc(live, func(a, b store.Session) int {
		if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 {
			return c
		}
		return cmpInt(b.ChatID, a.ChatID)
	})
	out := make([]int64, len(live))
	for i, l := range live {
		out[i] = l.ChatID
	}
	return out, nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// wrap adds context to err, nil for nil.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// MarkUpdate records the update as handled; ZADD NX decides races.
func (s *Store) MarkUpdate(ctx context.Context, updateID int64, at time.Time) (bool, error) {
	n, err := s.rdb.ZAddNX(ctx, s.j.marks, goredis.Z{Score: float64(ms(at)), Member: updateID}).Result()
	if err != nil {
		return false, fmt.Errorf("mark update %d: %w", updateID, err)
	}
	return n == 1, nil
}

// UpdateHandled reports whether the update is marked.
func (s *Store) UpdateHandled(ctx context.Context, updateID int64) (bool, error) {
	err := s.rdb.ZScore(ctx, s.j.marks, strconv.FormatInt(updateID, 10)).Err()
	if errors.Is(err, goredis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check update %d: %w", updateID, err)
	}
	return true, nil
}

// ForgetUpdates drops the marks older than before and the delivery keys
// older than store.DeliveryKeyRetention before that. The bot calls it
// periodically with now - 25 h.
func (s *Store) ForgetUpdates(ctx context.Context, before time.Time) error {
	_, err := s.rdb.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		p.ZRemRangeByScore(ctx, s.j.marks, "-inf", "("+strconv.FormatInt(ms(before), 10))
		p.ZRemRangeByScore(ctx, s.j.keys, "-inf", "("+strconv.FormatInt(ms(before.Add(-store.DeliveryKeyRetention)), 10))
		return nil
	})
	return wrap(err, "forget updates before %s", before.UTC().Format(time.RFC3339))
}

// PollOffset returns the stored getUpdates offset, 0 if none.
func (s *Store) PollOffset(ctx context.Context) (int64, error) {
	v, err := s.rdb.Get(ctx, s.j.offset).Int64()
	if errors.Is(err, goredis.Nil) {
		return 0, nil
	}
	return v, wrap(err, "load poll offset")
}

// SetPollOffset stores the next getUpdates offset.
func (s *Store) SetPollOffset(ctx context.Context, offset int64) error {
	return wrap(s.rdb.Set(ctx, s.j.offset, offset, 0).Err(), "store poll offset %d", offset)
}

// CommitUpdate applies c in one script (commitScript).
func (s *Store) CommitUpdate(ctx context.Context, c *store.UpdateCommit) (bool, error) {
	first, err := s.commit(ctx, c)
	if err != nil {
		return false, fmt.Errorf("commit update %d: %w", c.UpdateID, err)
	}
	return first, nil
}

func (s *Store) commit(ctx context.Context, c *store.UpdateCommit) (bool, error) {
	keys := []string{s.j.marks, s.j.blocked, s.j.did, s.j.d, s.j.lease, s.j.keys, s.j.linked}
	args := []any{c.UpdateID, ms(c.At), c.FromChat, ms(c.LeaseUntil), s.sessionTTL.Milliseconds(), len(c.Sessions)}
	for _, sess := range c.Sessions {
		if sess.Version < 0 {
			return false, fmt.Errorf("session %d: negative version %d", sess.ChatID, sess.Version)
		}
		payload, err := encodeSession(sess)
		if err != nil {
			return false, fmt.Errorf("encode session %d: %w", sess.ChatID, err)
		}
		keys = append(keys, s.j.session(sess.ChatID))
		args = append(args, sess.ChatID, sess.Version, int64(sess.CustomerID), payload)
	}
	args = append(args, len(c.Deliveries))
	for _, d := range c.Deliveries {
		b, err := json.Marshal(deliveryValue{d.ChatID, d.Proactive, d.Method, d.MessageID, d.Text, d.Markup, d.FromChatID, d.TicketID})
		if err != nil {
			return false, fmt.Errorf("encode delivery to chat %d: %w", d.ChatID, err)
		}
		args = append(args, d.Key, string(b))
	}
	args = append(args, len(c.Exchanges))
	for _, x := range c.Exchanges {
		lines, err := encodeExchanges(x.Lines)
		if err != nil {
			return false, fmt.Errorf("encode exchanges of chat %d: %w", x.ChatID, err)
		}
		keys = append(keys, s.j.exchanges(x.ChatID))
		args = append(args, x.Keep, len(lines))
		args = append(args, lines...)
	}
	res, err := commitScript.Run(ctx, s.rdb, keys, args...).Int64Slice()
	if err != nil {
		return false, err
	}
	switch {
	case len(res) == 0:
		return false, errors.New("commit script returned nothing")
	case res[0] == 0:
		return false, nil
	case res[0] < 0:
		sess := c.Sessions[-res[0]-1]
		return false, fmt.Errorf("session %d at version %d: %w", sess.ChatID, sess.Version, store.ErrConflict)
	case len(res) != 1+len(c.Deliveries):
		return false, fmt.Errorf("commit script returned %d ids for %d deliveries", len(res)-1, len(c.Deliveries))
	}
	stored := c.Deliveries[:0]
	for i, d := range c.Deliveries {
		if id := res[1+i]; id != 0 {
			d.ID = id
			stored = append(stored, d)
		}
	}
	c.Deliveries = stored
	for _, sess := range c.Sessions {
		sess.Version++
	}
	return true, nil
}

// ClaimDeliveries leases the oldest deliveries whose lease ran out.
func (s *Store) ClaimDeliveries(ctx context.Context, now, until time.Time, limit int) ([]store.Delivery, error) {
	res, err := claimScript.Run(ctx, s.rdb, []string{s.j.lease, s.j.d}, ms(now), ms(until), limit).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	list := make([]store.Delivery, 0, len(res)/2)
	for i := 0; i+1 < len(res); i += 2 {
		id, err := strconv.ParseInt(res[i], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("claim deliveries: id %q: %w", res[i], err)
		}
		var v deliveryValue
		if err := json.Unmarshal([]byte(res[i+1]), &v); err != nil {
			return nil, fmt.Errorf("claim deliveries: delivery %d: %w", id, err)
		}
		list = append(list, store.Delivery{ID: id, ChatID: v.ChatID, Proactive: v.Proactive, Method: v.Method,
			MessageID: v.MessageID, Text: v.Text, Markup: v.Markup, FromChatID: v.FromChat, TicketID: v.TicketID})
	}
	return list, nil
}

// DeleteDelivery forgets a delivery.
func (s *Store) DeleteDelivery(ctx context.Context, id int64) error {
	_, err := s.rdb.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		p.HDel(ctx, s.j.d, strconv.FormatInt(id, 10))
		p.ZRem(ctx, s.j.lease, fmt.Sprintf("%019d", id))
		return nil
	})
	return wrap(err, "delete delivery %d", id)
}

// DeliveryKeyed reports whether a delivery keyed key was committed.
func (s *Store) DeliveryKeyed(ctx context.Context, key string) (bool, error) {
	err := s.rdb.ZScore(ctx, s.j.keys, key).Err()
	if errors.Is(err, goredis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check delivery key %q: %w", key, err)
	}
	return true, nil
}

// BlockChat records that the chat's user blocked the bot.
func (s *Store) BlockChat(ctx context.Context, chatID int64, at time.Time) error {
	return wrap(s.rdb.HSet(ctx, s.j.blocked, chatID, nanos(at)).Err(), "block chat %d", chatID)
}

// ChatBlocked reports whether the chat's user blocked the bot and has not
// written since.
func (s *Store) ChatBlocked(ctx context.Context, chatID int64) (bool, error) {
	b, err := s.rdb.HExists(ctx, s.j.blocked, strconv.FormatInt(chatID, 10)).Result()
	return b, wrap(err, "check chat %d blocked", chatID)
}
