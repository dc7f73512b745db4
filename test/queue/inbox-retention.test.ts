import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/clock.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { uniqueMsgId } from '../helpers/fixtures.ts';
import { inboxRows } from '../helpers/db-reads.ts';

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

describe('inbox retention', () => {
  it('empties raw bodies of handled events after 30 days, keeping the keys so redeliveries stay ignored', async () => {
    const clock = createFakeClock('2026-01-01T03:00:00Z');
    tb = await startTestBot({ clock, outboxPollMs: 10 });
    const dir = tb.dir;
    const body = { app_id: '3608465249409039670', event_name: 'user_send_text', timestamp: '1767236400000', sender: { id: '7400000000000000001' }, recipient: { id: '1' }, message: { msg_id: uniqueMsgId(), text: 'số tôi 0912345678' } };
    expect((await tb.post(body)).status).toBe(200);
    await tb.bot.drainInbox();
    await tb.stop(false);
    clock.advance(31 * 86_400_000);
    tb = await startTestBot({ clock, dir, outboxPollMs: 10 });
    const row = inboxRows(tb.bot)[0];
    expect(row).toMatchObject({ payload: '{}', user_id: null, event_key: expect.stringContaining(body.message.msg_id) });
    // A redelivery that old is now refused by the webhook's replay window (24 h) before the key is even looked up.
    expect((await tb.post(body)).status).toBe(400);
    expect(inboxRows(tb.bot)).toHaveLength(1);
  });
});
