package flows

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"paydesk/store"
)

// The dispute form: reason -> own words -> photos -> summary -> send. Its
// state lives in the session (so it survives a restart between any two
// steps); the dispute is recorded only by "Send", once. "Back" goes one
// step back keeping what was typed (from the reason step, back to the
// card); "Cancel", and /cancel typed in the form, leave it, and ask first
// when a description or photos would be lost. The menu leaves it at once,
// with nothing recorded.

const (
	flowDispute        = "dispute"
	stepDisputeReason  = "reason"
	stepDisputeText    = "text"
	stepDisputePhotos  = "photos"
	stepDisputeConfirm = "confirm"
	// stepDisputeLate keeps a form that missed the deadline until the
	// customer takes it to support or leaves.
	stepDisputeLate = "late"

	keyDisputeReturn = "rr"     // the return request disputed, decimal id
	keyDisputeReason = "reason" // a code of disputeReasons
	keyDisputeText   = "text"   // the customer's words, as given
	keyDisputePhotos = "photos" // photo file ids, one per line
)

func registerDisputeForm(r *Router) {
	r.Action(actDisputeStart, RequireCustomer(disputeStart))
	r.Action(actDisputeReason, RequireCustomer(disputeReason))
	r.Action(actDisputeDone, RequireCustomer(disputeDone))
	r.Action(actDisputeConfirm, RequireCustomer(disputeConfirm))
	r.Action(actDisputeBack, RequireCustomer(disputeBack))
	r.Action(actDisputeCancel, RequireCustomer(disputeCancel))
	r.Action(actDisputeDrop, RequireCustomer(func(c *Conv, a Action) error {
		return withReturn(c, a.Arg(0), func(v returnView) error {
			leaveForm(c, v)
			return nil
		})
	}))
	r.Action(actDisputeResume, RequireCustomer(func(c *Conv, a Action) error {
		return withFormAction(c, a, formSteps, func(v returnView) error {
			c.Show(returnNav(c, formScreen(c, v)))
			return nil
		})
	}))
	r.Action(actDisputeKeep, RequireCustomer(func(c *Conv, a Action) error {
		return withFormAction(c, a, []string{stepDisputeText}, func(v returnView) error {
			if c.Get(keyDisputeText) == "" {
				c.Show(returnNav(c, formScreen(c, v)))
				return nil
			}
			c.Step(stepDisputePhotos)
			c.Show(returnNav(c, formScreen(c, v)))
			return nil
		})
	}))
	r.Cancel(flowDispute, slashCancelForm)
	r.Input(flowDispute, stepDisputeReason, func(c *Conv) error {
		return withForm(c, func(v returnView) error {
			c.Show(returnNotice(M("dispute.choose_reason"), reasonPicker(c, v.r)))
			return nil
		})
	})
	r.Input(flowDispute, stepDisputeLate, func(c *Conv) error {
		return withForm(c, func(v returnView) error { return nil }) // the deadline has passed: closeForm answers
	})
	r.Input(flowDispute, stepDisputeText, disputeText)
	r.Input(flowDispute, stepDisputePhotos, disputePhoto)
	r.Input(flowDispute, stepDisputeConfirm, func(c *Conv) error {
		return withForm(c, func(v returnView) error {
			c.Show(returnNotice(M("dispute.form.confirm_first"), disputeSummary(c, v.r)))
			return nil
		})
	})
}

// formSteps are the form's steps in order; "Back" goes to the one before.
var formSteps = []string{stepDisputeReason, stepDisputeText, stepDisputePhotos, stepDisputeConfirm}

// disputeBack goes one step back, keeping what was typed; from the first
// step it leaves the form for the card, as Cancel does.
func disputeBack(c *Conv, a Action) error {
	return withFormAction(c, a, formSteps, func(v returnView) error {
		i := slices.Index(formSteps, c.Session.Step)
		if i <= 0 {
			return cancelForm(c, v)
		}
		c.Step(formSteps[i-1])
		c.Show(returnNav(c, formScreen(c, v)))
		return nil
	})
}

// disputeCancel leaves the form, after asking when it holds work.
func disputeCancel(c *Conv, a Action) error {
	return withFormAction(c, a, formSteps, func(v returnView) error { return cancelForm(c, v) })
}

// slashCancelForm is /cancel typed in the form: the Cancel button's
// question when something typed would be lost (Continue keeps the form at
// its step), otherwise the chat leaves for the menu as /cancel does
// anywhere.
func slashCancelForm(c *Conv) error {
	if !slices.Contains(formSteps, c.Session.Step) || (c.Get(keyDisputeText) == "" && c.Get(keyDisputePhotos) == "") {
		return leaveCancelled(c)
	}
	return withForm(c, func(v returnView) error { return cancelForm(c, v) })
}

