package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Run says what to drive and how.
type Run struct {
	Hook     string // the webhook URL
	Secret   string // X-Telegram-Bot-Api-Secret-Token
	API      *FakeAPI
	Chats    []int64 // the virtual customers' chats, linked beforehand
	Script   Script
	Duration time.Duration // measured time, after Warmup
	Warmup   time.Duration
	// Rate > 0 is an open loop: updates a second over all customers, each
	// sent to a customer whose previous step is done. 0 is a closed loop:
	// every customer does its next step as soon as the last one was answered.
	Rate float64
	// ReplyTimeout is how long a customer waits for a reply (default 30 s).
	ReplyTimeout time.Duration
}

// customer is one virtual customer: its chat and the last reply it saw.
type customer struct {
	chat    int64
	replies <-chan Reply
	rng     *rand.Rand
	section int
	step    int
	markup  string // of the last reply with buttons
	msgID   int    // of that reply
	sent    int    // messages sent, for their ids
}

type driver struct {
	run      Run
	client   *http.Client
	updateID atomic.Int64
	rec      *recorder
}

// Drive runs the customers until the duration is over and returns the
// figures of the measured part.
func Drive(ctx context.Context, r Run) (Result, error) {
	if r.ReplyTimeout <= 0 {
		r.ReplyTimeout = 30 * time.Second
	}
	d := &driver{run: r, client: &http.Client{Timeout: time.Minute, Transport: &http.Transport{
		MaxIdleConns: len(r.Chats) + 64, MaxIdleConnsPerHost: len(r.Chats) + 64, IdleConnTimeout: time.Minute}}}
	d.updateID.Store(time.Now().UnixNano() / 1e6 % 1e12) // fresh ids on a reused database
	customers := make([]*customer, len(r.Chats))
	for i, chat := range r.Chats {
		customers[i] = &customer{chat: chat, replies: r.API.Listen(chat), rng: rand.New(rand.NewPCG(uint64(chat), 14))}
	}
	d.rec = newRecorder()
	measure := time.Now().Add(r.Warmup)
	end := measure.Add(r.Duration)
	ctx, cancel := context.WithDeadline(ctx, end)
	defer cancel()
	go func() {
		select {
		case <-time.After(time.Until(measure)):
			d.rec.start()
		case <-ctx.Done():
		}
	}()
	var wg sync.WaitGroup
	if r.Rate > 0 {
		d.openLoop(ctx, customers, &wg)
	} else {
		for _, c := range customers {
			wg.Go(func() {
				for ctx.Err() == nil {
					d.step(ctx, c)
				}
			})
		}
	}
	<-ctx.Done()
	res := d.rec.stop()
	wg.Wait()
	if res.Updates == 0 {
		return res, errors.New("no update was answered in the measured time; see the errors above")
	}
	return res, nil
}

// openLoop starts a step every 1/Rate on the customer idle the longest.
func (d *driver) openLoop(ctx context.Context, customers []*customer, wg *sync.WaitGroup) {
	idle := make(chan *customer, len(customers))
	for _, c := range customers {
		idle <- c
	}
	every := time.Duration(float64(time.Second) / d.run.Rate)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		select {
		case c := <-idle:
			wg.Go(func() {
				d.step(ctx, c)
				idle <- c
			})
		default:
			d.rec.missed() // every customer is still waiting: the bot is behind the rate
		}
	}
}

// step does a customer's next step and records how long its reply took.
func (d *driver) step(ctx context.Context, c *customer) {
	c.drain()
	sec := d.run.Script[c.section%len(d.run.Script)]
	st := sec[c.step]
	c.step++
	if c.step == len(sec) {
		c.section, c.step = c.section+1, 0
	}
	var body []byte
	id := d.updateID.Add(1)
	if st.Press != "" {
		data, ok := pick(c.markup, st.Press, c.rng)
		if !ok {
			d.rec.diverged()
			st = Step{Text: "/start"}
			if c.step != 0 { // go on with the next section from the menu
				c.section, c.step = c.section+1, 0
				if next := d.run.Script[c.section%len(d.run.Script)]; next[0].Text == "/start" {
					c.step = 1
				}
			}
		} else {
			body, _ = json.Marshal(pressUpdate(id, c.chat, c.msgID, data))
		}
	}
	if body == nil {
		c.sent++
		body, _ = json.Marshal(textUpdate(id, c.chat, c.sent, st.Text))
	}
	t0 := time.Now()
	// An update posted is seen through, even when the run ends meanwhile:
	// cutting it short would only make the bot log a redelivery.
	if err := d.post(context.WithoutCancel(ctx), body); err != nil {
		d.rec.failed(err)
		return
	}
	timeout := time.NewTimer(d.run.ReplyTimeout)
	defer timeout.Stop()
	select {
	case rep := <-c.replies:
		c.apply(rep)
		d.rec.answered(rep.At.Sub(t0))
	case <-timeout.C:
		d.rec.failed(fmt.Errorf("chat %d: no reply within %v", c.chat, d.run.ReplyTimeout))
	case <-ctx.Done():
	}
}

func (d *driver) post(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.run.Hook, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", d.run.Secret)
	resp, err := d.client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("webhook answered %s", resp.Status)
	}
	return nil
}

// drain takes in replies that came after the one a step waited for.
func (c *customer) drain() {
	for {
		select {
		case rep := <-c.replies:
			c.apply(rep)
		default:
			return
		}
	}
}

func (c *customer) apply(rep Reply) {
	if rep.Markup != "" && rep.Markup != "null" {
		c.markup, c.msgID = rep.Markup, rep.MessageID
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
