import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/open.ts';
import { isLanguage, type I18n } from '../i18n/index.ts';
import type { InboxRepository, InboxRow } from '../queue/inbox-repository.ts';
import type { OutboxRepository } from '../queue/outbox-repository.ts';
import type { UserRepository } from '../users/user-repository.ts';
import { parseZaloEvent, type ZaloEvent } from '../zalo/events.ts';
import { parseWebhookJson } from '../zalo/json.ts';
import type { CitizenLimiter } from './citizen-limit.ts';
import type { IncomingContext } from './context.ts';
import type { RoutedReply } from './router.ts';

const MAX_ATTEMPTS = 3;
const BATCH = 50;

export interface Dispatcher {
  start(): void;
  /** Processes pending inbox rows soon (called after each stored webhook). */
  kick(): void;
  /** Processes every pending row now; resolves with how many were handled. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

export interface DispatcherDeps {
  db: Db;
  inbox: InboxRepository;
  outbox: OutboxRepository;
  users: UserRepository;
  route: (ctx: IncomingContext) => RoutedReply;
  i18n: I18n;
  clock: Clock;
  logger: Logger;
  onEnqueued: () => void;
  /** Waits between events so webhook acks go first (src/queue/ingress-priority.ts); by default one loop turn. */
  yieldTurn?: () => Promise<void>;
  /** Per-citizen message limit (src/bot/citizen-limit.ts); none = every message answered. */
  limiter?: CitizenLimiter;
  /** The understanding step's emergency test (src/bot/understand.ts): an emergency is answered over the limit too. */
  isEmergency?: (text: string) => boolean;
}

// Every event type is listed once below: the compiler checks the table is complete, so a new event type added to
// src/zalo/events.ts cannot be silently dropped or silently answered.
// `limited`: what the citizen limit counts (messages typed or sent, not follows, receipts or the shared-info form).
const EVENT_HANDLING: Record<ZaloEvent['type'], { silent: boolean; interaction: boolean; limited?: true }> = {
  text: { silent: false, interaction: true, limited: true },
  image: { silent: false, interaction: true, limited: true },
  location: { silent: false, interaction: true, limited: true },
  attachment: { silent: false, interaction: true, limited: true },
  submit_info: { silent: false, interaction: true },
  follow: { silent: false, interaction: true },
  click_chatnow: { silent: false, interaction: true },
  withdraw: { silent: false, interaction: false },
  unfollow: { silent: true, interaction: false },
  oa_echo: { silent: true, interaction: false },
  received: { silent: true, interaction: false },
  seen: { silent: true, interaction: false },
  unknown: { silent: true, interaction: false },
};

/** Reads the inbox in order and turns each event into outbox rows keyed by the event, exactly once. */
export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  let running = false;
  let stopping = false;
  let active: Promise<number> | undefined;
  let again = false;
  const yieldTurn = deps.yieldTurn ?? (() => new Promise<void>((r) => setImmediate(r)));

  /**
   * One event, in one transaction: the user bookkeeping, every state change the handlers make (sessions, petitions,
   * quiz answers…), the replies in the outbox and the inbox row marked done commit together. A crash or a throwing
   * handler leaves nothing half done, and the event is simply handled again. Returns true when replies were enqueued.
   */
  const processRow = deps.db.transaction((row: InboxRow): boolean => {
    const at = deps.clock.now().getTime();
    let body: unknown;
    try {
      // The stored raw body, read as the webhook read it (ids past 2^53 kept exact).
      body = parseWebhookJson(row.payload);
    } catch {
      deps.inbox.markIgnored(row.id, at, 'unreadable payload');
      return false;
    }
    const parsed = parseZaloEvent(body);
    if (!parsed.ok) {
      deps.inbox.markIgnored(row.id, at, parsed.error);
      return false;
    }
    const event = parsed.event;
    const userId = event.userId;
    let released = false;
    if (userId && EVENT_HANDLING[event.type].interaction) {
      deps.users.touch(userId, row.received_at);
      // Messages kept aside while the 7-day window was closed can go now.
      released = deps.outbox.releaseHeld(userId, at) > 0;
    }
    if (userId && (event.type === 'follow' || event.type === 'unfollow')) deps.users.setFollower(userId, event.type === 'follow', row.received_at);
    if (!userId || EVENT_HANDLING[event.type].silent) {
      deps.inbox.markDone(row.id, at);
      return released;
    }
    const stored = deps.users.get(userId)?.language;
    const language = isLanguage(stored) ? stored : 'vi';
    if (deps.limiter && EVENT_HANDLING[event.type].limited) {
      const text = event.type === 'text' || event.type === 'image' || event.type === 'attachment' ? event.text : '';
      const decision = deps.limiter.decide(userId, row.id, row.received_at, () => text !== '' && (deps.isEmergency?.(text) ?? false));
      if (decision !== 'answer') {
        const doneAt = deps.clock.now().getTime();
        if (decision === 'notice') {
          deps.outbox.enqueue([{ dedupeKey: `in:${row.id}:0`, userId, message: { kind: 'text', text: deps.i18n.t(language, 'limit.notice') } }], doneAt);
        }
        deps.inbox.markDone(row.id, doneAt);
        return released || decision === 'notice';
      }
    }
    const ctx: IncomingContext = {
      event,
      userId,
      text: event.type === 'text' ? event.text : '',
      language,
      t: deps.i18n.forLanguage(language),
      now: deps.clock.now(),
    };
    const result = deps.route(ctx);
    const doneAt = deps.clock.now().getTime();
    deps.outbox.enqueue(
      result.replies.map((message, i) => ({ dedupeKey: `in:${row.id}:${i}`, userId, message })),
      doneAt,
    );
    deps.inbox.markDone(row.id, doneAt);
    return released || result.replies.length > 0;
  });

  async function run(): Promise<number> {
    let handled = 0;
    do {
      again = false;
      for (;;) {
        if (stopping) return handled;
        const rows = deps.inbox.pending(BATCH);
        if (rows.length === 0) break;
        for (const row of rows) {
          // Shutting down: what is left stays pending in the inbox and is handled at the next start.
          if (stopping) return handled;
          try {
            if (processRow(row)) deps.onEnqueued();
          } catch (err) {
            deps.inbox.markFailed(row.id, deps.clock.now().getTime(), (err as Error).message, MAX_ATTEMPTS);
            deps.logger.error({ inboxId: row.id, event: row.event_name, err: (err as Error).message }, 'Event handling failed');
          }
          handled++;
          // Let the HTTP server answer webhooks between events (and wait while they keep coming).
          await yieldTurn();
        }
      }
    } while (again);
    return handled;
  }

  function drain(): Promise<number> {
    if (active) {
      again = true;
      return active;
    }
    active = run().finally(() => {
      active = undefined;
    });
    return active;
  }

  // A failing database read (busy, closed) must not become an unhandled rejection that kills the process:
  // the rows stay pending and the next kick or start picks them up.
  const drainInBackground = () => {
    drain().catch((err: Error) => deps.logger.error({ err: err.message }, 'Reading the inbox failed; pending events wait for the next webhook or restart'));
  };

  return {
    start() {
      running = true;
      stopping = false;
      drainInBackground();
    },
    kick() {
      if (running) drainInBackground();
    },
    drain,
    async stop() {
      running = false;
      stopping = true;
      await active?.catch(() => undefined);
    },
  };
}