// cancelForm leaves the form at once when nothing would be lost, and asks
// first when the customer has written a description or added photos.
func cancelForm(c *Conv, v returnView) error {
	if c.Get(keyDisputeText) == "" && c.Get(keyDisputePhotos) == "" {
		leaveForm(c, v)
		return nil
	}
	c.Show(returnNav(c, Screen{
		Body: []Msg{M("dispute.form.cancel_ask")},
		Inline: [][]Button{
			{c.Button(M("dispute.form.cancel_yes"), actDisputeDrop, v.r.ID)},
			{c.Button(M("dispute.form.cancel_no"), actDisputeResume, v.r.ID)},
		},
	}))
	return nil
}

// leaveForm drops the form, if it is open for this request, and shows the card.
func leaveForm(c *Conv, v returnView) {
	if c.Session.Flow == flowDispute && c.Get(keyDisputeReturn) == strconv.FormatInt(v.r.ID, 10) {
		c.Leave()
	}
	c.Show(returnNav(c, returnNotice(M("common.cancelled"), returnCard(c, v))))
}

// formScreen is the screen of the step the form is at, with what was
// typed so far.
func formScreen(c *Conv, v returnView) Screen {
	switch c.Session.Step {
	case stepDisputeText:
		return askDisputeText(c, v.r.ID)
	case stepDisputePhotos:
		return photoStep(c, v.r.ID)
	case stepDisputeConfirm:
		return disputeSummary(c, v.r)
	}
	return reasonPicker(c, v.r)
}

// disputeStart opens the form at the reason step.
func disputeStart(c *Conv, a Action) error {
	return openForm(c, a.Arg(0), stepDisputeReason, func(v returnView) Screen { return reasonPicker(c, v.r) })
}

// disputeReason takes the chosen reason and asks for the customer's words.
// The button carries everything it needs, so a reason pressed on an older
// picker (after /cancel, say) starts the form again from there.
func disputeReason(c *Conv, a Action) error {
	i := a.Arg(1)
	if i < 0 || i >= int64(len(disputeReasons)) {
		return refuseButton(c)
	}
	if c.Session.Flow == flowDispute && c.Get(keyDisputeReturn) == strconv.FormatInt(a.Arg(0), 10) {
		// The form is open for this request (the customer came back to
		// the reason): change the reason, keep the rest.
		return withFormAction(c, a, formSteps, func(v returnView) error {
			c.Set(keyDisputeReason, disputeReasons[i])
			c.Step(stepDisputeText)
			c.Show(returnNav(c, askDisputeText(c, v.r.ID)))
			return nil
		})
	}
	return openForm(c, a.Arg(0), stepDisputeText, func(v returnView) Screen {
		c.Set(keyDisputeReason, disputeReasons[i])
		return askDisputeText(c, v.r.ID)
	})
}

// openForm starts the form for request id at step, with fresh data, and
// shows what next returns, if the request can still be disputed; otherwise
// the card says why not.
func openForm(c *Conv, id int64, step string, next func(returnView) Screen) error {
	return withReturn(c, id, func(v returnView) error {
		if !v.canDispute(c.Now) {
			closeForm(c, v)
			return nil
		}
		c.Goto(flowDispute, step)
		c.Set(keyDisputeReturn, strconv.FormatInt(v.r.ID, 10))
		c.Show(returnNav(c, next(v)))
		return nil
	})
}

// closeForm leaves the form and shows the card, which says why the request
// cannot be disputed (any more). A form the customer filled in for this
// request and did not get to send in time is not dropped silently: they are
// told it was not sent, and the card's "Talk to support" carries it to the
// agents (see lateSupport).
func closeForm(c *Conv, v returnView) {
	if c.Session.Flow == flowDispute && c.Get(keyDisputeReturn) == strconv.FormatInt(v.r.ID, 10) && c.Get(keyDisputeText) != "" {
		c.Step(stepDisputeLate)
		c.Show(returnNav(c, returnNotice(M("dispute.late.not_sent", "Deadline", returnTime(c, DisputeDeadline(v.r))), returnCard(c, v))))
		return
	}
	c.Leave()
	c.Show(returnNav(c, returnCard(c, v)))
}

// lateSupport hands off about a request whose dispute was filled in but
// not sent in time, with the form's contents on the case card.
func lateSupport(c *Conv, v returnView) error {
	reason := "dispute.handoff_reason"
	if c.Session.Flow == flowDispute && c.Session.Step == stepDisputeLate && c.Get(keyDisputeReturn) == strconv.FormatInt(v.r.ID, 10) {
		reason = "dispute.late.handoff_reason"
		c.handoffDetails = []Msg{disputeDetails("dispute.late.card", c.Get(keyDisputeReason), c.Get(keyDisputeText),
			len(disputePhotos(c.Get(keyDisputePhotos))))}
	}
	_, _, err := Handoff(c, Subject("return", v.r.ID), reason)
	return err
}

