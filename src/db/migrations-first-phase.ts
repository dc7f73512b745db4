// Migrations 1–5: the first phase (platform, conversations, petitions, broadcasts, satisfaction and quiz).
// Shipped: never edit them; src/db/migrations.ts appends the later ones.
export const FIRST_PHASE_MIGRATIONS: readonly string[] = [
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
  // 3: petitions (phản ánh, kiến nghị) and multi-step conversation flows
  `
  CREATE TABLE conversation_flows (
    user_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE petition_sequences (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
  );

  CREATE TABLE petitions (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    user_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('phan_anh','kien_nghi')),
    topic TEXT NOT NULL CHECK (topic IN ('procedure','conduct','other')),
    procedure_id TEXT,
    content TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'vi',
    needs_translation INTEGER NOT NULL DEFAULT 0,
    name TEXT,
    phone TEXT,
    address TEXT,
    status TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received','processing','answered','forwarded','rejected')),
    public_reply TEXT,
    consent_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    closed_at INTEGER,
    anonymized_at INTEGER
  );
  CREATE INDEX petitions_created ON petitions(created_at);
  CREATE INDEX petitions_user ON petitions(user_id, created_at);
  CREATE INDEX petitions_status ON petitions(status, created_at);
  CREATE INDEX petitions_closed ON petitions(closed_at) WHERE anonymized_at IS NULL;

  CREATE TABLE petition_attachments (
    id INTEGER PRIMARY KEY,
    petition_id INTEGER NOT NULL REFERENCES petitions(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    url TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX petition_attachments_petition ON petition_attachments(petition_id);

  -- Append-only: who changed what, when. Triggers refuse edits and deletions.
  CREATE TABLE petition_history (
    id INTEGER PRIMARY KEY,
    petition_id INTEGER NOT NULL REFERENCES petitions(id),
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT,
    reply TEXT
  );
  CREATE INDEX petition_history_petition ON petition_history(petition_id, id);
  CREATE TRIGGER petition_history_no_update BEFORE UPDATE ON petition_history
    BEGIN SELECT RAISE(ABORT, 'petition history is append-only'); END;
  CREATE TRIGGER petition_history_no_delete BEFORE DELETE ON petition_history
    BEGIN SELECT RAISE(ABORT, 'petition history is append-only'); END;

  CREATE TABLE pii_exports (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    range_from TEXT,
    range_to TEXT,
    status_filter TEXT,
    format TEXT NOT NULL,
    rows INTEGER
  );
  `,
  // 4: broadcasts — followers, posts, deliveries
  // Followers are the users rows with is_follower = 1 (kept by the dispatcher and the follower sync); only what
  // broadcasts add lives here. Times are epoch ms; send_at is an instant, shown in APP_TIMEZONE.
  // A delivery's recipient is a follower's user id, or '*' for an article broadcast (one send to the whole audience):
  // the unique (post_id, recipient) row is the send ledger that makes every send at-most-once.
  `
  CREATE TABLE broadcast_opt_outs (
    user_id TEXT PRIMARY KEY,
    opted_out_at INTEGER NOT NULL
  );

  CREATE TABLE follower_tags (
    user_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, tag)
  );
  CREATE INDEX follower_tags_tag ON follower_tags(tag, user_id);

  CREATE TABLE broadcast_posts (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL CHECK (length(body) <= 2000),
    image_url TEXT,
    link_url TEXT,
    mode TEXT NOT NULL CHECK (mode IN ('message','article')),
    audience_tag TEXT,
    send_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft','scheduled','sending','sent','partially_sent','failed','missed','cancelled')),
    created_by TEXT NOT NULL,
    approved_by TEXT,
    plan_key TEXT UNIQUE,
    plan_json TEXT,
    lease_owner TEXT,
    lease_until INTEGER NOT NULL DEFAULT 0,
    resume_at INTEGER,
    audience_frozen_at INTEGER,
    article_token TEXT,
    article_id TEXT,
    last_error_code INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER
  );
  CREATE INDEX broadcast_posts_due ON broadcast_posts(status, send_at);

  CREATE TABLE broadcast_deliveries (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES broadcast_posts(id),
    recipient TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','sending','sent','failed','out_of_window','unknown','skipped','cancelled')),
    error_code INTEGER,
    error TEXT,
    zalo_message_id TEXT,
    created_at INTEGER NOT NULL,
    attempted_at INTEGER,
    finished_at INTEGER,
    UNIQUE (post_id, recipient)
  );
  CREATE INDEX broadcast_deliveries_queue ON broadcast_deliveries(post_id, status, id);

  CREATE TABLE broadcast_post_history (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES broadcast_posts(id),
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT
  );
  CREATE INDEX broadcast_post_history_post ON broadcast_post_history(post_id, id);
  `,
  // 5: satisfaction index and the CCHC quiz contest
  `
  -- Ratings carry what they concern, never who gave them.
  CREATE TABLE satisfaction_ratings (
    id INTEGER PRIMARY KEY,
    prompt_id TEXT NOT NULL UNIQUE,
    at INTEGER NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    subject TEXT NOT NULL CHECK (subject IN ('procedure','petition')),
    procedure_id TEXT,
    petition_code TEXT,
    language TEXT NOT NULL DEFAULT 'vi'
  );
  CREATE INDEX satisfaction_ratings_at ON satisfaction_ratings(at);

  -- When a user was last asked (at most once a day); erased with the user's data.
  CREATE TABLE satisfaction_prompts (
    user_id TEXT PRIMARY KEY,
    last_asked_at INTEGER NOT NULL
  );

  CREATE TABLE quiz_attempts (
    id INTEGER PRIMARY KEY,
    quiz_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    current INTEGER NOT NULL DEFAULT 0,
    score INTEGER NOT NULL DEFAULT 0,
    answers TEXT NOT NULL DEFAULT '[]',
    UNIQUE (quiz_id, user_id)
  );
  CREATE INDEX quiz_attempts_quiz ON quiz_attempts(quiz_id, finished_at);
  `,
];
