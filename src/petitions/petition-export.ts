import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Translate } from '../i18n/index.ts';
import { formatLocalDateTime, localParts } from '../time.ts';
import { maskKnownPersonal, maskName, maskPhone } from './contact.ts';
import type { PetitionRow } from './petition-repository.ts';

export type ExportFormat = 'csv' | 'xlsx';

export interface ExportOptions {
  format: ExportFormat;
  includePii: boolean;
  timeZone: string;
  t: Translate;
  procedureTitle: (id: string | null) => string;
}

const COLUMNS = ['code', 'receivedAt', 'kind', 'topic', 'procedure', 'content', 'name', 'phone', 'address', 'status', 'handledAt', 'reply'] as const;
type Column = (typeof COLUMNS)[number];
const WIDTHS: Record<Column, number> = {
  code: 16,
  receivedAt: 17,
  kind: 11,
  topic: 20,
  procedure: 34,
  content: 60,
  name: 22,
  phone: 15,
  address: 32,
  status: 22,
  handledAt: 17,
  reply: 50,
};

/** Translated labels, looked up once per export rather than once per row. */
function labels(o: ExportOptions) {
  const memo = new Map<string, string>();
  return (key: string) => {
    let v = memo.get(key);
    if (v === undefined) {
      v = o.t(key);
      memo.set(key, v);
    }
    return v;
  };
}

/** One petition as export cells (dates as epoch ms, formatted by each writer). */
function cells(p: PetitionRow, o: ExportOptions, label: (key: string) => string): Record<Column, string | number | null> {
  // Without personal data, numbers, addresses and the name typed into the text or quoted in the reply are masked too.
  const free = (text: string) => (o.includePii ? text : maskKnownPersonal(text, { name: p.name, address: p.address }));
  return {
    code: p.code,
    receivedAt: p.created_at,
    kind: label(`petition.kind.${p.kind}`),
    topic: label(`petition.topic.${p.topic}`),
    procedure: o.procedureTitle(p.procedure_id),
    content: p.needs_translation ? `[${label('petition.export.needsTranslation')}] ${free(p.content)}` : free(p.content),
    name: o.includePii ? (p.name ?? '') : maskName(p.name),
    phone: o.includePii ? (p.phone ?? '') : maskPhone(p.phone),
    address: o.includePii ? (p.address ?? '') : p.address ? '***' : '',
    status: label(`petition.status.${p.status}`),
    handledAt: p.status === 'received' ? null : (p.closed_at ?? p.updated_at),
    reply: free(p.public_reply ?? ''),
  };
}

// OWASP's CSV injection rule: = + - @ first, or a tab, CR or LF first. Spreadsheets skip leading blanks
// before reading a formula, so " =cmd|…" counts too. Phones start with "+" and are neutralised like the rest.
const FORMULA_START = /^(?:\s*[=+\-@]|[ \u00a0]*[\t\r\n])/;

/**
 * A CSV cell: formulas neutralised (an apostrophe in front, so Excel shows text), then RFC 4180 quoting when the
 * value holds a quote, comma or line break.
 */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Writes a chunk, waiting for 'drain' when the stream's buffer is full. */
async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** Streams petitions as CSV: UTF-8 with BOM (Excel reads Vietnamese), CRLF line ends. Ends `out`; returns the row count. */
export async function writeCsv(rows: Iterable<PetitionRow>, out: Writable, o: ExportOptions): Promise<number> {
  const label = labels(o);
  await write(out, `\uFEFF${COLUMNS.map((c) => csvCell(label(`petition.export.${c}`))).join(',')}\r\n`);
  let n = 0;
  let batch = '';
  for (const p of rows) {
    const c = cells(p, o, label);
    const line = COLUMNS.map((col) => {
      const v = c[col];
      if (v === null) return '';
      return csvCell(typeof v === 'number' ? formatLocalDateTime(new Date(v), o.timeZone) : v);
    }).join(',');
    batch += `${line}\r\n`;
    n++;
    // Lines go out in ~64 KB chunks: fewer writes, and 'drain' is still honoured.
    if (batch.length >= 65_536) {
      await write(out, batch);
      batch = '';
    }
  }
  if (batch) await write(out, batch);
  out.end();
  if (!out.writableFinished) await once(out, 'finish');
  return n;
}

/** Excel stores wall-clock dates: the local time in the time zone, written as if it were UTC. */
function excelDate(epoch: number, timeZone: string): Date {
  const p = localParts(new Date(epoch), timeZone);
  return new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute));
}

/** Streams petitions as XLSX (exceljs streaming writer): Vietnamese headers, dd/mm/yyyy HH:mm, widths, frozen header. */
export async function writeXlsx(rows: Iterable<PetitionRow>, out: Writable, o: ExportOptions): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const label = labels(o);
  const sheet = workbook.addWorksheet(label('petition.export.sheet'), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({
    header: label(`petition.export.${c}`),
    key: c,
    width: WIDTHS[c],
    ...(c === 'receivedAt' || c === 'handledAt' ? { style: { numFmt: 'dd/mm/yyyy hh:mm' } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let n = 0;
  for (const p of rows) {
    const c = cells(p, o, label);
    const row: Record<string, unknown> = { ...c };
    row.receivedAt = excelDate(p.created_at, o.timeZone);
    row.handledAt = c.handledAt === null ? null : excelDate(c.handledAt as number, o.timeZone);
    sheet.addRow(row).commit();
    n++;
    // Yield every few hundred rows so the zip stream can flush to `out` (memory stays flat on 100,000 rows).
    if (n % 200 === 0) await new Promise((r) => setImmediate(r));
  }
  sheet.commit();
  await workbook.commit();
  return n;
}

/** Writes the export in the chosen format and ends `out` (exceljs ends it for XLSX); resolves with the number of rows. */
export function writeExport(rows: Iterable<PetitionRow>, out: Writable, o: ExportOptions): Promise<number> {
  return o.format === 'xlsx' ? writeXlsx(rows, out, o) : writeCsv(rows, out, o);
}