// disputeText takes the customer's own words: 1 to maxDisputeText
// characters of text, kept exactly as typed.
func disputeText(c *Conv) error {
	return withForm(c, func(v returnView) error {
		ask := askDisputeText(c, v.r.ID)
		text := c.Event.Text
		n := utf8.RuneCountInString(text)
		switch {
		case c.Event.Kind != EventText:
			c.Show(returnNotice(M("dispute.text_expected"), ask))
		case strings.TrimSpace(text) == "":
			c.Show(returnNotice(M("dispute.text_empty"), ask))
		case !strings.ContainsFunc(text, unicode.IsLetter):
			// A lone emoji or "!!!" is not the customer's own words.
			c.Show(returnNotice(M("dispute.form.text_words"), ask))
		case n > maxDisputeText:
			c.Show(returnNotice(M("dispute.text_too_long").N(n), ask))
		default:
			c.Set(keyDisputeText, text)
			c.Step(stepDisputePhotos)
			c.Show(photoStep(c, v.r.ID))
		}
		return nil
	})
}

// disputePhoto adds a photo, up to maxDisputePhotos.
func disputePhoto(c *Conv) error {
	return withForm(c, func(v returnView) error {
		photos := disputePhotos(c.Get(keyDisputePhotos))
		var m Msg
		switch {
		case c.Event.Kind == EventDocument:
			m = M("dispute.photo_as_file")
		case c.Event.Kind != EventPhoto || c.Event.FileID == "":
			m = M("dispute.photo_expected")
		case len(photos) >= maxDisputePhotos:
			m = M("dispute.photos_limit", "Max", maxDisputePhotos)
		default:
			photos = append(photos, c.Event.FileID)
			c.Set(keyDisputePhotos, joinDisputePhotos(photos))
			id := "dispute.photo_added"
			if len(photos) == maxDisputePhotos {
				id = "dispute.photo_added_last"
			}
			m = M(id, "N", len(photos), "Max", maxDisputePhotos)
		}
		c.Show(Screen{Body: []Msg{m}, Inline: photoButtons(c, v.r.ID)})
		return nil
	})
}

// disputeDone ends the photos and shows the summary to confirm.
func disputeDone(c *Conv, a Action) error {
	return withFormAction(c, a, []string{stepDisputePhotos, stepDisputeConfirm}, func(v returnView) error {
		c.Step(stepDisputeConfirm)
		c.Show(returnNav(c, disputeSummary(c, v.r)))
		return nil
	})
}

// disputeConfirm records the dispute, once. The deadline is checked again
// at this moment: a form opened in time but sent after the window closed is
// refused with the card's own words.
func disputeConfirm(c *Conv, a Action) error {
	return withFormAction(c, a, []string{stepDisputeConfirm}, func(v returnView) error {
		d := formDispute(c, v.r.ID)
		got, created, err := c.Ledger().CreateDispute(c.Context(), c.OpKey("dispute", v.r.ID), d)
		if err != nil {
			return fmt.Errorf("dispute return request %d: %w", v.r.ID, err)
		}
		c.Leave()
		notice := M("dispute.already_sent")
		switch {
		case created:
			c.Log().Info("dispute sent", "chat", c.Event.ChatID, "return_request", v.r.ID, "dispute", got.ID)
			notice = M("dispute.sent")
		case sameDispute(got, d):
			// This very form, recorded by the same press on another
			// replica at the same time: the customer pressed "Send" once
			// and is told it was sent. A second press finds the form left
			// and gets "already sent".
			notice = M("dispute.sent")
		}
		v.dispute = &got
		c.Show(returnNav(c, returnNotice(notice, returnCard(c, v))))
		return nil
	})
}

// formDispute is the dispute the open form makes.
func formDispute(c *Conv, returnRequestID int64) store.Dispute {
	return store.Dispute{
		ReturnRequestID: returnRequestID,
		Reason:          c.Get(keyDisputeReason),
		Text:            c.Get(keyDisputeText),
		PhotoFileIDs:    disputePhotos(c.Get(keyDisputePhotos)),
		Status:          store.DisputeUnderReview,
		CreatedAt:       c.Now,
	}
}

// sameDispute reports whether the stored dispute is the one the form would
// make.
func sameDispute(stored, form store.Dispute) bool {
	return stored.Reason == form.Reason && stored.Text == form.Text && slices.Equal(stored.PhotoFileIDs, form.PhotoFileIDs)
}

