import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../src/messages.ts';
import { ZaloApiError, ZaloHttpError } from '../../src/zalo/errors.ts';
import { startFakeZalo } from '../../src/zalo/fake-zalo.ts';
import { classifySendError } from '../../src/zalo/send-outcome.ts';
import { countRows, CREDS, startTestBot, waitFor, ZALO_API, ZALO_OAUTH, type TestBot } from '../helpers/bot.ts';
import { eventWith, uniqueMsgId } from '../helpers/fixtures.ts';
import { sentOk, useNock } from '../helpers/nock.ts';
import { maxOutboxAttempts, outboxRows } from '../helpers/db-reads.ts';

// The real Zalo client inside the real bot (live mode); Zalo is faked at the HTTP layer with nock.

useNock();
let t: TestBot | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const USER = '2468458835291979221';
type CsBody = { recipient: { user_id: string }; message: { text?: string; attachment?: { type: string; payload: Record<string, unknown> } } };

/** Records every /message/cs body and answers success. */
function captureSends(times = 10): CsBody[] {
  const bodies: CsBody[] = [];
  nock(ZALO_API)
    .post('/v3.0/oa/message/cs')
    .times(times)
    .reply(200, (_uri, body) => {
      bodies.push(body as CsBody);
      return sentOk(`mid-${bodies.length}`, USER);
    });
  return bodies;
}

