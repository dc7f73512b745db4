// npm run bench:answers [-- --date YYYY-MM-DD] [--file set.jsonl …] [--out FILE]: how long the first reply is.
// Each question of the sets (test/fixtures/questions-holdout.jsonl and ../shared/eval/dev-questions.jsonl unless
// --file is given) is asked as a new conversation; the figure is the text of the first message, before its buttons,
// in characters: median and p90 over the procedure answers, and over every reply. Written to bench/results-answers.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFakeClock } from '../src/clock.ts';
import { loadConfig, offlineEnv } from '../src/config.ts';
import { zonedTimeToEpoch } from '../src/time.ts';
import { createAskRunner } from './lib/ask-runner.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name: string) => args.flatMap((a, i) => (args[i - 1] === name ? [a] : []));
const files = option('--file').map((f) => resolve(f));
if (files.length === 0) files.push(join(ROOT, 'test', 'fixtures', 'questions-holdout.jsonl'), resolve(ROOT, '..', 'shared', 'eval', 'dev-questions.jsonl'));
const date = option('--date')[0] ?? '2026-12-01';
const out = option('--out')[0] ?? join(ROOT, 'bench', 'results-answers.json');
const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
if (!m) throw new Error(`--date must be written YYYY-MM-DD (got ${date})`);

const config = loadConfig({ ...offlineEnv(process.env), LOG_LEVEL: 'silent', CONTENT_DIR: join(ROOT, 'content') });
// Answers as of 09:00 local time on the date (fees depend on it).
const clock = createFakeClock(new Date(zonedTimeToEpoch({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: 9 }, config.timeZone)));
const runner = await createAskRunner(config, clock);

interface Row {
  id: string;
  intent: string;
  length: number;
  messages: number;
  buttons: number;
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
const stats = (rows: Row[]) => {
  const lengths = rows.map((r) => r.length);
  return {
    count: rows.length,
    median: quantile(lengths, 0.5),
    p90: quantile(lengths, 0.9),
    max: Math.max(0, ...lengths),
    over600: lengths.filter((l) => l > 600).length,
    maxButtons: Math.max(0, ...rows.map((r) => r.buttons)),
  };
};

const rows: Row[] = [];
let n = 0;
try {
  for (const file of files) {
    if (!existsSync(file)) {
      console.error(`skipped (not found): ${file}`);
      continue;
    }
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const q = JSON.parse(line) as { id: string; q: string };
      const { result, messages } = await runner.askMessages(q.q, `bench-${++n}`);
      const first = messages[0];
      const text = first?.kind === 'text' ? first.text : '';
      rows.push({ id: q.id, intent: result.intent, length: text.length, messages: messages.length, buttons: first?.kind === 'text' ? (first.buttons?.length ?? 0) : 0 });
    }
  }
} finally {
  runner.close();
}

const procedures = rows.filter((r) => r.intent === 'procedure');
const result = {
  date,
  files: files.map((f) => relative(ROOT, f)),
  procedureAnswers: stats(procedures),
  allReplies: stats(rows),
  longest: [...procedures].sort((a, b) => b.length - a.length).slice(0, 5).map((r) => `${r.id}: ${r.length}`),
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
const p = result.procedureAnswers;
const a = result.allReplies;
console.log(`first reply, characters before the buttons (answers as of ${date})`);
console.log(`  procedure answers: n=${p.count} median=${p.median} p90=${p.p90} max=${p.max} over 600=${p.over600} max buttons=${p.maxButtons}`);
console.log(`  every reply:       n=${a.count} median=${a.median} p90=${a.p90} max=${a.max}`);
console.log(`written to ${out}`);
