import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrate.ts';

export type Db = Database.Database;

/** Opens (creating the folder) the SQLite database in WAL mode with foreign keys on, and migrates it. */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // A second process (CLI, second scheduler) may hold the write lock briefly: wait instead of failing.
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}
