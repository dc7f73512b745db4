// How many messages of one citizen get an answer: 300 messages in 0.44 s used to produce 601 replies (Zalo counts
// every one against the OA's quota, and a flood from one user delays everyone else's answers).

/** What to do with one message of a citizen. */
export type LimitDecision = 'answer' | 'notice' | 'silent';

export interface CitizenLimiter {
  /**
   * Decides for the inbox row `rowId` of `userId`, received at `receivedAt` (ms). Over the limit, `isEmergency` is
   * asked, and an emergency is answered without being counted. The same row always gets the same decision (a
   * rolled-back event handled again is not counted twice).
   */
  decide(userId: string, rowId: number, receivedAt: number, isEmergency: () => boolean): LimitDecision;
}

export interface CitizenLimitOptions {
  /** Answered messages per window (default 20). */
  limit?: number;
  /** Sliding window in ms (default one minute). */
  windowMs?: number;
}

interface UserWindow {
  /** When each answered message was received, oldest first. */
  answered: number[];
  /** The notice went out since the citizen went over the limit. */
  noticed: boolean;
  /** Decisions already taken, by inbox row, for rows still inside the window. */
  decided: Map<number, { at: number; decision: LimitDecision }>;
  last: number;
}

const SWEEP_EVERY = 1_000;

/**
 * At most `limit` messages answered per citizen in any window of `windowMs`, by the time the webhook received them
 * (the inbox's received_at, not the time the dispatcher reaches them: a backlog handled after a restart is limited
 * the same way). The first message over the limit gets one short notice, the rest nothing until the window frees up.
 * Kept in memory: after a restart a citizen can get at most one more window's worth, which beats a write per message.
 */
export function createCitizenLimiter(options: CitizenLimitOptions = {}): CitizenLimiter {
  const limit = options.limit ?? 20;
  const windowMs = options.windowMs ?? 60_000;
  const users = new Map<string, UserWindow>();
  let sinceSweep = 0;

  // Citizens who wrote nothing for a whole window hold no state.
  const sweep = (now: number) => {
    for (const [id, w] of users) if (w.last <= now - windowMs) users.delete(id);
  };

  return {
    decide(userId, rowId, receivedAt, isEmergency) {
      if (++sinceSweep >= SWEEP_EVERY) {
        sinceSweep = 0;
        sweep(receivedAt);
      }
      let w = users.get(userId);
      if (!w) {
        w = { answered: [], noticed: false, decided: new Map(), last: receivedAt };
        users.set(userId, w);
      }
      const known = w.decided.get(rowId);
      if (known) return known.decision;
      w.last = Math.max(w.last, receivedAt);
      const from = receivedAt - windowMs;
      while (w.answered.length > 0 && w.answered[0]! <= from) w.answered.shift();
      for (const [id, d] of w.decided) if (d.at <= from) w.decided.delete(id);

      let decision: LimitDecision;
      if (w.answered.length < limit) {
        w.answered.push(receivedAt);
        w.noticed = false;
        decision = 'answer';
      } else if (isEmergency()) {
        decision = 'answer';
      } else if (!w.noticed) {
        w.noticed = true;
        decision = 'notice';
      } else {
        decision = 'silent';
      }
      w.decided.set(rowId, { at: receivedAt, decision });
      return decision;
    },
  };
}
