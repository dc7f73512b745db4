import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open.ts';
import { maskKnownPersonal } from './contact.ts';

export const PETITION_STATUSES = ['received', 'processing', 'answered', 'forwarded', 'rejected'] as const;
export type PetitionStatus = (typeof PETITION_STATUSES)[number];
export const CLOSED_STATUSES: ReadonlySet<PetitionStatus> = new Set(['answered', 'forwarded', 'rejected']);
export type PetitionKind = 'phan_anh' | 'kien_nghi';
export type PetitionTopic = 'procedure' | 'conduct' | 'other';

/** A stored petition (personal fields are null once erased). */
export interface PetitionRow {
  id: number;
  code: string;
  user_id: string | null;
  kind: PetitionKind;
  topic: PetitionTopic;
  procedure_id: string | null;
  content: string;
  language: string;
  needs_translation: number;
  name: string | null;
  phone: string | null;
  address: string | null;
  status: PetitionStatus;
  public_reply: string | null;
  consent_at: number;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  anonymized_at: number | null;
}

export interface HistoryRow {
  id: number;
  petition_id: number;
  at: number;
  actor: string;
  from_status: string | null;
  to_status: string;
  note: string | null;
  reply: string | null;
}

export interface NewPetition {
  userId: string;
  kind: PetitionKind;
  topic: PetitionTopic;
  procedureId: string | undefined;
  content: string;
  language: string;
  needsTranslation: boolean;
  name: string;
  phone: string;
  address: string;
  consentAt: number;
  attachments: { type: string; url: string }[];
}

export interface PetitionFilter {
  status?: PetitionStatus;
  /** Inclusive bounds in epoch ms. */
  from?: number;
  to?: number;
  q?: string;
  /**
   * For staff who may not see personal data (viewers): `q` matches the code, the topic, the procedure and the
   * masked text only, never the name, phone or a number typed in the text (a hit would confirm it).
   */
  maskedSearch?: boolean;
}

export interface PetitionRepository {
  /** Stores a petition, its attachments and its first history line in one transaction; returns the code. */
  create(p: NewPetition, now: number, year: number): PetitionRow;
  byCode(code: string): PetitionRow | undefined;
  countByUserSince(userId: string, since: number): number;
  list(filter: PetitionFilter, limit: number, offset: number): { rows: PetitionRow[]; total: number };
  /** Rows one at a time, oldest first, without loading them all (exports). */
  iterate(filter: PetitionFilter): IterableIterator<PetitionRow>;
  history(petitionId: number): HistoryRow[];
  attachments(petitionId: number): { type: string; url: string; created_at: number }[];
  /** Changes status and/or public reply and appends the history line, in one transaction. */
  update(
    id: number,
    change: { status: PetitionStatus; reply?: string; note?: string; actor: string; fromStatus: PetitionStatus },
    now: number,
  ): void;
  /** Erases personal fields of petitions closed before `before`; returns how many. */
  anonymizeClosedBefore(before: number, now: number): number;
  /** Erases every personal field that belongs to a Zalo user; returns how many petitions. */
  anonymizeUser(userId: string, now: number): number;
  recordPiiExport(e: { actor: string; from?: string; to?: string; status?: string; format: string; rows: number }, now: number): void;
}