// withForm runs fn for free input on the request the open form disputes,
// after checking again that it is the customer's and can still be disputed;
// if it cannot, the form closes and the card says why.
func withForm(c *Conv, fn func(returnView) error) error {
	id, err := strconv.ParseInt(c.Get(keyDisputeReturn), 10, 64)
	if err != nil || c.Customer == nil {
		c.Leave()
		c.Show(withMenu(c, Text("common.expired")))
		return nil
	}
	return withReturn(c, id, func(v returnView) error {
		if !v.canDispute(c.Now) {
			closeForm(c, v)
			return nil
		}
		return fn(v)
	})
}

// withFormAction runs fn for a form button of request a.Arg(0), when the
// form is open for that request at one of steps and the request can still
// be disputed. A dispute already sent (a double tap on "Send") or a form
// that was left is said so above the card, and nothing is recorded.
func withFormAction(c *Conv, a Action, steps []string, fn func(returnView) error) error {
	return withReturn(c, a.Arg(0), func(v returnView) error {
		open := c.Session.Flow == flowDispute && c.Get(keyDisputeReturn) == strconv.FormatInt(v.r.ID, 10)
		switch {
		case v.dispute != nil:
			notice := M("dispute.already_sent")
			if open && c.Session.Step == stepDisputeConfirm && sameDispute(*v.dispute, formDispute(c, v.r.ID)) {
				// "Send" on this very form, handled again after its commit
				// was lost: the customer pressed once and is told it went.
				notice = M("dispute.sent")
			}
			if open {
				c.Leave()
			}
			c.Show(returnNav(c, returnNotice(notice, returnCard(c, v))))
		case !open || !slices.Contains(steps, c.Session.Step):
			c.Show(returnNav(c, returnNotice(M("dispute.form_closed"), returnCard(c, v))))
		case !v.canDispute(c.Now):
			closeForm(c, v)
		default:
			return fn(v)
		}
		return nil
	})
}

// reasonPicker is the first step; "Back" from it is back to the card.
func reasonPicker(c *Conv, r store.ReturnRequest) Screen {
	s := Screen{Body: []Msg{M("dispute.ask_reason", "Order", r.OrderNo, "Item", r.Item)}}
	for i, code := range disputeReasons {
		s.Inline = append(s.Inline, []Button{c.Button(M("dispute.reason_"+code), actDisputeReason, r.ID, int64(i))})
	}
	s.Inline = append(s.Inline, []Button{c.Button(M("common.back"), actDisputeBack, r.ID)})
	return s
}

// askDisputeText asks for the customer's words; a description typed
// before (the customer came back with "Back") is shown and can be kept.
func askDisputeText(c *Conv, id int64) Screen {
	s := Screen{Body: []Msg{M("dispute.ask_text").N(maxDisputeText)}}
	if text := c.Get(keyDisputeText); text != "" {
		s.Body = append(s.Body, M("dispute.form.text_kept", "Text", text))
		s.Inline = append(s.Inline, []Button{c.Button(M("dispute.form.keep_button"), actDisputeKeep, id)})
	}
	s.Inline = append(s.Inline, formNavRow(c, id))
	return s
}

// photoStep asks for photos, saying how many were added already.
func photoStep(c *Conv, id int64) Screen {
	s := Screen{Body: []Msg{M("dispute.ask_photos", "Max", maxDisputePhotos)}, Inline: photoButtons(c, id)}
	if n := len(disputePhotos(c.Get(keyDisputePhotos))); n > 0 {
		s.Body = append(s.Body, M("dispute.form.photos_kept").N(n))
	}
	return s
}

func photoButtons(c *Conv, id int64) [][]Button {
	return [][]Button{
		{c.Button(M("dispute.done_button"), actDisputeDone, id)},
		formNavRow(c, id),
	}
}

// formNavRow is "Back" (one step) and "Cancel" (leave the form).
func formNavRow(c *Conv, id int64) []Button {
	return []Button{c.Button(M("common.back"), actDisputeBack, id), c.Button(M("dispute.form.cancel_button"), actDisputeCancel, id)}
}

func disputeSummary(c *Conv, r store.ReturnRequest) Screen {
	return Screen{
		Body: []Msg{disputeDetails("dispute.summary", c.Get(keyDisputeReason), c.Get(keyDisputeText),
			len(disputePhotos(c.Get(keyDisputePhotos))), "Order", r.OrderNo, "Item", r.Item)},
		Inline: [][]Button{
			{c.Button(M("dispute.confirm_button"), actDisputeConfirm, r.ID)},
			formNavRow(c, r.ID),
		},
	}
}

// returnNotice puts a paragraph above a screen's text.
func returnNotice(m Msg, s Screen) Screen {
	s.Body = append([]Msg{m}, s.Body...)
	return s
}
