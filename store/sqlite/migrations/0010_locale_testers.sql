-- Locale testers (issue 13): their suggestions, and what their chat keeps
-- (the IDs mode and the screens shown last, as JSON: store.TesterState).
CREATE TABLE suggestions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    key         TEXT    NOT NULL UNIQUE,
    message_ids TEXT    NOT NULL, -- JSON array of message IDs
    lang        TEXT    NOT NULL,
    seen        TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    user_id     INTEGER NOT NULL,
    chat_id     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);

ALTER TABLE sessions ADD COLUMN tester TEXT NOT NULL DEFAULT '{}';
