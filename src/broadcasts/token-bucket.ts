/** Paces sends: `take()` resolves when one more send fits the configured rate. */
export interface TokenBucket {
  take(): Promise<void>;
}

export interface TokenBucketOptions {
  ratePerSec: number;
  /** Most sends allowed back to back after an idle spell (default: a tenth of a second's worth, at least 1). */
  burst?: number;
  /** Monotonic milliseconds (default performance.now): pacing must not follow wall-clock jumps. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A token bucket refilled continuously at `ratePerSec`. Callers are served one at a time in order, so several
 * posts sending at once share one rate. A small burst absorbs timer lateness without exceeding the rate on average.
 */
export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  const rate = options.ratePerSec / 1000; // tokens per ms
  const capacity = Math.max(1, options.burst ?? Math.ceil(options.ratePerSec / 10));
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let tokens = capacity;
  let last = now();
  let queue: Promise<void> = Promise.resolve();

  const refill = () => {
    const t = now();
    tokens = Math.min(capacity, tokens + (t - last) * rate);
    last = t;
  };

  async function takeOne(): Promise<void> {
    refill();
    while (tokens < 1) {
      await sleep(Math.max(1, Math.ceil((1 - tokens) / rate)));
      refill();
    }
    tokens -= 1;
  }

  return {
    take() {
      const turn = queue.then(takeOne);
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}