/** Builds the WHERE clause of list/iterate from a filter. */
function where(filter: PetitionFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter.status) {
    parts.push('status = ?');
    params.push(filter.status);
  }
  if (filter.from !== undefined) {
    parts.push('created_at >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    parts.push('created_at <= ?');
    params.push(filter.to);
  }
  if (filter.q) {
    // LIKE with escaped wildcards: the search text is the staff member's, never SQL.
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    if (filter.maskedSearch) {
      parts.push(
        "(code LIKE ? ESCAPE '\\' OR topic LIKE ? ESCAPE '\\' OR procedure_id LIKE ? ESCAPE '\\' OR mask_known_personal(content, name, address) LIKE ? ESCAPE '\\')",
      );
      params.push(like, like, like, like);
    } else {
      parts.push("(code LIKE ? ESCAPE '\\' OR content LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')");
      params.push(like, like, like);
    }
  }
  return { sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** SQLite petitions, attachments, history and the per-year code sequence. */
export function createPetitionRepository(db: Db): PetitionRepository {
  // The masking rule is JavaScript (one pure function, property-tested): SQL calls it for viewers' searches and
  // for erasure, so the stored text is masked exactly as the masked views show it.
  db.function('mask_known_personal', { deterministic: true }, (text: unknown, name: unknown, address: unknown) =>
    typeof text === 'string' ? maskKnownPersonal(text, { name: typeof name === 'string' ? name : null, address: typeof address === 'string' ? address : null }) : text,
  );
  const nextSeq = db.prepare(
    `INSERT INTO petition_sequences (year, last) VALUES (?, 1)
     ON CONFLICT(year) DO UPDATE SET last = last + 1 RETURNING last`,
  );
  const insert = db.prepare(
    `INSERT INTO petitions (code, user_id, kind, topic, procedure_id, content, language, needs_translation, name, phone, address,
       consent_at, created_at, updated_at)
     VALUES (@code, @userId, @kind, @topic, @procedureId, @content, @language, @needsTranslation, @name, @phone, @address,
       @consentAt, @now, @now)`,
  );
  const insertAttachment = db.prepare(`INSERT INTO petition_attachments (petition_id, type, url, created_at) VALUES (?, ?, ?, ?)`);
  const insertHistory = db.prepare(
    `INSERT INTO petition_history (petition_id, at, actor, from_status, to_status, note, reply) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const byCode = db.prepare(`SELECT * FROM petitions WHERE code = ?`);
  const byId = db.prepare(`SELECT * FROM petitions WHERE id = ?`);
  const countByUser = db.prepare(`SELECT count(*) FROM petitions WHERE user_id = ? AND created_at >= ?`).pluck();
  const history = db.prepare(`SELECT * FROM petition_history WHERE petition_id = ? ORDER BY id`);
  const attachments = db.prepare(`SELECT type, url, created_at FROM petition_attachments WHERE petition_id = ? ORDER BY id`);
  const setStatus = db.prepare(
    `UPDATE petitions SET status = @status, public_reply = coalesce(@reply, public_reply), updated_at = @now,
       closed_at = CASE WHEN @closed THEN coalesce(closed_at, @now) ELSE NULL END WHERE id = @id`,
  );
  // Free text goes with the fields: numbers, addresses and the citizen's own name typed into it are masked
  // (computed from the old name and address before they are cleared: SET reads the row as it was).
  const eraseFields = `content = mask_known_personal(content, name, address), public_reply = mask_known_personal(public_reply, name, address),
    name = NULL, phone = NULL, address = NULL, user_id = NULL, anonymized_at = @now, updated_at = @now`;
  const closedBefore = db.prepare(`SELECT id FROM petitions WHERE closed_at IS NOT NULL AND closed_at < ? AND anonymized_at IS NULL`).pluck();
  const eraseById = db.prepare(`UPDATE petitions SET ${eraseFields} WHERE id = @id`);
  const idsOfUser = db.prepare(`SELECT id FROM petitions WHERE user_id = ?`).pluck();
  const deleteAttachments = db.prepare(`DELETE FROM petition_attachments WHERE petition_id = ?`);
  // Staff notes and replies in the history may quote the citizen's number: masked too (the lines themselves stay).
  // Run after the petition is anonymised (the history trigger allows it only then), with its old name and address.
  const knownOf = db.prepare(`SELECT name, address FROM petitions WHERE id = ?`);
  const eraseHistory = db.prepare(
    `UPDATE petition_history SET note = mask_known_personal(note, @name, @address), reply = mask_known_personal(reply, @name, @address)
     WHERE petition_id = @id AND (note IS NOT mask_known_personal(note, @name, @address) OR reply IS NOT mask_known_personal(reply, @name, @address))`,
  );
  // Filtered queries differ only by which conditions are present: prepare each shape once.
  const shapes = new Map<string, Statement<unknown[]>>();
  const prepared = (sql: string) => {
    let st = shapes.get(sql);
    if (!st) {
      st = db.prepare<unknown[]>(sql);
      shapes.set(sql, st);
    }
    return st;
  };
  const piiExport = db.prepare(
    `INSERT INTO pii_exports (at, actor, range_from, range_to, status_filter, format, rows) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );

  const create = db.transaction((p: NewPetition, now: number, year: number): PetitionRow => {
    const seq = nextSeq.pluck().get(year) as number;
    const code = `PA-${year}-${String(seq).padStart(6, '0')}`;
    const info = insert.run({
      code,
      userId: p.userId,
      kind: p.kind,
      topic: p.topic,
      procedureId: p.procedureId ?? null,
      content: p.content,
      language: p.language,
      needsTranslation: p.needsTranslation ? 1 : 0,
      name: p.name,
      phone: p.phone,
      address: p.address,
      consentAt: p.consentAt,
      now,
    });
    const id = Number(info.lastInsertRowid);
    for (const a of p.attachments) insertAttachment.run(id, a.type, a.url, now);
    insertHistory.run(id, now, 'citizen', null, 'received', null, null);
    return byId.get(id) as PetitionRow;
  });

  const erase = db.transaction((ids: number[], now: number) => {
    for (const id of ids) {
      const known = knownOf.get(id) as { name: string | null; address: string | null };
      eraseById.run({ id, now });
      eraseHistory.run({ id, ...known });
      deleteAttachments.run(id);
    }
    return ids.length;
  });

  const update = db.transaction(
    (id: number, c: { status: PetitionStatus; reply?: string; note?: string; actor: string; fromStatus: PetitionStatus }, now: number) => {
      setStatus.run({ id, status: c.status, reply: c.reply ?? null, now, closed: CLOSED_STATUSES.has(c.status) ? 1 : 0 });
      insertHistory.run(id, now, c.actor, c.fromStatus, c.status, c.note ?? null, c.reply ?? null);
    },
  );

  return {
    create: (p, now, year) => create(p, now, year),
    byCode: (code) => byCode.get(code) as PetitionRow | undefined,
    countByUserSince: (userId, since) => countByUser.get(userId, since) as number,
    list(filter, limit, offset) {
      const w = where(filter);
      const total = prepared(`SELECT count(*) AS n FROM petitions ${w.sql}`).get(...w.params) as { n: number };
      const rows = prepared(`SELECT * FROM petitions ${w.sql} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`).all(...w.params, limit, offset) as PetitionRow[];
      return { rows, total: total.n };
    },
    iterate(filter) {
      const w = where(filter);
      return prepared(`SELECT * FROM petitions ${w.sql} ORDER BY created_at, id`).iterate(...w.params) as IterableIterator<PetitionRow>;
    },
    history: (id) => history.all(id) as HistoryRow[],
    attachments: (id) => attachments.all(id) as { type: string; url: string; created_at: number }[],
    update: (id, change, now) => update(id, change, now),
    anonymizeClosedBefore: (before, now) => erase(closedBefore.all(before) as number[], now),
    anonymizeUser: (userId, now) => erase(idsOfUser.all(userId) as number[], now),
    recordPiiExport: (e, now) => void piiExport.run(now, e.actor, e.from ?? null, e.to ?? null, e.status ?? null, e.format, e.rows),
  };
}
