import { Writable } from 'node:stream';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, maskPhones } from '../src/logger.ts';
import { CREDS, outboxSettled, startTestBot, waitFor, ZALO_API, ZALO_OAUTH, type TestBot } from './helpers/bot.ts';
import { eventWith, uniqueMsgId } from './helpers/fixtures.ts';
import { sentOk, useNock } from './helpers/nock.ts';

/** A pino destination that keeps every line in memory. */
function captureStream(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('createLogger', () => {
  it('redacts tokens, secrets and phone fields, and masks phone numbers in messages', () => {
    const { stream, text } = captureStream();
    const log = createLogger('info', stream);
    log.info({ access_token: 'AT-123456', refresh_token: 'RT-654321', headers: { access_token: 'AT-HEADER', secret_key: 'SK-1' } }, 'tokens');
    log.info({ info: { phone: '84912345678', name: 'An' } }, 'submitted');
    log.warn({ err: 'could not reach 0912 345 678' }, 'Người dân gọi 0987654321 để hỏi');
    const out = text();
    for (const secret of ['AT-123456', 'RT-654321', 'AT-HEADER', 'SK-1', '84912345678', '0912 345 678', '0987654321']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[redacted]');
    expect(out.split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('maskPhones keeps the text readable', () => {
    expect(maskPhones('Gọi 0912345678 hoặc +84 912 345 678.')).toBe('Gọi 091***78 hoặc +84***78.');
  });
});

describe('the running bot never logs tokens or phone numbers', () => {
  useNock();
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('through webhooks, a token refresh, a refused refresh and Zalo errors at trace level', async () => {
    const { stream, text } = captureStream();
    const logger = createLogger('trace', stream);
    t = await startTestBot({ fake: false, logger });
    const user = '2468458835291979221';
    const phone = '0912345678';

    // A reply refused with -216, a refresh that rotates the pair, then a 500 and success.
    nock(ZALO_API)
      .post('/v3.0/oa/message/cs')
      .reply(200, { error: -216, message: 'Access token is invalid' })
      .post('/v3.0/oa/message/cs')
      .reply(500, { error: -1, message: 'internal' })
      .post('/v3.0/oa/message/cs')
      .times(20)
      .reply(200, sentOk('m', user));
    nock(ZALO_OAUTH).post('/v4/oa/access_token').reply(200, { access_token: 'rotated-access-7f3e', refresh_token: 'rotated-refresh-9a1c', expires_in: '90000' });

    const textBody = eventWith('user_send_text', { userId: user, msgId: uniqueMsgId() });
    (textBody.message as Record<string, unknown>).text = `Số điện thoại của tôi là ${phone}, gọi lại giúp`;
    expect((await t.post(textBody)).status).toBe(200);
    expect((await t.post(eventWith('user_submit_info', { userId: user }))).status).toBe(200);
    expect((await t.post('{"broken', 'mac=00')).status).toBe(400);
    expect((await t.post(JSON.stringify(textBody), `mac=${'0'.repeat(64)}`)).status).toBe(401);
    await t.bot.drainInbox();
    await outboxSettled(t.bot);

    // Then the refresh chain breaks.
    nock.cleanAll();
    nock(ZALO_API).post('/v3.0/oa/message/cs').reply(200, { error: -216, message: 'Access token is invalid' });
    nock(ZALO_OAUTH).post('/v4/oa/access_token').reply(200, { error_name: 'invalid_grant', error_reason: 'Invalid refresh token' });
    await t.bot.client.sendMessage(user, { kind: 'text', text: `Gọi ${phone}` }).catch(() => undefined);

    const out = await waitFor('log lines', () => (text().includes('Zalo refresh token rejected') ? text() : ''));
    expect(out).toContain('Zalo access token refreshed');
    expect(out).toContain('Webhook with a wrong signature refused');
    for (const secret of [CREDS.accessToken, CREDS.refreshToken, CREDS.appSecret, CREDS.oaSecretKey, 'rotated-access-7f3e', 'rotated-refresh-9a1c', phone, '84912345678']) {
      expect(out).not.toContain(secret);
    }
  });
});
