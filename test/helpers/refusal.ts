import { expect } from 'vitest';

// The admin API's one refusal shape, { error: { code, message, fields? } }, with a Vietnamese message.

/** A letter only Vietnamese writes: a message with none is an English (or ASCII-only) sentence. */
export const VIETNAMESE = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i;

export interface Answer {
  status: number;
  json: unknown;
}

/** Checks status, code and a Vietnamese message; with `field`, also a Vietnamese message for that field. */
export function expectRefusal(res: Answer, status: number, code: string, field?: string): void {
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expect(res.json).toMatchObject({ error: { code, message: expect.stringMatching(VIETNAMESE) } });
  const error = (res.json as { error: { message: string; fields?: Record<string, string> } }).error;
  expect(error.message).not.toMatch(/\bat \S+ \(|node:internal|\.ts:\d+/); // never a stack
  if (field !== undefined) expect(error.fields?.[field], JSON.stringify(error.fields)).toMatch(VIETNAMESE);
}

/** The refusal's error object, for further checks. */
export const errorOf = (res: Answer) => (res.json as { error: { code: string; message: string; fields?: Record<string, string> } & Record<string, unknown> }).error;
