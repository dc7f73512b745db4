import { z } from 'zod';
import { foldName } from './names.ts';

// The city's 103 communes and wards (content/units/<id>.yaml, built by `npm run units:import`) and the departments
// citizens deal with (content/units/departments.yaml). Type words are checked folded, so the files keep their accents.

/** A real calendar date written YYYY-MM-DD (2025-02-30 is refused). */
export const realDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((s) => {
    const t = Date.parse(`${s}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
  }, 'is not a real date');

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

/** Digits of a phone number as written ("0292 3820 938", "0693.672130", "+84 292 …"). */
export function phoneDigits(phone: string): string {
  const digits = phone.replace(/[\s.\-()]/g, '');
  return digits.startsWith('+84') ? `0${digits.slice(3)}` : digits;
}

/** A Vietnamese number: 10-digit mobile, 11-digit landline (02xx), 1800/1900 lines, or a three-digit emergency number. */
export function isVietnamesePhone(phone: string): boolean {
  const d = phoneDigits(phone);
  return /^0[1-9]\d{8,9}$/.test(d) || /^11[1-5]$/.test(d) || /^1[89]00\d{4,6}$/.test(d);
}

const phone = z.string().refine(isVietnamesePhone, 'does not look like a Vietnamese phone number (10 or 11 digits starting with 0)');

const foldedOneOf = (allowed: string[]) => z.string().refine((s) => allowed.includes(foldName(s)), `must be one of: ${allowed.join(', ')} (with or without accents)`);

/** What staff add for a unit's police station; everything optional, nothing confirmed until they say so. */
export const policeSchema = z
  .strictObject({
    address: z.string().min(5).optional(),
    phone: z.union([phone, z.array(phone).min(1)]).optional(),
    hours: z.string().min(3).optional(),
    map_url: httpUrl.optional(),
    lat: z.number().min(-90).max(90).optional(),
    lng: z.number().min(-180).max(180).optional(),
    verified_at: realDate.optional(),
    source: z.string().min(3).optional(),
    confirmed: z.boolean().default(false),
    note: z.string().optional(),
  })
  .refine((p) => (p.lat === undefined) === (p.lng === undefined), { message: 'lat and lng go together', path: ['lng'] });
export type Police = z.infer<typeof policeSchema>;

/** An old commune, ward or town (before 1/7/2025) that is now part of the unit; `split` when only part of it is. */
export const oldUnitSchema = z
  .strictObject({
    name: z.string().min(3),
    type: foldedOneOf(['phuong', 'xa', 'thi tran']),
    district: z.string().min(3),
    province: z.string().min(3),
    split: z.literal(true).optional(),
    note: z.string().optional(),
  })
  .refine((o) => foldName(o.name).startsWith(`${foldName(o.type)} `), { message: 'name must begin with its type word', path: ['name'] })
  .refine((o) => !o.split || (o.note ?? '').length > 0, { message: 'a split old unit says where the rest went', path: ['note'] });
export type OldUnit = z.infer<typeof oldUnitSchema>;

export const unitSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a lowercase slug (a-z, 0-9, -)'),
    name: z.string().min(3),
    type: foldedOneOf(['phuong', 'xa']),
    code: z.string().regex(/^\d{5}$/, 'must be the five-digit unit code').optional(),
    province_before: z.string().min(3),
    old_units: z.array(oldUnitSchema).min(1, 'a unit is made of at least one old unit'),
    centre: z.string().min(3).nullable(),
    centre_note: z.string().optional(),
    sources: z.array(z.strictObject({ name: z.string().min(3), url: httpUrl })).min(1),
    police: policeSchema.optional(),
  })
  .refine((u) => foldName(u.name).startsWith(`${foldName(u.type)} `), { message: 'name must begin with its type word', path: ['name'] });
export type Unit = z.infer<typeof unitSchema>;

export const statusSchema = z.enum(['confirmed', 'single_source', 'unconfirmed', 'unknown']);
export type FactStatus = z.infer<typeof statusSchema>;

export const departmentSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  code: z.string().regex(/^[A-Z]{2}\d{2}$/).nullable(),
  name: z.string().min(5),
  handles: z.array(z.string().min(3)).min(1),
  names: z.array(z.string().min(2)).default([]),
  topics: z.array(z.string().min(2)).default([]),
  address: z
    .strictObject({ text: z.string().min(5).optional(), status: statusSchema, note: z.string().optional(), former: z.array(z.string().min(5)).optional() })
    .refine((a) => (a.text === undefined) === (a.status === 'unknown'), { message: 'an address is unknown exactly when it has no text', path: ['status'] }),
  phones: z.array(z.strictObject({ number: phone, label: z.string().min(2), status: statusSchema.exclude(['unknown']) })).default([]),
  sources: z.array(httpUrl).default([]),
  note: z.string().optional(),
});
export type Department = z.infer<typeof departmentSchema>;

export const departmentsFileSchema = z.strictObject({ departments: z.array(departmentSchema).min(1) });

/** A unit's phones as a list (the file may give one or several). */
export function policePhones(u: Unit): string[] {
  const p = u.police?.phone;
  return p === undefined ? [] : Array.isArray(p) ? p : [p];
}
