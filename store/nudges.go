package store

import (
	"context"
	"time"
)

// Nudges records the proactive messages already sent, so each is sent once
// even when several replicas run the periodic jobs at the same time.
type Nudges interface {
	// ClaimNudge records that the nudge n is being sent. first is true only
	// for the one call that recorded it; every later or concurrent call for
	// the same (Kind, ObjectID, Stage) gets false and must send nothing.
	ClaimNudge(ctx context.Context, n Nudge) (first bool, err error)
	// NudgeClaimed reports whether the nudge (Kind, ObjectID, Stage) was
	// claimed. A job that claims only once the nudge's message is
	// committed (flows.Tick.Nudge) asks this first.
	NudgeClaimed(ctx context.Context, n Nudge) (bool, error)
}

// Kinds of nudge that stores filter on when they list what is still due.
const (
	NudgeDisputeReminder = "dispute.reminder" // ObjectID: the return request; Stage: "refused"
)

// Nudge is one proactive message about an object at one of its stages, e.g.
// kind "withdrawal.stuck", the withdrawal's id and stage "approval". It is
// not specific to withdrawals: any job that must tell a customer something
// once per object and stage can claim its nudges here.
type Nudge struct {
	Kind     string
	ObjectID int64
	Stage    string
	At       time.Time // when it was claimed
}
