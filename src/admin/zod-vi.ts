import type { z } from 'zod';
import { isStaffMessageKey, staffMessage, type StaffMessageKey } from './staff-messages.ts';

// zod's own messages are English sentences for programmers; staff read these instead. Each issue becomes one
// Vietnamese sentence that names the field ("Tiêu đề dài tối đa 200 ký tự."). A schema may give its own message:
// a template with {{field}} (staffMessage('zod.isoDay')) gets the field's name filled in, and any other message
// that is not plain ASCII is taken as already written for staff.

type Issue = z.ZodError['issues'][number];

/** The Vietnamese name of a field, by its path ("audience.tag"): the whole path first, then its last part. */
export type FieldLabeler = (path: readonly PropertyKey[]) => string;

/** Field names of the admin API's bodies and queries (field.* in staff-messages.vi.json). */
export const fieldLabel: FieldLabeler = (path) => {
  const whole = path.map(String).join('.');
  for (const name of [whole, String(path.at(-1) ?? '')]) {
    const key = `field.${name}`;
    if (name && isStaffMessageKey(key)) return staffMessage(key);
  }
  return staffMessage('field.unknown', { key: whole || '?' });
};

const TYPES: Record<string, StaffMessageKey> = {
  string: 'type.string',
  number: 'type.number',
  int: 'type.number',
  boolean: 'type.boolean',
  object: 'type.object',
  array: 'type.array',
};

const NOT_ASCII = /[^\u0020-\u007e]/;

/** One sentence for one issue (not for unrecognized keys: see describeIssues). */
function sentence(issue: Issue, field: string): string {
  if (issue.message.includes('{{field}}')) return issue.message.replace(/\{\{field\}\}/g, field);
  if (NOT_ASCII.test(issue.message)) return issue.message;
  const n = (v: number | bigint) => String(v);
  switch (issue.code) {
    case 'invalid_type':
      // zod names what it received; "undefined" means the field is missing.
      if (issue.input === undefined && /received undefined/.test(issue.message)) return staffMessage('zod.required', { field });
      return staffMessage('zod.wrongType', { field, expected: staffMessage(TYPES[issue.expected] ?? 'type.other') });
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1 ? staffMessage('zod.required', { field }) : staffMessage('zod.tooShort', { field, min: n(issue.minimum) });
      }
      if (issue.origin === 'array' || issue.origin === 'set') return staffMessage('zod.tooFew', { field, min: n(issue.minimum) });
      return staffMessage(issue.inclusive === false ? 'zod.tooSmallExclusive' : 'zod.tooSmall', { field, min: n(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'string') return staffMessage('zod.tooLong', { field, max: n(issue.maximum) });
      if (issue.origin === 'array' || issue.origin === 'set') return staffMessage('zod.tooMany', { field, max: n(issue.maximum) });
      return staffMessage(issue.inclusive === false ? 'zod.tooBigExclusive' : 'zod.tooBig', { field, max: n(issue.maximum) });
    case 'invalid_value':
      return staffMessage('zod.notOneOf', { field, values: issue.values.map(String).join(', ') });
    case 'invalid_format':
      return staffMessage('zod.invalidFormat', { field });
    default:
      return staffMessage('zod.invalid', { field });
  }
}

export interface DescribedIssues {
  /** Field path ("audience.tag") → its first problem. Problems of the whole body are only in `sentences`. */
  fields: Record<string, string>;
  /** Every problem, in order, once. */
  sentences: string[];
}

/** Vietnamese sentences for zod issues, by field. */
export function describeIssues(issues: readonly Issue[], labelOf: FieldLabeler = fieldLabel): DescribedIssues {
  const fields: Record<string, string> = {};
  const sentences: string[] = [];
  const add = (path: readonly PropertyKey[], text: string) => {
    const key = path.map(String).join('.');
    if (key && !(key in fields)) fields[key] = text;
    if (!sentences.includes(text)) sentences.push(text);
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add([...issue.path, key], staffMessage('zod.unknownKey', { key: [...issue.path, key].map(String).join('.') }));
      continue;
    }
    add(issue.path, sentence(issue, labelOf(issue.path)));
  }
  return { fields, sentences };
}
