// Broadcast benchmark: the bot runs as its own process (src/main.ts, live mode) on a temporary SQLite file holding
// N synthetic followers (default 100,000) and one due post; Zalo is the local fake (src/zalo/fake-zalo.ts) over HTTP,
// answering each call after a small latency. Part way through the fan-out the bot is killed with SIGKILL and started
// again; the run measures delivered/s against BROADCAST_RATE_PER_SEC, the peak RSS of the bot processes, the time
// from the kill to the first delivery of the restarted process, and checks the ledger: one row per follower and at
// most one message per follower at the fake.
// Usage: npm run bench:broadcast [-- --followers 100000 --rate 200 --latency 20 --kill-at 0.4 --node-options=--max-old-space-size=160 --dist]
// --node-options passes V8 flags to the bot processes (e.g. a heap cap), to compare peak RSS with and without them.
// --dist runs the compiled bot as `npm run start:dist` does in production (dist/main.js with its 160 MB heap cap).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { createPostRepository } from '../src/broadcasts/post-repository.ts';
import { openDatabase } from '../src/db/open.ts';
import { createFollowerRepository } from '../src/followers/follower-repository.ts';
import { startFakeZalo } from '../src/zalo/fake-zalo.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values: args } = parseArgs({
  options: {
    followers: { type: 'string', default: '100000' },
    rate: { type: 'string', default: '200' },
    latency: { type: 'string', default: '20' },
    'kill-at': { type: 'string', default: '0.4' },
    out: { type: 'string', default: 'bench/results-broadcast.json' },
    'node-options': { type: 'string', default: '' },
    dist: { type: 'boolean', default: false },
  },
});
const FOLLOWERS = Number(args.followers);
const RATE = Number(args.rate);
const LATENCY_MS = Number(args.latency);
const KILL_AT = Number(args['kill-at']);
const NODE_FLAGS = args['node-options'].split(/\s+/).filter((f) => f.length > 0);
// The same command line as `npm run start:dist` (package.json), or the sources through tsx.
const BOT_ARGS = args.dist ? [...(NODE_FLAGS.length > 0 ? NODE_FLAGS : ['--max-old-space-size=160']), 'dist/main.js'] : [...NODE_FLAGS, '--import', 'tsx', 'src/main.ts'];
const ACCESS = 'bench-access-1';
const REFRESH = 'bench-refresh-1';

/** Peak resident set size of a live process in MB (Linux VmHWM). */
function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

interface Bot {
  child: ChildProcess;
  listeningAt: number;
  exited: Promise<void>;
}

