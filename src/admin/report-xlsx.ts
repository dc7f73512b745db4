import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import labels from './report-labels.vi.json' with { type: 'json' };
import type { Report } from './report.ts';

// The report as a workbook for the unit's periodic report: one sheet per section, Vietnamese labels from
// report-labels.vi.json (kept out of the code so every user-facing word lives in one reviewable file).

type LabelMap = Record<string, string>;
const label = (map: LabelMap, key: string) => map[key] ?? key;
const viDate = (iso: string) => iso.split('-').reverse().join('/');

/** Writes the report workbook to `out` (an HTTP response). */
export async function writeReportXlsx(report: Report, out: Writable): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.created = new Date(report.generatedAt);
  const bold = (row: ExcelJS.Row) => {
    row.font = { bold: true };
  };
  const rows = labels.rows;
  const cols = labels.columns;

  const summary = wb.addWorksheet(labels.sheets.summary);
  summary.columns = [{ width: 44 }, { width: 18 }];
  bold(summary.addRow([labels.title]));
  summary.addRow([labels.period, report.period.key]);
  summary.addRow([labels.from, viDate(report.period.from)]);
  summary.addRow([labels.to, viDate(report.period.to)]);
  summary.addRow([labels.generatedAt, new Date(report.generatedAt).toISOString()]);
  summary.addRow([]);
  bold(summary.addRow([cols.item, cols.value]));
  const figures: [string, number | null][] = [
    [rows.conversations, report.conversations.total],
    [rows.messages, report.conversations.messages],
    [rows.answered, report.questions.answered],
    [rows.unanswered, report.questions.unanswered],
    [rows.answeredRate, report.questions.answeredRate],
    [rows.petitionsReceived, report.petitions.received],
    [rows.petitionsClosed, report.petitions.closed],
    [rows.averageHandlingHours, report.petitions.averageHandlingHours],
    [rows.postsTotal, report.posts.total],
    [rows.postsSent, report.posts.sent],
    [rows.deliveriesSent, report.posts.deliveries.sent],
    [rows.deliveriesFailed, report.posts.deliveries.failed],
  ];
  for (const [name, value] of figures) summary.addRow([name, value]);

  const months = wb.addWorksheet(labels.sheets.months);
  months.columns = [{ width: 12 }, { width: 18 }, { width: 12 }, { width: 16 }, { width: 12 }, { width: 20 }];
  bold(months.addRow([cols.month, cols.conversations, cols.messages, cols.petitions, cols.posts, cols.delivered]));
  report.period.months.forEach((month, i) => {
    const c = report.conversations.byMonth[i]!;
    const p = report.posts.byMonth[i]!;
    months.addRow([month, c.conversations, c.messages, report.petitions.byMonth[i]!.received, p.posts, p.delivered]);
  });

  const procedures = wb.addWorksheet(labels.sheets.procedures);
  procedures.columns = [{ width: 6 }, { width: 60 }, { width: 12 }];
  bold(procedures.addRow([cols.rank, cols.procedure, cols.count]));
  report.topProcedures.forEach((p, i) => procedures.addRow([i + 1, p.title, p.count]));

  const petitions = wb.addWorksheet(labels.sheets.petitions);
  petitions.columns = [{ width: 16 }, { width: 36 }, { width: 12 }];
  bold(petitions.addRow([cols.group, cols.value2, cols.count]));
  for (const r of report.petitions.byKind) petitions.addRow([labels.groups.kind, label(labels.kinds, r.key), r.n]);
  for (const r of report.petitions.byStatus) petitions.addRow([labels.groups.status, label(labels.petitionStatuses, r.key), r.n]);
  for (const r of report.petitions.byTopic) petitions.addRow([labels.groups.topic, label(labels.topics, r.key), r.n]);
  petitions.addRow([]);
  petitions.addRow([rows.averageHandlingHours, '', report.petitions.averageHandlingHours]);

  const posts = wb.addWorksheet(labels.sheets.posts);
  posts.columns = [{ width: 8 }, { width: 50 }, { width: 16 }, { width: 18 }, { width: 14 }, { width: 8 }, { width: 20 }, { width: 10 }];
  bold(posts.addRow([cols.id, cols.postTitle, cols.status, cols.sendAt, cols.sent, cols.failed, cols.outOfWindow, cols.unknown]));
  for (const p of report.posts.items) {
    posts.addRow([p.id, p.title, label(labels.postStatuses, p.status), p.sendAtLocal, p.counts.sent, p.counts.failed, p.counts.out_of_window, p.counts.unknown]);
  }

  await wb.xlsx.write(out);
}
