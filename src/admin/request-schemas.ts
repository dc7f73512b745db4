import { z } from 'zod';
import { parsePeriod, type LocalPeriod } from '../time.ts';
import { AppError } from './app-error.ts';
import { staffMessage } from './staff-messages.ts';

// The pieces of request validation the admin routers share, so each means the same everywhere: include_pii (the
// access policy and the routes that export must read it alike, or a viewer could pass the guard with a value the
// route takes as "yes"), pages, ids, days, Zalo ids, report periods. Messages are Vietnamese templates with
// {{field}} (zod-vi.ts fills in the field's name).

/** Parses `value` with `schema`, or throws the 400 AppError that names each wrong field. */
export function validate<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw AppError.invalid(parsed.error);
  return parsed.data;
}

const YES = new Set(['true', '1', 'yes']);
const NO = new Set(['false', '0', 'no']);

/** include_pii as a query gives it: true for true|1|yes, false for false|0|no or absent, undefined for anything else. */
export function readIncludePii(value: unknown): boolean | undefined {
  if (value === undefined) return false;
  if (typeof value !== 'string') return undefined;
  return YES.has(value) ? true : NO.has(value) ? false : undefined;
}

/** The include_pii query field: a boolean, or a 400 with fields.include_pii. */
export const includePii = z
  .unknown()
  .optional()
  .transform((value, ctx): boolean => {
    const read = readIncludePii(value);
    if (read === undefined) ctx.addIssue({ code: 'custom', message: staffMessage('zod.includePii'), input: value });
    return read ?? false;
  });

/** A list's page number (1 when absent). */
export const page = z.coerce.number().int().min(1).max(100_000).default(1);

/** A local calendar day, YYYY-MM-DD. */
export const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, staffMessage('zod.isoDay'));

/** An optional day range of a query (?from=&to=), both ends included. */
export const dayRangeQuery = { from: isoDay.optional(), to: isoDay.optional() };

/** A numeric id in a path (/posts/12, /staff/3). */
export const positiveId = z.coerce.number().int().positive();

/** A Zalo user id: digits only, kept as a string (they exceed 2^53). */
export const zaloUserId = z.string().regex(/^\d{1,25}$/, staffMessage('zaloIdDigits'));

/** An http(s) URL (a "javascript:" link never gets in). */
export const httpUrl = z
  .string()
  .trim()
  .max(1000)
  .refine((v) => /^https?:\/\/[^\s]+$/i.test(v), { message: staffMessage('zod.httpUrl') });

/** The local period of a report (2025-Q1, 2025-H1, 2025), or a 400 naming `field`. */
export function reportPeriod(text: unknown, timeZone: string, field = 'period'): LocalPeriod {
  const period = typeof text === 'string' && text.length <= 10 ? parsePeriod(text, timeZone) : undefined;
  if (!period) throw AppError.field(field, staffMessage('zod.period', { field: staffMessage('field.period') }));
  return period;
}
