-- Telegram I/O (issue 3): replies owed to chats, and chats that blocked the bot.

-- Rendered messages a handled update or a tick owes a chat, stored with the
-- update's effects and deleted once sent. A row whose lease ran out was
-- left behind by a crashed or stuck sender and is sent again.
CREATE TABLE deliveries (
    -- AUTOINCREMENT: an id is never reused, so a sender that still holds a
    -- sent delivery's id cannot mistake a new delivery for it.
    id          INTEGER PRIMARY KEY AUTOINCREMENT, -- send order
    chat_id     INTEGER NOT NULL,
    proactive   INTEGER NOT NULL DEFAULT 0 CHECK (proactive IN (0, 1)),
    method      TEXT NOT NULL CHECK (method IN ('sendMessage', 'editMessageText')),
    message_id  INTEGER NOT NULL DEFAULT 0, -- the message an edit replaces
    text        TEXT NOT NULL,
    markup      TEXT NOT NULL DEFAULT '' CHECK (markup = '' OR json_valid(markup)),
    lease_until INTEGER NOT NULL
);
CREATE INDEX deliveries_by_lease ON deliveries (lease_until, id);

-- Chats whose user blocked the bot (Telegram answered 403); a message from
-- the chat removes the row.
CREATE TABLE blocked_chats (
    chat_id INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL
);
