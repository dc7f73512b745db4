import type Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.ts';

/** Applies numbered migrations above PRAGMA user_version, each in its own transaction. */
export function migrate(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  let version = current;
  for (const [index, sql] of MIGRATIONS.entries()) {
    const target = index + 1;
    if (target <= version) continue;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${target}`);
    })();
    version = target;
  }
  return version;
}
