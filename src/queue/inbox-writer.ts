import type { Db } from '../db/open.ts';
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

/**
 * Every commit writes each changed page of the inbox's four b-trees to the WAL; under load most of a webhook's cost
 * was that commit. Requests parsed in the same event-loop turn now share one transaction, and each is answered only
 * after it commits, so a 200 still means "stored". A batch that fails (database locked past the busy timeout) is
 * rolled back as a whole and every request in it gets the error, so Zalo redelivers them all.
 */
export function createInboxWriter(deps: { db: Db; inbox: InboxRepository; maxBatch?: number }): InboxWriter {
  const maxBatch = deps.maxBatch ?? DEFAULT_MAX_BATCH;
  const insertAll = deps.db.transaction((rows: NewInboxRow[]) => rows.map((row) => deps.inbox.insert(row)));
  let waiting: Waiting[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) return;
    let results: boolean[];
    try {
      results = insertAll(batch.map((w) => w.row));
    } catch (err) {
      for (const w of batch) w.reject(err as Error);
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i]!));
  }

  return {
    store(row) {
      return new Promise<boolean>((resolve, reject) => {
        waiting.push({ row, resolve, reject });
        if (waiting.length >= maxBatch) flush();
        else if (!scheduled) {
          scheduled = true;
          // After the poll phase: every request read in this turn joins the batch.
          setImmediate(flush);
        }
      });
    },
  };
}
