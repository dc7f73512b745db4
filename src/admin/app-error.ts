import type { z } from 'zod';
import { staffMessage } from './staff-messages.ts';
import { describeIssues, fieldLabel, type FieldLabeler } from './zod-vi.ts';

// The one refusal of the staff API. Services and routers throw it; the admin API's error middleware
// (error-middleware.ts) renders every one the same way:
//   { "error": { "code": "send_time_in_past", "message": "Thời gian gửi … đã qua …", "fields": { "sendAt": "…" } } }
// `code` is stable English snake_case for scripts and tests; `message` is a Vietnamese sentence from
// staff-messages.vi.json that the console shows as it is; `fields` names what to correct, field by field.

export type AppErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 502 | 503;

export interface AppErrorOptions {
  /** Field path → Vietnamese message, for the form to show beside each field. */
  fields?: Record<string, string> | undefined;
  /** Extra facts a client acts on (lockedUntil, role), rendered inside `error` beside code and message. */
  details?: Record<string, unknown> | undefined;
  cause?: unknown;
}

/** The JSON body of every refusal of the admin API. */
export interface AppErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> } & Record<string, unknown>;
}

export class AppError extends Error {
  override name = 'AppError';
  readonly fields: Record<string, string> | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    readonly status: AppErrorStatus,
    readonly code: string,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.fields = options.fields && Object.keys(options.fields).length > 0 ? options.fields : undefined;
    this.details = options.details;
  }

  /** A 400 for input zod refused: one Vietnamese sentence per field, all of them in the message too. */
  static invalid(error: z.ZodError, labelOf: FieldLabeler = fieldLabel): AppError {
    const { fields, sentences } = describeIssues(error.issues, labelOf);
    return new AppError(400, 'invalid_request', staffMessage('invalidRequest', { details: sentences.join(' ') }), { fields, cause: error });
  }

  /** A 400 about one field, with a message written for it. */
  static field(field: string, message: string, code = 'invalid_request'): AppError {
    return new AppError(400, code, message, { fields: { [field]: message } });
  }

  toBody(): AppErrorBody {
    return { error: { ...this.details, code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}
