// npm run bench:export: 100,000 petitions exported as CSV and XLSX, streamed to files; time and peak RSS.
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db/open.ts';
import { createI18n } from '../src/i18n/index.ts';
import { writeExport, type ExportFormat } from '../src/petitions/petition-export.ts';
import { createPetitionRepository } from '../src/petitions/petition-repository.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'bench-export-'));
const db = openDatabase(join(dir, 'bench.db'));
const repo = createPetitionRepository(db);

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);

const seedStart = performance.now();
db.transaction(() => {
  const start = Date.UTC(2025, 0, 1);
  for (let i = 0; i < ROWS; i++) {
    repo.create(
      {
        userId: `u${i % 5000}`,
        kind: i % 3 === 0 ? 'kien_nghi' : 'phan_anh',
        topic: 'other',
        procedureId: undefined,
        content: `Phản ánh số ${i}: thời gian giải quyết hồ sơ tại bộ phận một cửa còn chậm, đề nghị xem xét, "trả lời", cảm ơn.\nDòng thứ hai.`,
        language: 'vi',
        needsTranslation: false,
        name: 'Nguyễn Văn An',
        phone: '+84912345678',
        address: 'Ấp 3, phường Phú Lợi, thành phố Cần Thơ',
        consentAt: start,
        attachments: [],
      },
      start + i * 60_000,
      2025,
    );
  }
})();
const seedMs = performance.now() - seedStart;
peak = Math.max(peak, process.memoryUsage().rss);
const baseline = process.memoryUsage().rss;

const t = createI18n({}).forLanguage('vi');
const results: Record<string, unknown> = { rows: ROWS, seedMs: Math.round(seedMs) };
for (const format of ['csv', 'xlsx'] as ExportFormat[]) {
  const file = join(dir, `export.${format}`);
  const out = createWriteStream(file);
  peak = process.memoryUsage().rss;
  const started = performance.now();
  const n = await writeExport(repo.iterate({}), out, { format, includePii: false, timeZone: 'Asia/Ho_Chi_Minh', t, procedureTitle: () => '' });
  const ms = performance.now() - started;
  peak = Math.max(peak, process.memoryUsage().rss);
  results[format] = { rows: n, ms: Math.round(ms), mb: Math.round(statSync(file).size / 1e5) / 10, peakRssMb: Math.round(peak / 1e6), baselineRssMb: Math.round(baseline / 1e6) };
}
clearInterval(sampler);
db.close();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(results, null, 2));
mkdirSync(join(root, 'bench'), { recursive: true });
writeFileSync(join(root, 'bench', 'results-export.json'), `${JSON.stringify(results, null, 2)}\n`);
const ok = (['csv', 'xlsx'] as const).every((f) => {
  const r = results[f] as { ms: number; peakRssMb: number };
  return r.ms < 10_000 && r.peakRssMb < 300;
});
console.log(ok ? 'targets met: < 10 s and RSS < 300 MB per export' : 'TARGETS MISSED');
process.exit(ok ? 0 : 1);
