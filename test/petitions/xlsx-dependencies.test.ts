import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../helpers/bot.ts';

// Issue 12 (low): exceljs pulled old, deprecated packages (unzipper 0.10 → fstream → rimraf 2 → glob 7 → inflight;
// archiver 5 → archiver-utils → glob 7 → inflight). package.json lifts them with npm overrides; the XLSX writer
// (streaming and in memory) and both XLSX readers (in memory: jszip; streaming: unzipper) must keep working, since
// the next issues read XLSX uploads.

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as { packages: Record<string, { version?: string }> };
const installed = (name: string) =>
  Object.entries(lock.packages)
    .filter(([path]) => path === `node_modules/${name}` || path.endsWith(`/node_modules/${name}`))
    .map(([, p]) => p.version ?? '');
const major = (v: string) => Number(v.split('.')[0]);

describe('exceljs dependencies', () => {
  it('the locked tree has none of the deprecated packages exceljs used to pull', () => {
    expect(installed('fstream')).toEqual([]);
    expect(installed('inflight')).toEqual([]);
    expect(installed('rimraf').filter((v) => major(v) < 4)).toEqual([]);
    expect(installed('glob').filter((v) => major(v) < 9)).toEqual([]);
    expect(installed('unzipper').every((v) => major(v) > 0 || Number(v.split('.')[1]) >= 12)).toBe(true);
  });

  it('the streamed petition export reads back with both exceljs readers', async () => {
    tb = await startTestBot({ outboxPollMs: 10, env: { ADMIN_TOKEN: 'test-admin-token-0123456789abcdefghijkl' } });
    for (let i = 0; i < 3; i++) {
      tb.bot.petitions.submit({ userId: `u${i}`, kind: 'phan_anh', topic: 'other', procedureId: undefined, content: `Nội dung phản ánh số ${i}, đủ dài để hợp lệ.`, language: 'vi', needsTranslation: false, name: 'Nguyễn Văn An', phone: '+84912345678', address: 'Ấp 3', consentAt: Date.now(), attachments: [] });
    }
    const res = await fetch(`${tb.bot.url}/admin/api/petitions/export?format=xlsx`, { headers: { authorization: 'Bearer test-admin-token-0123456789abcdefghijkl' } });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());

    const inMemory = new ExcelJS.Workbook();
    await inMemory.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(inMemory.worksheets[0]!.rowCount).toBe(4);

    // The streaming reader (unzipper): what a large upload would use.
    const rows: unknown[][] = [];
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache' });
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) rows.push((row.values as unknown[]).slice(1));
    }
    expect(rows).toHaveLength(4);
    expect(rows[0]![0]).toBe('Mã');
    expect(rows[3]![5]).toBe('Nội dung phản ánh số 2, đủ dài để hợp lệ.');
  });
});
