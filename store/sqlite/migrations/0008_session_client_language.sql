-- The language the chat's Telegram client reports (already matched to ru, cs
-- or en), kept so messages sent outside the conversation (a recipient's
-- request, a reminder) use it when the customer never chose one.
ALTER TABLE sessions ADD COLUMN client_language TEXT NOT NULL DEFAULT '';
