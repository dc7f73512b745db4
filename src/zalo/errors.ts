/** Zalo answered (often with HTTP 200) but refused: `error != 0`. */
export class ZaloApiError extends Error {
  override name = 'ZaloApiError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(`Zalo error ${code}: ${message}`);
  }
}

/**
 * Whether Zalo may have acted on a request that got no usable answer. 'not_sent': it surely did not (the connection
 * was refused, the name did not resolve, or Zalo itself answered 5xx/429). 'unknown': the request may have been
 * written and processed (timeout, reset, an unreadable 2xx): resending it blindly can deliver a message twice.
 */
export type HttpDelivery = 'not_sent' | 'unknown';

// Network errors raised before any byte of the request reached Zalo.
const BEFORE_REQUEST_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

/** Reads a network error's code (axios and Node both put it on `code`). */
export function networkErrorCode(err: unknown): string | undefined {
  const code = err !== null && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** The call did not get a usable answer: network failure, timeout, 5xx or an unreadable body. */
export class ZaloHttpError extends Error {
  override name = 'ZaloHttpError';
  /** The network error's code (ECONNREFUSED, ETIMEDOUT, ECONNRESET, …) when there was one. */
  readonly errorCode: string | undefined;
  /** Whether Zalo may have acted on the request (see HttpDelivery). */
  readonly delivery: HttpDelivery;
  constructor(message: string, readonly status?: number, options: { cause?: unknown; delivery?: HttpDelivery } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.errorCode = networkErrorCode(options.cause);
    this.delivery =
      options.delivery ??
      (status !== undefined && (status >= 500 || status === 429)
        ? 'not_sent'
        : this.errorCode !== undefined && BEFORE_REQUEST_CODES.has(this.errorCode)
          ? 'not_sent'
          : 'unknown');
  }
}

/** The OAuth refresh chain is broken: an OA admin must authorise the app again. */
export class ZaloReauthRequiredError extends Error {
  override name = 'ZaloReauthRequiredError';
}

/** Token invalid (-216) or expired (-220): refresh once and retry once. */
export const TOKEN_ERROR_CODES: ReadonlySet<number> = new Set([-216, -220, -124]);
/** Rate limit: back off and retry. */
export const RATE_LIMIT_CODES: ReadonlySet<number> = new Set([-32]);
/** Codes that never succeed on retry for this recipient/payload. */
export const PERMANENT_CODES: ReadonlySet<number> = new Set([-230, -213, -217, -227, -201, -232, -233, -244, -248]);
/** Outside Zalo's 7-day interaction window: the message can only go out after the user writes again. */
export const OUT_OF_WINDOW_CODE = -230;
/** Promotional sends refused at night (22:00–06:00). */
export const NIGHT_REFUSED_CODE = -234;

/** True when a failed call may succeed if tried again later (whether it may be repeated safely is a separate question). */
export function isRetryable(err: unknown): boolean {
  if (err instanceof ZaloHttpError) return err.status === undefined || err.status >= 500 || err.status === 429;
  if (err instanceof ZaloApiError) return RATE_LIMIT_CODES.has(err.code);
  return false;
}

/** True when the failed call surely had no effect at Zalo and may be sent again without risk of a duplicate. */
export function isSafeToRepeat(err: unknown): boolean {
  if (err instanceof ZaloHttpError) return err.delivery === 'not_sent';
  if (err instanceof ZaloApiError) return RATE_LIMIT_CODES.has(err.code);
  return false;
}
