// Login-flood benchmark (issue 12, item 2): webhook ack latency while junk logins pour in, and whether a real staff
// login still gets through. The bot runs as its own process in live mode on a temporary SQLite file, with the
// production scrypt cost; Zalo is the local fake (src/zalo/fake-zalo.ts).
//   1. baseline: signed user_send_text events evenly paced at RATE/s for SECONDS, ack latency;
//   2. the same pacing while FLOOD junk logins are sent at once from one address, and a staff member logs in from
//      another address half a second in;
//   3. the same with the FLOOD logins each from its own address (X-Forwarded-For, trusted from loopback as behind
//      nginx): the per-address limits do not help there, only the bounded hashing queue does.
// Prints the figures and writes them to bench/results-login-flood.json.
// Usage: npm run bench:login-flood [-- --rate 50 --seconds 8 --flood 400]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startFakeZalo } from '../src/zalo/fake-zalo.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '8' },
    flood: { type: 'string', default: '400' },
  },
});
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const FLOOD = Number(args.flood);

const APP_ID = '3608465249409039670';
const OA_ID = '3886132808788086451';
const OA_SECRET_KEY = 'bench-oa-secret-key';
const STAFF_PASSWORD = 'mat-khau-benchmark-dang-nhap';

let seq = 0;
function signedEvent(): { body: string; headers: Record<string, string> } {
  seq += 1;
  const timestamp = String(Date.now());
  const body = JSON.stringify({
    app_id: APP_ID,
    sender: { id: String(7_300_000_000_000_000_000n + BigInt(seq % 500)) },
    user_id_by_app: '5521772797175877302',
    recipient: { id: OA_ID },
    event_name: 'user_send_text',
    message: { text: 'đăng ký tạm trú ở đâu', msg_id: `flood${process.pid.toString(16)}${seq.toString(16).padStart(10, '0')}` },
    timestamp,
  });
  const mac = createHash('sha256').update(APP_ID + body + timestamp + OA_SECRET_KEY, 'utf8').digest('hex');
  return { body, headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` } };
}

/**
 * CPU seconds the bot process has used (Linux /proc, user + system, all threads: scrypt runs on the libuv pool).
 * Unlike latencies, this barely depends on how busy the rest of the machine is.
 */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]! : NaN);
const r1 = (n: number) => Math.round(n * 10) / 10;

/** Evenly paced webhook posts; latency from the planned send time, so a stalled server shows. */
async function paced(url: string, rate: number, seconds: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(`${url}/webhooks/zalo`);
  const latencies: number[] = [];
  let failed = 0;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < rate * seconds; i++) {
    const planned = start + (i * 1000) / rate;
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
              if (res.statusCode && res.statusCode < 300) latencies.push(performance.now() - planned);
              else failed++;
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
  return { n: latencies.length, failed, p50: r1(pct(latencies, 50)), p95: r1(pct(latencies, 95)), p99: r1(pct(latencies, 99)), max: r1(latencies.at(-1) ?? NaN) };
}

async function login(url: string, username: string, password: string, from?: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  try {
    const res = await fetch(`${url}/admin/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(from ? { 'x-forwarded-for': from } : {}) },
      body: JSON.stringify({ username, password }),
    });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - started };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

async function flooded(url: string, distributed: boolean, pid: number) {
  const cpuBefore = cpuSeconds(pid);
  const webhooks = paced(url, RATE, SECONDS);
  await new Promise((r) => setTimeout(r, 1000));
  const floodStarted = performance.now();
  const junk = Promise.all(Array.from({ length: FLOOD }, (_, i) => login(url, `rac.${i % 40}`, `doan-bua-${i}`, distributed ? `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${(i & 255) + 1}` : undefined)));
  await new Promise((r) => setTimeout(r, 500));
  const staff = await login(url, 'can.bo', STAFF_PASSWORD, '198.51.100.20');
  const answers = await junk;
  const floodMs = performance.now() - floodStarted;
  const webhook = await webhooks;
  const cpu = r1(cpuSeconds(pid) - cpuBefore);
  const statuses: Record<string, number> = {};
  for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  const junkMs = answers.map((a) => a.ms).sort((a, b) => a - b);
  return {
    webhook,
    botCpuSeconds: cpu,
    staffLogin: { status: staff.status, ms: r1(staff.ms) },
    junk: { statuses, allAnsweredMs: r1(floodMs), p95Ms: r1(pct(junkMs, 95)) },
  };
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'zalo-login-flood-'));
  const dbPath = join(dir, 'bot.db');
  const fake = await startFakeZalo({ accessToken: 'bench-access-1', refreshToken: 'bench-refresh-1' });
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    BOT_MODE: 'live',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_PATH: dbPath,
    LOG_LEVEL: 'warn',
    ZALO_APP_ID: APP_ID,
    ZALO_APP_SECRET: 'bench-app-secret',
    ZALO_OA_SECRET_KEY: OA_SECRET_KEY,
    ZALO_ACCESS_TOKEN: 'bench-access-1',
    ZALO_REFRESH_TOKEN: 'bench-refresh-1',
    ZALO_API_BASE_URL: fake.url,
    ZALO_OAUTH_BASE_URL: fake.url,
  };
  const add = spawn(process.execPath, ['--import', 'tsx', 'scripts/staff.ts', 'add', '--username', 'can.bo', '--role', 'handler', '--password', STAFF_PASSWORD], { cwd: ROOT, env, stdio: 'inherit' });
  await new Promise<void>((resolve, reject) => add.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`staff:add exited ${code}`)))));

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: { ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
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
  child.stdout.removeAllListeners('data');
  child.stdout.resume();

  try {
    console.log(`Warm-up, then ${SECONDS} s of webhooks at ${RATE}/s without logins…`);
    await paced(url, RATE, 3);
    const cpuBefore = cpuSeconds(child.pid!);
    const baseline = { ...(await paced(url, RATE, SECONDS)), botCpuSeconds: NaN };
    baseline.botCpuSeconds = r1(cpuSeconds(child.pid!) - cpuBefore);
    console.log('baseline', baseline);
    console.log(`${FLOOD} junk logins from one address during the webhooks…`);
    const oneAddress = await flooded(url, false, child.pid!);
    console.log('one address', oneAddress);
    // Let the previous flood's queue drain and any lock of the flood addresses not matter (new addresses below).
    await new Promise((r) => setTimeout(r, 3000));
    console.log(`${FLOOD} junk logins, each from its own address, during the webhooks…`);
    const manyAddresses = await flooded(url, true, child.pid!);
    console.log('many addresses', manyAddresses);
    const result = {
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, loadBefore: r1(loadBefore), loadAfter: r1(loadavg()[0]!) },
      settings: { rate: RATE, seconds: SECONDS, flood: FLOOD },
      baseline,
      oneAddress,
      manyAddresses,
    };
    mkdirSync(join(ROOT, 'bench'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results-login-flood.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
