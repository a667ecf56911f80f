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
	// claimed. flows.Tick.Nudge, whose claim is now its message's delivery
	// key (Journal.DeliveryKeyed), asks this too, for the nudges claimed
	// here by versions before that.
	NudgeClaimed(ctx context.Context, n Nudge) (bool, error)

	// The nudge schedule: when a job is to look at an object next, so a
	// tick reads only what has come due, not every object it tracks.
	// Entries are identified by (Kind, ObjectID, Stage), as claims are.
	//
	// ScheduleNudges stores each entry, replacing the Due of one stored
	// with its identity. DueNudges lists the entries of kind with Due <=
	// now, by Due, then ObjectID, then Stage, at most limit (<= 0: all); it
	// removes nothing. UnscheduleNudges removes each entry that is still
	// stored with the Due given, so an entry scheduled again in between
	// (a chat linked meanwhile) stays; removing one not stored is not an
	// error. A store may keep Due to the millisecond, rounded up: an entry
	// is never listed before its Due.
	ScheduleNudges(ctx context.Context, list ...ScheduledNudge) error
	DueNudges(ctx context.Context, kind string, now time.Time, limit int) ([]ScheduledNudge, error)
	UnscheduleNudges(ctx context.Context, list ...ScheduledNudge) error
}

// ScheduledNudge is an entry of the nudge schedule: the nudge (Kind,
// ObjectID, Stage) is to be looked at again from Due on.
type ScheduledNudge struct {
	Kind     string
	ObjectID int64
	Stage    string
	Due      time.Time
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
