import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConversation, type Conversation } from '../../src/features/index.ts';
import type { ProcedureRef, UnitRef } from '../../src/bot/context.ts';
import { loadIntentModel, type IntentModel } from '../../src/classifier/intent-model.ts';
import type { Clock } from '../../src/clock.ts';
import { systemClock } from '../../src/clock.ts';
import type { Config } from '../../src/config.ts';
import { openDatabase, type Db } from '../../src/db/open.ts';
import { createI18n, isLanguage, type I18n } from '../../src/i18n/index.ts';
import type { OutgoingMessage } from '../../src/messages.ts';
import { createInboxRepository } from '../../src/queue/inbox-repository.ts';
import { createOutboxRepository } from '../../src/queue/outbox-repository.ts';
import { createUserRepository } from '../../src/users/user-repository.ts';
import pino from 'pino';

/** What `ask --json` prints for one question. */
export interface AskResult {
  question: string;
  intent: string;
  /** The route of the conversation table that answered (src/bot/routes.ts). */
  route: string;
  procedures: ProcedureRef[];
  reply: string;
  /** The commune or ward the answer names, only when it names one (content/units/). */
  unit?: UnitRef;
}

/** The bot's conversation path on a temporary database, without Zalo or HTTP. */
export interface AskRunner {
  ask(question: string, userId: string): Promise<AskResult>;
  /** The same, with the messages as the bot built them (buttons included), for benchmarks. */
  askMessages(question: string, userId: string): Promise<{ result: AskResult; messages: OutgoingMessage[] }>;
  conversation: Conversation;
  /** The runner's clock (the date answers are given as of). */
  now(): Date;
  close(): void;
}

/** The text a citizen sees: every message's text, one after another. */
export function replyText(replies: OutgoingMessage[]): string {
  return replies
    .map((m) => (m.kind === 'text' ? m.text : m.kind === 'image' ? (m.text ?? '') : `${m.title}\n${m.subtitle}`))
    .filter(Boolean)
    .join('\n\n');
}

/** Builds the bot over a fresh temporary SQLite file (with the shipped intent model unless another is given). */
export async function createAskRunner(config: Config, clock: Clock = systemClock, intentModel?: IntentModel): Promise<AskRunner> {
  const model = intentModel ?? (await loadIntentModel(config.contentDir));
  const dir = mkdtempSync(join(tmpdir(), 'zalo-bot-ask-'));
  const db: Db = openDatabase(join(dir, 'ask.db'));
  const users = createUserRepository(db);
  const i18n: I18n = createI18n({ unitName: config.unit.name, hotline: config.unit.hotline ?? '' });
  const conversation = createConversation({
    db,
    contentDir: config.contentDir,
    timeZone: config.timeZone,
    hotline: config.unit.hotline,
    unitName: config.unit.name,
    retentionDays: config.petitionRetentionDays,
    inbox: createInboxRepository(db),
    outbox: createOutboxRepository(db),
    users,
    onEnqueued: () => undefined,
    i18n,
    clock,
    logger: pino({ level: 'silent' }),
    secret: 'ask-runner',
    intentModel: model,
  });
  let seq = 0;
  const run = (question: string, userId: string) => {
    const now = clock.now();
    // As the dispatcher does: the user is seen, and their stored language is used.
    users.touch(userId, now.getTime());
    const stored = users.get(userId)?.language;
    const language = isLanguage(stored) ? stored : 'vi';
    const routed = conversation.bot.route({
      event: { type: 'text', eventName: 'user_send_text', timestamp: String(now.getTime()), userId, msgId: `ask-${++seq}`, text: question },
      userId,
      text: question,
      language,
      t: i18n.forLanguage(language),
      now,
    });
    const result: AskResult = { question, intent: routed.intent ?? 'unknown', route: routed.route ?? 'none', procedures: routed.procedures, reply: replyText(routed.replies), ...(routed.unit ? { unit: routed.unit } : {}) };
    return { result, messages: routed.replies };
  };
  return {
    conversation,
    now: () => clock.now(),
    ask: async (question, userId) => run(question, userId).result,
    askMessages: async (question, userId) => run(question, userId),
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
