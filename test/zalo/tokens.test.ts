import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { ZaloApiError, ZaloHttpError, ZaloReauthRequiredError } from '../../src/zalo/errors.ts';
import { CREDS, makeTempDir, removeTempDir, startTestBot, ZALO_API, ZALO_OAUTH, type TestBot } from '../helpers/bot.ts';
import { sentOk, useNock } from '../helpers/nock.ts';
import { repos } from '../helpers/repos.ts';

// Token refresh through the real bot (live mode, tokens in SQLite); Zalo's API and OAuth hosts faked with nock.

useNock();
const bots: TestBot[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const b of bots.splice(0)) await b.stop(false);
  for (const d of dirs.splice(0)) removeTempDir(d);
});

async function start(dir?: string): Promise<TestBot> {
  const d = dir ?? makeTempDir();
  if (!dir) dirs.push(d);
  const t = await startTestBot({ fake: false, dir: d });
  bots.push(t);
  return t;
}

const USER = '2468458835291979221';
const invalidToken = { error: -216, message: 'Access token is invalid' };

/** The OAuth refresh Zalo expects: header secret_key, form app_id + grant_type + refresh_token. */
function expectRefresh(refreshToken: string, answer: Record<string, unknown>, counter?: { n: number }) {
  return nock(ZALO_OAUTH, { reqheaders: { secret_key: CREDS.appSecret, 'content-type': /application\/x-www-form-urlencoded/ } })
    .post('/v4/oa/access_token', { app_id: CREDS.appId, grant_type: 'refresh_token', refresh_token: refreshToken })
    .reply(200, () => {
      if (counter) counter.n++;
      return answer;
    });
}

const storedTokens = (t: TestBot) => {
  const { access_token, refresh_token, needs_reauth } = repos(t.bot).tokens.get()!;
  return { access_token, refresh_token, needs_reauth };
};

