// npm run content:import -- FILE [--out DIR] [--dry-run] [--since OLDFILE]
// Reads an official listing (JSON lines, CSV or XLSX with the national TTHC database's fields) and writes one draft
// per row no procedure file covers yet; rows already covered are left alone and their changes since the last import
// (content/listing/last-import.jsonl, or --since OLDFILE) are printed. Bad input: exit 2, nothing written.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { ConfigError, loadConfig, loadDotEnv } from '../src/config.ts';
import { formatChanges, planImport, type DraftTexts } from '../src/procedures/listing-import.ts';
import { ListingError, readListing, type ListingRow } from '../src/procedures/listing.ts';
import { localDate } from '../src/time.ts';

const USAGE = 'Usage: npm run content:import -- <listing.jsonl|.csv|.xlsx> [--out content/procedures] [--dry-run] [--since older-listing]';

/** The words of a draft, for the editors (Cần Thơ city police); each placeholder follows "CẦN BIÊN TẬP: ". */
const DRAFT_TEXTS: DraftTexts = {
  none: 'không ghi',
  inPerson: (agency) => `nơi nộp trực tiếp ở Cần Thơ (danh mục ghi: ${agency})`,
  online: 'nộp trực tuyến ở đâu, cần gì',
  aliases: (id) => `cách người dân gọi thủ tục ${id}`,
  agency: (agency) => `cơ quan giải quyết ở Cần Thơ (danh mục ghi: ${agency})`,
  fees: 'các khoản lệ phí (fees.items) theo imported.fee, hoặc nơi hỏi khi chưa rõ',
  processingTime: 'thời hạn giải quyết',
  legalBasis: 'căn cứ pháp lý',
  summary: 'tóm tắt 2–3 câu cho người dân: làm ở đâu, cần giấy tờ gì, mất bao lâu, tốn bao nhiêu',
  sourceName: (file) => `Danh mục TTHC nhập từ ${file}`,
  header: (id, file, today, marker) =>
    [
      ` Bản nháp nhập từ danh mục TTHC (mã ${id}, tệp ${file}) ngày ${today} bằng npm run content:import.`,
      ` Biên tập: thay mọi chỗ "${marker}", viết documents, steps, fees, eligibility từ mục imported`,
      ' (văn bản gốc của danh mục), xóa mục imported rồi đổi status thành active.',
      ' npm run content:check từ chối công bố tệp này cho đến khi xong.',
    ].join('\n'),
};

/** Bad usage: printed with the usage line, exit 2 like bad input. */
class UsageError extends Error {}

function options() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { out: { type: 'string', default: 'content/procedures' }, 'dry-run': { type: 'boolean', default: false }, since: { type: 'string' } },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) throw new UsageError(USAGE);
  const outDir = resolve(parsed.values.out);
  return {
    file,
    outDir,
    dryRun: parsed.values['dry-run'],
    since: parsed.values.since,
    // The snapshot lives next to the procedures folder (content/listing/), so a copied content folder carries its own.
    snapshotPath: join(dirname(outDir), 'listing', 'last-import.jsonl'),
  };
}

const shown = (p: string) => {
  const rel = relative(process.cwd(), p);
  return rel === '' || rel.startsWith('..') ? p : rel;
};

/** Writes a whole file or nothing: a crash leaves the old file (or none), never half a file. */
function writeAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Listing ids → the procedure file listing them; read loosely, so that a file with other errors still counts. */
function scanProcedures(dir: string): { covered: Map<string, string>; taken: Set<string> } {
  const covered = new Map<string, string>();
  const taken = new Set<string>();
  if (!existsSync(dir)) return { covered, taken };
  for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const path = join(dir, name);
    taken.add(name.replace(/\.ya?ml$/, ''));
    let raw: unknown;
    try {
      raw = parseYaml(readFileSync(path, 'utf8'));
    } catch (err) {
      console.warn(`warn  ${shown(path)}: YAML syntax (${(err as Error).message.split('\n')[0]}): its listing_ids are not read`);
      continue;
    }
    const ids = (raw as { listing_ids?: unknown } | null)?.listing_ids;
    if (!Array.isArray(ids)) continue;
    for (const id of ids) if (typeof id === 'string' && !covered.has(id)) covered.set(id, path);
  }
  return { covered, taken };
}

