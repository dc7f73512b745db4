import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, type AppErrorBody } from './app-error.ts';
import { staffMessage } from './staff-messages.ts';

// The admin API's only error handler, mounted once after every staff router (admin-api.ts). Routers and
// services throw AppError (express 5 passes a rejected async handler here too); nothing else writes a refusal.

/** What express's JSON body parser throws: an http-errors error with a `type`. */
interface BodyParserError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

const STATUSES = new Set([400, 401, 403, 404, 409, 413, 415, 422, 429, 502, 503]);

/** An express or body-parser error the client caused (bad JSON, too large, bad encoding) as an AppError. */
function fromHttpError(err: unknown): AppError | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const e = err as BodyParserError;
  const status = e.status ?? e.statusCode;
  if (e.type === 'entity.parse.failed') return new AppError(400, 'invalid_json', staffMessage('invalidJson'), { cause: err });
  if (e.type === 'entity.too.large') return new AppError(413, 'body_too_large', staffMessage('bodyTooLarge'), { cause: err });
  if (status !== undefined && status >= 400 && status < 500 && e.expose !== false) {
    const known = STATUSES.has(status) ? (status as AppError['status']) : 400;
    return new AppError(known, 'bad_request', staffMessage('badRequest'), { cause: err });
  }
  return undefined;
}

/** The 404 of a path no staff router answers (after the guard, so only for roles allowed to ask). */
export const adminNotFound: RequestHandler = (_req, _res, next) => {
  next(new AppError(404, 'not_found', staffMessage('routeNotFound')));
};

/** Renders any error as `{ error: { code, message, fields? } }`; unknown ones as a 500 that shows no stack. */
export const adminErrorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const refusal = err instanceof AppError ? err : fromHttpError(err);
  if (!refusal) {
    const e = err instanceof Error ? err : new Error(String(err));
    req.log.error({ err: e.message, stack: e.stack, method: req.method, path: req.path }, 'Admin API request failed');
  }
  if (res.headersSent) {
    // A download that broke off halfway: the client sees a cut file, never a JSON body glued to it.
    res.destroy();
    return;
  }
  // An export sets its file headers before the first row; a refusal is JSON, not an attachment.
  res.removeHeader('content-disposition');
  res.removeHeader('content-type');
  if (refusal) res.status(refusal.status).json(refusal.toBody());
  else res.status(500).json({ error: { code: 'internal', message: staffMessage('internal', { requestId: req.id }) } } satisfies AppErrorBody);
};
