import { join } from 'node:path';
import { normalizeText } from '../text/normalize.ts';
import { loadProcedureFiles, type ContentIssue } from './content-loader.ts';
import type { FeeItem, Procedure } from './schema.ts';

export const STALE_AFTER_DAYS = 180;

/** Marks the text an editor must still write in a draft made by `npm run content:import`. */
export const EDITOR_PLACEHOLDER = 'CẦN BIÊN TẬP';

export interface ContentReport {
  procedureCount: number;
  issues: ContentIssue[];
}

/** Extra checks run by `content:check`; each returns issues for a list of valid procedures. */
export type ContentCheck = (root: string, today: Date) => ContentIssue[];

/** Runs every content check under `root` (content/) as of `today`. */
export function checkContent(root: string, today: Date, extraChecks: ContentCheck[] = []): ContentReport {
  const dir = join(root, 'procedures');
  const { procedures, issues } = loadProcedureFiles(dir);
  issues.push(...checkProcedures(procedures, dir, today));
  for (const check of extraChecks) issues.push(...check(root, today));
  return { procedureCount: procedures.length, issues };
}

/** Cross-file rules: unique ids, alias collisions, fee windows, related ids, staleness. */
export function checkProcedures(procedures: Procedure[], dir: string, today: Date): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const fileOf = (p: Procedure) => join(dir, `${p.id}.yaml`);
  const ids = new Set<string>();
  for (const p of procedures) {
    if (ids.has(p.id)) issues.push({ file: fileOf(p), severity: 'error', message: `duplicate id "${p.id}"` });
    ids.add(p.id);
  }

  const aliasOwner = new Map<string, string>();
  for (const p of procedures) {
    for (const alias of new Set([p.title, ...p.aliases, ...p.en_aliases, ...p.km_aliases].map(normalizeText))) {
      const owner = aliasOwner.get(alias);
      if (owner && owner !== p.id) {
        issues.push({ file: fileOf(p), severity: 'error', message: `alias "${alias}" is also used by "${owner}"` });
      } else {
        aliasOwner.set(alias, p.id);
      }
    }
  }

  issues.push(...checkDuplicateCodes(procedures, dir));
  const todayIso = today.toISOString().slice(0, 10);
  // verified_at is a local date (Vietnam is UTC+7; an import writes the local date): a date is "in the future" only
  // once no time zone has reached it yet (UTC+14), so that an evening import in Cần Thơ is not refused.
  const latestDate = new Date(today.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
  for (const p of procedures) {
    const file = fileOf(p);
    for (const rel of p.related) {
      if (!ids.has(rel)) issues.push({ file, severity: 'error', message: `related id "${rel}" does not exist` });
    }
    for (const fee of p.fees.items) {
      if (fee.valid_from && fee.valid_to && fee.valid_from > fee.valid_to) {
        issues.push({ file, severity: 'error', message: `fee "${fee.case}": valid_from ${fee.valid_from} is after valid_to ${fee.valid_to}` });
      }
    }
    issues.push(...checkFeeOverlaps(p, file));
    issues.push(...checkStatus(p, file, ids));
    issues.push(...checkEditorial(p, file));
    if (p.fees.items.length === 0 && !p.fees.note) {
      issues.push({ file, severity: 'error', message: 'fees: give items, or a note saying where to ask when the fee is not confirmed' });
    }
    if (p.verified_at > latestDate) {
      issues.push({ file, severity: 'error', message: `verified_at ${p.verified_at} is in the future` });
    } else {
      const ageDays = (Date.parse(todayIso) - Date.parse(p.verified_at)) / 86_400_000;
      if (ageDays > STALE_AFTER_DAYS) {
        issues.push({ file, severity: 'warning', message: `verified_at ${p.verified_at} is ${Math.floor(ageDays)} days old (> ${STALE_AFTER_DAYS}): check the facts again` });
      }
    }
  }
  return issues;
}

const DAY = 86_400_000;
const nextDay = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) + DAY).toISOString().slice(0, 10);

/**
 * The fee windows of one case (same case text, channel and condition) follow each other: no two valid on the same day,
 * no day without a rate between two windows, and an open-ended window only as the last one.
 */
