// Package metrics defines every Prometheus metric paydesk exports, in one
// place, so an operator reading this file sees the whole list and the bot
// and store code only call small hooks (m.Update, m.APICall, ...) instead
// of carrying Prometheus types around. A nil *Metrics is valid and does
// nothing: tests and tools that do not export metrics pass nil.
//
// Adding a metric: a field here, its definition in New, and a hook method;
// then call the hook where the thing happens. Label values must come from
// small fixed sets (update kinds, Bot API methods, status codes, languages):
// never a chat id, a user or any text, which would both leak and blow up
// the number of series.
package metrics

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds paydesk's metrics and the registry they are served from.
type Metrics struct {
	reg *prometheus.Registry

	updates    *prometheus.CounterVec   // kind, outcome
	handling   *prometheus.HistogramVec // kind
	apiCalls   *prometheus.CounterVec   // method, status
	apiRetries *prometheus.CounterVec   // method, reason
	outboxWait *prometheus.HistogramVec // priority
	blocked    prometheus.Counter
	nudges     prometheus.Counter
	givenUp    prometheus.Counter
	setAside   prometheus.Counter
	storeOps   *prometheus.HistogramVec // op
}

// Outcomes of an update, the values of paydesk_updates_total{outcome}.
const (
	Handled     = "handled"     // its effects and replies are committed
	Duplicate   = "duplicate"   // handled before; ignored
	Failed      = "failed"      // not handled; Telegram delivers it again
	Undecodable = "undecodable" // not an update paydesk can read; skipped
)

// New builds the metrics on a registry of their own (with the Go runtime
// and process collectors), not the global default one, so two instances
// in one test process do not collide.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.updates = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "paydesk_updates_total",
		Help: "Telegram updates taken in, by kind (message, edited_message, callback_query, other) and outcome (handled, duplicate, failed, undecodable).",
	}, []string{"kind", "outcome"})
	m.handling = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "paydesk_update_handling_seconds",
		Help:    "Time to handle one update, from taking it to its commit (replies are sent after).",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 90},
	}, []string{"kind"})
	m.apiCalls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "paydesk_botapi_calls_total",
		Help: "Bot API calls made, each attempt counted, by method and status (200, 400, 403, 429, 5xx codes, network, canceled, other).",
	}, []string{"method", "status"})
	m.apiRetries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "paydesk_botapi_retries_total",
		Help: "Bot API calls retried, by method and reason (429, or error for 5xx and network errors).",
	}, []string{"method", "reason"})
	m.outboxWait = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "paydesk_outbox_wait_seconds",
		Help:    "Time a Bot API call waited for the rate limits (its chat's, then the global one), by priority (interactive, proactive).",
		Buckets: []float64{.001, .01, .05, .1, .25, .5, 1, 2, 5, 10, 30, 60},
	}, []string{"priority"})
	m.blocked = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "paydesk_chats_blocked_total",
		Help: "Times Telegram answered 403 for a chat: its user blocked the bot (no more nudges until they write again).",
	})
	m.nudges = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "paydesk_nudges_sent_total",
		Help: "Proactive messages (nudges, reminders) delivered.",
	})
	m.givenUp = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "paydesk_replies_given_up_total",
		Help: "Replies dropped after failing without a final answer from Telegram for a day.",
	})
	m.setAside = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "paydesk_replies_set_aside_total",
		Help: "Replies set aside after three rounds of retries failed, so the chat's later replies could go; they stay stored and are tried again.",
	})
	m.storeOps = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "paydesk_store_operation_seconds",
		Help:    "Time of the store operations on the update path, by operation.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 5},
	}, []string{"op"})
	m.reg.MustRegister(m.updates, m.handling, m.apiCalls, m.apiRetries, m.outboxWait,
		m.blocked, m.nudges, m.givenUp, m.setAside, m.storeOps,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Update counts one update taken in and how long it took.
func (m *Metrics) Update(kind, outcome string, took time.Duration) {
	if m == nil {
		return
	}
	m.updates.WithLabelValues(kind, outcome).Inc()
	if outcome != Undecodable {
		m.handling.WithLabelValues(kind).Observe(took.Seconds())
	}
}

// APICall counts one attempt of a Bot API call with the status it got.
func (m *Metrics) APICall(method, status string) {
	if m == nil {
		return
	}
	m.apiCalls.WithLabelValues(method, status).Inc()
}

// Retry counts a Bot API call the outbox is about to try again.
func (m *Metrics) Retry(method, reason string) {
	if m == nil {
		return
	}
	m.apiRetries.WithLabelValues(method, reason).Inc()
}

// OutboxWait records how long a call waited for the rate limits.
func (m *Metrics) OutboxWait(priority string, waited time.Duration) {
	if m == nil {
		return
	}
	m.outboxWait.WithLabelValues(priority).Observe(waited.Seconds())
}

// Blocked counts a chat found blocked.
func (m *Metrics) Blocked() {
	if m == nil {
		return
	}
	m.blocked.Inc()
}

// NudgeSent counts a proactive message delivered.
func (m *Metrics) NudgeSent() {
	if m == nil {
		return
	}
	m.nudges.Inc()
}

// SetAside counts a reply set aside after three rounds of retries.
func (m *Metrics) SetAside() {
	if m == nil {
		return
	}
	m.setAside.Inc()
}

// GivenUp counts a reply dropped after failing for a day.
func (m *Metrics) GivenUp() {
	if m == nil {
		return
	}
	m.givenUp.Inc()
}

// StoreOp records the time of one store operation.
func (m *Metrics) StoreOp(op string, took time.Duration) {
	if m == nil {
		return
	}
	m.storeOps.WithLabelValues(op).Observe(took.Seconds())
}

// QueueDepth exports depth, read at every scrape, as the number of replies
// waiting to be sent.
func (m *Metrics) QueueDepth(depth func() int) {
	if m == nil {
		return
	}
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "paydesk_outbox_queue_depth",
		Help: "Replies committed and waiting to be sent by this process.",
	}, func() float64 { return float64(depth()) }))
}

// TicketsOpen exports the open support tickets per language, counted by
// count at every scrape (bounded by a short timeout so a slow store cannot
// hang the scrape).
func (m *Metrics) TicketsOpen(count func(ctx context.Context) (map[string]int, error)) {
	if m == nil {
		return
	}
	m.reg.MustRegister(&ticketsCollector{count: count})
}

var ticketsDesc = prometheus.NewDesc("paydesk_tickets_open",
	"Support tickets open, by the customer's language.", []string{"language"}, nil)

// ticketsCollector asks the store at scrape time: the count lives in the
// store (shared by replicas), not in this process.
type ticketsCollector struct {
	count func(ctx context.Context) (map[string]int, error)
}

func (c *ticketsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- ticketsDesc }

func (c *ticketsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.count(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(ticketsDesc, err)
		return
	}
	for lang, n := range counts {
		ch <- prometheus.MustNewConstMetric(ticketsDesc, prometheus.GaugeValue, float64(n), lang)
	}
}
