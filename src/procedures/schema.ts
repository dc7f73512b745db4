import { z } from 'zod';

/** A calendar date written YYYY-MM-DD (local dates; no time zone). */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'is not a real date');

const httpsUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

export const levelSchema = z.enum(['tw', 'tinh', 'xa']);
export type Level = z.infer<typeof levelSchema>;

export const channelKindSchema = z.enum(['truc_tiep', 'truc_tuyen', 'buu_chinh']);
export type ChannelKind = z.infer<typeof channelKindSchema>;

/** An official procedure code (mã TTHC) at one level; superseded codes are kept, flagged. */
export const codeSchema = z.strictObject({
  code: z.string().regex(/^(\d\.\d{6}|[A-Z0-9_]+)$/, 'must look like 1.004222 (or an internal code such as C08_XPHCDB)'),
  level: levelSchema,
  superseded: z.boolean().default(false),
  note: z.string().optional(),
});

/** How a procedure can be filed: in person, online or by post, each with its own time and remarks. */
export const channelSchema = z.strictObject({
  kind: channelKindSchema,
  time: z.string().min(1).optional(),
  note: z.string().optional(),
  url: httpsUrl.optional(),
});

/** One fee amount in VND (0 = free), valid in a date window, optionally for one channel only. */
export const feeItemSchema = z.strictObject({
  case: z.string().min(1),
  amount: z.number().int().nonnegative(),
  channel: channelKindSchema.optional(),
  valid_from: isoDate.optional(),
  valid_to: isoDate.optional(),
  basis: z.string().optional(),
  note: z.string().optional(),
  /** Who the amount applies to when not everyone (e.g. the TT 117/2026 conditions for a free online filing). */
  condition: z.string().min(5).optional(),
  /** Absent = VND. Foreigners' visa and residence fees are set in USD (Thông tư 28/2026/TT-BTC). */
  currency: z.enum(['VND', 'USD']).optional(),
});
export type FeeItem = z.infer<typeof feeItemSchema>;

export const feesSchema = z.strictObject({
  items: z.array(feeItemSchema).default([]),
  exemptions: z.array(z.string()).default([]),
  /** Said instead of an amount when the fee is not confirmed: where to ask. */
  note: z.string().optional(),
});

export const formSchema = z.strictObject({
  code: z.string().min(1),
  name: z.string().min(1),
  url: httpsUrl.optional(),
});

/** Whether a procedure can be filed today, or was abolished / merged into another (with what to do now). */
export const procedureStatusSchema = z.enum(['active', 'abolished', 'merged', 'draft']);
export type ProcedureStatus = z.infer<typeof procedureStatusSchema>;

/** Who typically files the procedure (used to pick languages and the department to send a question to). */
export const audienceSchema = z.enum(['citizen', 'business', 'foreigner', 'police']);

/** Citizen-facing fields in another language; the Vietnamese fields stay authoritative. */
export const localizedSchema = z.strictObject({
  title: z.string().min(3),
  eligibility: z.string().optional(),
  result: z.string().optional(),
  processing_time: z.string().optional(),
  agency: z.string().optional(),
  documents: z.array(z.string().min(2)).optional(),
  steps: z.array(z.string().min(2)).optional(),
  notes: z.array(z.string()).optional(),
  exemptions: z.array(z.string()).optional(),
  fee_note: z.string().optional(),
  /** Vietnamese fee case or condition text → its translation. */
  fee_cases: z.record(z.string(), z.string()).optional(),
  /** Channel kind → translated channel note and time. */
  channel_notes: z.partialRecord(channelKindSchema, z.string()).optional(),
  channel_times: z.partialRecord(channelKindSchema, z.string()).optional(),
  status_note: z.string().optional(),
});
export type Localized = z.infer<typeof localizedSchema>;

/**
 * The official listing's own text for a draft written by `npm run content:import`: what the editor writes the
 * citizen-facing fields from. content:check refuses to publish a file that still has it.
 */
export const importedSchema = z.strictObject({
  from: z.string().min(1),
  at: isoDate,
  service_level: z.string().optional(),
  agency: z.string().optional(),
  target_audience: z.string().optional(),
  result: z.string().optional(),
  fee: z.string().optional(),
  documents: z.string().optional(),
  steps: z.string().optional(),
  requirements: z.string().optional(),
  method: z.string().optional(),
  attachments: z.array(z.strictObject({ title: z.string(), url: httpsUrl })).optional(),
});

/** One police administrative procedure as stored in content/procedures/<id>.yaml. */
export const procedureSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a lowercase slug (a-z, 0-9, -)'),
  title: z.string().min(5),
  status: procedureStatusSchema.default('active'),
  /** For abolished or merged procedures: the procedure(s) to use now. */
  replaced_by: z.array(z.string()).default([]),
  /** For abolished or merged procedures: what the citizen should do now, in one or two sentences. */
  status_note: z.string().optional(),
  /** The decision that abolished or merged it (e.g. Quyết định 1523/QĐ-BCA-C06 ngày 26/3/2026). */
  status_basis: z.string().optional(),
  /** Entries of the official listing (shared/reference/official-listing-2026.jsonl `id`) this file covers. */
  listing_ids: z.array(z.string().regex(/^\d+-\d+$/, 'must be a listing id such as 255-39')).default([]),
  /** The city police department that handles it or answers questions on it (PC06, PA08, PC08, PC07, …). */
  department: z.string().regex(/^[A-Z]{2}\d{2}$/, 'must be a department code such as PC06').optional(),
  audience: z.array(audienceSchema).default([]),
  aliases: z.array(z.string().min(2)).min(1),
  en_aliases: z.array(z.string().min(2)).default([]),
  km_aliases: z.array(z.string().min(1)).default([]),
  field: z.string().min(3),
  levels: z.array(levelSchema).min(1),
  agency: z.string().min(3),
  codes: z.array(codeSchema).default([]),
  online_level: z.enum(['toan_trinh', 'mot_phan', 'khong']),
  channels: z.array(channelSchema).min(1),
  documents: z.array(z.string().min(2)).default([]),
  steps: z.array(z.string().min(2)).default([]),
  eligibility: z.string().optional(),
  result: z.string().optional(),
  fees: feesSchema,
  processing_time: z.string().min(2),
  legal_basis: z.array(z.string().min(3)).min(1),
  forms: z.array(formSchema).default([]),
  online_url: httpsUrl.optional(),
  source: z.strictObject({ name: z.string().min(3), url: httpsUrl }),
  verified_at: isoDate,
  summary: z.string().min(40).max(600),
  summary_en: z.string().min(20).max(800).optional(),
  summary_km: z.string().min(10).max(1200).optional(),
  notes: z.array(z.string()).default([]),
  related: z.array(z.string()).default([]),
  en: localizedSchema.optional(),
  km: localizedSchema.optional(),
  imported: importedSchema.optional(),
});
export type Procedure = z.infer<typeof procedureSchema>;
