import type { PetitionKind, PetitionTopic } from '../../petitions/petition-repository.ts';

// The petition intake's saved state and its limits.

export const PETITION_FLOW = 'petition';
export const MIN_CONTENT = 20;
export const MAX_CONTENT = 2000;
// Caps at intake: the draft is rewritten to SQLite on every message, and a text event can carry ~1 MB (40 of
// them once built a 20.8 MB draft and exhausted the production heap). Nothing beyond these is ever stored.
export const MAX_IMAGES = 10;
export const MAX_IMAGE_URL = 2000;
// Only a short message can be a cancel word; longer ones are not folded (a ~1 MB text would be, whole).
export const MAX_COMMAND_CHARS = 60;
export const MAX_FOLDED_CHARS = 200;

/** The first `max` characters of `s`, never ending inside a surrogate pair. */
export function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const head = s.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(head) ? head.slice(0, -1) : head;
}

export type Step = 'consent' | 'kind' | 'topic' | 'procedure' | 'procedure_pick' | 'content' | 'name' | 'phone' | 'address' | 'confirm' | 'edit';

/** The intake in progress, saved after every message. */
export interface PetitionDraft {
  step: Step;
  consentAt?: number;
  kind?: PetitionKind;
  topic?: PetitionTopic;
  procedureId?: string;
  choices?: string[];
  parts: string[];
  attachments: { type: string; url: string }[];
  name?: string;
  phone?: string;
  address?: string;
  /** Editing one field from the summary: go back to it afterwards. */
  returnToConfirm?: boolean;
}

/** The petition text as typed so far (its parts joined). */
export function draftContent(d: PetitionDraft): string {
  return d.parts.join('\n').trim();
}

/** After contact details arrive (typed or from Zalo), the first one still missing, else the summary. */
export function nextMissing(d: PetitionDraft): Step {
  if (!d.name) return 'name';
  if (!d.phone) return 'phone';
  if (!d.address) return 'address';
  return 'confirm';
}
