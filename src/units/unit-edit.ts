import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { staffMessage } from '../admin/staff-messages.ts';
import { isVietnamesePhone, policePhones, unitSchema, type Unit } from './schema.ts';

// What staff may fill or correct in a unit's file from the console: the police station's address, phone(s),
// opening hours and map link. The rest of the file (and its comments) is kept as it is.

const phoneList = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .transform((s) => s.split(/[,;]/).map((p) => p.trim()).filter((p) => p.length > 0))
  .refine((list) => list.length > 0 && list.every(isVietnamesePhone), { message: staffMessage('zod.vnPhone') });

export const unitEditSchema = z.strictObject({
  address: z.string().trim().min(5).max(300).optional(),
  phone: phoneList.optional(),
  hours: z.string().trim().min(3).max(200).optional(),
  map_url: z
    .string()
    .trim()
    .max(1000)
    .refine((v) => /^https:\/\/[^\s]+$/i.test(v), { message: staffMessage('zod.httpsUrl') })
    .optional(),
});
export type UnitEdit = z.output<typeof unitEditSchema>;

export const POLICE_FIELDS = ['address', 'phone', 'hours', 'map_url'] as const;

/** The police fields staff can fill that a unit still lacks. */
export function emptyPoliceFields(u: Unit): string[] {
  return POLICE_FIELDS.filter((f) => (f === 'phone' ? policePhones(u).length === 0 : !u.police?.[f]));
}

/**
 * Writes the change into the unit's YAML file, with verified_at (today, local) and the source naming the officer,
 * and returns the unit as now written (checked against the unit schema before the file is replaced).
 */
export function writeUnitEdit(file: string, change: UnitEdit, meta: { today: string; staffName: string }): Unit {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  for (const f of POLICE_FIELDS) {
    const v = change[f];
    if (v !== undefined) doc.setIn(['police', f], v);
  }
  doc.setIn(['police', 'verified_at'], meta.today);
  doc.setIn(['police', 'source'], staffMessage('unitSource', { name: meta.staffName }));
  // An officer saving the form (which shows the whole block) vouches for it: the bot stops saying "chưa xác nhận".
  doc.setIn(['police', 'confirmed'], true);
  const unit = unitSchema.parse(doc.toJS());
  // Written beside and renamed over the file: a crash mid-write leaves the old file, never half a YAML.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, doc.toString({ lineWidth: 0 }));
  renameSync(temp, file);
  return unit;
}

/** How many units there are and how many still lack an address or a phone (the dashboard's line). */
export function unitCounts(units: Unit[]): { total: number; withoutAddress: number; withoutPhone: number } {
  const empty = units.map(emptyPoliceFields);
  return { total: units.length, withoutAddress: empty.filter((e) => e.includes('address')).length, withoutPhone: empty.filter((e) => e.includes('phone')).length };
}