describe('sending text', () => {
  it('sends a text of up to 2000 characters as is, with the access_token header', async () => {
    t = await startTestBot({ fake: false });
    const text = `Thủ tục cấp căn cước: ${'x'.repeat(2000 - 22)}`;
    expect(text).toHaveLength(2000);
    const scope = nock(ZALO_API, { reqheaders: { access_token: CREDS.accessToken, 'content-type': /application\/json/ } })
      .post('/v3.0/oa/message/cs', { recipient: { user_id: USER }, message: { text } })
      .reply(200, sentOk('msg-001', USER));
    const result = await t.bot.client.sendMessage(USER, { kind: 'text', text });
    expect(result).toEqual({ messageIds: ['msg-001'] });
    expect(scope.isDone()).toBe(true);
  });

  it('splits a longer text at sentence and line boundaries, each chunk ≤ 2000, buttons only on the last', async () => {
    t = await startTestBot({ fake: false });
    const sentence = 'Công dân nộp hồ sơ tại Công an cấp xã nơi cư trú hoặc qua Cổng dịch vụ công quốc gia. ';
    const paragraph = `${sentence.repeat(12).trim()}\n`;
    const text = paragraph.repeat(5) + sentence.repeat(20).trim();
    expect(text.length).toBeGreaterThan(4000);
    const bodies = captureSends();
    const message: OutgoingMessage = { kind: 'text', text, buttons: [{ kind: 'query', title: 'Menu', payload: '#cmd:menu' }] };
    const { messageIds } = await t.bot.client.sendMessage(USER, message);

    expect(bodies.length).toBeGreaterThan(2);
    expect(messageIds).toHaveLength(bodies.length);
    const chunks = bodies.map((b) => b.message.text ?? '');
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(2000);
      expect(chunk.length).toBeGreaterThan(0);
    }
    for (const chunk of chunks.slice(0, -1)) expect(chunk).toMatch(/[.!?…]$/); // cut after a sentence (or at a line end)
    expect(chunks.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
    expect(bodies.slice(0, -1).every((b) => b.message.attachment === undefined)).toBe(true);
    expect(bodies.at(-1)!.message.attachment?.payload.buttons).toHaveLength(1);
  });

  it('cuts at a line break when a window holds no sentence end', async () => {
    t = await startTestBot({ fake: false });
    const line = 'Giấy tờ cần mang theo: căn cước, giấy khai sinh, sổ hộ khẩu cũ nếu còn giữ';
    const text = Array.from({ length: 60 }, (_, i) => `${i + 1}. ${line}`).join('\n');
    const bodies = captureSends();
    await t.bot.client.sendMessage(USER, { kind: 'text', text });
    expect(bodies.length).toBeGreaterThan(1);
    const chunks = bodies.map((b) => b.message.text ?? '');
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(2000);
      expect(chunk.endsWith(line)).toBe(true); // every chunk ends with a whole line
    }
    expect(chunks.join('\n')).toBe(text);
  });

  it('maps buttons to oa.query.hide, oa.open.url and oa.open.phone', async () => {
    t = await startTestBot({ fake: false });
    const scope = nock(ZALO_API)
      .post('/v3.0/oa/message/cs', {
        recipient: { user_id: USER },
        message: {
          text: 'Bạn có thể chọn một mục:',
          attachment: {
            type: 'template',
            payload: {
              buttons: [
                { title: 'Tra cứu thủ tục', type: 'oa.query.hide', payload: '#cmd:procedures' },
                { title: 'Cổng DVC', type: 'oa.open.url', payload: { url: 'https://dichvucong.gov.vn' } },
                { title: 'Gọi 113', type: 'oa.open.phone', payload: { phone_code: '113' } },
              ],
            },
          },
        },
      })
      .reply(200, sentOk('msg-btn', USER));
    await t.bot.client.sendMessage(USER, {
      kind: 'text',
      text: 'Bạn có thể chọn một mục:',
      buttons: [
        { kind: 'query', title: 'Tra cứu thủ tục', payload: '#cmd:procedures' },
        { kind: 'url', title: 'Cổng DVC', url: 'https://dichvucong.gov.vn' },
        { kind: 'phone', title: 'Gọi 113', phone: '113' },
      ],
    });
    expect(scope.isDone()).toBe(true);
  });

  it('sends at most 5 buttons', async () => {
    t = await startTestBot({ fake: false });
    const bodies = captureSends();
    const buttons = Array.from({ length: 7 }, (_, i) => ({ kind: 'query' as const, title: `Mục ${i}`, payload: `#cmd:${i}` }));
    await t.bot.client.sendMessage(USER, { kind: 'text', text: 'Chọn:', buttons });
    expect(bodies[0]!.message.attachment?.payload.buttons).toHaveLength(5);
  });

  it('sends an image as a media template', async () => {
    t = await startTestBot({ fake: false });
    const scope = nock(ZALO_API)
      .post('/v3.0/oa/message/cs', {
        recipient: { user_id: USER },
        message: {
          text: 'Mẫu tờ khai CT01',
          attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', url: 'https://example.gov.vn/ct01.png' }] } },
        },
      })
      .reply(200, sentOk('msg-img', USER));
    await t.bot.client.sendMessage(USER, { kind: 'image', imageUrl: 'https://example.gov.vn/ct01.png', text: 'Mẫu tờ khai CT01' });
    expect(scope.isDone()).toBe(true);
  });
});

