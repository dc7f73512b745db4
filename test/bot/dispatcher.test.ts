import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

function rig(route: (userId: string) => RoutedReply) {
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
      return route(ctx.userId);
    },
    i18n: createI18n(),
    clock,
    logger: pino({ level: 'silent' }),
    onEnqueued: () => kicks++,
  });
  const add = (userId: string) => {
    const body = JSON.stringify(eventWith('user_send_text', { msgId: uniqueMsgId(), userId }));
    inbox.insert({ eventKey: `k:${uniqueMsgId()}`, eventName: 'user_send_text', userId, payload: body, receivedAt: clock.now().getTime() });
  };
  return { dispatcher, add, sessions, kicks: () => kicks };
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
