import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { WriteHealth } from '../health.ts';
import type { OutgoingMessage } from '../messages.ts';
import type { ZaloClient } from '../zalo/client.ts';
import type { SendReport } from '../zalo/send-outcome.ts';
import type { ClaimedOutboxRow, OutboxRepository } from './outbox-repository.ts';

/** Purposes whose messages wait for the citizen's next message when Zalo's 7-day window is closed. */
const HOLD_WHEN_OUT_OF_WINDOW = new Set(['notify']);
// The one retry policy of a message (the client itself does not retry sends): up to 8 attempts for failures that
// surely did not reach Zalo, 5 s doubling to 5 min, about ten minutes in all; an unknown outcome is resent once.
export const MAX_OUTBOX_ATTEMPTS = 8;
const MAX_RETRY_DELAY_MS = 5 * 60_000;
const DEFAULT_RETRY_DELAY_MS = 5_000;
// Before an unknown outcome is read back and resent: Zalo, slow when it timed out, gets time to finish.
const DEFAULT_UNCERTAIN_RESEND_MS = 60_000;
const REAUTH_RETRY_MS = 5 * 60_000;
const FAILED_WRITE_PAUSE_MS = 250;
// How long stop() waits for sends in flight. A row still in flight after this stays 'sending' and is read back /
// resent once at the next start (recoverInFlight), so shutdown stays under 10 s.
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
  client: Pick<ZaloClient, 'deliver' | 'readBack'>;
  clock: Clock;
  logger: Logger;
  concurrency: number;
  pollMs?: number;
  stopGraceMs?: number;
  /** First delay before a row that surely did not reach Zalo is tried again; doubles each attempt (default 5 s). */
  retryDelayMs?: number;
  /** Delay before a row whose outcome is unknown is read back and resent once (default one minute). */
  uncertainResendMs?: number;
  /** Told when recording an outcome fails or works again (the health check reads it). */
  writes?: WriteHealth;
}

