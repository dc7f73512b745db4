// Webhook benchmark. The bot runs as its own process (as in production) in live mode on a temporary SQLite file;
// Zalo's API and OAuth hosts are the local fake (src/zalo/fake-zalo.ts), so every reply really goes out over HTTP.
// Every request is a user_send_text with its own msg_id, signed with node:crypto like Zalo does.
//   1. warm-up, then autocannon at RATE events/s for SECONDS (ack latency);
//   2. an evenly paced client at RATE events/s (autocannon's rate limiter sends each connection's quota in a burst
//      at the start of every second, so both views are reported);
//   3. a burst of BURST events, sent by autocannon on 50 connections as fast as the bot acks them (events/s).
//      scripts/bench.ts sends the same burst to a bare express app, so the two figures make a ratio. The burst has a
//      fixed size rather than a fixed duration: acks are far faster than answers, so a fixed duration would measure
//      how big a backlog the machine can pile up rather than how fast it acks;
//   4. wait (at most 2 minutes) until every event is processed and every reply delivered to the fake. The rate of
//      that drain is the answer capacity: events answered per second once the load has stopped.
// The bot acks first (src/queue/ingress-priority.ts), so during the burst most of the answering waits.
// Prints the figures and writes them to bench/results-webhook.json.
// Usage: npm run bench:webhook [-- --rate 200 --seconds 20 --paced-seconds 10 --burst 30000 --dist]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import Database from 'better-sqlite3';
import { startFakeZalo } from '../src/zalo/fake-zalo.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    'paced-seconds': { type: 'string', default: '10' },
    users: { type: 'string', default: '2000' },
    // About what 30% of 100,000 followers replying to a broadcast at once would send.
    burst: { type: 'string', default: '30000' },
    // Run the compiled bot (npm run build) as `npm run start:dist` does in production, instead of through tsx.
    dist: { type: 'boolean', default: false },
  },
});
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const PACED_SECONDS = Number(args['paced-seconds']);
const BURST = Number(args.burst);
const USERS = Number(args.users);
const DRAIN_LIMIT_MS = 120_000;
const TARGET_P99_MS = 50;

const APP_ID = '3608465249409039670';
const OA_ID = '3886132808788086451';
const OA_SECRET_KEY = 'bench-oa-secret-key';
const QUESTIONS = [
  'Xin chào',
  'làm căn cước cho con dưới 14 tuổi cần giấy tờ gì',
  'đăng ký tạm trú ở đâu',
  'cap ho chieu mat bao lau',
  'sang tên xe máy cần gì',
  'thủ tục đổi giấy phép lái xe',
];