async function main(): Promise<void> {
  const { file, outDir, dryRun, since, snapshotPath } = options();
  loadDotEnv();
  const config = loadConfig(process.env, { hasStoredTokens: true });
  const listing = await readListing(file);
  const previousFile = since ?? (existsSync(snapshotPath) ? snapshotPath : undefined);
  const previous = previousFile ? new Map((await readListing(previousFile)).rows.map((r) => [r.id, r])) : undefined;
  const { covered, taken } = scanProcedures(outDir);
  const ctx = { sourceName: basename(file), today: localDate(new Date(), config.timeZone), texts: DRAFT_TEXTS };
  const plan = planImport(listing.rows, { previous, covered, taken, ctx });

  console.log(`content:import — ${listing.rows.length} rows from ${file} (${listing.format})${dryRun ? ', dry run: nothing is written' : ''}`);
  console.log(
    previousFile
      ? `compared with ${shown(previousFile)} (${previous!.size} rows)`
      : `no earlier import (${shown(snapshotPath)} is absent): changes will be shown from the next import on`,
  );
  let changed = 0;
  for (const a of plan.actions) {
    const label = `${a.row.id} ${a.row.title}`;
    if (a.kind === 'draft') {
      console.log(`${dryRun ? 'would write' : 'draft'}  ${shown(join(outDir, `${a.slug}.yaml`))}  ← ${label}`);
      continue;
    }
    const by = `covered by ${shown(a.file)}`;
    if (!previous) console.log(`covered  ${label}: ${by}`);
    else if (!a.previous) console.log(`covered  ${label}: ${by} (new in this listing, nothing to compare)`);
    else if (a.changes!.fields.length === 0 && a.changes!.others.length === 0) console.log(`covered  ${label}: ${by}, unchanged`);
    else {
      changed++;
      console.log(`covered  ${label}: ${by}, CHANGED since ${shown(previousFile!)}:`);
      for (const line of formatChanges(a.changes!)) console.log(line);
    }
  }
  for (const r of plan.removed) {
    console.log(`gone     ${r.row.id} ${r.row.title}: in the earlier listing, not in this one${r.file ? ` (covered by ${shown(r.file)}: abolished or renumbered?)` : ''}`);
  }

  const drafts = plan.actions.filter((a) => a.kind === 'draft');
  if (!dryRun) {
    mkdirSync(outDir, { recursive: true });
    for (const d of drafts) writeAtomic(join(outDir, `${d.slug}.yaml`), d.yaml);
    mkdirSync(dirname(snapshotPath), { recursive: true });
    writeAtomic(snapshotPath, listing.rows.map((r: ListingRow) => JSON.stringify(r)).join('\n') + '\n');
  }
  const coveredCount = plan.actions.length - drafts.length;
  console.log(
    `\n${drafts.length} draft(s) ${dryRun ? 'to write' : 'written'}, ${coveredCount} covered (${changed} changed), ${plan.removed.length} no longer listed.` +
      (drafts.length > 0 && !dryRun ? ' Drafts are refused by content:check until an editor finishes them.' : '') +
      (dryRun ? '' : ` Snapshot: ${shown(snapshotPath)}.`),
  );
}

// exitCode, never exit(): exit() drops output still queued for a slow pipe.
try {
  await main();
} catch (err) {
  if (!(err instanceof ListingError || err instanceof ConfigError || err instanceof UsageError)) throw err;
  console.error(err.message);
  process.exitCode = 2;
}
