-- paydesk schema, version 6: the reminders sent when a seller's refusal has
-- 24 h left to be disputed (issue 6). One row per return request: the
-- primary key is what makes a reminder go out once, whichever replica ticks.

CREATE TABLE dispute_reminders (
    return_request_id INTEGER PRIMARY KEY, -- a return request of the ledger; no foreign key (see 0001)
    sent_at           INTEGER NOT NULL
);

-- The reminder job looks for refusals inside a time window.
CREATE INDEX return_requests_refused ON return_requests (refused_at) WHERE status = 'refused';
