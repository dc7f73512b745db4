import { NIGHT_REFUSED_CODE, OUT_OF_WINDOW_CODE, RATE_LIMIT_CODES, TOKEN_ERROR_CODES, ZaloApiError, ZaloHttpError, ZaloReauthRequiredError } from './errors.ts';

// At-most-once sending needs to know, after a failed call, whether Zalo may still have delivered the message. Only
// this folder knows Zalo's codes and how the client's errors carry their cause, so the reading of them lives here:
// the outbox worker and the broadcast sender act on the outcome and never see a Zalo code.

/**
 * What became of one send, from the point of view of "could the citizen have received it, and may we try again?".
 * - sent: Zalo confirmed it.
 * - retry_later: surely not delivered and worth another try (connection refused, DNS, 5xx, rate limit, a token
 *   refused again right after a refresh, a night refusal).
 * - uncertain: the request may have been delivered (timeout, reset, unreadable answer): never resend blindly.
 * - out_of_window: Zalo's 7-day interaction window is closed for this user.
 * - permanent: Zalo refused this message for good (invalid user, blocked, unsupported...).
 * - needs_reauth: the OAuth chain is broken (or its state unknown): nothing goes out until an OA admin re-authorises.
 */
export type SendOutcome = 'sent' | 'retry_later' | 'uncertain' | 'out_of_window' | 'permanent' | 'needs_reauth';

/** The full account of a send (a message may be several Zalo calls when the text is long). */
export interface SendReport {
  outcome: SendOutcome;
  /** Parts of the message Zalo confirmed, counted from the first (earlier attempts included). */
  chunksSent: number;
  /** Parts of the message in all. */
  chunks: number;
  /** Zalo's ids of the parts confirmed by this attempt. */
  messageIds: string[];
  /** Zalo's error code, for the record only (callers decide on `outcome`). */
  code: number | null;
  error: string | undefined;
  /** retry_later because Zalo refuses this kind of message at night: wait for the morning, not a minute. */
  night: boolean;
}

/** Why a send failed (the older, coarser reading kept for callers that only need "may it have arrived?"). */
export type SendFailure =
  /** Zalo answered with error != 0: nothing was delivered. */
  | { kind: 'refused'; code: number; message: string }
  /** The request never reached Zalo's message endpoint (token step, connection refused, DNS, 5xx, 429). */
  | { kind: 'not_sent'; message: string }
  /** Timeout, reset or an unreadable answer: the message may or may not have been delivered. */
  | { kind: 'unknown'; message: string };

/** Where a send failed: getting a token (nothing was sent) or the message call itself. */
export type SendStage = 'token' | 'request';

/** Classifies an error thrown while sending; anything not provably undelivered is 'uncertain'. */
export function classifySendError(err: unknown, stage: SendStage = 'request'): Pick<SendReport, 'outcome' | 'code' | 'error' | 'night'> {
  const error = err instanceof Error ? err.message : String(err);
  const base = { code: null, error, night: false };
  if (err instanceof ZaloReauthRequiredError) return { ...base, outcome: 'needs_reauth' };
  // The token manager failed (refresh network error, waiting for another process): the message call was not made.
  if (stage === 'token') return { ...base, outcome: 'retry_later' };
  if (err instanceof ZaloApiError) {
    const withCode = { ...base, code: err.code };
    if (err.code === OUT_OF_WINDOW_CODE) return { ...withCode, outcome: 'out_of_window' };
    if (err.code === NIGHT_REFUSED_CODE) return { ...withCode, outcome: 'retry_later', night: true };
    // A token refused again right after the client's one refresh: a later attempt refreshes afresh.
    if (RATE_LIMIT_CODES.has(err.code) || TOKEN_ERROR_CODES.has(err.code)) return { ...withCode, outcome: 'retry_later' };
    return { ...withCode, outcome: 'permanent' };
  }
  if (err instanceof ZaloHttpError) return { ...base, outcome: err.delivery === 'not_sent' ? 'retry_later' : 'uncertain' };
  return { ...base, outcome: 'uncertain' };
}

/** Classifies an error thrown by the Zalo client into the coarse SendFailure. */
export function classifySendFailure(err: unknown): SendFailure {
  if (err instanceof ZaloApiError) return { kind: 'refused', code: err.code, message: err.message };
  const { outcome, error } = classifySendError(err);
  const message = error ?? 'unknown error';
  return outcome === 'uncertain' ? { kind: 'unknown', message } : { kind: 'not_sent', message };
}

/** The outcomes of the most recent sends, for the health check ("the last 20 sends all failed"). */
export interface SendLog {
  record(outcome: SendOutcome): void;
  /** How many of the last `size` sends are known, how many of them were not sent, and the latest outcome. */
  recent(): { count: number; notSent: number; latest: SendOutcome | undefined };
}

/** An in-memory ring of the last `size` send outcomes (replies and broadcasts alike). */
export function createSendLog(size = 20): SendLog {
  const ring: SendOutcome[] = [];
  return {
    record(outcome) {
      ring.push(outcome);
      if (ring.length > size) ring.shift();
    },
    recent() {
      return { count: ring.length, notSent: ring.filter((o) => o !== 'sent').length, latest: ring.at(-1) };
    },
  };
}
