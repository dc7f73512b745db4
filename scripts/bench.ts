// npm run bench: every benchmark in one run, written to bench/results.json and bench/results.md.
// The webhook figure is a ratio against a bare express app (parse JSON, answer 200) measured the same way.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadConfig, offlineEnv } from '../src/config.ts';
import { createAskRunner } from './lib/ask-runner.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = join(ROOT, 'bench');
mkdirSync(BENCH, { recursive: true });
const quick = process.argv.includes('--quick');

function runScript(script: string, args: string[] = []): number {
  console.log(`\n== ${script} ${args.join(' ')}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, stdio: 'inherit', env: process.env });
  return r.status ?? 1;
}
const readJson = (name: string) => (existsSync(join(BENCH, name)) ? JSON.parse(readFileSync(join(BENCH, name), 'utf8')) : undefined);

/** Events/s of a bare express app that only parses the JSON and answers 200, for the same burst the bot gets. */
async function bareApp(amount: number): Promise<number> {
  const child = spawn(
    process.execPath,
    ['-e', "const e=require('express');const a=e();a.post('/webhooks/zalo',e.json({limit:'1mb'}),(q,r)=>r.json({ok:true}));const s=a.listen(0,'127.0.0.1',()=>console.log('port '+s.address().port))"],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((ok) => child.stdout.on('data', (c: Buffer) => ok(Number(/port (\d+)/.exec(c.toString())?.[1]))));
  let seq = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/webhooks/zalo`,
    connections: 50,
    amount,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const timestamp = String(Date.now());
          const body = JSON.stringify({ app_id: 'x', event_name: 'user_send_text', sender: { id: String(++seq) }, recipient: { id: '1' }, message: { msg_id: `bare${seq}`, text: 'lam cccd can j' }, timestamp });
          const mac = createHash('sha256').update(`x${body}${timestamp}k`).digest('hex');
          return { ...req, method: 'POST', path: '/webhooks/zalo', body, headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` } };
        },
      },
    ],
  });
  child.kill();
  return Math.round(result['2xx'] / result.duration);
}

async function askLatency(): Promise<{ questions: number; p50: number; p99: number }> {
  const sets = [resolve(ROOT, '..', 'shared', 'eval', 'dev-questions.jsonl'), join(ROOT, 'test/fixtures/questions-holdout.jsonl'), join(ROOT, 'test/fixtures/questions-blind.jsonl')].filter(existsSync);
  const questions = sets.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { q: string }).q));
  const runner = await createAskRunner(loadConfig({ ...offlineEnv(process.env), LOG_LEVEL: 'silent', CONTENT_DIR: join(ROOT, 'content') }));
  for (const q of questions.slice(0, 20)) await runner.ask(q, 'warm');
  const times: number[] = [];
  let n = 0;
  for (let round = 0; round < 5; round++) {
    for (const q of questions) {
      const t = performance.now();
      await runner.ask(q, `b${n++}`);
      times.push(performance.now() - t);
    }
  }
  runner.close();
  times.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor((times.length * p) / 100))]! * 100) / 100;
  return { questions: questions.length, p50: pct(50), p99: pct(99) };
}

// The webhook is measured as it runs in production: compiled, with the heap cap of `npm run start:dist`.
spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
const load = loadavg()[0]!;
// The max-rate figure is a fixed burst of events, the same for the bare app and the bot (see scripts/bench-webhook.ts).
const burst = quick ? 10_000 : 30_000;
const bare = await bareApp(burst);
runScript('scripts/bench-webhook.ts', ['--dist', '--burst', String(burst), ...(quick ? ['--seconds', '10', '--paced-seconds', '5'] : [])]);
const webhook = readJson('results-webhook.json');
const answers = await askLatency();
runScript('scripts/bench-search.ts');
runScript('scripts/bench-export.ts');
// Production configuration (npm run start:dist), like the webhook run.
if (!quick) runScript('scripts/bench-broadcast.ts', ['--dist']);
const search = readJson('results-search.json');
const exported = readJson('results-export.json');
const broadcast = readJson('results-broadcast.json');

const ratio = webhook ? Math.round((webhook.max.eventsPerSecond / bare) * 100) / 100 : null;
const results = {
  date: new Date().toISOString(),
  node: process.version,
  loadAverageAtStart: Math.round(load * 100) / 100,
  webhook: webhook && {
    bareAppEventsPerSecond: bare,
    botEventsPerSecond: webhook.max.eventsPerSecond,
    ratio,
    p99AckMsAt200: webhook.steady.ackLatencyMs.p99,
    pacedP99AckMsAt200: webhook.paced.ackLatencyMs.p99,
    non2xx: webhook.steady.non2xx + webhook.max.non2xx,
    allRepliesDelivered: webhook.replies.enqueued === webhook.replies.delivered,
    drainAfterLoadMs: webhook.max.drainAfterMs,
    answerCapacityEventsPerSecond: webhook.answerCapacity?.eventsPerSecond ?? null,
    peakRssMb: webhook.peakRssMb,
  },
  answers,
  search: search && { realP99Ms: search.real.latencyMs.p99, synthetic2000P99Ms: search.synthetic2000.latencyMs.p99, buildMsReal: search.real.buildMs, buildMs2000: search.synthetic2000.buildMs },
  export100k: exported && { csvMs: exported.csv.ms, xlsxMs: exported.xlsx.ms, peakRssMb: Math.max(exported.csv.peakRssMb, exported.xlsx.peakRssMb) },
  broadcast: broadcast && { deliveredPerSec: broadcast.deliveredPerSec, peakRssMb: broadcast.peakRssMb, killAndResume: broadcast.killAndResume },
};
const targets: [string, boolean | null][] = [
  ['webhook ack throughput ≥ 0.5× bare express', ratio === null ? null : ratio >= 0.5],
  ['webhook p99 ack < 50 ms at 200/s', webhook ? webhook.steady.ackLatencyMs.p99 < 50 : null],
  ['zero non-2xx', webhook ? results.webhook!.non2xx === 0 : null],
  ['every reply delivered after the load', webhook ? results.webhook!.allRepliesDelivered && webhook.max.drainAfterMs < 120_000 : null],
  ['webhook RSS < 250 MB', webhook ? webhook.peakRssMb < 250 : null],
  ['export 100k < 10 s, RSS < 300 MB', exported ? exported.csv.ms < 10_000 && exported.xlsx.ms < 10_000 && results.export100k!.peakRssMb < 300 : null],
  ['search p99 < 5 ms real, < 20 ms at 2,000', search ? search.real.latencyMs.p99 < 5 && search.synthetic2000.latencyMs.p99 < 20 : null],
  ['search index build < 1 s at 2,000 procedures', search ? search.synthetic2000.buildMs < 1000 : null],
  [
    'broadcast 100k: ≥ 95% of the rate, RSS < 200 MB, at most once per follower across a kill -9',
    broadcast?.targets ? Object.values(broadcast.targets as Record<string, boolean>).every(Boolean) : null,
  ],
];
writeFileSync(join(BENCH, 'results.json'), `${JSON.stringify({ ...results, targets: Object.fromEntries(targets) }, null, 2)}\n`);
const md = [
  `# Benchmark results (${results.date}, Node ${results.node}, 2 cores, load ${results.loadAverageAtStart})`,
  '',
  '| target | met |',
  '|---|---|',
  ...targets.map(([name, ok]) => `| ${name} | ${ok === null ? 'not run' : ok ? 'yes' : '**no**'} |`),
  '',
  '```json',
  JSON.stringify(results, null, 2),
  '```',
  '',
].join('\n');
writeFileSync(join(BENCH, 'results.md'), md);
console.log(`\n${md}`);
