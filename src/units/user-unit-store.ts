import type { Db } from '../db/open.ts';

/** What the bot knows of a citizen's own commune or ward (migration 11). */
export interface UserUnit {
  /** The unit they said they live in (content/units/<id>.yaml), if any. */
  unitId: string | undefined;
  /** When the bot asked them for it (it asks once), if it did and no answer came yet. */
  askedAt: number | undefined;
}

export interface UserUnitStore {
  get(userId: string): UserUnit;
  /** Remembers the unit (clears the pending question). */
  set(userId: string, unitId: string, now: number): void;
  /** Marks that the bot asked; `forget` also drops the unit remembered ("tôi ở xã khác"). */
  asked(userId: string, now: number, forget?: boolean): void;
  /** Erasure: everything about the user. */
  clear(userId: string): void;
}

export function createUserUnitStore(db: Db): UserUnitStore {
  const get = db.prepare(`SELECT unit_id, asked_at FROM user_units WHERE user_id = ?`);
  const set = db.prepare(
    `INSERT INTO user_units (user_id, unit_id, asked_at, set_at) VALUES (?, ?, NULL, ?)
     ON CONFLICT(user_id) DO UPDATE SET unit_id = excluded.unit_id, asked_at = NULL, set_at = excluded.set_at`,
  );
  const asked = db.prepare(
    `INSERT INTO user_units (user_id, unit_id, asked_at, set_at) VALUES (?, NULL, ?, NULL)
     ON CONFLICT(user_id) DO UPDATE SET asked_at = excluded.asked_at, unit_id = CASE WHEN ? THEN NULL ELSE unit_id END`,
  );
  const del = db.prepare(`DELETE FROM user_units WHERE user_id = ?`);
  return {
    get(userId) {
      const row = get.get(userId) as { unit_id: string | null; asked_at: number | null } | undefined;
      return { unitId: row?.unit_id ?? undefined, askedAt: row?.asked_at ?? undefined };
    },
    set: (userId, unitId, now) => void set.run(userId, unitId, now),
    asked: (userId, now, forget = false) => void asked.run(userId, now, forget ? 1 : 0),
    clear: (userId) => void del.run(userId),
  };
}
