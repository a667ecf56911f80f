-- paydesk schema, version 4 (issue 4): proactive messages already sent.
--
-- A periodic job claims a row here before it sends a nudge; the primary key
-- makes the claim atomic, so a second tick, or a second replica ticking at
-- the same moment, finds the row and sends nothing. One row per kind of
-- nudge, object and stage: a withdrawal stuck first at approval and later at
-- the provider is nudged once for each.
CREATE TABLE nudges (
    kind      TEXT NOT NULL,    -- e.g. "withdrawal.stuck"
    object_id INTEGER NOT NULL, -- the withdrawal (or other object) it is about
    stage     TEXT NOT NULL,    -- the object's stage when nudged, e.g. "approval"
    at        INTEGER NOT NULL, -- when it was claimed, nanoseconds since the epoch, UTC
    PRIMARY KEY (kind, object_id, stage)
) WITHOUT ROWID;
