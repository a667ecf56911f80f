package redis

import (
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

// ticketKeys are the keys under the {P:tickets} tag. A ticket is one field
// of the records hash: a JSON object whose values are all strings, so the
// scripts can change a field with cjson without rounding a 64-bit number
// through a Lua double.
//
//	{P:tickets}:id          int   last ticket id (INCR: ids only grow)
//	{P:tickets}:t           hash  id → the ticket
//	{P:tickets}:open        hash  "owner|subject" → id of the open ticket
//	{P:tickets}:topic       hash  topic id → ticket id
//	{P:tickets}:chat:<chat> zset  the chat's ticket ids
//	{P:tickets}:own:<owner> zset  the owner's ticket ids
//
// The owner is "c<customer>", or "h<chat>" while the chat is unlinked: an
// unlinked chat counts as its own customer, as in store/sqlite.
type ticketKeys struct {
	tag, counter, records, open, topic string
}

func newTicketKeys(prefix string) ticketKeys {
	tag := "{" + prefix + ":tickets}:"
	return ticketKeys{tag: tag, counter: tag + "id", records: tag + "t", open: tag + "open", topic: tag + "topic"}
}

func (k ticketKeys) chat(chatID int64) string { return k.tag + "chat:" + strconv.FormatInt(chatID, 10) }
func (k ticketKeys) owner(o string) string    { return k.tag + "own:" + o }

func ownerOf(customer store.CustomerID, chatID int64) string {
	if customer != 0 {
		return "c" + strconv.FormatInt(int64(customer), 10)
	}
	return "h" + strconv.FormatInt(chatID, 10)
}

// ticketValue is a ticket as stored: every value a string (see ticketKeys).
type ticketValue struct {
	ID           string `json:"id"`
	Customer     string `json:"cu"`
	Chat         string `json:"ch"`
	Subject      string `json:"su"`
	Reason       string `json:"re"`
	Status       string `json:"st"`
	Topic        string `json:"tp"`
	Language     string `json:"la"`
	Created      string `json:"cr"`
	Closed       string `json:"cl"`
	Rating       string `json:"ra"`
	ClosedBy     string `json:"by"`
	AssigneeID   string `json:"ai"`
	AssigneeName string `json:"an"`
	OpenField    string `json:"of"` // "owner|subject", the open index field
	TopicChat    string `json:"tc"` // the support group of the topic
	LastCustomer string `json:"lc"` // ns
	LastAgent    string `json:"lg"` // ns
}

func i64(n int64) string { return strconv.FormatInt(n, 10) }

func encodeTicket(t store.Ticket) string {
	v := ticketValue{ID: i64(t.ID), Customer: i64(int64(t.CustomerID)), Chat: i64(t.ChatID), Subject: t.Subject,
		Reason: t.Reason, Status: string(store.TicketOpen), Topic: i64(t.TopicID), Language: t.Language,
		Created: i64(nanos(t.CreatedAt)), Closed: "0", Rating: "0", AssigneeID: "0",
		OpenField: ownerOf(t.CustomerID, t.ChatID) + "|" + t.Subject, TopicChat: i64(t.TopicChat),
		LastCustomer: i64(nanos(t.LastCustomerAt)), LastAgent: i64(nanos(t.LastAgentAt))}
	b, _ := json.Marshal(v) // strings only: cannot fail
	return string(b)
}

type storedTicket struct {
	store.Ticket
	by       store.TicketCloser
	assignee store.Assignee
}

func decodeTicket(raw string) (storedTicket, error) {
	var v ticketValue
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return storedTicket{}, fmt.Errorf("decode ticket: %w", err)
	}
	var errs []error
	num := func(s string) int64 {
		if s == "" {
			return 0 // a field this ticket was stored without
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			errs = append(errs, err)
		}
		return n
	}
	t := storedTicket{
		Ticket: store.Ticket{ID: num(v.ID), CustomerID: store.CustomerID(num(v.Customer)), ChatID: num(v.Chat),
			Subject: v.Subject, Reason: v.Reason, Status: store.TicketStatus(v.Status), TopicID: num(v.Topic),
			Language: v.Language, CreatedAt: fromNanos(num(v.Created)), ClosedAt: fromNanos(num(v.Closed)),
			Rating: int(num(v.Rating)), TopicChat: num(v.TopicChat),
			LastCustomerAt: fromNanos(num(v.LastCustomer)), LastAgentAt: fromNanos(num(v.LastAgent))},
		by:       store.TicketCloser(v.ClosedBy),
		assignee: store.Assignee{UserID: num(v.AssigneeID), Name: v.AssigneeName},
	}
	if len(errs) > 0 {
		return t, fmt.Errorf("decode ticket %s: %w", v.ID, errors.Join(errs...))
	}
	return t, nil
}

