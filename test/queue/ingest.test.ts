import { request } from 'node:http';
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { countRows, CREDS, startTestBot, type TestBot } from '../helpers/bot.ts';
import { eventWith, uniqueMsgId } from '../helpers/fixtures.ts';
import { signatureHeader } from '../helpers/sign.ts';
import { createIngressPriority } from '../../src/queue/ingress-priority.ts';

// The webhook's ingest path: plain Node handler in front of express, group commit, acks before answers.

let t: TestBot | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const textEvent = (userId: string) => JSON.stringify(eventWith('user_send_text', { msgId: uniqueMsgId(), userId }));

/** A raw POST with full control over headers and path; resolves with status, headers and body. */
function rawPost(url: string, path: string, body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: target.hostname, port: target.port, path, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('webhook ingest', () => {
  it('stores 300 events posted at once, each once, and acks every one after its commit', async () => {
    t = await startTestBot();
    const bodies = Array.from({ length: 300 }, (_, i) => textEvent(`73000000000000${String(i).padStart(5, '0')}`));
    const results = await Promise.all(bodies.map((b) => t!.post(b)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => (r.json as { duplicate: boolean }).duplicate)).toHaveLength(0);
    // Every 200 was sent after its row was committed: the rows are all there the moment the last ack arrived.
    expect(countRows(t.bot, 'inbox')).toBe(300);
    // The same events again, concurrently with new ones: duplicates are reported as such, new ones stored.
    const again = await Promise.all([...bodies.slice(0, 50), textEvent('7300000000000099999')].map((b) => t!.post(b)));
    expect(again.slice(0, 50).every((r) => r.status === 200 && (r.json as { duplicate: boolean }).duplicate)).toBe(true);
    expect(again[50]).toEqual({ status: 200, json: { ok: true, duplicate: false } });
    expect(countRows(t.bot, 'inbox')).toBe(301);
  });

  it('echoes a sane X-Request-Id, accepts a query string, and leaves other methods to the 404 handler', async () => {
    t = await startTestBot();
    const body = textEvent('7300000000000000001');
    const headers = { 'content-type': 'application/json', 'x-zevent-signature': signatureHeader(body, CREDS.appId, CREDS.oaSecretKey), 'x-request-id': 'zalo-abc.123' };
    const ok = await rawPost(t.bot.url, '/webhooks/zalo?source=zalo', body, headers);
    expect(ok.status).toBe(200);
    expect(ok.headers['x-request-id']).toBe('zalo-abc.123');
    expect(ok.headers['content-type']).toMatch(/^application\/json/);
    const bad = await rawPost(t.bot.url, '/webhooks/zalo', textEvent('7300000000000000002'), { ...headers, 'x-zevent-signature': 'mac=00', 'x-request-id': 'bad id with spaces' });
    expect(bad.status).toBe(401);
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect((await fetch(`${t.bot.url}/webhooks/zalo`)).status).toBe(404);
    expect((await rawPost(t.bot.url, '/webhooks/zaloX', body, headers)).status).toBe(404);
    expect(countRows(t.bot, 'inbox')).toBe(1);
    // Matched as express matched it before: a trailing slash and another case reach the webhook too.
    for (const path of ['/webhooks/zalo/', '/Webhooks/Zalo?x=1']) {
      const other = textEvent('7300000000000000005');
      const res = await rawPost(t.bot.url, path, other, { ...headers, 'x-zevent-signature': signatureHeader(other, CREDS.appId, CREDS.oaSecretKey) });
      expect(res.status, path).toBe(200);
    }
    expect(countRows(t.bot, 'inbox')).toBe(3);
  });

  it('refuses a compressed body with 415 and stores nothing', async () => {
    t = await startTestBot();
    const body = textEvent('7300000000000000003');
    const res = await rawPost(t.bot.url, '/webhooks/zalo', gzipSync(body), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'x-zevent-signature': signatureHeader(body, CREDS.appId, CREDS.oaSecretKey),
    });
    expect(res.status).toBe(415);
    expect(JSON.parse(res.body)).toEqual({ error: 'unsupported content encoding' });
    expect(countRows(t.bot, 'inbox')).toBe(0);
  });

  it('answers 503 with Retry-After while the database stays locked past the busy timeout, and takes the redelivery', async () => {
    t = await startTestBot();
    // A backup or a stuck CLI holds the write lock for 6.5 s, longer than the 5 s busy timeout.
    const holder = spawn(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(t.dbPath)});d.exec('BEGIN EXCLUSIVE');console.log('locked');setTimeout(()=>{d.exec('COMMIT');d.close()},6500)`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((r) => holder.stdout!.once('data', r));
    const body = textEvent('7300000000000000004');
    const refused = await rawPost(t.bot.url, '/webhooks/zalo', body, { 'content-type': 'application/json', 'x-zevent-signature': signatureHeader(body, CREDS.appId, CREDS.oaSecretKey) });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    await new Promise((r) => holder.once('exit', r));
    // Zalo redelivers the same body: now it is stored, as new.
    expect(await t.post(body)).toEqual({ status: 200, json: { ok: true, duplicate: false } });
    expect(countRows(t.bot, 'inbox')).toBe(1);
  }, 20_000);
});

describe('ingress priority', () => {
  const turn = () => new Promise<void>((r) => setImmediate(r));

  it('lets background work go after one quiet loop turn', async () => {
    const ingress = createIngressPriority({ maxDeferMs: 1_000 });
    let turns = 0;
    let done = false;
    const waiting = ingress.yieldTurn().then(() => (done = true));
    while (!done) {
      await turn();
      turns++;
    }
    await waiting;
    expect(turns).toBeLessThanOrEqual(2);
  });

  it('holds background work while requests keep arriving, but never longer than maxDeferMs', async () => {
    const ingress = createIngressPriority({ maxDeferMs: 40 });
    let flooding = true;
    const flood = (async () => {
      while (flooding) {
        ingress.noteRequest();
        await turn();
      }
    })();
    const started = performance.now();
    await ingress.yieldTurn();
    const waited = performance.now() - started;
    flooding = false;
    await flood;
    expect(waited).toBeGreaterThanOrEqual(40);
    expect(waited).toBeLessThan(1_000);
  });
});
