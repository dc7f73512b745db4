import type { Db } from '../db/open.ts';

/** A multi-step conversation in progress (petition intake, quiz…), kept in SQLite across restarts. */
export interface Flow<T> {
  name: string;
  data: T;
  updatedAt: number;
}

export interface FlowStore {
  /** The user's flow if it was touched within `maxAgeMs`; an older one is dropped. */
  get<T>(userId: string, now: number, maxAgeMs: number): Flow<T> | undefined;
  set<T>(userId: string, name: string, data: T, now: number): void;
  clear(userId: string): void;
}

/** SQLite-backed flow store (one flow per user at a time). */
export function createFlowStore(db: Db): FlowStore {
  const get = db.prepare(`SELECT name, data, updated_at FROM conversation_flows WHERE user_id = ?`);
  const set = db.prepare(
    `INSERT INTO conversation_flows (user_id, name, data, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(user_id) DO UPDATE SET name = excluded.name, data = excluded.data, updated_at = excluded.updated_at`,
  );
  const del = db.prepare(`DELETE FROM conversation_flows WHERE user_id = ?`);
  return {
    get<T>(userId: string, now: number, maxAgeMs: number) {
      const row = get.get(userId) as { name: string; data: string; updated_at: number } | undefined;
      if (!row) return undefined;
      if (now - row.updated_at > maxAgeMs) {
        del.run(userId);
        return undefined;
      }
      try {
        return { name: row.name, data: JSON.parse(row.data) as T, updatedAt: row.updated_at };
      } catch {
        del.run(userId);
        return undefined;
      }
    },
    set: (userId, name, data, now) => void set.run(userId, name, JSON.stringify(data), now),
    clear: (userId) => void del.run(userId),
  };
}

/** A flow untouched for a day is dropped (a petition intake left half way, for example). */
export const FLOW_TTL_MS = 24 * 3600_000;