function checkFeeOverlaps(p: Procedure, file: string): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const byCase = new Map<string, FeeItem[]>();
  for (const f of p.fees.items) {
    const key = JSON.stringify([f.case, f.channel ?? '', f.condition ?? '']);
    byCase.set(key, [...(byCase.get(key) ?? []), f]);
  }
  for (const items of byCase.values()) {
    const sorted = [...items].sort((a, b) => (a.valid_from ?? '0000-00-00').localeCompare(b.valid_from ?? '0000-00-00'));
    for (let i = 0; i + 1 < sorted.length; i++) {
      const a = sorted[i]!;
      const b = sorted[i + 1]!;
      const aFrom = a.valid_from ?? '0000-00-00';
      const bFrom = b.valid_from ?? '0000-00-00';
      if (!a.valid_to) {
        issues.push({ file, severity: 'error', message: `fee "${a.case}": the window from ${aFrom} has no end but another starts ${bFrom}` });
      } else if (bFrom <= a.valid_to) {
        issues.push({ file, severity: 'error', message: `fee "${a.case}" has overlapping date windows (${aFrom}..${a.valid_to} and ${bFrom}..${b.valid_to ?? '9999-12-31'})` });
      } else if (bFrom !== nextDay(a.valid_to)) {
        issues.push({ file, severity: 'error', message: `fee "${a.case}": no rate from ${nextDay(a.valid_to)} to the day before ${bFrom} (a gap between windows)` });
      }
    }
  }
  return issues;
}

/** An official code (at one level) belongs to one procedure file. */
function checkDuplicateCodes(procedures: Procedure[], dir: string): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const owner = new Map<string, string>();
  for (const p of procedures) {
    for (const c of p.codes) {
      const key = `${c.code}@${c.level}`;
      const first = owner.get(key);
      if (first && first !== p.id) issues.push({ file: join(dir, `${p.id}.yaml`), severity: 'error', message: `code ${c.code} (${c.level}) is also used by "${first}"` });
      else owner.set(key, p.id);
    }
  }
  return issues;
}

/** An abolished or merged procedure must say what to do now; a draft is never published. */
function checkStatus(p: Procedure, file: string, ids: ReadonlySet<string>): ContentIssue[] {
  const issues: ContentIssue[] = [];
  for (const id of p.replaced_by) {
    if (!ids.has(id)) issues.push({ file, severity: 'error', message: `replaced_by id "${id}" does not exist` });
    if (id === p.id) issues.push({ file, severity: 'error', message: 'replaced_by names the procedure itself' });
  }
  if (p.status === 'merged' && p.replaced_by.length === 0) {
    issues.push({ file, severity: 'error', message: 'status merged: name the procedure it was merged into in replaced_by' });
  }
  if ((p.status === 'merged' || p.status === 'abolished') && !p.status_note) {
    issues.push({ file, severity: 'error', message: `status ${p.status}: status_note must tell the citizen what to do now` });
  }
  if (p.status === 'abolished' && p.replaced_by.length === 0 && !p.status_note) {
    issues.push({ file, severity: 'error', message: 'status abolished: give replaced_by or guidance in status_note' });
  }
  if (p.status === 'active' && (p.replaced_by.length > 0 || p.status_note)) {
    issues.push({ file, severity: 'error', message: 'replaced_by / status_note are only for abolished or merged procedures' });
  }
  if (p.status === 'draft') {
    issues.push({ file, severity: 'error', message: 'status draft: an editor must write the citizen-facing fields and set status active before it is published' });
  }
  return issues;
}

/** An imported draft is published only once the editor has replaced every placeholder and used up the raw text. */
function checkEditorial(p: Procedure, file: string): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      if (value.normalize('NFC').includes(EDITOR_PLACEHOLDER)) {
        issues.push({ file, severity: 'error', message: `${path}: still holds the placeholder "${EDITOR_PLACEHOLDER}": write the text for citizens` });
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}.${i}`));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    }
  };
  const { imported, ...fields } = p;
  walk(fields, '');
  if (imported) {
    issues.push({ file, severity: 'error', message: `imported: the listing's raw text (from ${imported.from}) is still here: write documents, steps and fees from it, then delete the block` });
  }
  return issues;
}
