import type { FakeZalo } from '../../src/zalo/fake-zalo.ts';
import type { TestBot } from '../helpers/bot.ts';

/** The id of the n-th citizen of a slow-Zalo run. */
export const citizen = (n: number) => `65000000000${String(n).padStart(6, '0')}`;

/** Every citizen writes "xin chào" once (signed webhooks, all accepted). */
export async function sendGreetings(tb: TestBot, count: number, msgId: () => string): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, async (_, n) => {
      const res = await tb.post({
        app_id: '3608465249409039670',
        event_name: 'user_send_text',
        timestamp: String(Date.now()),
        sender: { id: citizen(n) },
        recipient: { id: '1' },
        message: { msg_id: msgId(), text: 'xin chào' },
      });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    }),
  );
}

/** How many copies of each distinct message each citizen received, keyed by user and body. */
export function copiesPerReply(fake: FakeZalo): Map<string, number> {
  const seen = new Map<string, number>();
  for (const m of fake.sent) {
    const key = `${m.userId}|${JSON.stringify(m.body.message)}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return seen;
}
