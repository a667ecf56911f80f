-- Journaled support relays and several support groups (issue 15).
--
-- A ticket's topic is now stored with its group: topic ids are per group,
-- so topic 2 of the Russian group and topic 2 of the Czech one are two
-- topics. Topics recorded before have topic_chat 0: the one group there
-- was then (the bot reads them as its default group's).
ALTER TABLE tickets ADD COLUMN topic_chat INTEGER NOT NULL DEFAULT 0;
DROP INDEX tickets_by_topic;
CREATE UNIQUE INDEX tickets_by_topic ON tickets (topic_chat, topic_id) WHERE topic_id <> 0;
-- When the customer last wrote to the agents and an agent last answered
-- (nanoseconds; NULL: never): /queue shows who is waiting, and how long.
ALTER TABLE tickets ADD COLUMN last_customer_at INTEGER;
ALTER TABLE tickets ADD COLUMN last_agent_at INTEGER;
CREATE INDEX tickets_open_by_age ON tickets (created_at, id) WHERE status = 'open';

-- Deliveries now carry relays too: copies (from_chat_id, message_id),
-- topic creation and marks, posts into a ticket's topic (ticket_id: the
-- topic is looked up when the delivery is sent). The method list is a
-- CHECK, so the table is rebuilt; ids and their sequence are kept.
CREATE TABLE deliveries_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT, -- send order
    chat_id      INTEGER NOT NULL,
    proactive    INTEGER NOT NULL DEFAULT 0 CHECK (proactive IN (0, 1)),
    method       TEXT NOT NULL CHECK (method IN ('sendMessage', 'editMessageText', 'copyMessage',
                     'createForumTopic', 'editForumTopic', 'closeForumTopic', 'reopenForumTopic')),
    message_id   INTEGER NOT NULL DEFAULT 0, -- the message an edit replaces, or a copy copies
    text         TEXT NOT NULL,
    markup       TEXT NOT NULL DEFAULT '' CHECK (markup = '' OR json_valid(markup)),
    from_chat_id INTEGER NOT NULL DEFAULT 0, -- the chat a copy copies from
    ticket_id    INTEGER NOT NULL DEFAULT 0, -- the ticket whose topic it goes into
    lease_until  INTEGER NOT NULL
);
INSERT INTO deliveries_new (id, chat_id, proactive, method, message_id, text, markup, lease_until)
    SELECT id, chat_id, proactive, method, message_id, text, markup, lease_until FROM deliveries;
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'deliveries_new', seq FROM sqlite_sequence WHERE name = 'deliveries'
    AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'deliveries_new');
UPDATE sqlite_sequence SET seq = max(seq, (SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'deliveries'))
    WHERE name = 'deliveries_new';
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_by_lease ON deliveries (lease_until, id);

-- The customers' copies of agents' answers, so an agent's edit edits the
-- copy. Telegram lets a bot edit its messages for 48 hours; older rows go.
CREATE TABLE relayed_copies (
    from_chat INTEGER NOT NULL,
    from_msg  INTEGER NOT NULL,
    to_chat   INTEGER NOT NULL,
    to_msg    INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (from_chat, from_msg)
) WITHOUT ROWID;
CREATE INDEX relayed_copies_by_age ON relayed_copies (at);
