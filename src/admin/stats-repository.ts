import type { Db } from '../db/open.ts';

// Read-only aggregates for the dashboard and the reports. Ranges are [from, to) in epoch ms. Grouping by local
// day or month shifts instants by the zone's offset, given by the caller (APP_TIMEZONE, Vietnam: no DST).

/** Inbox events that are a citizen writing to the OA (text, image, sticker, location, file…). */
const MESSAGE_EVENTS = `event_name LIKE 'user\\_send\\_%' ESCAPE '\\'`;

/** The local day number of an inbox row. The cast matters: bound numbers arrive as REAL, and a fractional "day" would
 *  make every message its own conversation. */
const LOCAL_DAY = 'CAST((received_at + @offset) / 86400000 AS INTEGER)';

export interface CountBy {
  key: string;
  n: number;
}

export interface StatsRepository {
  messages(from: number, to: number): number;
  /** Distinct (user, local day) pairs: one person writing on one day is one conversation. */
  conversations(from: number, to: number, offsetMs: number): number;
  messagesByMonth(from: number, to: number, offsetMs: number): CountBy[];
  conversationsByMonth(from: number, to: number, offsetMs: number): CountBy[];
  /** Questions the bot answered and those it could not (intent "unknown"). */
  questions(from: number, to: number): { answered: number; unanswered: number };
  topProcedures(from: number, to: number, limit: number): CountBy[];
  unansweredTotals(): { distinct: number; total: number };
  petitionsByStatus(): CountBy[];
  overduePetitions(createdBefore: number): number;
  oldestOpenPetitions(createdBefore: number, limit: number): { code: string; status: string; created_at: number }[];
  petitionsReceivedBy(column: 'kind' | 'status' | 'topic', from: number, to: number): CountBy[];
  petitionsByMonth(from: number, to: number, offsetMs: number): CountBy[];
  /** Petitions closed in the range and the mean time from receipt to closing. */
  handling(from: number, to: number): { closed: number; averageMs: number | null };
}

/** SQLite aggregates over inbox, question log and petitions. */
export function createStatsRepository(db: Db): StatsRepository {
  const messages = db.prepare(`SELECT count(*) FROM inbox WHERE received_at >= ? AND received_at < ? AND ${MESSAGE_EVENTS}`).pluck();
  const conversations = db.prepare(
    `SELECT count(*) FROM (SELECT DISTINCT user_id, ${LOCAL_DAY} FROM inbox
       WHERE received_at >= @from AND received_at < @to AND user_id IS NOT NULL AND ${MESSAGE_EVENTS})`,
  ).pluck();
  const month = `strftime('%Y-%m', (received_at + @offset) / 1000, 'unixepoch')`;
  const messagesByMonth = db.prepare(
    `SELECT ${month} AS key, count(*) AS n FROM inbox WHERE received_at >= @from AND received_at < @to AND ${MESSAGE_EVENTS} GROUP BY key ORDER BY key`,
  );
  const conversationsByMonth = db.prepare(
    `SELECT key, count(*) AS n FROM (
       SELECT DISTINCT ${month} AS key, user_id, ${LOCAL_DAY} AS day FROM inbox
       WHERE received_at >= @from AND received_at < @to AND user_id IS NOT NULL AND ${MESSAGE_EVENTS})
     GROUP BY key ORDER BY key`,
  );
  const questions = db.prepare(
    `SELECT coalesce(sum(intent <> 'unknown'), 0) AS answered, coalesce(sum(intent = 'unknown'), 0) AS unanswered
     FROM question_log WHERE at >= ? AND at < ?`,
  );
  const topProcedures = db.prepare(
    `SELECT procedure_id AS key, count(*) AS n FROM question_log WHERE at >= ? AND at < ? AND procedure_id IS NOT NULL
     GROUP BY procedure_id ORDER BY n DESC, key LIMIT ?`,
  );
  const unansweredTotals = db.prepare(`SELECT count(*) AS distinctCount, coalesce(sum(count), 0) AS total FROM unanswered_questions`);
  const byStatus = db.prepare(`SELECT status AS key, count(*) AS n FROM petitions GROUP BY status`);
  const overdue = db.prepare(`SELECT count(*) FROM petitions WHERE status IN ('received','processing') AND created_at < ?`).pluck();
  const oldestOpen = db.prepare(
    `SELECT code, status, created_at FROM petitions WHERE status IN ('received','processing') AND created_at < ? ORDER BY created_at, id LIMIT ?`,
  );
  const receivedBy = {
    kind: db.prepare(`SELECT kind AS key, count(*) AS n FROM petitions WHERE created_at >= ? AND created_at < ? GROUP BY kind ORDER BY n DESC`),
    status: db.prepare(`SELECT status AS key, count(*) AS n FROM petitions WHERE created_at >= ? AND created_at < ? GROUP BY status ORDER BY n DESC`),
    topic: db.prepare(`SELECT topic AS key, count(*) AS n FROM petitions WHERE created_at >= ? AND created_at < ? GROUP BY topic ORDER BY n DESC`),
  };
  const petitionsByMonth = db.prepare(
    `SELECT strftime('%Y-%m', (created_at + @offset) / 1000, 'unixepoch') AS key, count(*) AS n FROM petitions
     WHERE created_at >= @from AND created_at < @to GROUP BY key ORDER BY key`,
  );
  const handling = db.prepare(`SELECT count(*) AS closed, avg(closed_at - created_at) AS averageMs FROM petitions WHERE closed_at >= ? AND closed_at < ?`);

  return {
    messages: (from, to) => messages.get(from, to) as number,
    conversations: (from, to, offset) => conversations.get({ from, to, offset }) as number,
    messagesByMonth: (from, to, offset) => messagesByMonth.all({ from, to, offset }) as CountBy[],
    conversationsByMonth: (from, to, offset) => conversationsByMonth.all({ from, to, offset }) as CountBy[],
    questions: (from, to) => questions.get(from, to) as { answered: number; unanswered: number },
    topProcedures: (from, to, limit) => topProcedures.all(from, to, limit) as CountBy[],
    unansweredTotals() {
      const r = unansweredTotals.get() as { distinctCount: number; total: number };
      return { distinct: r.distinctCount, total: r.total };
    },
    petitionsByStatus: () => byStatus.all() as CountBy[],
    overduePetitions: (before) => overdue.get(before) as number,
    oldestOpenPetitions: (before, limit) => oldestOpen.all(before, limit) as { code: string; status: string; created_at: number }[],
    petitionsReceivedBy: (column, from, to) => receivedBy[column].all(from, to) as CountBy[],
    petitionsByMonth: (from, to, offset) => petitionsByMonth.all({ from, to, offset }) as CountBy[],
    handling(from, to) {
      const r = handling.get(from, to) as { closed: number; averageMs: number | null };
      return { closed: r.closed, averageMs: r.averageMs === null ? null : Math.round(r.averageMs) };
    },
  };
}
