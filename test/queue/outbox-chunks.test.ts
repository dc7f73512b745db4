import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { countRows, startTestBot, waitFor, ZALO_API, type TestBot } from '../helpers/bot.ts';
import { sentOk, useNock } from '../helpers/nock.ts';
import { outboxRows } from '../helpers/db-reads.ts';
import { repos } from '../helpers/repos.ts';

// A long text goes out as several Zalo messages. When part 1 was sent and part 2 failed, the next attempt sends
// part 2 on: part 1 reached the citizen already (issue 12: "do not resend chunk 1").

useNock();
let t: TestBot | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const USER = '7000000000000000071';

function insertLongReply(tb: TestBot): void {
  const text = `${'Phần một của câu trả lời. '.repeat(70)}\n${'Phần hai của câu trả lời. '.repeat(20)}`;
  repos(tb.bot).outbox.enqueue([{ dedupeKey: 'long-1', userId: USER, message: { kind: 'text', text } }], Date.now());
}

describe('a long reply split into parts', () => {
  it('after part 2 is refused with -32, the retry sends part 2 only', async () => {
    t = await startTestBot({ fake: false, outboxPollMs: 20, outboxRetryMs: 50 });
    const texts: string[] = [];
    nock(ZALO_API)
      .post('/v3.0/oa/message/cs')
      .reply(200, (_u, body) => (texts.push((body as { message: { text: string } }).message.text), sentOk('p1', USER)))
      .post('/v3.0/oa/message/cs')
      .reply(200, (_u, body) => (texts.push((body as { message: { text: string } }).message.text), { error: -32, message: 'Your application reached limit call api' }))
      .post('/v3.0/oa/message/cs')
      .reply(200, (_u, body) => (texts.push((body as { message: { text: string } }).message.text), sentOk('p2', USER)));
    insertLongReply(t);
    await waitFor('the reply to be sent', () => countRows(t!.bot, 'outbox', "status = 'sent'") === 1);
    expect(texts).toHaveLength(3);
    expect(texts[0]).toMatch(/^Phần một/);
    expect(texts[1]).toBe(texts[2]);
    expect(texts.filter((x) => x === texts[0])).toHaveLength(1);
    expect(outboxRows(t.bot)[0]).toMatchObject({ attempts: 2, chunks_sent: 2 });
  });

  it('after part 2 timed out (unknown), the resend sends part 2 only, once', async () => {
    t = await startTestBot({ fake: false, outboxPollMs: 20, outboxUncertainMs: 100, env: { ZALO_HTTP_TIMEOUT_MS: '200' } });
    const texts: string[] = [];
    nock(ZALO_API)
      .post('/v3.0/oa/message/cs')
      .reply(200, (_u, body) => (texts.push((body as { message: { text: string } }).message.text), sentOk('p1', USER)))
      .post('/v3.0/oa/message/cs')
      .delay(1_000)
      .reply(200, (_u, body) => (texts.push((body as { message: { text: string } }).message.text), sentOk('late', USER)))
      // The read-back is not available: the one resend follows.
      .get('/v2.0/oa/conversation')
      .query(true)
      .reply(200, { error: -209, message: 'API not supported' })
      .post('/v3.0/oa/message/cs')
      .reply(200, (_u, body) => (texts.push((body as { message: { text: string } }).message.text), sentOk('p2', USER)));
    insertLongReply(t);
    await waitFor('the reply to be sent', () => countRows(t!.bot, 'outbox', "status = 'sent'") === 1);
    expect(outboxRows(t.bot)[0]).toMatchObject({ attempts: 2, chunks_sent: 2, resent: 1 });
    expect(texts.filter((x) => x.startsWith('Phần một'))).toHaveLength(1);
  });
});