describe('token refresh', () => {
  it('seeds the env tokens into SQLite and does not refresh them on the first call', async () => {
    const t = await start();
    expect(storedTokens(t)).toEqual({ access_token: CREDS.accessToken, refresh_token: CREDS.refreshToken, needs_reauth: 0 });
    const scope = nock(ZALO_API, { reqheaders: { access_token: CREDS.accessToken } }).post('/v3.0/oa/message/cs').reply(200, sentOk('m1', USER));
    await t.bot.client.sendMessage(USER, { kind: 'text', text: 'Xin chào' });
    expect(scope.isDone()).toBe(true); // nock would throw on an OAuth call: none is registered
  });

  it('on -216 refreshes once (secret_key header, form app_id/grant_type/refresh_token), saves the pair, retries once', async () => {
    const t = await start();
    const api = nock(ZALO_API)
      .post('/v3.0/oa/message/cs')
      .matchHeader('access_token', CREDS.accessToken)
      .reply(200, invalidToken)
      .post('/v3.0/oa/message/cs')
      .matchHeader('access_token', 'access-2')
      .reply(200, sentOk('after-refresh', USER));
    const oauth = expectRefresh(CREDS.refreshToken, { access_token: 'access-2', refresh_token: 'refresh-2', expires_in: '90000' });
    await expect(t.bot.client.sendMessage(USER, { kind: 'text', text: 'Xin chào' })).resolves.toEqual({ messageIds: ['after-refresh'] });
    expect(oauth.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
    expect(storedTokens(t)).toEqual({ access_token: 'access-2', refresh_token: 'refresh-2', needs_reauth: 0 });
    const expiresAt = repos(t.bot).tokens.get()!.expires_at;
    expect(expiresAt - Date.now()).toBeGreaterThan(24 * 3600_000); // from expires_in (25 h), not the seed guess
  });

  it('on -220 (expired) refreshes too; a second refusal after the retry is thrown, not looped', async () => {
    const t = await start();
    let apiCalls = 0;
    nock(ZALO_API)
      .post('/v3.0/oa/message/cs')
      .times(5)
      .reply(200, () => {
        apiCalls++;
        return { error: -220, message: 'access_token expired' };
      });
    const counter = { n: 0 };
    expectRefresh(CREDS.refreshToken, { access_token: 'access-2', refresh_token: 'refresh-2', expires_in: 90000 }, counter);
    const err = await t.bot.client.sendMessage(USER, { kind: 'text', text: 'Xin chào' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloApiError);
    expect((err as ZaloApiError).code).toBe(-220);
    expect(counter.n).toBe(1);
    expect(apiCalls).toBe(2);
  });

  it('persists the rotated refresh token and uses it after a restart', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const first = await start(dir);
    nock(ZALO_API).post('/v3.0/oa/message/cs').reply(200, invalidToken).post('/v3.0/oa/message/cs').reply(200, sentOk('m1', USER));
    expectRefresh(CREDS.refreshToken, { access_token: 'access-2', refresh_token: 'refresh-2', expires_in: '90000' });
    await first.bot.client.sendMessage(USER, { kind: 'text', text: 'Lần 1' });
    await first.bot.close();

    // Same database file; the env still holds the original (now spent) pair, which must not be used again.
    const second = await start(dir);
    expect(storedTokens(second)).toEqual({ access_token: 'access-2', refresh_token: 'refresh-2', needs_reauth: 0 });
    const api = nock(ZALO_API)
      .post('/v3.0/oa/message/cs')
      .matchHeader('access_token', 'access-2')
      .reply(200, invalidToken)
      .post('/v3.0/oa/message/cs')
      .matchHeader('access_token', 'access-3')
      .reply(200, sentOk('m2', USER));
    const oauth = expectRefresh('refresh-2', { access_token: 'access-3', refresh_token: 'refresh-3', expires_in: '90000' });
    await expect(second.bot.client.sendMessage(USER, { kind: 'text', text: 'Lần 2' })).resolves.toEqual({ messageIds: ['m2'] });
    expect(oauth.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
    expect(storedTokens(second).refresh_token).toBe('refresh-3');
  });

  it('a refusal without access_token on HTTP 200 (invalid_grant) marks the bot as needing re-authorisation', async () => {
    const t = await start();
    nock(ZALO_API).post('/v3.0/oa/message/cs').reply(200, invalidToken);
    const oauth = expectRefresh(CREDS.refreshToken, {
      error_name: 'invalid_grant',
      error_reason: 'Invalid refresh token',
      error_description: 'refresh token is invalid or used',
    });
    const err = await t.bot.client.sendMessage(USER, { kind: 'text', text: 'Xin chào' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloReauthRequiredError);
    expect(oauth.isDone()).toBe(true);
    // The working pair is not overwritten by the refusal.
    expect(storedTokens(t)).toEqual({ access_token: CREDS.accessToken, refresh_token: CREDS.refreshToken, needs_reauth: 1 });

    const health = await fetch(`${t.bot.url}/healthz`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { status: string; reasons: string[] };
    expect(body.status).toBe('degraded');
    expect(body.reasons).toEqual([expect.stringMatching(/re-authorisation/)]);

    // No further OAuth or API call is made with a broken chain: nothing is registered, nock would refuse it.
    await expect(t.bot.client.sendMessage(USER, { kind: 'text', text: 'Lần 2' })).rejects.toBeInstanceOf(ZaloReauthRequiredError);
  });

  it('20 concurrent calls refused with -216 cause exactly one OAuth call', async () => {
    const t = await start();
    const api = nock(ZALO_API)
      .post('/v3.0/oa/message/cs')
      .matchHeader('access_token', CREDS.accessToken)
      .times(20)
      .reply(200, invalidToken)
      .post('/v3.0/oa/message/cs')
      .matchHeader('access_token', 'access-2')
      .times(20)
      .reply(200, (_uri, body) => sentOk(`m-${(body as { message: { text: string } }).message.text}`, USER));
    const counter = { n: 0 };
    nock(ZALO_OAUTH)
      .post('/v4/oa/access_token')
      .times(5)
      .reply(200, (_uri, body) => {
        counter.n++;
        expect(String(body)).toContain(`refresh_token=${CREDS.refreshToken}`);
        return { access_token: 'access-2', refresh_token: 'refresh-2', expires_in: '90000' };
      });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.bot.client.sendMessage(USER, { kind: 'text', text: String(i) })),
    );
    expect(results.map((r) => r.messageIds[0])).toEqual(Array.from({ length: 20 }, (_, i) => `m-${i}`));
    expect(counter.n).toBe(1);
    expect(api.isDone()).toBe(true);
  });

  it.each([
    ['HTTP 429', 429, { error_name: 'rate_limited' }],
    ['an HTML error page', 200, '<html><body>Bad gateway</body></html>'],
  ])('a refresh answered with %s is a transient failure, not a broken chain', async (_name, status, answer) => {
    const t = await start();
    nock(ZALO_API).post('/v3.0/oa/message/cs').reply(200, invalidToken);
    nock(ZALO_OAUTH).post('/v4/oa/access_token').reply(status, answer);
    const err = await t.bot.client.sendMessage(USER, { kind: 'text', text: 'Xin chào' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloHttpError);
    expect(storedTokens(t).needs_reauth).toBe(0);
  });

  it('a refresh that fails on the network is not marked as re-authorisation and can be retried', async () => {
    const t = await start();
    nock(ZALO_API)
      .post('/v3.0/oa/message/cs')
      .reply(200, invalidToken)
      .post('/v3.0/oa/message/cs')
      .reply(200, invalidToken)
      .post('/v3.0/oa/message/cs')
      .matchHeader('access_token', 'access-2')
      .reply(200, sentOk('m-ok', USER));
    nock(ZALO_OAUTH).post('/v4/oa/access_token').reply(502, 'Bad Gateway');
    await expect(t.bot.client.sendMessage(USER, { kind: 'text', text: 'Xin chào' })).rejects.toThrow(/OAuth refresh: HTTP 502/);
    expect(storedTokens(t).needs_reauth).toBe(0);
    expect(repos(t.bot).tokens.get()!.lock_owner).toBeNull(); // lease released

    expectRefresh(CREDS.refreshToken, { access_token: 'access-2', refresh_token: 'refresh-2', expires_in: '90000' });
    await expect(t.bot.client.sendMessage(USER, { kind: 'text', text: 'Xin chào' })).resolves.toEqual({ messageIds: ['m-ok'] });
  });
});
