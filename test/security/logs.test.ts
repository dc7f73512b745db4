import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { CREDS, outboxSettled, startTestBot, type TestBot } from '../helpers/bot.ts';
import { citizen, last } from '../petitions/chat.ts';

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

describe('logs', () => {
  it('never contain tokens, secrets or citizens\' phone numbers, through a whole conversation and a token refresh', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const ADMIN_TOKEN = 'admin-token-never-logged-0123456789';
    tb = await startTestBot({ logger: createLogger('trace', sink), outboxPollMs: 10, env: { ADMIN_TOKEN, LOG_LEVEL: 'trace' } });
    // The fake Zalo has rotated the token: the bot's first call gets -216 and refreshes.
    tb.fake!.state.accessToken = 'rotated-access-token-xyz';
    const c = citizen(tb, '5550001');
    const consent = last(await c.say('phản ánh'));
    const kind = last(await c.tap(consent, 'Đồng ý'));
    const topic = last(await c.tap(kind, 'Phản ánh'));
    await c.tap(topic, 'Vấn đề khác');
    const more = last(await c.say('Số tôi là 0912 345 678, CCCD 092201001234, xin gọi lại giúp về việc trả kết quả chậm.'));
    await c.tap(more, 'Vẫn giữ');
    await c.say('#pa:done');
    await c.say('Nguyễn Văn An');
    await c.say('0987654321');
    const summary = last(await c.say('Ấp 3'));
    await c.tap(summary, 'Gửi');
    await fetch(`${tb.bot.url}/admin/api/petitions`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    await fetch(`${tb.bot.url}/admin/api/petitions`, { headers: { authorization: 'Bearer wrong-wrong-wrong-wrong' } });
    await outboxSettled(tb.bot);
    expect(tb.fake!.oauthCalls).toBeGreaterThanOrEqual(1);
    const log = lines.join('');
    expect(log.length).toBeGreaterThan(0);
    for (const secret of [CREDS.accessToken, CREDS.refreshToken, CREDS.appSecret, CREDS.oaSecretKey, tb.fake!.state.accessToken, tb.fake!.state.refreshToken, ADMIN_TOKEN, '0912 345 678', '0912345678', '0987654321', '+84987654321', '092201001234', 'Nguyễn Văn An']) {
      expect(log, secret).not.toContain(secret);
    }
  });
});
