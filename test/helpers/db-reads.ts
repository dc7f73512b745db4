import type { Db } from '../../src/db/open.ts';
import type { RunningBot } from '../../src/main.ts';
import type { InboxRow } from '../../src/queue/inbox-repository.ts';
import type { OutboxRow } from '../../src/queue/outbox-repository.ts';

// The raw SQL reads tests need and no repository in src/ offers (adding them there would serve only tests). They live
// here, by name, so a schema change touches this one file. Prefer test/helpers/repos.ts wherever a repository has
// the read. Reads that are themselves the point of a test (migrations, append-only triggers, "no personal data
// left") stay in that test.

/** The running bot's database, or a database a test opened itself (often read-only, beside a child process). */
export type DbSource = RunningBot | Db;
const dbOf = (source: DbSource): Db => ('db' in source ? source.db : source);

/** Number of rows in a table of the bot's database. */
export function countRows(source: DbSource, table: 'inbox' | 'outbox' | 'users', where = '1 = 1', ...params: unknown[]): number {
  return dbOf(source).prepare(`SELECT count(*) FROM ${table} WHERE ${where}`).pluck().get(...params) as number;
}

// --- inbox -------------------------------------------------------------------------------------------------------

export type StoredInboxRow = InboxRow & { error: string | null };

/** Every inbox row, oldest first. */
export function inboxRows(source: DbSource): StoredInboxRow[] {
  return dbOf(source).prepare('SELECT * FROM inbox ORDER BY id').all() as StoredInboxRow[];
}

/** Every stored event key, oldest first. */
export function inboxKeys(source: DbSource): string[] {
  return dbOf(source).prepare('SELECT event_key FROM inbox ORDER BY id').pluck().all() as string[];
}

/** Inbox rows in a status. */
export function countInbox(source: DbSource, status: InboxRow['status']): number {
  return dbOf(source).prepare('SELECT count(*) FROM inbox WHERE status = ?').pluck().get(status) as number;
}

// --- outbox ------------------------------------------------------------------------------------------------------

/** Every outbox row, oldest first. */
export function outboxRows(source: DbSource): OutboxRow[] {
  return dbOf(source).prepare('SELECT * FROM outbox ORDER BY id').all() as OutboxRow[];
}

/** Outbox rows in any of the given statuses; every row when none is given. */
export function countOutbox(source: DbSource, ...statuses: OutboxRow['status'][]): number {
  const where = statuses.length > 0 ? `WHERE status IN (${statuses.map(() => '?').join(', ')})` : '';
  return dbOf(source).prepare(`SELECT count(*) FROM outbox ${where}`).pluck().get(...statuses) as number;
}

/** Outbox rows not sent (whatever else they are). */
export function countOutboxNotSent(source: DbSource): number {
  return dbOf(source).prepare("SELECT count(*) FROM outbox WHERE status != 'sent'").pluck().get() as number;
}

/** Rows still to be tried: pending, in flight, or unknown with its one resend still to come. */
export function countOutboxUnsettled(source: DbSource): number {
  return dbOf(source)
    .prepare("SELECT count(*) FROM outbox WHERE status IN ('pending','sending') OR (status = 'unknown' AND resend_at IS NOT NULL)")
    .pluck()
    .get() as number;
}

/** The most attempts any outbox row took (null on an empty outbox). */
export function maxOutboxAttempts(source: DbSource): number | null {
  return dbOf(source).prepare('SELECT max(attempts) FROM outbox').pluck().get() as number | null;
}

/** Outbox rows counted by their attempts or their status (for logs of the load tests). */
export function outboxCountsBy(source: DbSource, column: 'attempts' | 'status'): { attempts?: number; status?: string; n: number }[] {
  return dbOf(source).prepare(`SELECT ${column}, count(*) AS n FROM outbox GROUP BY ${column}`).all() as never;
}

// --- users -------------------------------------------------------------------------------------------------------

/** Every known user id, in SQLite's text order. */
export function userIds(source: DbSource): string[] {
  return dbOf(source).prepare('SELECT user_id FROM users ORDER BY user_id').pluck().all() as string[];
}

// --- broadcasts --------------------------------------------------------------------------------------------------

export interface StoredDelivery {
  recipient: string;
  status: string;
  error_code: number | null;
  zalo_message_id: string | null;
}

/** A post's delivery rows, oldest first. */
export function deliveryRows(source: DbSource, postId: number): StoredDelivery[] {
  return dbOf(source)
    .prepare('SELECT recipient, status, error_code, zalo_message_id FROM broadcast_deliveries WHERE post_id = ? ORDER BY id')
    .all(postId) as StoredDelivery[];
}

/** A post's delivery rows counted by their exact status (`sending` apart from `pending`, unlike the repository). */
export function deliveryStatusCounts(source: DbSource, postId: number): Record<string, number> {
  const rows = dbOf(source).prepare('SELECT status, count(*) AS n FROM broadcast_deliveries WHERE post_id = ? GROUP BY status').all(postId) as { status: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

// --- privacy, satisfaction ---------------------------------------------------------------------------------------

export interface StoredPiiExport {
  actor: string;
  format: string;
  rows: number;
}

/** Every export of personal data recorded, oldest first. */
export function piiExports(source: DbSource): StoredPiiExport[] {
  return dbOf(source).prepare('SELECT actor, format, rows FROM pii_exports ORDER BY id').all() as StoredPiiExport[];
}

/** Every satisfaction rating stored, oldest first, with all its columns. */
export function satisfactionRatings(source: DbSource): Record<string, unknown>[] {
  return dbOf(source).prepare('SELECT * FROM satisfaction_ratings ORDER BY rowid').all() as Record<string, unknown>[];
}

// --- conversations -----------------------------------------------------------------------------------------------

/** Conversation flows (petition drafts, quizzes…) in progress, for every user. */
export function countFlows(source: DbSource): number {
  return dbOf(source).prepare('SELECT count(*) FROM conversation_flows').pluck().get() as number;
}