/** Delivers outbox rows through the Zalo client, several users at a time, one message per user at a time. */
export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const pollMs = deps.pollMs ?? 1000;
  const retryDelayMs = deps.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  const uncertainResendMs = deps.uncertainResendMs ?? DEFAULT_UNCERTAIN_RESEND_MS;
  const inFlight = new Map<number, Promise<void>>();
  const busyUsers = new Set<string>();
  // Outcomes known in memory whose write failed (disk full, database locked): written again before new claims, so a
  // message Zalo accepted is never sent again by this process, and the citizen's later replies are not held back.
  const unrecorded = new Map<number, () => void>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let scheduled = false;
  let abandoned = false;
  // After a failed claim or write (lock held elsewhere, disk full), wait a little: each try blocks the event loop
  // for the busy timeout.
  let pausedUntil = 0;
  const now = () => deps.clock.now().getTime();

  /** Writes one outcome; on failure keeps it for later. True when written. */
  function record(id: number, write: () => void): boolean {
    try {
      write();
      unrecorded.delete(id);
      deps.writes?.succeeded();
      return true;
    } catch (err) {
      const first = !unrecorded.has(id);
      unrecorded.set(id, write);
      deps.writes?.failed(err);
      if (first) {
        deps.logger.error(
          { outboxId: id, err: (err as Error).message },
          'Could not record the outcome of a send (database not writable: disk full?); kept in memory and written again when possible. Free disk space.',
        );
      }
      return false;
    }
  }

  /** Writes the outcomes kept in memory, oldest first; stops at the first that still fails. */
  function flushUnrecorded(): boolean {
    for (const [id, write] of [...unrecorded]) {
      if (!record(id, write)) return false;
      deps.logger.info({ outboxId: id }, 'Recorded a send outcome kept in memory');
    }
    return true;
  }

  const backoff = (attempts: number) => Math.min(MAX_RETRY_DELAY_MS, retryDelayMs * 2 ** Math.max(0, attempts - 1));

  async function deliver(claimed: ClaimedOutboxRow): Promise<void> {
    let message: OutgoingMessage;
    try {
      message = JSON.parse(claimed.payload) as OutgoingMessage;
    } catch (err) {
      record(claimed.id, () => deps.repo.markFailed(claimed.id, null, `unreadable payload: ${(err as Error).message}`));
      return;
    }
    const startedAt = now();
    let fromChunk = claimed.chunks_sent;
    if (claimed.settle) {
      // Zalo has no idempotency key: look for the part whose outcome was unknown before sending it again.
      const seen = await deps.client.readBack(claimed.user_id, message, fromChunk, claimed.uncertain_since ?? claimed.created_at);
      if (seen === 'delivered') fromChunk += 1;
      deps.logger.info({ outboxId: claimed.id, readBack: seen }, seen === 'delivered' ? 'Unknown send found delivered' : 'Unknown send not confirmed; resending it once');
    }
    const report = await deps.client.deliver(claimed.user_id, message, { fromChunk });
    // stop() gave up waiting and the database may be closed: the row stays 'sending' and is settled at the next start.
    if (abandoned) return;
    record(claimed.id, outcomeWriter(claimed, report, startedAt));
  }

  /** What to write for one attempt's report: the whole retry policy of a message is here. */
  function outcomeWriter(r: ClaimedOutboxRow, report: SendReport, startedAt: number): () => void {
    const at = now();
    const error = report.error ?? report.outcome;
    switch (report.outcome) {
      case 'sent':
        return () => deps.repo.markSent(r.id, at, report.messageIds[0], report.chunksSent);
      case 'retry_later':
        if (r.attempts < MAX_OUTBOX_ATTEMPTS) return () => deps.repo.retryAt(r.id, at + backoff(r.attempts), report.code, error, report.chunksSent);
        deps.logger.error({ outboxId: r.id, attempts: r.attempts, err: error }, 'Message could not be delivered after every attempt; recorded as failed');
        return () => deps.repo.markFailed(r.id, report.code, error, report.chunksSent);
      case 'uncertain': {
        // Zalo may have delivered it: resend once, later (after a read-back), never blindly and never twice.
        const resendAt = r.resent === 0 ? at + uncertainResendMs : null;
        deps.logger.warn(
          { outboxId: r.id, chunk: report.chunksSent, err: error, resendAt: resendAt === null ? null : new Date(resendAt).toISOString() },
          resendAt === null ? 'Outcome of a send unknown again after its one resend; recorded as unknown' : 'Outcome of a send unknown; it is read back and resent once later',
        );
        return () => deps.repo.markUnknown(r.id, { resendAt, since: startedAt, chunksSent: report.chunksSent, error });
      }
      case 'out_of_window':
        if (HOLD_WHEN_OUT_OF_WINDOW.has(r.purpose)) {
          deps.logger.info({ outboxId: r.id }, 'Outside the 7-day window: message held until the citizen writes again');
          return () => deps.repo.hold(r.id, report.code ?? 0, error);
        }
        return () => deps.repo.markFailed(r.id, report.code, error, report.chunksSent);
      case 'permanent':
        deps.logger.warn({ outboxId: r.id, code: report.code }, 'Zalo refused a message; recorded as failed');
        return () => deps.repo.markFailed(r.id, report.code, error, report.chunksSent);
      case 'needs_reauth':
        return () => deps.repo.retryAt(r.id, at + REAUTH_RETRY_MS, null, error, report.chunksSent);
    }
  }

  function flushOnStop(): void {
    if (!flushUnrecorded()) {
      deps.logger.error({ unrecorded: unrecorded.size }, 'Stopping with send outcomes not recorded (database not writable); they are read back at the next start');
    }
  }

  function pump(): void {
    scheduled = false;
    if (!running) return;
    const free = deps.concurrency - inFlight.size;
    if (free <= 0 || Date.now() < pausedUntil) return;
    // The database still refuses writes: claiming would fail too.
    if (!flushUnrecorded()) {
      pausedUntil = Date.now() + FAILED_WRITE_PAUSE_MS;
      return;
    }
    let rows: ClaimedOutboxRow[];
    try {
      rows = deps.repo.claimDue(deps.clock.now().getTime(), free, busyUsers);
    } catch (err) {
      pausedUntil = Date.now() + FAILED_WRITE_PAUSE_MS;
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
      if (recovered > 0) deps.logger.warn({ recovered }, 'Outbox rows left in flight by a crash are read back, then resent once if not found');
      timer = setInterval(kick, pollMs);
      timer.unref();
      kick();
    },
    kick,
    async stop() {
      running = false;
      if (timer) clearInterval(timer);
      if (inFlight.size === 0) {
        flushOnStop();
        return;
      }
      let graceTimer: NodeJS.Timeout | undefined;
      const grace = new Promise<'timeout'>((resolve) => {
        graceTimer = setTimeout(() => resolve('timeout'), deps.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
      });
      const outcome = await Promise.race([Promise.allSettled([...inFlight.values()]), grace]);
      clearTimeout(graceTimer);
      if (outcome === 'timeout') {
        abandoned = true;
        deps.logger.warn({ inFlight: inFlight.size }, 'Stopping with sends still in flight; they are read back (resent once if not found) at the next start');
      }
      if (!abandoned) flushOnStop();
    },
  };
}