async function startBot(env: NodeJS.ProcessEnv): Promise<Bot> {
  const child = spawn(process.execPath, BOT_ARGS, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stderr!.on('data', (c: Buffer) => process.stderr.write(c));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      log += c.toString();
      if (/listening on http/.test(log)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`bot exited (${code}) before listening:\n${log}`)));
  });
  const listeningAt = Date.now();
  // From here on only warnings and errors of the bot are shown.
  child.stdout!.removeAllListeners('data');
  child.stdout!.on('data', (c: Buffer) => {
    const text = c.toString();
    if (/"level":(4|5|6)0/.test(text)) process.stderr.write(text);
  });
  return { child, listeningAt, exited };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'zalo-bench-broadcast-'));
  const dbPath = join(dir, 'bot.db');
  console.log(`Seeding ${FOLLOWERS.toLocaleString('en')} followers…`);
  const seeded = Date.now();
  const db = openDatabase(dbPath);
  const followers = createFollowerRepository(db);
  const ids = Array.from({ length: FOLLOWERS }, (_, i) => String(8_490_000_000_000_000_000n + BigInt(i)));
  for (let i = 0; i < ids.length; i += 10_000) {
    const chunk = ids.slice(i, i + 10_000);
    followers.markFollowing(chunk, seeded);
    followers.touch(chunk, seeded - 3600_000);
  }
  const postId = createPostRepository(db).create(
    {
      title: 'Bench',
      body: 'Công an tỉnh thông báo: từ ngày 01/7/2025, người dân đăng ký thường trú trực tuyến trên Cổng dịch vụ công quốc gia.',
      imageUrl: null,
      linkUrl: 'https://dichvucong.gov.vn',
      mode: 'message',
      audienceTag: null,
      sendAt: Date.now(),
      status: 'scheduled',
      createdBy: 'bench',
      approvedBy: 'bench',
    },
    Date.now(),
  );
  db.close();

  // The fake only counts per follower (the bodies of 100,000 messages are not needed).
  const perUser = new Map<string, number>();
  const times: number[] = [];
  const fake = await startFakeZalo({
    accessToken: ACCESS,
    refreshToken: REFRESH,
    latencyMs: LATENCY_MS,
    onSend: (m) => {
      perUser.set(m.userId, (perUser.get(m.userId) ?? 0) + 1);
      times.push(m.at);
    },
  });
  fake.sent.push = () => 0; // keep the fake's own list empty: memory of the harness, not of the bot
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    BOT_MODE: 'live',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_PATH: dbPath,
    LOG_LEVEL: 'info',
    ZALO_APP_ID: '3608465249409039670',
    ZALO_APP_SECRET: 'bench-app-secret',
    ZALO_OA_SECRET_KEY: 'bench-oa-secret-key',
    ZALO_ACCESS_TOKEN: ACCESS,
    ZALO_REFRESH_TOKEN: REFRESH,
    ZALO_API_BASE_URL: fake.url,
    ZALO_OAUTH_BASE_URL: fake.url,
    BROADCAST_TICK: '* * * * * *',
    BROADCAST_QUIET_HOURS: 'off',
    BROADCAST_RATE_PER_SEC: String(RATE),
  };

  const reader = new Database(dbPath, { readonly: true });
  const sentInDb = () => reader.prepare(`SELECT count(*) FROM broadcast_deliveries WHERE post_id = ? AND status = 'sent'`).pluck().get(postId) as number;
  const postStatus = () => reader.prepare('SELECT status FROM broadcast_posts WHERE id = ?').pluck().get(postId) as string;

  console.log(`Fan-out at ${RATE}/s against the fake (latency ${LATENCY_MS} ms); kill -9 after ${Math.round(KILL_AT * 100)}%…`);
  const first = await startBot(env);
  let rss1: number | undefined;
  while (times.length < FOLLOWERS * KILL_AT) {
    rss1 = peakRssMb(first.child.pid) ?? rss1;
    await sleep(200);
  }
  rss1 = peakRssMb(first.child.pid) ?? rss1;
  const killedAt = Date.now();
  const deliveredBeforeKill = times.length;
  first.child.kill('SIGKILL');
  await first.exited;
  await sleep(LATENCY_MS * 3); // answers the fake was still preparing for the dead process
  const inFlightAtKill = reader.prepare(`SELECT count(*) FROM broadcast_deliveries WHERE post_id = ? AND status = 'sending'`).pluck().get(postId) as number;
  const firstRun = times.slice(0, deliveredBeforeKill);

  const second = await startBot(env);
  const restartMs = second.listeningAt - killedAt;
  let rss2: number | undefined;
  let firstAfterRestart: number | undefined;
  let resumedIndex = times.length;
  for (;;) {
    rss2 = peakRssMb(second.child.pid) ?? rss2;
    if (firstAfterRestart === undefined) {
      const i = times.findIndex((t) => t >= second.listeningAt);
      if (i >= 0) {
        firstAfterRestart = times[i];
        resumedIndex = i;
      }
    }
    if (['sent', 'partially_sent', 'failed'].includes(postStatus())) break;
    await sleep(500);
  }
  rss2 = peakRssMb(second.child.pid) ?? rss2;
  second.child.kill('SIGTERM');
  await second.exited;
  const secondRun = times.slice(resumedIndex);

  const ledger = Object.fromEntries(
    (reader.prepare('SELECT status, count(*) AS n FROM broadcast_deliveries WHERE post_id = ? GROUP BY status').all(postId) as { status: string; n: number }[]).map((r) => [r.status, r.n]),
  );
  const rows = reader.prepare('SELECT count(*) AS rows, count(DISTINCT recipient) AS recipients FROM broadcast_deliveries WHERE post_id = ?').get(postId) as { rows: number; recipients: number };
  const finalStatus = postStatus();
  const sentRows = sentInDb();
  reader.close();
  await fake.close();

  // Steady rate of one run: messages over the time from its first to its last message (ramp-up included).
  const rateOf = (run: number[]) => (run.length > 1 ? (run.length - 1) / ((run[run.length - 1]! - run[0]!) / 1000) : 0);
  const r1 = rateOf(firstRun);
  const r2 = rateOf(secondRun);
  const sendingSeconds = (firstRun.length > 1 ? firstRun[firstRun.length - 1]! - firstRun[0]! : 0) / 1000 + (secondRun.length > 1 ? secondRun[secondRun.length - 1]! - secondRun[0]! : 0) / 1000;
  const overall = (firstRun.length + secondRun.length) / sendingSeconds;
  const duplicates = [...perUser.values()].filter((n) => n > 1).length;
  const peak = Math.max(rss1 ?? 0, rss2 ?? 0);

  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    followers: FOLLOWERS,
    configuredRatePerSec: RATE,
    fakeLatencyMs: LATENCY_MS,
    botCommand: ['node', ...BOT_ARGS].join(' '),
    deliveredPerSec: {
      beforeKill: Math.round(r1 * 10) / 10,
      afterRestart: Math.round(r2 * 10) / 10,
      overall: Math.round(overall * 10) / 10,
      ofConfiguredRate: `${Math.round((overall / RATE) * 1000) / 10}%`,
    },
    peakRssMb: { firstProcess: rss1 ?? null, restartedProcess: rss2 ?? null, max: peak },
    killAndResume: {
      deliveredBeforeKill,
      inFlightAtKillMarkedUnknown: inFlightAtKill,
      killToListeningMs: restartMs,
      killToFirstDeliveryMs: firstAfterRestart !== undefined ? firstAfterRestart - killedAt : null,
    },
    ledger: { postStatus: finalStatus, rows: rows.rows, distinctRecipients: rows.recipients, ...ledger, sentRows },
    fake: { messages: times.length, followersReached: perUser.size, followersWithMoreThanOneMessage: duplicates },
    targets: { deliveredAtLeast95PercentOfRate: overall >= 0.95 * RATE, peakRssUnder200Mb: peak > 0 && peak < 200, atMostOncePerFollower: duplicates === 0, oneRowPerFollower: rows.rows === FOLLOWERS && rows.recipients === FOLLOWERS },
  };
  console.log(JSON.stringify(results, null, 2));
  mkdirSync(join(ROOT, 'bench'), { recursive: true });
  writeFileSync(resolve(ROOT, args.out), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Written to ${args.out}`);
  rmSync(dir, { recursive: true, force: true });
  if (!Object.values(results.targets).every(Boolean)) process.exitCode = 1;
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
