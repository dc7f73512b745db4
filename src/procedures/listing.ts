// The official listing of procedures (danh mục TTHC, the national TTHC database's fields) and its readers:
// JSON lines, CSV and XLSX with the same column names. Every problem names the file, the row and the field.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { foldMarks } from '../text/normalize.ts';

/** The columns of the listing, in the national database's order (also the CSV/XLSX header names). */
export const LISTING_FIELDS = [
  'id',
  'title',
  'category',
  'level',
  'service_level',
  'agency',
  'processing_time',
  'fee',
  'target_audience',
  'result',
  'legal_basis',
  'method',
  'steps',
  'documents',
  'requirements',
  'attachments',
  'online_submission_url',
  'source_url',
] as const;
export type ListingField = (typeof LISTING_FIELDS)[number];

/**
 * Administrative levels as the listing writes them ("Cấp Tỉnh", "Cấp Xã", …), compared with marks folded (so that a
 * spreadsheet typed without marks reads the same) → the procedure schema's levels.
 */
const LEVEL_WORDS: Record<string, 'tw' | 'tinh' | 'xa'> = {
  'cap tinh': 'tinh',
  'cap xa': 'xa',
  'cap trung uong': 'tw',
  'cap bo': 'tw',
};

/** Folded, lower case, single spaces: how listing words are compared. */
export const foldListingWord = (s: string) => foldMarks(s.normalize('NFC').toLowerCase()).replace(/\s+/g, ' ').trim();

/** "Cấp Tỉnh" or "Cấp Tỉnh, Cấp Xã" → ['tinh'] / ['tinh', 'xa']; undefined when a part is not a known level. */
export function parseLevels(text: string): Array<'tw' | 'tinh' | 'xa'> | undefined {
  const parts = text.split(/[,;/\n]+/).map(foldListingWord).filter(Boolean);
  const levels = parts.map((p) => LEVEL_WORDS[p]);
  if (levels.length === 0 || levels.some((l) => l === undefined)) return undefined;
  return [...new Set(levels as Array<'tw' | 'tinh' | 'xa'>)];
}

const text = z.string().transform((s) => s.normalize('NFC').trim());
const optionalText = z.preprocess((v) => v ?? '', text);
const url = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

export const attachmentSchema = z.strictObject({ title: z.string(), url });

/** One row of the listing. Unknown columns are refused: a misspelt header must not silently drop a field. */
export const listingRowSchema = z.strictObject({
  id: z.string().trim().regex(/^\d+-\d+$/, 'must be a listing id such as 255-39'),
  title: text.pipe(z.string().min(5, 'must be at least 5 characters')),
  category: text.pipe(z.string().min(3, 'must name the field of the procedure')),
  level: text.refine((s) => parseLevels(s) !== undefined, 'must be a level of the listing: Cap Tinh, Cap Xa, Cap Trung uong or Cap Bo, marks optional (comma-separated when several)'),
  service_level: optionalText,
  agency: optionalText,
  processing_time: optionalText,
  fee: optionalText,
  target_audience: optionalText,
  result: optionalText,
  legal_basis: optionalText,
  method: optionalText,
  steps: optionalText,
  documents: optionalText,
  requirements: optionalText,
  attachments: z.array(attachmentSchema).default([]),
  online_submission_url: z.preprocess((v) => (v === '' || v == null ? undefined : v), url.optional()),
  source_url: url,
});
export type ListingRow = z.infer<typeof listingRowSchema>;

export interface Listing {
  file: string;
  format: 'jsonl' | 'csv' | 'xlsx';
  rows: ListingRow[];
}

/** Bad input in a listing file; the message names the file, the row and the field. */
export class ListingError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ListingError';
  }
}

/** Reads a listing by its extension: .jsonl/.json (JSON lines), .csv, .xlsx. */
export async function readListing(file: string): Promise<Listing> {
  const ext = extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.json' || ext === '.ndjson') return { file, format: 'jsonl', rows: validateRows(file, readJsonLines(file)) };
  if (ext === '.csv') return { file, format: 'csv', rows: validateRows(file, readCsv(file)) };
  if (ext === '.xlsx') return { file, format: 'xlsx', rows: validateRows(file, await readXlsx(file)) };
  throw new ListingError([`${file}: unknown listing format "${ext || '(none)'}" (use .jsonl, .csv or .xlsx)`]);
}

