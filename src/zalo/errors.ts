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

/** The call did not get a usable answer: network failure, timeout, 5xx or an unreadable body. */
export class ZaloHttpError extends Error {
  override name = 'ZaloHttpError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
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

/** True when a failed call may succeed if tried again later. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof ZaloHttpError) return err.status === undefined || err.status >= 500 || err.status === 429;
  if (err instanceof ZaloApiError) return RATE_LIMIT_CODES.has(err.code);
  return false;
}
