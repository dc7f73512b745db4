import type { Db } from '../db/open.ts';
import type { WriteHealth } from '../health.ts';
import type { InboxRepository, NewInboxRow } from './inbox-repository.ts';

/** Stores webhook events with group commit: one transaction for every event that arrived in the same loop turn. */
export interface InboxWriter {
  /** Resolves once the event is committed: true when new, false for a redelivery. Rejects when the database refused. */
  store(row: NewInboxRow): Promise<boolean>;
}

interface Waiting {
  row: NewInboxRow;
  resolve: (stored: boolean) => void;
  reject: (err: Error) => void;
}

const DEFAULT_MAX_BATCH = 256;
// Another process holding the write lock: retry this long, then answer 503 (Zalo redelivers). Below Zalo's 2 s
// webhook deadline, so the 503 reaches Zalo before it gives up on its own.
const DEFAULT_BUSY_BUDGET_MS = 1_500;
const BUSY_RETRY_MS = 50;

const isBusy = (err: unknown) => {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || (typeof code === 'string' && code.startsWith('SQLITE_BUSY_'));
};

export interface InboxWriterDeps {
  db: Db;
  inbox: InboxRepository;
  maxBatch?: number;
  /** How long a commit refused by another process's lock is retried before the batch gets the error. */
  busyBudgetMs?: number;
  /** Told when a commit fails or works (the health check reads it). */
  writes?: WriteHealth;
}

/**
 * Every commit writes each changed page of the inbox's four b-trees to the WAL; under load most of a webhook's cost
 * was that commit. Requests parsed in the same event-loop turn now share one transaction, and each is answered only
 * after it commits, so a 200 still means "stored". A batch that fails is rolled back as a whole and every request in
 * it gets the error, so Zalo redelivers them all. The database's busy timeout is short (it blocks the event loop):
 * a commit refused because another process holds the write lock is retried on a timer for a bounded time, and
 * requests arriving meanwhile join the retried batch, which keeps their order.
 */
export function createInboxWriter(deps: InboxWriterDeps): InboxWriter {
  const maxBatch = deps.maxBatch ?? DEFAULT_MAX_BATCH;
  const busyBudgetMs = deps.busyBudgetMs ?? DEFAULT_BUSY_BUDGET_MS;
  const insertAll = deps.db.transaction((rows: NewInboxRow[]) => rows.map((row) => deps.inbox.insert(row)));
  let waiting: Waiting[] = [];
  let scheduled = false;
  let retrying = false;

  function schedule(): void {
    if (scheduled || retrying || waiting.length === 0) return;
    scheduled = true;
    // After the poll phase: every request read in this turn joins the batch.
    setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    if (retrying) return; // the retry takes the newcomers with it
    const batch = waiting;
    waiting = [];
    if (batch.length > 0) commit(batch, Date.now() + busyBudgetMs);
  }

  function commit(batch: Waiting[], deadline: number): void {
    let results: boolean[];
    try {
      results = insertAll(batch.map((w) => w.row));
    } catch (err) {
      if (isBusy(err) && Date.now() < deadline) {
        retrying = true;
        setTimeout(() => {
          retrying = false;
          const more = waiting;
          waiting = [];
          commit([...batch, ...more], deadline);
        }, BUSY_RETRY_MS);
        return;
      }
      deps.writes?.failed(err);
      for (const w of batch) w.reject(err as Error);
      schedule();
      return;
    }
    deps.writes?.succeeded();
    batch.forEach((w, i) => w.resolve(results[i]!));
    schedule();
  }

  return {
    store(row) {
      return new Promise<boolean>((resolve, reject) => {
        waiting.push({ row, resolve, reject });
        if (waiting.length >= maxBatch && !retrying) flush();
        else schedule();
      });
    },
  };
}