// openTicketScript returns the open ticket of the owner and subject, or
// creates it. KEYS: counter, records, open, chat index, owner index.
// ARGV: the open field, the new ticket. Returns {created, ticket}.
var openTicketScript = goredis.NewScript(`
local id = redis.call('HGET', KEYS[3], ARGV[1])
if id then return {0, redis.call('HGET', KEYS[2], id)} end
id = redis.call('INCR', KEYS[1])
local t = cjson.decode(ARGV[2])
t.id = tostring(id)
local v = cjson.encode(t)
redis.call('HSET', KEYS[2], id, v)
redis.call('HSET', KEYS[3], ARGV[1], id)
redis.call('ZADD', KEYS[4], id, id)
redis.call('ZADD', KEYS[5], id, id)
return {1, v}
`)

// changeTicketScript changes one ticket. KEYS: records, open, topic.
// ARGV: id, the operation, its arguments. Returns 1, 0 for "not found"
// (missing, or not in the state the operation needs), -1 for "duplicate",
// or for "topic" the ticket's {group, topic}. The topic map's field is
// "group:topic": topic ids are per group.
var changeTicketScript = goredis.NewScript(`
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local t = cjson.decode(raw)
local op = ARGV[2]
if op == 'close' then
  if t.st ~= 'open' then return 0 end
  t.st, t.cl, t.by = 'closed', ARGV[3], ARGV[4]
  if redis.call('HGET', KEYS[2], t.of) == t.id then redis.call('HDEL', KEYS[2], t.of) end
elseif op == 'reopen' then
  if t.st ~= 'closed' then return 0 end
  if redis.call('HEXISTS', KEYS[2], t.of) == 1 then return -1 end
  t.st, t.cl, t.by = 'open', '0', ''
  redis.call('HSET', KEYS[2], t.of, t.id)
elseif op == 'rate' then
  if t.st ~= 'closed' then return 0 end
  t.ra = ARGV[3]
elseif op == 'assign' then
  t.ai, t.an = ARGV[3], ARGV[4]
elseif op == 'topic' then
  if t.tp ~= '0' then return {t.tc or '0', t.tp} end
  t.tc, t.tp = ARGV[3], ARGV[4]
  redis.call('HSET', KEYS[3], ARGV[3] .. ':' .. ARGV[4], t.id)
elseif op == 'activity' then
  local f = ARGV[4]
  local old = t[f] or '0'
  -- nanoseconds exceed a Lua number's precision: compare the digits
  if #ARGV[3] > #old or (#ARGV[3] == #old and ARGV[3] > old) then t[f] = ARGV[3] end
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(t))
if op == 'topic' then return {ARGV[3], ARGV[4]} end
return 1
`)

func (s *Store) changeTicket(ctx context.Context, id int64, op string, args ...any) (int64, error) {
	return changeTicketScript.Run(ctx, s.rdb, []string{s.tk.records, s.tk.open, s.tk.topic}, append([]any{id, op}, args...)...).Int64()
}

// changed turns a changeTicket result into the store's errors.
func changed(n int64, err error, format string, args ...any) error {
	switch {
	case err != nil:
		return fmt.Errorf(format+": %w", append(args, err)...)
	case n == 0:
		return fmt.Errorf(format+": %w", append(args, store.ErrNotFound)...)
	case n < 0:
		return fmt.Errorf(format+": %w", append(args, store.ErrDuplicate)...)
	}
	return nil
}

// OpenTicket returns the open ticket of t's customer for t.Subject,
// creating it when there is none, in one script.
func (s *Store) OpenTicket(ctx context.Context, t store.Ticket) (store.Ticket, bool, error) {
	owner := ownerOf(t.CustomerID, t.ChatID)
	keys := []string{s.tk.counter, s.tk.records, s.tk.open, s.tk.chat(t.ChatID), s.tk.owner(owner)}
	res, err := openTicketScript.Run(ctx, s.rdb, keys, owner+"|"+t.Subject, encodeTicket(t)).Slice()
	if err == nil && len(res) != 2 {
		err = fmt.Errorf("open ticket script returned %d values", len(res))
	}
	if err != nil {
		return store.Ticket{}, false, fmt.Errorf("open ticket %q for customer %d: %w", t.Subject, t.CustomerID, err)
	}
	raw, _ := res[1].(string)
	got, err := decodeTicket(raw)
	if err != nil {
		return store.Ticket{}, false, fmt.Errorf("open ticket %q for customer %d: %w", t.Subject, t.CustomerID, err)
	}
	created, _ := res[0].(int64)
	return got.Ticket, created == 1, nil
}

