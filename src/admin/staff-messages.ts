import messages from './staff-messages.vi.json' with { type: 'json' };

// What the staff API says to staff, in Vietnamese. The words live in staff-messages.vi.json (one reviewable file,
// like report-labels.vi.json; the console is Vietnamese only, so they are not in the citizens' locale files).

export type StaffMessageKey = keyof typeof messages;

/** Whether `key` is one of the messages (for keys built at run time, such as `field.${name}`). */
export const isStaffMessageKey = (key: string): key is StaffMessageKey => Object.hasOwn(messages, key);

/** The message for `key`, with {{name}} placeholders filled from `vars`. */
export function staffMessage(key: StaffMessageKey, vars: Record<string, string | number> = {}): string {
  return messages[key].replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
