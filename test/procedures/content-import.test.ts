import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkProcedures } from '../../src/procedures/content-check.ts';
import { lineDiff, slugFor } from '../../src/procedures/listing-import.ts';
import { LISTING_FIELDS } from '../../src/procedures/listing.ts';
import { procedureSchema } from '../../src/procedures/schema.ts';

const run = promisify(execFile);
// node with the tsx loader: one process per run (the tsx command starts a second one).
const TSX_ARGS = ['--import', 'tsx'];
const V1 = 'test/fixtures/listing/listing-v1.jsonl';
const V2 = 'test/fixtures/listing/listing-v2.jsonl';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function tsx(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...TSX_ARGS, ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const importListing = (...args: string[]) => tsx(['scripts/content-import.ts', ...args]);

/** A copy of the shipped content folder in which tach-ho.yaml covers listing row 901-14. */
function contentCopy(): { root: string; procedures: string; tachHo: string } {
  const root = join(mkdtempSync(join(tmpdir(), 'import-')), 'content');
  cpSync('content', root, { recursive: true });
  const procedures = join(root, 'procedures');
  const tachHo = join(procedures, 'tach-ho.yaml');
  const text = readFileSync(tachHo, 'utf8');
  writeFileSync(
    tachHo,
    /^listing_ids: \[/m.test(text) ? text.replace(/^listing_ids: \[/m, 'listing_ids: ["901-14", ') : text.replace(/^id: tach-ho$/m, 'id: tach-ho\nlisting_ids: ["901-14"]'),
  );
  return { root, procedures, tachHo };
}

const listing = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const cellOf = (v: unknown) => (Array.isArray(v) ? JSON.stringify(v) : String(v ?? ''));

function csvOf(rows: Array<Record<string, unknown>>): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return [LISTING_FIELDS.join(','), ...rows.map((r) => LISTING_FIELDS.map((f) => quote(cellOf(r[f]))).join(','))].join('\r\n') + '\r\n';
}

async function writeXlsx(path: string, rows: Array<Record<string, unknown>>): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Danh mục');
  sheet.addRow([...LISTING_FIELDS]);
  for (const r of rows) sheet.addRow(LISTING_FIELDS.map((f) => cellOf(r[f])));
  // The source URL as a real hyperlink cell, as exported spreadsheets have it.
  sheet.getCell(2, LISTING_FIELDS.indexOf('source_url') + 1).value = { text: 'Xem', hyperlink: String(rows[0]!.source_url) };
  await wb.xlsx.writeFile(path);
}

const draftsIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('npm run content:import', () => {
  it('writes drafts that content:check refuses, leaves a covered procedure alone, and keeps a snapshot', async () => {
    const { root, procedures, tachHo } = contentCopy();
    const before = new Set(draftsIn(procedures));
    const tachHoText = readFileSync(tachHo, 'utf8');

    const r = await importListing(V1, '--out', procedures);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/901-14 .*covered by .*tach-ho\.yaml/);
    expect(readFileSync(tachHo, 'utf8')).toBe(tachHoText);
    const added = draftsIn(procedures).filter((f) => !before.has(f));
    expect(added).toEqual([
      'cap-giay-phep-su-dung-phao-hoa-tam-thap-cho-le-hoi.yaml',
      'dang-ky-luu-tru-cho-doan-khach-tai-co-so-luu-tru-du-lich.yaml',
      'doi-giay-chung-nhan-dang-ky-xe-may-chuyen-dung.yaml',
    ]);
    const draft = parseYaml(readFileSync(join(procedures, added[0]!), 'utf8')) as Record<string, unknown>;
    expect(procedureSchema.safeParse(draft).success).toBe(true);
    expect(draft).toMatchObject({
      status: 'draft',
      listing_ids: ['901-12'],
      title: 'Cấp giấy phép sử dụng pháo hoa tầm thấp cho lễ hội',
      field: 'Lĩnh vực quản lý vũ khí, vật liệu nổ, công cụ hỗ trợ',
      levels: ['tinh'],
      legal_basis: [
        'Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ số 42/2024/QH15',
        'Nghị định số 137/2020/NĐ-CP ngày 27/11/2020 của Chính phủ về quản lý, sử dụng pháo',
      ],
      source: { name: 'Danh mục TTHC nhập từ listing-v1.jsonl', url: 'https://congan.example.gov.vn/thu-tuc/cap-giay-phep-phao-hoa-901-12' },
      imported: { fee: '- Lệ phí cấp giấy phép: 100.000 đồng/giấy phép.' },
    });
    const xe = parseYaml(readFileSync(join(procedures, added[2]!), 'utf8')) as { levels: string[] };
    expect(xe.levels).toEqual(['tinh', 'xa']);
    expect(existsSync(join(root, 'listing', 'last-import.jsonl'))).toBe(true);

    const check = await tsx(['scripts/content-check.ts', root]);
    expect(check.code).toBe(1);
    const errors = check.stdout.split('\n').filter((l) => l.startsWith('ERROR'));
    // Only the drafts are refused, each for its status, every placeholder field and the raw listing text.
    for (const line of errors) expect(added.some((f) => line.includes(f)), line).toBe(true);
    for (const f of added) {
      const mine = errors.filter((l) => l.includes(f));
      expect(mine).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/status draft/),
          expect.stringMatching(/summary: still holds the placeholder "CẦN BIÊN TẬP"/),
          expect.stringMatching(/agency: still holds the placeholder/),
          expect.stringMatching(/fees\.note: still holds the placeholder/),
          expect.stringMatching(/aliases\.0: still holds the placeholder/),
          expect.stringMatching(/imported: the listing's raw text/),
        ]),
      );
    }
    expect(errors.join('\n')).not.toMatch(/future|is also used by/);
  }, 60_000);

  it('prints what changed per procedure on the next import, and touches no file it covers', async () => {
    const { procedures, tachHo } = contentCopy();
    expect((await importListing(V1, '--out', procedures)).code).toBe(0);
    const firemark = join(procedures, 'cap-giay-phep-su-dung-phao-hoa-tam-thap-cho-le-hoi.yaml');
    const draftText = readFileSync(firemark, 'utf8');
    const tachHoText = readFileSync(tachHo, 'utf8');

    const r = await importListing(V2, '--out', procedures);
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/901-11 .*unchanged/);
    expect(out).toMatch(/901-14 .*tach-ho\.yaml, CHANGED since .*last-import\.jsonl:\n {4}fee:\n/);
    expect(out).toContain(
      '    fee:\n      - - Nộp trực tiếp: 10.000 đồng/lần.\n      + - Nộp trực tiếp: 15.000 đồng/lần.\n' +
        '    legal_basis:\n      + - Thông tư số 71/2025/TT-BTC ngày 01/7/2025 của Bộ Tài chính.\n',
    );
    expect(out).toMatch(/cap-giay-phep-su-dung-phao-hoa-tam-thap-cho-le-hoi\.yaml, CHANGED/);
    expect(out).toContain('    processing_time:\n      - 05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.\n      + 07 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.\n    documents:\n      + - Bản cam kết bảo đảm an toàn khu vực bắn pháo hoa.\n    also changed: steps');
    expect(out).toMatch(/draft +.*khai-bao-mat-giay-phep-su-dung-phao-hoa\.yaml +← 901-15/);
    expect(out).toMatch(/gone +901-13 .*covered by .*doi-giay-chung-nhan-dang-ky-xe-may-chuyen-dung\.yaml/);
    expect(out).toMatch(/1 draft\(s\) written, 3 covered \(2 changed\), 1 no longer listed/);
    expect(readFileSync(firemark, 'utf8')).toBe(draftText);
    expect(readFileSync(tachHo, 'utf8')).toBe(tachHoText);
  }, 60_000);

  it('compares with --since OLDFILE and writes nothing on --dry-run', async () => {
    const { root, procedures } = contentCopy();
    const before = draftsIn(procedures);
    const r = await importListing(V2, '--out', procedures, '--since', V1, '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/compared with test\/fixtures\/listing\/listing-v1\.jsonl \(4 rows\)/);
    expect(r.stdout).toMatch(/tach-ho\.yaml, CHANGED[^]*15\.000 đồng/);
    expect(r.stdout).toMatch(/would write +.*khai-bao-mat-giay-phep-su-dung-phao-hoa\.yaml/);
    expect(draftsIn(procedures)).toEqual(before);
    expect(existsSync(join(root, 'listing'))).toBe(false);
  }, 60_000);

  it('reads CSV and XLSX with the same columns into the same drafts as JSON lines', async () => {
    const rows = listing(V1);
    const dir = mkdtempSync(join(tmpdir(), 'listing-'));
    writeFileSync(join(dir, 'danh-muc.csv'), '\uFEFF' + csvOf(rows));
    await writeXlsx(join(dir, 'danh-muc.xlsx'), rows);
    const drafts = async (file: string) => {
      const { procedures } = contentCopy();
      const before = new Set(draftsIn(procedures));
      const r = await importListing(file, '--out', procedures);
      expect(r.code, r.stderr).toBe(0);
      const added = draftsIn(procedures).filter((f) => !before.has(f));
      return added.map((f) => {
        const d = parseYaml(readFileSync(join(procedures, f), 'utf8')) as { source: { name?: string }; imported: { from?: string } };
        delete d.source.name;
        delete d.imported.from;
        return [f, d];
      });
    };
    const fromJson = await drafts(V1);
    expect(fromJson).toHaveLength(3);
    expect(await drafts(join(dir, 'danh-muc.csv'))).toEqual(fromJson);
    expect(await drafts(join(dir, 'danh-muc.xlsx'))).toEqual(fromJson);
  }, 90_000);

  it('refuses bad input with exit 2, naming the file, the row and the field, and writes nothing', async () => {
    const { root, procedures } = contentCopy();
    const before = draftsIn(procedures);
    const rows = listing(V1);
    const dir = mkdtempSync(join(tmpdir(), 'listing-'));
    const bad = join(dir, 'bad.jsonl');
    const lines = rows.map((r) => JSON.stringify(r));
    lines[1] = JSON.stringify({ ...rows[1], level: 'Cấp Huyện' });
    lines[2] = JSON.stringify({ ...rows[2], source_url: 'không có' });
    writeFileSync(bad, lines.join('\n') + '\n');
    const r = await importListing(bad, '--out', procedures);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: row 2: field level: must be a level of the listing`);
    expect(r.stderr).toContain(`${bad}: row 3: field source_url: must be an http(s) URL`);

    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, csvOf(rows).replace('processing_time', 'thoi_han'));
    const c = await importListing(csv, '--out', procedures);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain(`${csv}: row 1: unknown column "thoi_han"`);

    const dup = join(dir, 'dup.csv');
    writeFileSync(dup, csvOf([rows[0]!, { ...rows[1], id: rows[0]!.id }]));
    const d = await importListing(dup, '--out', procedures);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain(`${dup}: row 3: field id: "901-11" is already used on row 2`);

    expect(draftsIn(procedures)).toEqual(before);
    expect(readdirSync(procedures).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(root, 'listing'))).toBe(false);
  }, 60_000);

  it('keeps imported drafts out of the bot\'s answers', async () => {
    const { root, procedures } = contentCopy();
    expect((await importListing(V1, '--out', procedures)).code).toBe(0);
    const r = await tsx(['scripts/ask.ts', '--json', 'cấp giấy phép sử dụng pháo hoa tầm thấp cho lễ hội'], { CONTENT_DIR: root });
    expect(r.code, r.stderr).toBe(0);
    const answer = JSON.parse(r.stdout.trim().split('\n')[0]!) as { procedures: Array<{ id: string }>; reply: string };
    expect(answer.procedures.map((p) => p.id)).not.toContain('cap-giay-phep-su-dung-phao-hoa-tam-thap-cho-le-hoi');
    expect(answer.reply).not.toContain('CẦN BIÊN TẬP');
  }, 60_000);
});

describe('listing import helpers', () => {
  it('folds titles into unique slugs', () => {
    expect(slugFor('Đăng ký thường trú', new Set(), 'x')).toBe('dang-ky-thuong-tru');
    expect(slugFor('Đăng ký thường trú', new Set(['dang-ky-thuong-tru', 'dang-ky-thuong-tru-2']), 'x')).toBe('dang-ky-thuong-tru-3');
    expect(slugFor('—', new Set(), 'thu-tuc-1-2')).toBe('thu-tuc-1-2');
    expect(slugFor('Cấp giấy chứng nhận đủ điều kiện về an ninh, trật tự để kinh doanh ngành nghề có điều kiện', new Set(), 'x').length).toBeLessThanOrEqual(60);
  });

  it('diffs lines, ignoring whitespace', () => {
    expect(lineDiff('a\nb  c\nd', 'a\nb c\ne\nd')).toEqual([{ op: '+', text: 'e' }]);
    expect(lineDiff('10.000 đồng', '15.000 đồng')).toEqual([
      { op: '-', text: '10.000 đồng' },
      { op: '+', text: '15.000 đồng' },
    ]);
  });

  it('content:check names every field still holding the editor placeholder, even in an active file', () => {
    const p = procedureSchema.parse(minimal());
    p.channels[0]!.note = 'CẦN BIÊN TẬP: nơi nộp';
    p.steps = ['Bước một', 'CẦN BIÊN TẬP: bước hai'];
    const messages = checkProcedures([p], '/tmp', new Date('2026-10-01T00:00:00Z')).map((i) => i.message);
    expect(messages).toEqual([
      'channels.0.note: still holds the placeholder "CẦN BIÊN TẬP": write the text for citizens',
      'steps.1: still holds the placeholder "CẦN BIÊN TẬP": write the text for citizens',
    ]);
  });

  it('content:check accepts an import made this evening in Vietnam (local date ahead of UTC), not a later day', () => {
    const at = new Date('2026-10-01T20:00:00Z'); // 03:00 on 2 October in Cần Thơ
    const check = (verified_at: string) => checkProcedures([procedureSchema.parse({ ...minimal(), verified_at })], '/tmp', at).map((i) => i.message);
    expect(check('2026-10-02')).toEqual([]);
    expect(check('2026-10-03')).toEqual(['verified_at 2026-10-03 is in the future']);
  });
});

function minimal(): Record<string, unknown> {
  return {
    id: 'thu-tuc-a',
    title: 'Thủ tục thử A',
    aliases: ['thu tuc a'],
    field: 'Cư trú',
    levels: ['xa'],
    agency: 'Công an cấp xã',
    online_level: 'khong',
    channels: [{ kind: 'truc_tiep', note: 'Công an xã' }],
    fees: { note: 'Hỏi Công an xã' },
    processing_time: '05 ngày',
    legal_basis: ['Luật Cư trú 2020'],
    source: { name: 'Cổng DVC', url: 'https://dichvucong.gov.vn' },
    verified_at: '2026-09-01',
    summary: 'Một bản tóm tắt đủ dài cho người dân đọc, về nơi nộp và giấy tờ cần có.',
  };
}