let seq = 0;
/** A fresh signed user_send_text: its own msg_id, one of USERS citizens, the MAC computed with node:crypto. */
function signedEvent(): { body: string; headers: Record<string, string> } {
  seq += 1;
  const timestamp = String(Date.now());
  const body = JSON.stringify({
    app_id: APP_ID,
    sender: { id: String(7_300_000_000_000_000_000n + BigInt(seq % USERS)) },
    user_id_by_app: '5521772797175877302',
    recipient: { id: OA_ID },
    event_name: 'user_send_text',
    message: { text: QUESTIONS[seq % QUESTIONS.length], msg_id: `bench${process.pid.toString(16)}${seq.toString(16).padStart(10, '0')}` },
    timestamp,
  });
  const mac = createHash('sha256').update(APP_ID + body + timestamp + OA_SECRET_KEY, 'utf8').digest('hex');
  return { body, headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` } };
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]! : NaN);
const round1 = (n: number) => Math.round(n * 10) / 10;

interface Run {
  result: Result;
  /** Raw latencies (ms) of 2xx responses, as measured, without autocannon's coordinated-omission correction. */
  raw: number[];
}

async function cannon(url: string, options: { duration?: number; amount?: number; overallRate?: number; connections: number }): Promise<Run> {
  const raw: number[] = [];
  const instance = autocannon({
    url: `${url}/webhooks/zalo`,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.duration }),
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    timeout: 10,
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, method: 'POST', path: '/webhooks/zalo', ...signedEvent() }) }],
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) raw.push(ms);
  });
  const result = await instance;
  raw.sort((a, b) => a - b);
  return { result, raw };
}

/** One request every 1000/rate ms on keep-alive connections; latency counted from the planned send time. */
async function paced(url: string, rate: number, seconds: number): Promise<{ latencies: number[]; ok: number; failed: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(`${url}/webhooks/zalo`);
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const total = rate * seconds;
  const interval = 1000 / rate;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const planned = start + i * interval;
    const wait = planned - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const { body, headers } = signedEvent();
    inflight.push(
      new Promise<void>((resolve) => {
        const req = request(
          { agent, hostname: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
          (res) => {
            res.resume();
            res.on('end', () => {
              if (res.statusCode && res.statusCode < 300) {
                ok++;
                latencies.push(performance.now() - planned);
              } else failed++;
              resolve();
            });
          },
        );
        req.on('error', () => {
          failed++;
          resolve();
        });
        req.end(body);
      }),
    );
  }
  await Promise.all(inflight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { latencies, ok, failed };
}

/** Peak resident set size of a process in MB (Linux VmHWM), or undefined elsewhere. */
function peakRssMb(pid: number): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'zalo-bench-'));
  const dbPath = join(dir, 'bot.db');
  const fake = await startFakeZalo({ accessToken: 'bench-access-1', refreshToken: 'bench-refresh-1' });
  const child = spawn(process.execPath, args.dist ? ['--max-old-space-size=160', 'dist/main.js'] : ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      BOT_MODE: 'live',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: dbPath,
      LOG_LEVEL: 'info',
      ZALO_APP_ID: APP_ID,
      ZALO_APP_SECRET: 'bench-app-secret',
      ZALO_OA_SECRET_KEY: OA_SECRET_KEY,
      ZALO_ACCESS_TOKEN: 'bench-access-1',
      ZALO_REFRESH_TOKEN: 'bench-refresh-1',
      ZALO_API_BASE_URL: fake.url,
      ZALO_OAUTH_BASE_URL: fake.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (c: Buffer) => (log += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      log += c.toString();
      const m = /listening on (http:\/\/[^\s"]+)/.exec(log);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bot exited (${code}):\n${log}`)));
  });
  // From here on, show only what the bot logs as a warning or worse.
  child.stdout.removeAllListeners('data');
  child.stdout.on('data', (c: Buffer) => {
    const text = c.toString();
    if (/"level":(4|5|6)0/.test(text)) process.stderr.write(text);
  });

  const db = new Database(dbPath, { readonly: true });
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  const backlog = () => count(`SELECT count(*) FROM inbox WHERE status = 'pending'`) + count(`SELECT count(*) FROM outbox WHERE status IN ('pending','sending')`);
  const waitDrained = async (limitMs: number) => {
    const started = Date.now();
    while (backlog() > 0 && Date.now() - started < limitMs) await new Promise((r) => setTimeout(r, 250));
    return Date.now() - started;
  };

  console.log(`Warm-up 5 s, then autocannon ${SECONDS} s at ${RATE} events/s…`);
  const warm = await cannon(url, { duration: 5, overallRate: RATE, connections: 20 });
  await waitDrained(DRAIN_LIMIT_MS);
  const steady = await cannon(url, { duration: SECONDS, overallRate: RATE, connections: 20 });
  const steadyDrainMs = await waitDrained(DRAIN_LIMIT_MS);

  console.log(`Evenly paced client ${PACED_SECONDS} s at ${RATE} events/s…`);
  const even = await paced(url, RATE, PACED_SECONDS);
  await waitDrained(DRAIN_LIMIT_MS);

  console.log(`A burst of ${BURST} events as fast as the bot acks them…`);
  const burst = await cannon(url, { amount: BURST, connections: 50 });
  const processedBeforeDrain = count(`SELECT count(*) FROM inbox WHERE status <> 'pending'`);
  const repliesBeforeDrain = count(`SELECT count(*) FROM outbox WHERE status = 'sent'`);
  const drainMs = await waitDrained(DRAIN_LIMIT_MS);
  const processedInDrain = count(`SELECT count(*) FROM inbox WHERE status <> 'pending'`) - processedBeforeDrain;
  const repliesInDrain = count(`SELECT count(*) FROM outbox WHERE status = 'sent'`) - repliesBeforeDrain;

  const runs = [warm, steady, burst];
  const accepted = runs.reduce((n, r) => n + r.result['2xx'], 0) + even.ok;
  const non2xx = runs.reduce((n, r) => n + r.result.non2xx, 0) + even.failed;
  const connectionErrors = runs.reduce((n, r) => n + r.result.errors, 0);
  const stored = count(`SELECT count(*) FROM inbox`);
  const processed = count(`SELECT count(*) FROM inbox WHERE status = 'done'`);
  const enqueued = count(`SELECT count(*) FROM outbox`);
  const delivered = count(`SELECT count(*) FROM outbox WHERE status = 'sent'`);
  const failedReplies = count(`SELECT count(*) FROM outbox WHERE status = 'failed'`);
  const receivedByFake = fake.sent.length;
  const leftOver = backlog();
  const rss = peakRssMb(child.pid!);

  const exitCode = await new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
  db.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });

  const steadyRaw = { p50: round1(percentile(steady.raw, 50)), p99: round1(percentile(steady.raw, 99)), max: round1(steady.raw.at(-1) ?? NaN) };
  const evenLat = { p50: round1(percentile(even.latencies, 50)), p99: round1(percentile(even.latencies, 99)), max: round1(even.latencies.at(-1) ?? NaN) };
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadAverageBefore: round1(loadBefore),
    steady: {
      tool: 'autocannon, 20 connections, overallRate',
      targetRate: RATE,
      seconds: SECONDS,
      eventsPerSecond: Math.round(steady.result.requests.average),
      ackLatencyMs: steadyRaw,
      ackLatencyMsCorrected: { p50: steady.result.latency.p50, p99: steady.result.latency.p99, max: steady.result.latency.max },
      non2xx: steady.result.non2xx,
      drainAfterMs: steadyDrainMs,
    },
    paced: { tool: 'own client, one request every 1000/rate ms', rate: RATE, seconds: PACED_SECONDS, ackLatencyMs: evenLat, ok: even.ok, failed: even.failed },
    max: {
      tool: 'autocannon, 50 connections, no rate limit, a fixed burst',
      events: BURST,
      seconds: burst.result.duration,
      eventsPerSecond: Math.round(burst.result['2xx'] / burst.result.duration),
      ackLatencyMs: { p50: round1(percentile(burst.raw, 50)), p99: round1(percentile(burst.raw, 99)) },
      non2xx: burst.result.non2xx,
      drainAfterMs: drainMs,
      processedDuringBurst: processedBeforeDrain - (accepted - burst.result['2xx']),
    },
    // Events answered (and replies delivered) per second while the backlog of the burst drained, with the load gone.
    answerCapacity: {
      eventsPerSecond: drainMs > 0 ? Math.round((processedInDrain * 1000) / drainMs) : null,
      repliesPerSecond: drainMs > 0 ? Math.round((repliesInDrain * 1000) / drainMs) : null,
    },
    // autocannon stops counting at the end of a run; a request it gave up on may still have been stored, so stored ≥ accepted.
    events: { accepted, non2xx, connectionErrors, stored, processed, backlogAtEnd: leftOver },
    replies: { enqueued, delivered, failed: failedReplies, receivedByFakeZalo: receivedByFake },
    peakRssMb: rss ?? null,
    botExitCode: exitCode,
    noEventLost: stored >= accepted && processed === stored && leftOver === 0 && delivered === enqueued && receivedByFake >= enqueued,
    targetMet: steadyRaw.p99 < TARGET_P99_MS && evenLat.p99 < TARGET_P99_MS && non2xx === 0,
  };
  mkdirSync(join(ROOT, 'bench'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results-webhook.json'), `${JSON.stringify(results, null, 2)}\n`);

  console.log(`
acked events/s (burst of ${BURST})    ${results.max.eventsPerSecond} (${results.max.processedDuringBurst} answered during the burst)
answer capacity after the load     ${results.answerCapacity.eventsPerSecond} events/s, ${results.answerCapacity.repliesPerSecond} replies/s
ack at ${RATE}/s, autocannon (raw)     p50 ${steadyRaw.p50} ms, p99 ${steadyRaw.p99} ms, max ${steadyRaw.max} ms
ack at ${RATE}/s, autocannon (CO-corr.) p50 ${steady.result.latency.p50} ms, p99 ${steady.result.latency.p99} ms
ack at ${RATE}/s, evenly paced         p50 ${evenLat.p50} ms, p99 ${evenLat.p99} ms, max ${evenLat.max} ms
non-2xx                            ${non2xx} (connection errors ${connectionErrors})
events accepted / stored / processed ${accepted} / ${stored} / ${processed}
replies enqueued / delivered       ${enqueued} / ${delivered} (fake Zalo received ${receivedByFake} messages; ${failedReplies} failed)
backlog drained after              ${(steadyDrainMs / 1000).toFixed(1)} s (steady), ${(drainMs / 1000).toFixed(1)} s (burst)
peak RSS of the bot                ${rss ?? 'n/a'} MB
load average before the run        ${round1(loadBefore)} on ${cpus().length} CPUs
no event lost                      ${results.noEventLost ? 'yes' : 'NO'}
target p99 < ${TARGET_P99_MS} ms at ${RATE}/s       ${results.targetMet ? 'met' : 'NOT met'}
written to bench/results-webhook.json`);
  if (!results.noEventLost) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
