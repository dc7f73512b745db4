import type { Db } from '../db/open.ts';

/** Who an audit line is about: a staff member, the ADMIN_TOKEN, a CLI run or someone not signed in. */
export type AuditActorKind = 'staff' | 'token' | 'cli' | 'anonymous';

/** One line to append to the audit log. */
export interface AuditEntry {
  actor: string;
  actorKind: AuditActorKind;
  role?: string | undefined;
  action: string;
  target?: string | undefined;
  detail?: Record<string, unknown> | undefined;
  ip?: string | undefined;
}

/** An audit line as read back. */
export interface AuditRow {
  id: number;
  at: number;
  actor: string;
  actor_kind: AuditActorKind;
  role: string | null;
  action: string;
  target: string | null;
  detail: string | null;
  ip: string | null;
}

export interface AuditFilter {
  action?: string;
  actor?: string;
  from?: number;
  to?: number;
}

export interface AuditLog {
  append(entry: AuditEntry, at: number): void;
  list(filter: AuditFilter, limit: number, offset: number): { rows: AuditRow[]; total: number };
  /** Distinct action names (for the console's filter). */
  actions(): string[];
}

/** The append-only audit log (the table's triggers refuse UPDATE and DELETE). */
export function createAuditLog(db: Db): AuditLog {
  const insert = db.prepare(
    `INSERT INTO audit_log (at, actor, actor_kind, role, action, target, detail, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const filter = `WHERE (@action IS NULL OR action = @action OR action LIKE @actionPrefix)
      AND (@actor IS NULL OR actor = @actor COLLATE NOCASE)
      AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at <= @to)`;
  const count = db.prepare(`SELECT count(*) FROM audit_log ${filter}`).pluck();
  const page = db.prepare(`SELECT * FROM audit_log ${filter} ORDER BY id DESC LIMIT @limit OFFSET @offset`);
  const actions = db.prepare(`SELECT DISTINCT action FROM audit_log ORDER BY action`).pluck();
  const params = (f: AuditFilter) => ({
    action: f.action ?? null,
    // "petition" matches petition.status, petition.export…; the LIKE pattern is built from a validated name.
    actionPrefix: f.action ? `${f.action.replace(/[\\%_]/g, '')}.%` : null,
    actor: f.actor ?? null,
    from: f.from ?? null,
    to: f.to ?? null,
  });
  return {
    append(e, at) {
      insert.run(at, e.actor.slice(0, 100), e.actorKind, e.role ?? null, e.action, e.target ?? null, e.detail ? JSON.stringify(e.detail) : null, e.ip ?? null);
    },
    list(f, limit, offset) {
      const p = params(f);
      return { rows: page.all({ ...p, limit, offset }) as AuditRow[], total: count.get(p) as number };
    },
    actions: () => actions.all() as string[],
  };
}
