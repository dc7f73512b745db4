/**
 * Acks before answers. The webhook counts every request it reads; background work (the dispatcher) calls
 * `yieldTurn()` between events. A loop turn in which webhook requests were read means intake is busy, so the
 * background work waits another turn, and keeps waiting while turns stay busy, up to `maxDeferMs`. Then it runs one
 * more event anyway, so answers still make progress (roughly a tenth of the time) under a flood that saturates the
 * CPU; the backlog is worked off when the flood ends. At ordinary load a turn is quiet and nothing waits.
 */
export interface IngressPriority {
  /** Called by the webhook for every request it reads. */
  noteRequest(): void;
  /** Resolves after a loop turn with no new requests, or after `maxDeferMs` of busy turns. */
  yieldTurn(): Promise<void>;
}

export const DEFAULT_MAX_DEFER_MS = 15;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createIngressPriority(options: { maxDeferMs?: number } = {}): IngressPriority {
  const maxDeferMs = options.maxDeferMs ?? DEFAULT_MAX_DEFER_MS;
  let requests = 0;
  return {
    noteRequest() {
      requests++;
    },
    async yieldTurn() {
      const started = performance.now();
      for (;;) {
        const before = requests;
        await nextTurn();
        if (requests === before || performance.now() - started >= maxDeferMs) return;
      }
    },
  };
}
