import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { OutgoingMessage } from '../messages.ts';
import { isRetryable, OUT_OF_WINDOW_CODE, TOKEN_ERROR_CODES, ZaloApiError, ZaloHttpError, ZaloReauthRequiredError } from '../zalo/errors.ts';
import type { ZaloClient } from '../zalo/client.ts';
import type { OutboxRepository, OutboxRow } from './outbox-repository.ts';

/** Purposes whose messages wait for the citizen's next message when Zalo's 7-day window is closed. */
const HOLD_WHEN_OUT_OF_WINDOW = new Set(['notify']);
const MAX_OUTBOX_ATTEMPTS = 5;
const REAUTH_RETRY_MS = 5 * 60_000;
// How long stop() waits for sends in flight. The client's own backoff can last minutes; a row still in flight
// after this stays 'sending' and goes out again at the next start (recoverInFlight), so shutdown stays under 10 s.
const DEFAULT_STOP_GRACE_MS = 5_000;

export interface OutboxWorker {
  start(): void;
  /** Looks for due rows now (called after enqueueing). */
  kick(): void;
  /** Stops claiming and waits (bounded) for in-flight sends. */
  stop(): Promise<void>;
}

export interface OutboxWorkerDeps {
  repo: OutboxRepository;
  client: ZaloClient;
  clock: Clock;
  logger: Logger;
  concurrency: number;
  pollMs?: number;
  stopGraceMs?: number;
  /** Delay before a failed row is tried again, times its attempts (default one minute). */
  retryDelayMs?: number;
}

/** Delivers outbox rows through the Zalo client, several users at a time, one message per user at a time. */
export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const pollMs = deps.pollMs ?? 1000;
  const retryDelayMs = deps.retryDelayMs ?? 60_000;
  const inFlight = new Map<number, Promise<void>>();
  const busyUsers = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let scheduled = false;
  let abandoned = false;

  async function deliver(row: OutboxRow): Promise<void> {
    const now = () => deps.clock.now().getTime();
    let record: () => void;
    try {
      const message = JSON.parse(row.payload) as OutgoingMessage;
      const { messageIds } = await deps.client.sendMessage(row.user_id, message);
      record = () => deps.repo.markSent(row.id, now(), messageIds[0]);
    } catch (err) {
      record = () => recordFailure(row, err, now());
    }
    // stop() gave up waiting and the database may be closed: the row stays 'sending' and is sent again at the next start.
    if (abandoned) return;
    try {
      record();
    } catch (err) {
      deps.logger.error({ outboxId: row.id, err: (err as Error).message }, 'Could not record the outcome of a send; the row is retried at the next start');
    }
  }

  function recordFailure(row: OutboxRow, err: unknown, at: number): void {
    if (err instanceof ZaloReauthRequiredError) {
      deps.repo.retryAt(row.id, at + REAUTH_RETRY_MS, null, err.message);
    } else if (err instanceof ZaloApiError && (isRetryable(err) || TOKEN_ERROR_CODES.has(err.code)) && row.attempts < MAX_OUTBOX_ATTEMPTS) {
      // Rate limit (-32) after the client's backoff, or a token refused again right after the client's one refresh:
      // try again later (a new attempt refreshes afresh) rather than dropping the reply.
      deps.repo.retryAt(row.id, at + retryDelayMs * row.attempts, err.code, err.message);
    } else if (err instanceof ZaloApiError) {
      if (err.code === OUT_OF_WINDOW_CODE && HOLD_WHEN_OUT_OF_WINDOW.has(row.purpose)) {
        deps.repo.hold(row.id, err.code, err.message);
        deps.logger.info({ outboxId: row.id }, 'Outside the 7-day window: message held until the citizen writes again');
      } else {
        deps.repo.markFailed(row.id, err.code, err.message);
        deps.logger.warn({ outboxId: row.id, code: err.code }, 'Zalo refused a message; recorded as failed');
      }
    } else if (err instanceof ZaloHttpError && row.attempts < MAX_OUTBOX_ATTEMPTS) {
      deps.repo.retryAt(row.id, at + retryDelayMs * row.attempts, null, err.message);
    } else {
      deps.repo.markFailed(row.id, null, (err as Error).message);
      deps.logger.error({ outboxId: row.id, err: (err as Error).message }, 'Message could not be delivered; recorded as failed');
    }
  }

  function pump(): void {
    scheduled = false;
    if (!running) return;
    const free = deps.concurrency - inFlight.size;
    if (free <= 0) return;
    let rows: OutboxRow[];
    try {
      rows = deps.repo.claimDue(deps.clock.now().getTime(), free, busyUsers);
    } catch (err) {
      deps.logger.error({ err: (err as Error).message }, 'Outbox read failed; will retry');
      return;
    }
    for (const row of rows) {
      busyUsers.add(row.user_id);
      const p = deliver(row).finally(() => {
        inFlight.delete(row.id);
        busyUsers.delete(row.user_id);
        kick();
      });
      inFlight.set(row.id, p);
    }
  }

  function kick(): void {
    if (!running || scheduled) return;
    scheduled = true;
    setImmediate(pump);
  }

  return {
    start() {
      if (running) return;
      running = true;
      const recovered = deps.repo.recoverInFlight(deps.clock.now().getTime());
      if (recovered > 0) deps.logger.warn({ recovered }, 'Outbox rows left in flight by a crash will be sent again');
      timer = setInterval(kick, pollMs);
      timer.unref();
      kick();
    },
    kick,
    async stop() {
      running = false;
      if (timer) clearInterval(timer);
      if (inFlight.size === 0) return;
      let graceTimer: NodeJS.Timeout | undefined;
      const grace = new Promise<'timeout'>((resolve) => {
        graceTimer = setTimeout(() => resolve('timeout'), deps.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
      });
      const outcome = await Promise.race([Promise.allSettled([...inFlight.values()]), grace]);
      clearTimeout(graceTimer);
      if (outcome === 'timeout') {
        abandoned = true;
        deps.logger.warn({ inFlight: inFlight.size }, 'Stopping with sends still in flight; they will be sent again at the next start');
      }
    },
  };
}