func (s *Store) ticket(ctx context.Context, id int64) (storedTicket, error) {
	raw, err := s.rdb.HGet(ctx, s.tk.records, i64(id)).Result()
	if errors.Is(err, goredis.Nil) {
		return storedTicket{}, store.ErrNotFound
	}
	if err != nil {
		return storedTicket{}, err
	}
	return decodeTicket(raw)
}

// Ticket returns a ticket by id.
func (s *Store) Ticket(ctx context.Context, id int64) (store.Ticket, error) {
	t, err := s.ticket(ctx, id)
	return t.Ticket, wrap(err, "load ticket %d", id)
}

// tickets loads the tickets an index names.
func (s *Store) tickets(ctx context.Context, index string) ([]storedTicket, error) {
	ids, err := s.rdb.ZRange(ctx, index, 0, -1).Result()
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	vals, err := s.rdb.HMGet(ctx, s.tk.records, ids...).Result()
	if err != nil {
		return nil, err
	}
	list := make([]storedTicket, 0, len(vals))
	for _, v := range vals {
		raw, ok := v.(string)
		if !ok {
			continue
		}
		t, err := decodeTicket(raw)
		if err != nil {
			return nil, err
		}
		list = append(list, t)
	}
	return list, nil
}

// latest is the ticket of list that matches and has the greatest (at, id).
func latest(list []storedTicket, match func(storedTicket) bool, at func(storedTicket) time.Time) (storedTicket, bool) {
	var best storedTicket
	found := false
	for _, t := range list {
		if !match(t) {
			continue
		}
		if !found || at(t).After(at(best)) || at(t).Equal(at(best)) && t.ID > best.ID {
			best, found = t, true
		}
	}
	return best, found
}

func createdAt(t storedTicket) time.Time { return t.CreatedAt }
func closedAt(t storedTicket) time.Time  { return t.ClosedAt }

// OpenTicketOfChat returns the newest open ticket of a customer's chat.
func (s *Store) OpenTicketOfChat(ctx context.Context, chatID int64) (store.Ticket, error) {
	list, err := s.tickets(ctx, s.tk.chat(chatID))
	if err != nil {
		return store.Ticket{}, fmt.Errorf("open ticket of chat %d: %w", chatID, err)
	}
	t, ok := latest(list, func(t storedTicket) bool { return t.Status == store.TicketOpen }, createdAt)
	if !ok {
		return store.Ticket{}, fmt.Errorf("open ticket of chat %d: %w", chatID, store.ErrNotFound)
	}
	return t.Ticket, nil
}

// CloseTicket closes an open ticket.
func (s *Store) CloseTicket(ctx context.Context, id int64, at time.Time) error {
	n, err := s.changeTicket(ctx, id, "close", nanos(at), "")
	return changed(n, err, "close ticket %d", id)
}

// SetTicketTopic records a ticket's forum topic (topicID in group chatID)
// unless it has one, and returns the topic the ticket ends up with.
func (s *Store) SetTicketTopic(ctx context.Context, id, chatID, topicID int64) (int64, int64, error) {
	res, err := changeTicketScript.Run(ctx, s.rdb, []string{s.tk.records, s.tk.open, s.tk.topic}, id, "topic", chatID, topicID).Result()
	if err != nil {
		return 0, 0, fmt.Errorf("set topic %d/%d of ticket %d: %w", chatID, topicID, id, err)
	}
	pair, ok := res.([]any)
	if !ok || len(pair) != 2 {
		return 0, 0, fmt.Errorf("set topic %d/%d of ticket %d: %w", chatID, topicID, id, store.ErrNotFound)
	}
	gotChat, err1 := strconv.ParseInt(fmt.Sprint(pair[0]), 10, 64)
	got, err2 := strconv.ParseInt(fmt.Sprint(pair[1]), 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, 0, fmt.Errorf("set topic %d/%d of ticket %d: %w", chatID, topicID, id, err)
	}
	return gotChat, got, nil
}

// TicketByTopic finds the ticket of a forum topic of a support group.
func (s *Store) TicketByTopic(ctx context.Context, chatID, topicID int64) (store.Ticket, error) {
	if topicID == 0 {
		return store.Ticket{}, fmt.Errorf("ticket of topic 0: %w", store.ErrNotFound)
	}
	id, err := s.rdb.HGet(ctx, s.tk.topic, i64(chatID)+":"+i64(topicID)).Int64()
	if errors.Is(err, goredis.Nil) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Ticket{}, fmt.Errorf("ticket of topic %d/%d: %w", chatID, topicID, err)
	}
	t, err := s.ticket(ctx, id)
	return t.Ticket, wrap(err, "ticket of topic %d/%d", chatID, topicID)
}

