-- Support handoff (issue 7): who has a ticket, who closed it, and the last
-- exchanges of each chat for the case card.

ALTER TABLE tickets ADD COLUMN assignee_id INTEGER NOT NULL DEFAULT 0;   -- Telegram user id; 0: unknown or nobody
ALTER TABLE tickets ADD COLUMN assignee_name TEXT NOT NULL DEFAULT '';   -- "@username" or first name; '' while nobody has it
ALTER TABLE tickets ADD COLUMN closed_by TEXT NOT NULL DEFAULT ''
    CHECK (closed_by IN ('', 'agent', 'customer', 'handback'));         -- '' while open (or closed by the plain CloseTicket)

-- The chat's most recently closed ticket (reopening within a day).
CREATE INDEX tickets_closed_by_chat ON tickets (chat_id, closed_at DESC) WHERE status = 'closed';

-- The recent conversation of each chat, bounded by the writer (AddExchanges
-- keeps the newest lines only). seq grows per chat.
CREATE TABLE exchanges (
    chat_id INTEGER NOT NULL,
    seq     INTEGER NOT NULL,
    at      INTEGER NOT NULL,
    bot     INTEGER NOT NULL CHECK (bot IN (0, 1)),
    kind    TEXT NOT NULL,
    text    TEXT NOT NULL,
    PRIMARY KEY (chat_id, seq)
) WITHOUT ROWID;
