import type { Db } from '../db/open.ts';

/** One export that included personal data: who, what, how many rows (the audit staff and inspectors read). */
export interface PiiExport {
  actor: string;
  from?: string;
  to?: string;
  /** What was exported: a petition status filter, or "quiz:<id>". */
  status?: string;
  format: string;
  rows: number;
}

/** The log of exports with personal data, shared by every feature that exports it (petitions, quiz results). */
export interface PiiExportLog {
  recordPiiExport(e: PiiExport, now: number): void;
}

export function createPiiExportLog(db: Db): PiiExportLog {
  const insert = db.prepare(`INSERT INTO pii_exports (at, actor, range_from, range_to, status_filter, format, rows) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  return {
    recordPiiExport: (e, now) => void insert.run(now, e.actor, e.from ?? null, e.to ?? null, e.status ?? null, e.format, e.rows),
  };
}
