// Numbered schema migrations: append only; never edit one that has shipped. Migration n is MIGRATIONS[n - 1].
import { FIRST_PHASE_MIGRATIONS } from './migrations-first-phase.ts';

export const MIGRATIONS: readonly string[] = [
  ...FIRST_PHASE_MIGRATIONS,

  // 6: staff console — accounts, sessions, login lockout, append-only audit log
  // Session ids are stored as sha256 hashes: a copy of the database does not hand out live sessions.
  // Lockout is kept per user name (known or not), so the answer to a guessed name never tells whether it exists.
  `
  CREATE TABLE staff_accounts (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT,
    role TEXT NOT NULL CHECK (role IN ('admin','editor','handler','viewer')),
    password_hash TEXT NOT NULL,
    zalo_user_id TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    password_changed_at INTEGER NOT NULL,
    last_login_at INTEGER
  );

  CREATE TABLE staff_sessions (
    id_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX staff_sessions_account ON staff_sessions(account_id);
  CREATE INDEX staff_sessions_expires ON staff_sessions(expires_at);

  CREATE TABLE staff_login_failures (
    username TEXT PRIMARY KEY COLLATE NOCASE,
    failures INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0
  );

  -- Append-only: every login, status change, export, post change and account change. Triggers refuse edits.
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    actor_kind TEXT NOT NULL CHECK (actor_kind IN ('staff','token','cli','anonymous')),
    role TEXT,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT,
    ip TEXT
  );
  CREATE INDEX audit_log_at ON audit_log(at);
  CREATE INDEX audit_log_action ON audit_log(action, at);
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

  -- The dashboard and reports count messages by time.
  CREATE INDEX inbox_received ON inbox(received_at);
  `,

  // 7: the outbox worker walks pending rows in id order. With only (status, next_attempt_at, id), SQLite sorted every
  // due row (and ran the per-user check on each) for every claim, which grew with the backlog.
  `
  CREATE INDEX outbox_pending_order ON outbox(id, next_attempt_at) WHERE status = 'pending';
  `,

  // 8: login throttling keyed by (account, address), by address and by account instead of by user name alone (a
  // stranger could lock anyone out), and the Zalo ids staff register as their own (the only preview targets).
  `
  CREATE TABLE staff_login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0
  );
  DROP TABLE staff_login_failures;

  CREATE TABLE staff_zalo_ids (
    account_id INTEGER NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    zalo_user_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, zalo_user_id)
  );
  CREATE INDEX staff_zalo_ids_user ON staff_zalo_ids(zalo_user_id);
  `,

  // 9: erasure masks phone/CCCD/email numbers that staff quoted in history notes and replies. History stays
  // append-only for live petitions; once a petition is anonymised, only its lines' note and reply may change (to their
  // masked text), nothing else about them.
  `
  DROP TRIGGER petition_history_no_update;
  CREATE TRIGGER petition_history_no_update BEFORE UPDATE ON petition_history
    WHEN NEW.id IS NOT OLD.id OR NEW.petition_id IS NOT OLD.petition_id OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor
      OR NEW.from_status IS NOT OLD.from_status OR NEW.to_status IS NOT OLD.to_status
      OR (SELECT anonymized_at FROM petitions WHERE id = OLD.petition_id) IS NULL
    BEGIN SELECT RAISE(ABORT, 'petition history is append-only'); END;
  `,

  // 10: outbox status 'unknown' (Zalo may or may not have delivered: a timeout, a reset, a crash mid-send) and what
  // settling it needs. SQLite cannot change a CHECK constraint, so the table is rebuilt.
  // chunks_sent: parts of a long text Zalo confirmed (a retry resumes after them, never resends part 1);
  // resend_at: when an 'unknown' row is read back / resent (NULL = no resend left); resent: its one resend is used;
  // uncertain_since: when the uncertain attempt started (a read-back only trusts copies from then on).
  // zalo_tokens.refresh_unknown_*: a refresh got no answer, so the refresh token may have been spent (never reused).
  `
  CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY,
    dedupe_key TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT 'reply',
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sending','sent','failed','held','unknown')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error_code INTEGER,
    last_error TEXT,
    zalo_message_id TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    chunks_sent INTEGER NOT NULL DEFAULT 0,
    resend_at INTEGER,
    resent INTEGER NOT NULL DEFAULT 0,
    uncertain_since INTEGER
  );
  INSERT INTO outbox_new (id, dedupe_key, user_id, payload, purpose, status, attempts, next_attempt_at, last_error_code, last_error, zalo_message_id, created_at, sent_at)
    SELECT id, dedupe_key, user_id, payload, purpose, status, attempts, next_attempt_at, last_error_code, last_error, zalo_message_id, created_at, sent_at FROM outbox;
  DROP TABLE outbox;
  ALTER TABLE outbox_new RENAME TO outbox;
  CREATE INDEX outbox_due ON outbox(status, next_attempt_at, id);
  CREATE INDEX outbox_user ON outbox(user_id, status, id);
  CREATE INDEX outbox_pending_order ON outbox(id, next_attempt_at) WHERE status = 'pending';
  CREATE INDEX outbox_resend_due ON outbox(resend_at) WHERE status = 'unknown' AND resend_at IS NOT NULL;

  ALTER TABLE zalo_tokens ADD COLUMN refresh_unknown_at INTEGER;
  ALTER TABLE zalo_tokens ADD COLUMN refresh_unknown_reason TEXT;
  `,

  // 11: the citizen's own commune or ward (content/units/<id>.yaml), remembered once said, and when the bot asked for
  // it (it asks once). Removed by the units feature's erasure hook.
  `
  CREATE TABLE user_units (
    user_id TEXT PRIMARY KEY,
    unit_id TEXT,
    asked_at INTEGER,
    set_at INTEGER
  );
  `,
];
