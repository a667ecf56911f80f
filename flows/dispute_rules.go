package flows

import (
	"time"

	"paydesk/store"
)

// The rules of disputing a seller's refusal (seed: "Вы можете оспорить
// решение продавца в течение 3 дней после отказа").

const (
	// DisputeWindow is how long after a refusal it can be disputed: 72
	// hours of real time, not three calendar days in some zone, so a DST
	// change or the customer's zone never moves the deadline.
	DisputeWindow = 72 * time.Hour
	// DisputeReminderLead is how long before the deadline the customer is
	// reminded.
	DisputeReminderLead = 24 * time.Hour

	// maxDisputeText is the longest description accepted, in characters.
	maxDisputeText = 1000
	// maxDisputePhotos is how many photos a dispute can carry.
	maxDisputePhotos = 5
)

// DisputeDeadline is the instant the dispute window of a refusal closes;
// a refusal can be disputed strictly before it.
func DisputeDeadline(r store.ReturnRequest) time.Time { return r.RefusedAt.Add(DisputeWindow) }

// CanDispute reports whether the customer may dispute the request at now:
// the seller refused it, nobody disputed it yet, and the window is open.
// A request with a dispute on record (disputed) cannot be disputed again.
func CanDispute(r store.ReturnRequest, disputed bool, now time.Time) bool {
	return r.Status == store.ReturnRefused && !disputed && !r.RefusedAt.IsZero() && now.Before(DisputeDeadline(r))
}

// disputeReasons are the reasons a customer can give, in the order the
// buttons show them; a button carries the index.
var disputeReasons = []string{"not_as_described", "damaged", "wrong_item", "reason_untrue", "other"}
