import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { loadProcedureFiles, type ContentIssue } from './content-loader.ts';
import type { Localized, Procedure } from './schema.ts';

/**
 * content/translations.yaml names the procedures whose every citizen-facing field is translated (issue 14: English
 * for the 40 most-asked and foreigners' procedures, Khmer for the 20 most-asked). For those, a missing field is an
 * error: without it the English or Khmer reader gets that part in Vietnamese.
 */
const listSchema = z.strictObject({ en: z.array(z.string()).default([]), km: z.array(z.string()).default([]) });

export type TranslatedLanguage = 'en' | 'km';

/** The citizen-facing fields of `p` that `block` leaves in Vietnamese (empty = complete). */
export function translationGaps(p: Procedure, block: Localized | undefined, summary: string | undefined): string[] {
  if (!block) return ['the whole block'];
  const gaps: string[] = [];
  if (!summary) gaps.push('summary');
  const need = (name: string, vi: unknown, local: unknown) => {
    if (vi !== undefined && local === undefined) gaps.push(name);
  };
  need('agency', p.agency, block.agency);
  need('processing_time', p.processing_time, block.processing_time);
  need('eligibility', p.eligibility, block.eligibility);
  need('result', p.result, block.result);
  need('fee_note', p.fees.note, block.fee_note);
  need('status_note', p.status_note, block.status_note);
  const sameLength = (name: string, vi: string[], local: string[] | undefined) => {
    if (vi.length > 0 && local?.length !== vi.length) gaps.push(`${name} (${local?.length ?? 0} of ${vi.length})`);
  };
  sameLength('documents', p.documents, block.documents);
  sameLength('steps', p.steps, block.steps);
  sameLength('notes', p.notes, block.notes);
  sameLength('exemptions', p.fees.exemptions, block.exemptions);
  const cases = block.fee_cases ?? {};
  for (const fee of p.fees.items) {
    for (const text of [fee.case, fee.condition]) {
      if (text !== undefined && cases[text] === undefined) gaps.push(`fee_cases["${text}"]`);
    }
  }
  for (const c of p.channels) {
    if (c.note !== undefined && block.channel_notes?.[c.kind] === undefined) gaps.push(`channel_notes.${c.kind}`);
    if (c.time !== undefined && block.channel_times?.[c.kind] === undefined) gaps.push(`channel_times.${c.kind}`);
  }
  return [...new Set(gaps)];
}

/** The content:check rule for content/translations.yaml. */
export function checkTranslations(root: string): ContentIssue[] {
  const file = join(root, 'translations.yaml');
  if (!existsSync(file)) return [];
  const parsed = listSchema.safeParse(parse(readFileSync(file, 'utf8')) ?? {});
  if (!parsed.success) return [{ file, severity: 'error', message: `invalid: ${parsed.error.issues.map((i) => i.message).join('; ')}` }];
  const dir = join(root, 'procedures');
  const byId = new Map(loadProcedureFiles(dir).procedures.map((p) => [p.id, p]));
  const issues: ContentIssue[] = [];
  for (const language of ['en', 'km'] as const) {
    for (const id of parsed.data[language]) {
      const p = byId.get(id);
      if (!p) {
        issues.push({ file, severity: 'error', message: `${language}: no procedure "${id}"` });
        continue;
      }
      const gaps = translationGaps(p, p[language], language === 'en' ? p.summary_en : p.summary_km);
      if (gaps.length > 0) {
        issues.push({ file: join(dir, `${id}.yaml`), severity: 'error', message: `${language} block incomplete: ${gaps.join(', ')}` });
      }
    }
  }
  return issues;
}
