import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLError } from 'yaml';
import { z } from 'zod';
import { staffMessage } from '../admin/staff-messages.ts';
import { describeIssues } from '../admin/zod-vi.ts';
import { zonedToEpoch } from '../time.ts';
import type { PostRepository } from './post-repository.ts';

// The communication plan as data (content/plans/*.yaml): one draft post per item, dated inside the item's period
// at 09:00 local, for PV01 to write and schedule. The plan key (plan id + item number) makes a second import a no-op.

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, staffMessage('planMonth'));
const unit = z.string().trim().min(1);

const planSchema = z.strictObject({
  plan: z.strictObject({
    id: z.string().regex(/^[a-z0-9-]+$/, staffMessage('planId')),
    title: z.string().min(1),
    reference: z.string().optional(),
    year: z.number().int().min(2000).max(2100),
  }),
  items: z
    .array(
      z.strictObject({
        no: z.number().int().positive(),
        topic: z.string().trim().min(1).max(2000),
        lead_units: z.array(unit).min(1),
        partner_units: z.array(unit).default([]),
        period: z.strictObject({ from: month, to: month, text: z.string().min(1) }).refine((p) => p.from <= p.to, staffMessage('planPeriodOrder')),
      }),
    )
    .min(1)
    .refine((items) => new Set(items.map((i) => i.no)).size === items.length, staffMessage('planItemNumbers')),
});

/** A validated plan file. */
export type Plan = z.infer<typeof planSchema>;
export type PlanItem = Plan['items'][number];

/** Why a plan file was refused: it cannot be read, it is not YAML, or items do not match the schema. */
export type PlanProblem =
  | { reason: 'unreadable' }
  | { reason: 'syntax'; line: number; column: number }
  /** Field path in the file ("items.0.lead_units") → a Vietnamese sentence naming the item and the field. */
  | { reason: 'schema'; fields: Record<string, string>; sentences: string[] };

/** The plan file is refused; `problem` says why (the console shows it), the message adds the path (for the CLI). */
export class PlanError extends Error {
  override name = 'PlanError';
  constructor(
    readonly problem: PlanProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Where a problem is, for a plan author: "Nội dung thứ 2 của kế hoạch (mục period.from)". */
export function planFieldLabel(path: readonly PropertyKey[]): string {
  if (path.length === 0) return staffMessage('planRoot');
  const [first, n, ...rest] = path.map(String);
  if (first === 'items' && n !== undefined && /^\d+$/.test(n) && rest.length > 0) return staffMessage('planItemField', { n: Number(n) + 1, key: rest.join('.') });
  return staffMessage('planField', { key: path.map(String).join('.') });
}

/** Reads and validates a plan file. */
export function loadPlan(path: string): Plan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PlanError({ reason: 'unreadable' }, `${path}: ${(err as Error).message}`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    const at = err instanceof YAMLError ? err.linePos?.[0] : undefined;
    throw new PlanError({ reason: 'syntax', line: at?.line ?? 1, column: at?.col ?? 1 }, `${path}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = planSchema.safeParse(raw);
  if (!parsed.success) {
    const { fields, sentences } = describeIssues(parsed.error.issues, planFieldLabel);
    const byField = new Set(Object.values(fields));
    const lines = [...Object.entries(fields).map(([key, text]) => `${key}: ${text}`), ...sentences.filter((t) => !byField.has(t))];
    throw new PlanError({ reason: 'schema', fields, sentences }, `${path}:\n  ${lines.join('\n  ')}`, { cause: parsed.error });
  }
  return parsed.data;
}

const SEND_HOUR = 9;
const FIRST_DAY = 5; // leaves the first days of the month to the monthly reports

/**
 * The draft date of each item: the first working day (Mon–Fri) from the 5th of its first month, at 09:00 local,
 * moved to the next working day when an earlier item already took that day (two posts the same morning read as spam).
 */
export function planDates(plan: Plan, timeZone: string): Map<number, number> {
  const taken = new Set<string>();
  const dates = new Map<number, number>();
  for (const item of plan.items) {
    const [year, mon] = item.period.from.split('-').map(Number) as [number, number];
    const day = new Date(Date.UTC(year, mon - 1, FIRST_DAY));
    for (;;) {
      const weekday = day.getUTCDay();
      const key = day.toISOString().slice(0, 10);
      if (weekday !== 0 && weekday !== 6 && !taken.has(key)) break;
      day.setUTCDate(day.getUTCDate() + 1);
    }
    taken.add(day.toISOString().slice(0, 10));
    dates.set(item.no, zonedToEpoch(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), SEND_HOUR, 0, timeZone));
  }
  return dates;
}

/** One imported item: the draft's id, and whether this import created it. */
export interface ImportedItem {
  no: number;
  postId: number | undefined;
  created: boolean;
  sendAt: number;
}

const firstLine = (text: string) => {
  const line = text.split('\n')[0]!.trim().replace(/[.;:]$/, '');
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
};

/** Creates the drafts that do not exist yet; returns what happened to each item. */
export function importPlan(plan: Plan, deps: { posts: PostRepository; timeZone: string; now: number }): ImportedItem[] {
  const dates = planDates(plan, deps.timeZone);
  return plan.items.map((item) => {
    const sendAt = dates.get(item.no)!;
    const planKey = `${plan.plan.id}#${item.no}`;
    const postId = deps.posts.createFromPlan(
      {
        title: firstLine(item.topic),
        body: item.topic,
        imageUrl: null,
        linkUrl: null,
        mode: 'message',
        audienceTag: null,
        sendAt,
        status: 'draft',
        createdBy: 'plan-import',
        approvedBy: null,
        planKey,
        planJson: JSON.stringify({
          planId: plan.plan.id,
          reference: plan.plan.reference ?? plan.plan.title,
          no: item.no,
          topic: item.topic,
          leadUnits: item.lead_units,
          partnerUnits: item.partner_units,
          period: item.period,
        }),
      },
      deps.now,
    );
    return { no: item.no, postId, created: postId !== undefined, sendAt };
  });
}
