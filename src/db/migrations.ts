// Numbered schema migrations: append only; never edit one that has shipped.
export const MIGRATIONS: readonly string[] = [
  // 1: platform — inbox, outbox, users, tokens, key/value state
  `
  CREATE TABLE inbox (
    id INTEGER PRIMARY KEY,
    event_key TEXT NOT NULL UNIQUE,
    event_name TEXT NOT NULL,
    user_id TEXT,
    payload TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','done','failed','ignored')),
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    processed_at INTEGER
  );
  CREATE INDEX inbox_pending ON inbox(status, id);

  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    dedupe_key TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT 'reply',
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sending','sent','failed','held')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error_code INTEGER,
    last_error TEXT,
    zalo_message_id TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
  );
  CREATE INDEX outbox_due ON outbox(status, next_attempt_at, id);
  CREATE INDEX outbox_user ON outbox(user_id, status, id);

  CREATE TABLE users (
    user_id TEXT PRIMARY KEY,
    first_seen_at INTEGER NOT NULL,
    last_interaction_at INTEGER,
    is_follower INTEGER NOT NULL DEFAULT 0,
    followed_at INTEGER,
    unfollowed_at INTEGER,
    display_name TEXT,
    language TEXT
  );

  CREATE TABLE zalo_tokens (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    access_token TEXT NOT NULL,
    refresh_token TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    refreshed_at INTEGER,
    needs_reauth INTEGER NOT NULL DEFAULT 0,
    reauth_reason TEXT,
    lock_owner TEXT,
    lock_until INTEGER NOT NULL DEFAULT 0
  );

  CREATE TABLE app_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  // 2: conversations — per-user state, unanswered questions, anonymous question log
  `
  CREATE TABLE conversation_state (
    user_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE unanswered_questions (
    normalized TEXT PRIMARY KEY,
    count INTEGER NOT NULL DEFAULT 1,
    first_seen_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
  );
  CREATE INDEX unanswered_count ON unanswered_questions(count DESC);

  CREATE TABLE question_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    intent TEXT NOT NULL,
    procedure_id TEXT
  );
  CREATE INDEX question_log_at ON question_log(at);
  `,
  // 3: petitions (phản ánh, kiến nghị)
  ``,
  // 4: broadcasts — followers, posts, deliveries
  ``,
];
