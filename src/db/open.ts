import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrate.ts';

export type Db = Database.Database;

/**
 * How long a statement blocks waiting for another process's write lock. better-sqlite3 waits synchronously, so in
 * the server this freezes the event loop (/healthz, webhook acks): the server keeps it short and retries
 * asynchronously where it matters (src/queue/inbox-writer.ts); CLIs, which block nobody, keep the long wait.
 */
export const CLI_BUSY_TIMEOUT_MS = 5_000;
export const SERVER_BUSY_TIMEOUT_MS = 50;

/** Opens (creating the folder) the SQLite database in WAL mode with foreign keys on, and migrates it. */
export function openDatabase(path: string, options: { busyTimeoutMs?: number } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // A second process (CLI, second scheduler) may hold the write lock briefly: wait instead of failing. Migrations
  // run before the server answers anything, so they may wait long.
  db.pragma(`busy_timeout = ${CLI_BUSY_TIMEOUT_MS}`);
  migrate(db);
  db.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? CLI_BUSY_TIMEOUT_MS))}`);
  return db;
}
