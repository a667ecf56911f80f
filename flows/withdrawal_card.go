package flows

import (
	"time"

	"paydesk/locales"
	"paydesk/store"
)

// The words and screens of a withdrawal, shared by the card a customer
// opens and the nudge the periodic job sends.

// makeButton makes a signed button for the chat a screen goes to: Conv.Button
// in a conversation, Tick.Button bound to a chat in a job.
type makeButton func(label Msg, action string, args ...int64) Button

func amountOf(w store.Withdrawal) locales.Money {
	return locales.Money{Minor: w.Amount, Currency: w.Currency}
}

// statusOf is the stage in the product's words ("На одобрении").
func statusOf(stage store.WithdrawalStage) Msg { return M("withdrawal.status." + string(stage)) }

// businessDays is "3 рабочих дня", "3 pracovní dny", "3 business days".
func businessDays(n int) Msg { return M("withdrawal.bdays").N(n) }

// waitingLabel is the escalation button, "Ожидание более N дней?", with N
// the limit of the stage.
func waitingLabel(k wdClock) Msg { return M("withdrawal.waiting").N(k.limit) }

// waitingButton is the escalation button of a stuck withdrawal.
func waitingButton(b makeButton, k wdClock) Button {
	return b(waitingLabel(k), actWithdrawalEscalate, k.w.ID)
}

// listItem is a withdrawal's button in the list; a stuck one is marked.
func listItem(k wdClock) Msg {
	id := "withdrawal.list_item"
	if k.stuck() {
		id = "withdrawal.list_item_stuck"
	}
	return M(id, "Amount", amountOf(k.w), "Method", k.w.Method, "Status", statusOf(k.w.Stage))
}

// withdrawalCard is the card: what and where, the stage timeline, what to
// expect, and either the escalation button or when it would appear.
func withdrawalCard(c *Conv, k wdClock) Screen {
	w := k.w
	s := Screen{Body: []Msg{
		M("withdrawal.card", "Amount", amountOf(w), "Method", w.Method, "Provider", k.provider.Name, "Status", statusOf(w.Stage)),
		lines(timeline(k)),
	}}
	switch {
	case k.stuck():
		s.Body = append(s.Body, stageTimes(k), atDeadline("withdrawal.overdue", k))
		s.Inline = append(s.Inline, []Button{waitingButton(c.Button, k)})
	case k.open:
		s.Body = append(s.Body, stageTimes(k), expectation(c.Now, k), atDeadline("withdrawal.button_later", k))
	case w.Stage == store.StageReceived:
		s.Body = append(s.Body, M("withdrawal.received_note"))
		s.Inline = append(s.Inline, []Button{c.Button(M("menu.support"), actSupport)})
	case w.Stage == store.StageRejected:
		s.Body = append(s.Body, M("withdrawal.rejected_note"))
		s.Inline = append(s.Inline, []Button{c.Button(M("menu.support"), actSupport)})
	}
	s.Inline = append(s.Inline, BackRow(c, actWithdrawals))
	return s
}

// atDeadline is a message about the moment the button appears: "by 25
// November, 12:00", or, when that moment is a midnight (the stage began on a
// day off, so it ends with a business day), "by the end of 24 November"
// rather than "by 25 November, 0:00".
func atDeadline(id string, k wdClock) Msg {
	d := k.deadline.In(k.loc)
	if d.Equal(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, k.loc)) {
		return M(id+"_eod", "Day", date(d.AddDate(0, 0, -1), k.loc), "Button", waitingLabel(k))
	}
	return M(id, "When", dateTime(d, k.loc), "Button", waitingLabel(k))
}

// stageTimes says how long the current stage takes: the tier's approval
// period, or the provider's average and maximum.
func stageTimes(k wdClock) Msg {
	if k.w.Stage == store.StageApproval {
		return M("withdrawal.approval_limit").N(k.limit)
	}
	if k.provider.AvgDays == 0 {
		return M("withdrawal.provider_times_minutes", "Provider", k.provider.Name, "Max", businessDays(k.provider.MaxDays))
	}
	return M("withdrawal.provider_times", "Provider", k.provider.Name,
		"Avg", businessDays(k.provider.AvgDays), "Max", businessDays(k.provider.MaxDays))
}

// expectation says when the money comes: usually and at the latest, or
// only the latest when the usual date has passed or is the same.
func expectation(now time.Time, k wdClock) Msg {
	y, m, d := now.In(k.loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, k.loc)
	if k.usual.Before(today) || k.usual.Equal(k.latest) {
		return M("withdrawal.expect_latest", "Latest", date(k.latest, k.loc))
	}
	return M("withdrawal.expect", "Usual", date(k.usual, k.loc), "Latest", date(k.latest, k.loc))
}

// timeline is one line per stage: done, current or still ahead; a rejected
// withdrawal ends with the rejection.
func timeline(k wdClock) []Msg {
	w, provider := k.w, k.provider.Name
	entered := map[store.WithdrawalStage]time.Time{}
	for _, h := range w.History {
		entered[h.Stage] = h.At
	}
	at := func(stage store.WithdrawalStage) locales.DateTime { return dateTime(entered[stage], k.loc) }
	_, approved := entered[store.StageProcessing]
	_, received := entered[store.StageReceived]

	var out []Msg
	switch {
	case w.Stage == store.StageApproval:
		out = append(out, M("withdrawal.timeline.approval_current", "At", at(store.StageApproval)))
	case approved:
		out = append(out, M("withdrawal.timeline.approval_done", "At", at(store.StageProcessing)))
	}
	switch {
	case w.Stage == store.StageApproval:
		out = append(out, M("withdrawal.timeline.processing_next", "Provider", provider))
	case w.Stage == store.StageProcessing:
		out = append(out, M("withdrawal.timeline.processing_current", "Provider", provider, "At", at(store.StageProcessing)))
	case received:
		out = append(out, M("withdrawal.timeline.processing_done", "Provider", provider))
	}
	switch {
	case received:
		out = append(out, M("withdrawal.timeline.received_done", "At", at(store.StageReceived)))
	case w.Stage == store.StageRejected:
		out = append(out, M("withdrawal.timeline.rejected", "At", at(store.StageRejected)))
	default:
		out = append(out, M("withdrawal.timeline.received_next"))
	}
	return out
}

// lines joins messages into one paragraph, one per line.
func lines(ms []Msg) Msg {
	if len(ms) == 1 {
		return ms[0]
	}
	return M("withdrawal.lines", "Head", ms[0], "Tail", lines(ms[1:]))
}

func dateTime(t time.Time, loc *time.Location) locales.DateTime {
	return locales.DateTime{T: t, Loc: loc}
}

func date(t time.Time, loc *time.Location) locales.Date { return locales.Date{T: t, Loc: loc} }
