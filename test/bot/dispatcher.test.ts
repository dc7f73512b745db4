import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCitizenLimiter, type CitizenLimiter } from '../../src/bot/citizen-limit.ts';
import { createDispatcher } from '../../src/bot/dispatcher.ts';
import type { RoutedReply } from '../../src/bot/router.ts';
import { createSessionStore } from '../../src/bot/session.ts';
import { createFakeClock } from '../../src/clock.ts';
import { openDatabase, type Db } from '../../src/db/open.ts';
import { createI18n } from '../../src/i18n/index.ts';
import { createInboxRepository } from '../../src/queue/inbox-repository.ts';
import { createOutboxRepository } from '../../src/queue/outbox-repository.ts';
import { createUserRepository } from '../../src/users/user-repository.ts';
import { makeTempDir, removeTempDir } from '../helpers/bot.ts';
import { eventWith, uniqueMsgId } from '../helpers/fixtures.ts';

// The dispatcher on a real SQLite file, with its real repositories; only the routing table is a small stand-in.

let dir: string;
let db: Db;
beforeEach(() => {
  dir = makeTempDir();
  db = openDatabase(join(dir, 'bot.db'));
});
afterEach(() => {
  db.close();
  removeTempDir(dir);
});

function rig(route: (userId: string, text: string, rowId: number) => RoutedReply, limit?: { limiter: CitizenLimiter; isEmergency: (text: string) => boolean }) {
  const clock = createFakeClock('2026-11-29T03:00:00Z');
  const inbox = createInboxRepository(db);
  const outbox = createOutboxRepository(db);
  const users = createUserRepository(db);
  const sessions = createSessionStore(db);
  let kicks = 0;
  const dispatcher = createDispatcher({
    db,
    inbox,
    outbox,
    users,
    route: (ctx) => {
      // Like the real handlers: conversation state is written before the replies are decided.
      sessions.set(ctx.userId, { procedureId: 'cap-can-cuoc' }, clock.now().getTime());
      return route(ctx.userId, ctx.text, Number(/^(\d+)/.exec(ctx.text)?.[1] ?? 0));
    },
    i18n: createI18n(),
    clock,
    logger: pino({ level: 'silent' }),
    onEnqueued: () => kicks++,
    ...(limit ?? {}),
  });
  const add = (userId: string, text?: string) => {
    const body = eventWith('user_send_text', { msgId: uniqueMsgId(), userId });
    if (text !== undefined) (body.message as Record<string, unknown>).text = text;
    inbox.insert({ eventKey: `k:${uniqueMsgId()}`, eventName: 'user_send_text', userId, payload: JSON.stringify(body), receivedAt: clock.now().getTime() });
  };
  return { dispatcher, add, sessions, clock, kicks: () => kicks };
}

const reply = (text: string): RoutedReply => ({ route: 'test', replies: [{ kind: 'text', text }], intent: undefined, procedures: [] });
const count = (sql: string) => db.prepare(sql).pluck().get() as number;

describe('dispatcher', () => {
  it('commits an event with all its effects, or none of them when a handler throws', async () => {
    const { dispatcher, add, sessions, kicks } = rig((userId) => {
      if (userId.endsWith('2')) throw new Error('handler bug');
      return reply(`chào ${userId}`);
    });
    add('7300000000000000001');
    add('7300000000000000002');
    // The failing event is tried three times (attempts are counted in the inbox), then given up.
    expect(await dispatcher.drain()).toBe(4);

    // The good event: state, the user row, its reply and the inbox row, together.
    expect(sessions.get('7300000000000000001', Date.parse('2026-11-29T03:00:00Z'), 60_000)).toEqual({ procedureId: 'cap-can-cuoc' });
    expect(count(`SELECT count(*) FROM outbox WHERE user_id = '7300000000000000001'`)).toBe(1);
    expect(kicks()).toBe(1);
    // The failing one: the session write and the user bookkeeping made before the throw were rolled back.
    expect(sessions.get('7300000000000000002', Date.parse('2026-11-29T03:00:00Z'), 60_000)).toBeUndefined();
    expect(count(`SELECT count(*) FROM users WHERE user_id = '7300000000000000002'`)).toBe(0);
    expect(count(`SELECT count(*) FROM outbox WHERE user_id = '7300000000000000002'`)).toBe(0);
    expect(db.prepare(`SELECT status, attempts, error FROM inbox WHERE user_id = '7300000000000000002'`).get()).toEqual({ status: 'failed', attempts: 3, error: 'handler bug' });
    expect(count(`SELECT count(*) FROM inbox WHERE status = 'done'`)).toBe(1);
  });
});

describe('per-citizen limit in the dispatcher', () => {
  const outboxTexts = (userId: string) =>
    (db.prepare(`SELECT payload FROM outbox WHERE user_id = ? ORDER BY id`).pluck().all(userId) as string[]).map((p) => (JSON.parse(p) as { text: string }).text);

  it('counts by the time messages arrived, not when they are handled: a backlog handled 10 minutes later is still limited', async () => {
    const answered: string[] = [];
    const { dispatcher, add, clock } = rig((_u, text) => {
      answered.push(text);
      return reply(`trả lời ${text}`);
    }, { limiter: createCitizenLimiter(), isEmergency: (text) => text.includes('cướp') });
    for (let i = 1; i <= 30; i++) add('7300000000000000005', `${i} câu hỏi`);
    add('7300000000000000005', '31 có người đang cướp xe');
    add('7300000000000000006', '1 người khác');
    clock.advance(10 * 60_000);
    await dispatcher.drain();
    const texts = outboxTexts('7300000000000000005');
    expect(texts).toHaveLength(22); // 20 answers, one notice, the emergency
    expect(texts.filter((t) => t === createI18n().t('vi', 'limit.notice'))).toHaveLength(1);
    expect(texts[20]).toMatch(/quá nhiều tin nhắn.*113/);
    expect(answered).toContain('31 có người đang cướp xe');
    expect(outboxTexts('7300000000000000006')).toEqual(['trả lời 1 người khác']);
    expect(count(`SELECT count(*) FROM inbox WHERE status = 'done'`)).toBe(32);

    // A minute after they arrived the window is free again, and a new flood gets a new notice.
    for (let i = 1; i <= 21; i++) add('7300000000000000005', `${100 + i} sau một phút`);
    await dispatcher.drain();
    expect(outboxTexts('7300000000000000005')).toHaveLength(22 + 21);
  });

  it('does not count a message twice when its handling was rolled back and retried', async () => {
    let failedOnce = false;
    const { dispatcher, add } = rig((_u, text, n) => {
      if (n === 1 && !failedOnce) {
        failedOnce = true;
        throw new Error('transient');
      }
      return reply(`trả lời ${text}`);
    }, { limiter: createCitizenLimiter({ limit: 2 }), isEmergency: () => false });
    add('7300000000000000007', '1 a');
    add('7300000000000000007', '2 b');
    add('7300000000000000007', '3 c');
    await dispatcher.drain();
    const texts = outboxTexts('7300000000000000007');
    expect(texts.filter((t) => t.startsWith('trả lời'))).toEqual(['trả lời 2 b', 'trả lời 1 a']);
    expect(texts.filter((t) => !t.startsWith('trả lời'))).toHaveLength(1);
  });
});
