// Pure steps of `npm run content:import`: a listing row becomes a draft procedure; an older and a newer listing
// become per-procedure changes the editors read. No file access here (scripts/content-import.ts does it).
import { Document } from 'yaml';
import { foldMarks } from '../text/normalize.ts';
import { EDITOR_PLACEHOLDER } from './content-check.ts';
import { foldListingWord, parseLevels, type ListingRow } from './listing.ts';
import { procedureSchema } from './schema.ts';

const SLUG_MAX = 60;

/** A file name from a title: marks folded, đ→d, lower case, dashes, at most 60 characters, not in `taken`. */
export function slugFor(title: string, taken: ReadonlySet<string>, fallback: string): string {
  let base = foldMarks(title.normalize('NFC').toLowerCase())
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (base.length > SLUG_MAX) base = base.slice(0, SLUG_MAX).replace(/-[^-]*$/, '');
  if (base === '') base = fallback;
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}

/** The listing's "- item;\n- item." lists as separate entries (bullets and trailing punctuation removed). */
export function splitListText(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/^\s*[-+•*–]\s*/, '').replace(/[;,.]\s*$/, '').trim())
    .filter((line) => line.length >= 3);
}

function onlineLevel(serviceLevel: string): 'toan_trinh' | 'mot_phan' | 'khong' {
  const s = foldListingWord(serviceLevel);
  if (s.includes('toan trinh')) return 'toan_trinh';
  if (s.includes('mot phan')) return 'mot_phan';
  return 'khong';
}

/**
 * The words of a draft, in Vietnamese for the editors; the script passes them in (words are data, not code).
 * `agency` is the listing's agency text (or `none`); each `todo` text follows the EDITOR_PLACEHOLDER marker.
 */
export interface DraftTexts {
  none: string;
  inPerson(agency: string): string;
  online: string;
  aliases(listingId: string): string;
  agency(agency: string): string;
  fees: string;
  processingTime: string;
  legalBasis: string;
  summary: string;
  sourceName(file: string): string;
  /** The comment at the top of the file. */
  header(listingId: string, file: string, today: string, marker: string): string;
}

export interface DraftContext {
  /** The listing file's name, as the source names it. */
  sourceName: string;
  /** Today's local date, YYYY-MM-DD. */
  today: string;
  texts: DraftTexts;
}

/**
 * The draft procedure for a listing row: what the listing states as fact is filled in (title, field, levels,
 * legal basis, processing time, source); what an editor must write for citizens is a marked placeholder, and the
 * raw listing text the editor writes it from is kept in `imported` (content:check refuses both).
 */
export function draftFromRow(row: ListingRow, slug: string, ctx: DraftContext): Record<string, unknown> {
  const level = onlineLevel(row.service_level);
  const t = ctx.texts;
  const todo = (what: string) => `${EDITOR_PLACEHOLDER}: ${what}`;
  const agency = row.agency || t.none;
  const channels: Array<Record<string, unknown>> = [
    { kind: 'truc_tiep', note: todo(t.inPerson(agency)) },
  ];
  if (level !== 'khong' && row.online_submission_url) {
    channels.push({ kind: 'truc_tuyen', note: todo(t.online), url: row.online_submission_url });
  }
  const legal = splitListText(row.legal_basis);
  const imported: Record<string, unknown> = { from: ctx.sourceName, at: ctx.today };
  for (const key of ['service_level', 'agency', 'target_audience', 'result', 'fee', 'documents', 'steps', 'requirements', 'method'] as const) {
    if (row[key]) imported[key] = row[key];
  }
  if (row.attachments.length > 0) imported.attachments = row.attachments;
  const draft = {
    id: slug,
    status: 'draft',
    listing_ids: [row.id],
    title: row.title,
    aliases: [todo(t.aliases(row.id))],
    field: row.category,
    levels: parseLevels(row.level),
    agency: todo(t.agency(agency)),
    online_level: level,
    channels,
    fees: { note: todo(t.fees) },
    processing_time: row.processing_time || todo(t.processingTime),
    legal_basis: legal.length > 0 ? legal : [todo(t.legalBasis)],
    online_url: level !== 'khong' ? row.online_submission_url : undefined,
    source: { name: t.sourceName(ctx.sourceName), url: row.source_url },
    verified_at: ctx.today,
    summary: todo(t.summary),
    imported,
  };
  if (draft.online_url === undefined) delete draft.online_url;
  // A draft that does not validate would be refused at boot: fail here, before anything is written.
  const checked = procedureSchema.safeParse(draft);
  if (!checked.success) {
    const detail = checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`listing row ${row.id}: the draft does not validate (${detail})`);
  }
  return draft;
}

