import type { Db } from '../db/open.ts';

/** What the bot remembers about a conversation (no personal data). */
export interface ConversationState {
  /** The procedure just discussed: follow-ups such as "mất bao lâu" refer to it. */
  procedureId?: string;
  /** Procedures offered as choices ("số 2" picks the second). */
  choices?: string[];
  /** Other flows (petition intake, quiz…) keep their own step here. */
  flow?: { name: string; data: Record<string, unknown> };
}

export interface SessionStore {
  /** The state if it was updated within `maxAgeMs`. */
  get(userId: string, now: number, maxAgeMs: number): ConversationState | undefined;
  set(userId: string, state: ConversationState, now: number): void;
  clear(userId: string): void;
}

/** Per-user conversation state in SQLite, so it survives restarts. */
export function createSessionStore(db: Db): SessionStore {
  const get = db.prepare(`SELECT state, updated_at FROM conversation_state WHERE user_id = ?`);
  const set = db.prepare(
    `INSERT INTO conversation_state (user_id, state, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(user_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
  );
  const del = db.prepare(`DELETE FROM conversation_state WHERE user_id = ?`);
  return {
    get(userId, now, maxAgeMs) {
      const row = get.get(userId) as { state: string; updated_at: number } | undefined;
      if (!row || now - row.updated_at > maxAgeMs) return undefined;
      try {
        return JSON.parse(row.state) as ConversationState;
      } catch {
        return undefined;
      }
    },
    set: (userId, state, now) => void set.run(userId, JSON.stringify(state), now),
    clear: (userId) => void del.run(userId),
  };
}
