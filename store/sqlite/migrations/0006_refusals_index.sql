-- paydesk schema, version 6 (issue 6): the dispute reminder job looks for
-- refusals inside a time window. Reminders already sent are claimed in the
-- nudges table (0004) with kind "dispute.reminder".
CREATE INDEX return_requests_refused ON return_requests (refused_at) WHERE status = 'refused';