/** The draft as YAML, with a header telling the editor what to do with it. */
export function draftYaml(draft: Record<string, unknown>, row: ListingRow, ctx: DraftContext): string {
  const doc = new Document(draft);
  doc.commentBefore = ctx.texts.header(row.id, ctx.sourceName, ctx.today, EDITOR_PLACEHOLDER);
  return doc.toString({ lineWidth: 0 });
}

/** The fields whose changes editors must follow, printed as a diff. */
export const WATCHED_FIELDS = ['title', 'fee', 'processing_time', 'documents', 'legal_basis'] as const;
/** Other fields: a change is only named. */
const OTHER_FIELDS = ['category', 'level', 'service_level', 'agency', 'steps', 'requirements', 'result', 'target_audience', 'online_submission_url', 'source_url'] as const;

export interface LineChange {
  op: '-' | '+';
  text: string;
}

export interface FieldChange {
  field: (typeof WATCHED_FIELDS)[number];
  lines: LineChange[];
}

export interface RowChanges {
  fields: FieldChange[];
  /** Other fields that changed (named only). */
  others: string[];
}

const linesOf = (text: string) =>
  text
    .normalize('NFC')
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean);

/** Removed and added lines between two texts (longest common subsequence; unchanged lines are left out). */
export function lineDiff(before: string, after: string): LineChange[] {
  const a = linesOf(before);
  const b = linesOf(after);
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: LineChange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push({ op: '-', text: a[i++]! });
    } else {
      out.push({ op: '+', text: b[j++]! });
    }
  }
  return out;
}

/** What changed in one procedure's listing row; whitespace-only changes are not changes. */
export function rowChanges(before: ListingRow, after: ListingRow): RowChanges {
  const fields: FieldChange[] = [];
  for (const field of WATCHED_FIELDS) {
    const lines = lineDiff(before[field], after[field]);
    if (lines.length > 0) fields.push({ field, lines });
  }
  const flat = (v: unknown) => (typeof v === 'string' ? linesOf(v).join('\n') : JSON.stringify(v ?? ''));
  const others: string[] = OTHER_FIELDS.filter((f) => flat(before[f]) !== flat(after[f]));
  if (JSON.stringify(before.attachments) !== JSON.stringify(after.attachments)) others.push('attachments');
  return { fields, others };
}

/** The changes as indented lines for the terminal. */
export function formatChanges(changes: RowChanges, indent = '    '): string[] {
  const out: string[] = [];
  for (const f of changes.fields) {
    out.push(`${indent}${f.field}:`);
    for (const l of f.lines) out.push(`${indent}  ${l.op} ${l.text}`);
  }
  if (changes.others.length > 0) out.push(`${indent}also changed: ${changes.others.join(', ')}`);
  return out;
}

export type ImportAction =
  | { kind: 'draft'; row: ListingRow; slug: string; yaml: string }
  | { kind: 'covered'; row: ListingRow; file: string; previous: ListingRow | undefined; changes: RowChanges | undefined };

export interface ImportPlan {
  actions: ImportAction[];
  /** Rows of the previous listing that this one no longer has (abolished or renumbered), with the file covering them. */
  removed: Array<{ row: ListingRow; file: string | undefined }>;
}

/**
 * Decides, for every row, between a new draft and "covered by <file>" (with the changes since `previous`).
 * `covered` maps listing ids to the file that lists them; `taken` holds the procedure ids already in use.
 */
export function planImport(
  rows: ListingRow[],
  opts: { previous: ReadonlyMap<string, ListingRow> | undefined; covered: ReadonlyMap<string, string>; taken: ReadonlySet<string>; ctx: DraftContext },
): ImportPlan {
  const taken = new Set(opts.taken);
  const actions: ImportAction[] = [];
  for (const row of rows) {
    const file = opts.covered.get(row.id);
    const previous = opts.previous?.get(row.id);
    if (file) {
      const changes = previous ? rowChanges(previous, row) : undefined;
      actions.push({ kind: 'covered', row, file, previous, changes });
      continue;
    }
    const slug = slugFor(row.title, taken, `thu-tuc-${row.id}`);
    taken.add(slug);
    const draft = draftFromRow(row, slug, opts.ctx);
    actions.push({ kind: 'draft', row, slug, yaml: draftYaml(draft, row, opts.ctx) });
  }
  const ids = new Set(rows.map((r) => r.id));
  const removed = [...(opts.previous?.values() ?? [])].filter((r) => !ids.has(r.id)).map((row) => ({ row, file: opts.covered.get(row.id) }));
  return { actions, removed };
}
