package store

import (
	"context"
	"time"
)

// Escalations is what the stuck-withdrawal nudge (issue 4) needs from
// storage: the withdrawals still on their way, and a record of the
// proactive messages already sent, so each is sent once even when several
// replicas run the periodic jobs at the same time.
type Escalations interface {
	// OpenWithdrawals lists withdrawals awaiting approval or processing with
	// an id above after, by id, at most limit of them (limit <= 0: all), so
	// a job can walk them page by page.
	OpenWithdrawals(ctx context.Context, after int64, limit int) ([]Withdrawal, error)
	// ClaimNudge records that the nudge n is being sent. first is true only
	// for the one call that recorded it; every later or concurrent call for
	// the same (Kind, ObjectID, Stage) gets false and must send nothing.
	ClaimNudge(ctx context.Context, n Nudge) (first bool, err error)
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
