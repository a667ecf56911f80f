-- Who wrote in a support group under which @username, so /assign @username
-- names the same agent on every replica, and after a restart (it was kept
-- in each process's memory). username is the lower-case key,
-- shown_username as Telegram wrote it.
CREATE TABLE agent_usernames (
    group_id       INTEGER NOT NULL,
    username       TEXT    NOT NULL,
    user_id        INTEGER NOT NULL,
    shown_username TEXT    NOT NULL,
    first_name     TEXT    NOT NULL,
    PRIMARY KEY (group_id, username)
) WITHOUT ROWID;