// OpenTickets lists the open tickets, oldest first, at most limit.
func (s *Store) OpenTickets(ctx context.Context, limit int) ([]store.Ticket, error) {
	ids, err := s.rdb.HVals(ctx, s.tk.open).Result()
	if err != nil || len(ids) == 0 {
		return nil, wrap(err, "open tickets")
	}
	vals, err := s.rdb.HMGet(ctx, s.tk.records, ids...).Result()
	if err != nil {
		return nil, fmt.Errorf("open tickets: %w", err)
	}
	var list []store.Ticket
	for _, v := range vals {
		raw, ok := v.(string)
		if !ok {
			continue
		}
		t, err := decodeTicket(raw)
		if err != nil {
			return nil, fmt.Errorf("open tickets: %w", err)
		}
		if t.Status == store.TicketOpen {
			list = append(list, t.Ticket)
		}
	}
	slices.SortFunc(list, func(a, b store.Ticket) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmpInt(a.ID, b.ID)
	})
	if limit >= 0 && len(list) > limit {
		list = list[:limit]
	}
	return list, nil
}

// OpenTicketsByLanguage counts the open tickets per language (the
// tickets_open metric).
func (s *Store) OpenTicketsByLanguage(ctx context.Context) (map[string]int, error) {
	list, err := s.OpenTickets(ctx, -1)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, t := range list {
		out[t.Language]++
	}
	return out, nil
}

// TicketActivity records when the customer or an agent last wrote,
// keeping the later time.
func (s *Store) TicketActivity(ctx context.Context, id int64, at time.Time, byCustomer bool) error {
	field := "lg"
	if byCustomer {
		field = "lc"
	}
	n, err := s.changeTicket(ctx, id, "activity", nanos(at), field)
	return changed(n, err, "activity of ticket %d", id)
}

// CloseTicketBy closes an open ticket, recording who closed it.
func (s *Store) CloseTicketBy(ctx context.Context, id int64, at time.Time, by store.TicketCloser) error {
	n, err := s.changeTicket(ctx, id, "close", nanos(at), string(by))
	return changed(n, err, "close ticket %d by %s", id, by)
}

// LastClosedTicketOfChat is the chat's most recently closed ticket.
func (s *Store) LastClosedTicketOfChat(ctx context.Context, chatID int64) (store.Ticket, store.TicketCloser, error) {
	list, err := s.tickets(ctx, s.tk.chat(chatID))
	if err != nil {
		return store.Ticket{}, "", fmt.Errorf("last closed ticket of chat %d: %w", chatID, err)
	}
	t, ok := latest(list, func(t storedTicket) bool { return t.Status == store.TicketClosed }, closedAt)
	if !ok {
		return store.Ticket{}, "", fmt.Errorf("last closed ticket of chat %d: %w", chatID, store.ErrNotFound)
	}
	return t.Ticket, t.by, nil
}

// LastClosedTicket is the most recently closed ticket of a customer (or
// of the unlinked chat) about subject.
func (s *Store) LastClosedTicket(ctx context.Context, customer store.CustomerID, chatID int64, subject string) (store.Ticket, error) {
	list, err := s.tickets(ctx, s.tk.owner(ownerOf(customer, chatID)))
	if err != nil {
		return store.Ticket{}, fmt.Errorf("last closed ticket %q of customer %d: %w", subject, customer, err)
	}
	t, ok := latest(list, func(t storedTicket) bool { return t.Status == store.TicketClosed && t.Subject == subject }, closedAt)
	if !ok {
		return store.Ticket{}, fmt.Errorf("last closed ticket %q of customer %d: %w", subject, customer, store.ErrNotFound)
	}
	return t.Ticket, nil
}

// ReopenTicket opens a closed ticket again, unless another ticket about
// its subject is open.
func (s *Store) ReopenTicket(ctx context.Context, id int64) error {
	n, err := s.changeTicket(ctx, id, "reopen")
	return changed(n, err, "reopen ticket %d", id)
}

// RateTicket stores the rating of a closed ticket.
func (s *Store) RateTicket(ctx context.Context, id int64, rating int) error {
	if rating < 1 || rating > 5 {
		return fmt.Errorf("rate ticket %d: rating %d is not 1..5", id, rating)
	}
	n, err := s.changeTicket(ctx, id, "rate", rating)
	return changed(n, err, "rate ticket %d", id)
}

// AssignTicket records who has the ticket.
func (s *Store) AssignTicket(ctx context.Context, id int64, a store.Assignee) error {
	n, err := s.changeTicket(ctx, id, "assign", a.UserID, a.Name)
	return changed(n, err, "assign ticket %d", id)
}

// TicketAssignee is who has the ticket.
func (s *Store) TicketAssignee(ctx context.Context, id int64) (store.Assignee, error) {
	t, err := s.ticket(ctx, id)
	return t.assignee, wrap(err, "assignee of ticket %d", id)
}
