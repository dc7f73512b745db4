import nock from 'nock';
import pino from 'pino';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { CREDS, startTestBot, ZALO_API, ZALO_OAUTH, type TestBot } from '../helpers/bot.ts';
import { sentOk, useNock } from '../helpers/nock.ts';
import { repos } from '../helpers/repos.ts';

// Issue 12 item 7: Zalo rotated the pair but answered the refresh after 15 s, past the 10 s timeout; the bot then
// retried with the refresh token it had just spent and ended in needsReauth.

useNock();
let t: TestBot | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const USER = '2468458835291979221';

/** A logger that keeps its lines (warn and above) for the test to read. */
function capturingLogger(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, stream), lines };
}

describe('a slow token refresh', () => {
  it('waits for a refresh slower than the API timeout instead of retrying with the spent refresh token', async () => {
    // Zalo rotates at once and answers after 1.5 s; the API timeout is 300 ms. The refresh has its own (30 s) timeout.
    t = await startTestBot({ fake: { oauthLatencyMs: 1_500 }, env: { ZALO_HTTP_TIMEOUT_MS: '300' } });
    t.fake!.state.accessToken = 'zalo-expired-it';
    await expect(t.bot.client.sendMessage(USER, { kind: 'text', text: 'Xin chào' })).resolves.toMatchObject({ messageIds: [expect.any(String)] });
    expect(t.fake!.oauthCalls).toBe(1);
    expect(repos(t.bot).tokens.get()).toMatchObject({ refresh_token: t.fake!.state.refreshToken, needs_reauth: 0 });
  });

  it('a refresh whose outcome is unknown is never retried: the current token is kept, health says what to do, the log names the action', async () => {
    const { logger, lines } = capturingLogger();
    t = await startTestBot({ fake: false, logger });
    // The access token is still valid but Zalo refuses it once (-216): the bot refreshes; the connection drops after
    // the request was written, so Zalo may have rotated the pair.
    nock(ZALO_API).post('/v3.0/oa/message/cs').reply(200, { error: -216, message: 'Access token is invalid' });
    let oauthCalls = 0;
    nock(ZALO_OAUTH)
      .post('/v4/oa/access_token')
      .times(5)
      .replyWithError('socket hang up')
      .on('request', () => oauthCalls++);
    await expect(t.bot.client.sendMessage(USER, { kind: 'text', text: 'Xin chào' })).rejects.toThrow();
    expect(oauthCalls).toBe(1);
    // The stored pair is untouched and not marked broken: the access token is used while it lasts.
    expect(repos(t.bot).tokens.get()).toMatchObject({
      access_token: CREDS.accessToken,
      refresh_token: CREDS.refreshToken,
      needs_reauth: 0,
    });
    const api = nock(ZALO_API).post('/v3.0/oa/message/cs').matchHeader('access_token', CREDS.accessToken).reply(200, sentOk('m-after', USER));
    await expect(t.bot.client.sendMessage(USER, { kind: 'text', text: 'Lần 2' })).resolves.toEqual({ messageIds: ['m-after'] });
    expect(api.isDone()).toBe(true);
    // A second refusal does not burn the refresh token again.
    nock(ZALO_API).post('/v3.0/oa/message/cs').reply(200, { error: -216, message: 'Access token is invalid' });
    await expect(t.bot.client.sendMessage(USER, { kind: 'text', text: 'Lần 3' })).rejects.toThrow();
    expect(oauthCalls).toBe(1);
    await t.bot.tokens.refreshIfDue();
    expect(oauthCalls).toBe(1);

    const health = (await (await fetch(`${t.bot.url}/healthz`)).json()) as { status: string; reasons: string[] };
    expect(health.status).toBe('degraded');
    expect(health.reasons).toContain('token refresh outcome unknown — re-authorise if sends fail');
    const line = lines.find((l) => /refresh/i.test(String(l.msg)) && /re-authoris/i.test(String(l.msg)));
    expect(line, JSON.stringify(lines)).toBeDefined();
    expect(String(line!.msg)).toMatch(/README/);
  });
});

describe('ZALO_REFRESH_TIMEOUT_MS', () => {
  it('defaults to 30 s and refuses less', async () => {
    const { loadConfig } = await import('../../src/config.ts');
    const base = { BOT_MODE: 'demo' };
    expect(loadConfig(base).zalo.refreshTimeoutMs).toBe(30_000);
    expect(() => loadConfig({ ...base, ZALO_REFRESH_TIMEOUT_MS: '10000' })).toThrow(/ZALO_REFRESH_TIMEOUT_MS/);
  });
});
