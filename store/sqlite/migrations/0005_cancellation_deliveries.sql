-- Which chats of a transfer's recipient were sent a cancellation request, so
-- that a recipient who links the bot after the request was made still gets it
-- (once per chat) from the periodic job, and a second tick sends nothing.
CREATE TABLE cancellation_deliveries (
    request_id INTEGER NOT NULL REFERENCES cancellation_requests (id),
    chat_id    INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (request_id, chat_id)
) WITHOUT ROWID;

-- Open requests addressed to a recipient are found through the transfer.
CREATE INDEX transfers_by_recipient ON transfers (recipient_id) WHERE recipient_id IS NOT NULL;