describe('Zalo errors', () => {
  it('turns an error body with HTTP 200 into ZaloApiError(code), without retrying', async () => {
    t = await startTestBot({ fake: false });
    let calls = 0;
    nock(ZALO_API)
      .post('/v3.0/oa/message/cs')
      .times(5)
      .reply(200, () => {
        calls++;
        return { error: -201, message: 'parameter user_id is invalid' };
      });
    const err = await t.bot.client.sendMessage(USER, { kind: 'text', text: 'Xin chào' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloApiError);
    expect((err as ZaloApiError).code).toBe(-201);
    expect(calls).toBe(1);
  });

  it.each([-230, -213])('does not retry the permanent error %i (one call)', async (code) => {
    t = await startTestBot({ fake: false });
    let calls = 0;
    nock(ZALO_API)
      .post('/v3.0/oa/message/cs')
      .times(5)
      .reply(200, () => {
        calls++;
        return { error: code, message: 'refused' };
      });
    const err = await t.bot.client.sendMessage(USER, { kind: 'text', text: 'Xin chào' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloApiError);
    expect((err as ZaloApiError).code).toBe(code);
    expect(calls).toBe(1);
  });

  it.each([
    [-230, 'User has not interacted with the OA in the past 7 days'],
    [-213, 'User has not followed OA'],
  ])('records the permanent error %i on the outbox rows of a reply, each tried once', async (code, message) => {
    t = await startTestBot({ fake: false });
    let calls = 0;
    nock(ZALO_API)
      .post('/v3.0/oa/message/cs')
      .times(20)
      .reply(200, () => {
        calls++;
        return { error: code, message };
      });
    const res = await t.post(eventWith('user_send_text', { msgId: uniqueMsgId(), userId: USER }));
    expect(res.status).toBe(200);
    await t.bot.drainInbox();
    const replies = countRows(t.bot, 'outbox');
    expect(replies).toBeGreaterThan(0);
    await waitFor('every reply to fail', () => countRows(t!.bot, 'outbox', "status = 'failed'") === replies);
    const codes = [...new Set(outboxRows(t.bot).map((r) => r.last_error_code))];
    expect(codes).toEqual([code]);
    expect(maxOutboxAttempts(t.bot)).toBe(1);
    expect(calls).toBe(replies);
  });

  it('puts a reply refused with -32 after every retry back in the outbox for later, not failed', async () => {
    t = await startTestBot({ fake: false });
    nock(ZALO_API)
      .post('/v3.0/oa/message/cs')
      .times(100)
      .reply(200, { error: -32, message: 'Your application reached limit call api' });
    await t.post(eventWith('user_send_text', { msgId: uniqueMsgId(), userId: USER }));
    await t.bot.drainInbox();
    const first = await waitFor('the first reply to be rescheduled', () =>
      outboxRows(t!.bot).find((r) => r.last_error_code !== null),
    );
    expect(first).toMatchObject({ status: 'pending', attempts: 1, last_error_code: -32 });
    expect(first.next_attempt_at).toBeGreaterThan(Date.now());
    expect(countRows(t.bot, 'outbox', "status = 'failed'")).toBe(0);
  });

  it('retries HTTP 500 with backoff, then succeeds', async () => {
    t = await startTestBot({ fake: false });
    const scope = nock(ZALO_API)
      .post('/v3.0/oa/message/cs')
      .twice()
      .reply(500, { error: -1, message: 'internal' })
      .post('/v3.0/oa/message/cs')
      .reply(200, sentOk('after-500', USER));
    await expect(t.bot.client.sendMessage(USER, { kind: 'text', text: 'Xin chào' })).resolves.toEqual({ messageIds: ['after-500'] });
    expect(scope.isDone()).toBe(true);
  });

  // Zalo's send API has no idempotency key: a send that may have been delivered is never repeated by the client
  // (the outbox reads it back and resends it at most once, later). Before issue 12 these three were retried.
  it('does not repeat a send that timed out (Zalo may have delivered it)', async () => {
    t = await startTestBot({ fake: false, env: { ZALO_HTTP_TIMEOUT_MS: '200' } });
    const scope = nock(ZALO_API).post('/v3.0/oa/message/cs').delay(2_000).reply(200, sentOk('too-late', USER));
    const err = await t.bot.client.sendMessage(USER, { kind: 'text', text: 'Xin chào' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloHttpError);
    expect(err).toMatchObject({ errorCode: 'ETIMEDOUT', delivery: 'unknown' });
    expect(scope.isDone()).toBe(true);
  });

  it('does not repeat a send whose connection was reset', async () => {
    t = await startTestBot({ fake: false });
    const scope = nock(ZALO_API).post('/v3.0/oa/message/cs').replyWithError('socket hang up');
    const err = await t.bot.client.sendMessage(USER, { kind: 'text', text: 'Xin chào' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ZaloHttpError', delivery: 'unknown' });
    expect(scope.isDone()).toBe(true);
  });

  it('reads a refused connection as "nothing reached Zalo" (safe to retry), keeping the error code', async () => {
    // A port nobody listens on: every attempt is refused before any byte is written.
    const closed = await startFakeZalo();
    await closed.close();
    t = await startTestBot({ fake: false, env: { ZALO_API_BASE_URL: closed.url } });
    const err = await t.bot.client.sendMessage(USER, { kind: 'text', text: 'Xin chào' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ZaloHttpError', errorCode: 'ECONNREFUSED', delivery: 'not_sent' });
    expect(classifySendError(err).outcome).toBe('retry_later');
  });

  it('retries the rate limit error -32, then succeeds', async () => {
    t = await startTestBot({ fake: false });
    const scope = nock(ZALO_API)
      .post('/v3.0/oa/message/cs')
      .reply(200, { error: -32, message: 'Your application reached limit call api' })
      .post('/v3.0/oa/message/cs')
      .reply(200, sentOk('after-32', USER));
    await expect(t.bot.client.sendMessage(USER, { kind: 'text', text: 'Xin chào' })).resolves.toEqual({ messageIds: ['after-32'] });
    expect(scope.isDone()).toBe(true);
  });

  it('gives up after the bounded number of attempts with ZaloHttpError', async () => {
    t = await startTestBot({ fake: false });
    let calls = 0;
    nock(ZALO_API)
      .post('/v3.0/oa/message/cs')
      .times(10)
      .reply(503, () => {
        calls++;
        return 'Service Unavailable';
      });
    const err = await t.bot.client.sendMessage(USER, { kind: 'text', text: 'Xin chào' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloHttpError);
    expect((err as ZaloHttpError).status).toBe(503);
    expect(calls).toBe(3); // FAST_RETRY.attempts
  });

  it('does not repeat a send answered with an unreadable body (it may have been delivered)', async () => {
    t = await startTestBot({ fake: false });
    const scope = nock(ZALO_API).post('/v3.0/oa/message/cs').reply(200, '{"error":0,"data":', { 'content-type': 'application/json' });
    const err = await t.bot.client.sendMessage(USER, { kind: 'text', text: 'Xin chào' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ZaloHttpError', delivery: 'unknown' });
    expect(scope.isDone()).toBe(true);
  });

});

describe('reading users', () => {
  it('GET /v3.0/oa/user/detail passes data=<json> and keeps ids as strings', async () => {
    t = await startTestBot({ fake: false });
    const bigId = '2468458835291979221234';
    const scope = nock(ZALO_API, { reqheaders: { access_token: CREDS.accessToken } })
      .get('/v3.0/oa/user/detail')
      .query({ data: JSON.stringify({ user_id: bigId }) })
      .reply(200, { error: 0, message: 'Success', data: { user_id: bigId, display_name: 'Nguyễn Văn An', user_is_follower: true } });
    await expect(t.bot.client.getProfile(bigId)).resolves.toEqual({ userId: bigId, displayName: 'Nguyễn Văn An', isFollower: true });
    expect(scope.isDone()).toBe(true);
  });

  it('GET /v3.0/oa/user/getlist asks for at most 50 followers', async () => {
    t = await startTestBot({ fake: false });
    const scope = nock(ZALO_API)
      .get('/v3.0/oa/user/getlist')
      .query({ data: JSON.stringify({ offset: 50, count: 50, is_follower: 'true' }) })
      .reply(200, { error: 0, message: 'Success', data: { total: 52, count: 2, offset: 50, users: [{ user_id: '1001' }, { user_id: '1002' }] } });
    await expect(t.bot.client.getFollowers(50, 200)).resolves.toEqual({ total: 52, userIds: ['1001', '1002'] });
    expect(scope.isDone()).toBe(true);
  });
});

// Keep the OAuth host unreachable in this file: none of these cases may refresh.
afterEach(() => {
  expect(nock.pendingMocks().filter((m) => m.includes(new URL(ZALO_OAUTH).host))).toEqual([]);
});