/** A raw record and the row number people see: the line in a JSON lines file, the sheet row (header = 1) in CSV/XLSX. */
interface RawRow {
  row: number;
  value: unknown;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ListingError([`${file}: cannot read: ${(err as Error).message}`]);
  }
}

function readJsonLines(file: string): RawRow[] {
  const rows: RawRow[] = [];
  const problems: string[] = [];
  readText(file)
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        rows.push({ row: i + 1, value: JSON.parse(line) });
      } catch (err) {
        problems.push(`${file}: row ${i + 1}: not valid JSON (${(err as Error).message})`);
      }
    });
  if (problems.length > 0) throw new ListingError(problems);
  return rows;
}

/** The header must use the JSON keys; attachments, when given in a cell, are a JSON array (or one URL per line). */
function recordsFromTable(file: string, table: string[][]): RawRow[] {
  const [header, ...body] = table;
  if (!header) throw new ListingError([`${file}: empty file (no header row)`]);
  const names = header.map((h) => h.trim());
  const unknown = names.filter((n) => n !== '' && !(LISTING_FIELDS as readonly string[]).includes(n));
  const missing = (['id', 'title', 'category', 'level', 'source_url'] as const).filter((n) => !names.includes(n));
  const problems = [
    ...unknown.map((n) => `${file}: row 1: unknown column "${n}" (the header names are the JSON keys: ${LISTING_FIELDS.join(', ')})`),
    ...missing.map((n) => `${file}: row 1: missing column "${n}"`),
  ];
  if (problems.length > 0) throw new ListingError(problems);
  const rows: RawRow[] = [];
  body.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return;
    const value: Record<string, unknown> = {};
    names.forEach((name, col) => {
      if (name === '') return;
      const cell = cells[col] ?? '';
      value[name] = name === 'attachments' ? attachmentsFromCell(cell) : cell;
    });
    rows.push({ row: i + 2, value });
  });
  return rows;
}

function attachmentsFromCell(cell: string): unknown {
  const trimmed = cell.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return trimmed; // reported by the schema as "expected array"
    }
  }
  return trimmed.split('\n').map((line) => {
    const u = line.trim();
    return { title: u.split('/').pop() ?? u, url: u };
  });
}

function readCsv(file: string): RawRow[] {
  let table: string[][];
  try {
    table = parseCsv(readText(file), { bom: true, relax_column_count: true, skip_empty_lines: true });
  } catch (err) {
    throw new ListingError([`${file}: CSV syntax: ${(err as Error).message}`]);
  }
  return recordsFromTable(file, table);
}

async function readXlsx(file: string): Promise<RawRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(file);
  } catch (err) {
    throw new ListingError([`${file}: cannot read as XLSX: ${(err as Error).message}`]);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ListingError([`${file}: the workbook has no worksheet`]);
  const table: string[][] = [];
  // Sheet rows are kept in place (empty rows become empty records) so that row numbers match what Excel shows.
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= Math.max(row.cellCount, sheet.columnCount); c++) cells.push(cellText(row.getCell(c)));
    table.push(cells);
  }
  return recordsFromTable(file, table);
}

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  // A hyperlink cell shows a text but carries the URL: the URL columns want the link itself.
  if (typeof v === 'object' && 'hyperlink' in v && typeof v.hyperlink === 'string') {
    return /^https?:/.test(String(cell.text)) ? String(cell.text) : v.hyperlink;
  }
  return cell.text;
}

function validateRows(file: string, raw: RawRow[]): ListingRow[] {
  const problems: string[] = [];
  const rows: ListingRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, value } of raw) {
    const parsed = listingRowSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.') || '(row)';
        const message = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
        problems.push(`${file}: row ${row}: field ${field}: ${message}`);
      }
      continue;
    }
    const first = seen.get(parsed.data.id);
    if (first !== undefined) {
      problems.push(`${file}: row ${row}: field id: "${parsed.data.id}" is already used on row ${first}`);
      continue;
    }
    seen.set(parsed.data.id, row);
    rows.push(parsed.data);
  }
  if (problems.length > 0) throw new ListingError(problems);
  return rows;
}
