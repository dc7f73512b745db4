import { ZaloApiError, ZaloHttpError, ZaloReauthRequiredError } from './errors.ts';

// At-most-once sending needs to know, after a failed call, whether Zalo may still have delivered the message.
// Only this folder knows how the client words its errors, so the reading of them lives here.

/** Why a send failed, from the point of view of "could the citizen have received it?". */
export type SendFailure =
  /** Zalo answered with error != 0: nothing was delivered. */
  | { kind: 'refused'; code: number; message: string }
  /** The request never reached Zalo's message endpoint (token step, connection refused, DNS, 429). */
  | { kind: 'not_sent'; message: string }
  /** Timeout, reset, 5xx or an unreadable answer: the message may or may not have been delivered. */
  | { kind: 'unknown'; message: string };

// Connection-level failures that happen before any byte of the request is accepted.
const BEFORE_REQUEST = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\b/;
// Failures of the token manager (src/zalo/tokens.ts): the message call itself was not made.
const TOKEN_STEP = /^(OAuth refresh|Timed out waiting for another process to refresh)/;

/** Classifies an error thrown by the Zalo client; anything not provably undelivered is 'unknown'. */
export function classifySendFailure(err: unknown): SendFailure {
  if (err instanceof ZaloApiError) return { kind: 'refused', code: err.code, message: err.message };
  if (err instanceof ZaloReauthRequiredError) return { kind: 'not_sent', message: err.message };
  if (err instanceof ZaloHttpError) {
    if (err.status === 429 || BEFORE_REQUEST.test(err.message) || TOKEN_STEP.test(err.message)) return { kind: 'not_sent', message: err.message };
    return { kind: 'unknown', message: err.message };
  }
  return { kind: 'unknown', message: err instanceof Error ? err.message : String(err) };
}
