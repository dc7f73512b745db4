import type { Language } from '../i18n/index.ts';

// Every button the bot sends carries a payload; a tap comes back as a text message equal to it. This module is the one
// scheme for all features: builders for each payload and one parser. The strings are kept byte for byte as earlier
// versions sent them, because buttons stay tappable in citizens' chat history long after a deploy.

/** The feature a payload belongs to, and what it asks for. */
export type Payload =
  | { feature: 'menu'; action: 'menu' }
  | { feature: 'procedures'; action: string; args: string[] }
  | { feature: 'petitions'; action: 'start' | 'status' }
  | { feature: 'petitions'; action: 'flow'; command: string }
  | { feature: 'quiz'; action: 'start' }
  | { feature: 'quiz'; action: 'answer'; args: string[] }
  | { feature: 'language'; action: 'choose'; code: string }
  | { feature: 'rating'; action: 'rate'; raw: string }
  | { feature: 'units'; action: 'unit' | 'district' | 'change'; id: string };

const PROCEDURE = '#cmd:';
const PETITION = '#pa:';
const QUIZ = '#quiz:';
const LANGUAGE = '#lang:';
const RATING = '#rate:';
const UNIT = '#unit:';

/** Builders of every payload the bot puts on a button. */
export const payloads = {
  menu: `${PROCEDURE}menu`,
  fields: `${PROCEDURE}procedures`,
  fieldsPage: (page: number) => `${PROCEDURE}fields:${page}`,
  field: (index: number, page: number) => `${PROCEDURE}field:${index}:${page}`,
  procedure: (id: string) => `${PROCEDURE}proc:${id}`,
  documents: (id: string) => `${PROCEDURE}docs:${id}`,
  fees: (id: string) => `${PROCEDURE}fees:${id}`,
  online: (id: string) => `${PROCEDURE}online:${id}`,
  petitionStart: `${PROCEDURE}petition`,
  petitionStatus: `${PROCEDURE}status`,
  /** A step of the petition intake ("consent:yes", "kind:phan_anh", "done"…). */
  petition: (command: string) => `${PETITION}${command}`,
  quizStart: `${PROCEDURE}quiz`,
  quizAnswer: (quizId: string, index: number, choice: number) => `${QUIZ}${quizId}:${index}:${choice}`,
  language: (code: Language) => `${LANGUAGE}${code}`,
  /** A satisfaction rating; `signed` is the subject, reference, id and score with their signature. */
  rating: (signed: string) => `${RATING}${signed}`,
  ratingPrefix: RATING,
  /** A commune or ward, by its id (content/units/<id>.yaml). */
  unit: (id: string) => `${UNIT}${id}`,
  /** The units covering an old district, by its slug ("huyen-tran-de-soc-trang"). */
  district: (slug: string) => `${UNIT}d:${slug}`,
  /** "Tôi ở xã khác": forget the citizen's commune and ask again. */
  unitChange: `${UNIT}change`,
} as const;

/** Reads a button payload; undefined for typed text (a typed "#cccd het han" is a question, not a payload). */
export function parsePayload(text: string): Payload | undefined {
  if (!text.startsWith('#')) return undefined;
  if (text.startsWith(PETITION)) return { feature: 'petitions', action: 'flow', command: text.slice(PETITION.length) };
  if (text.startsWith(QUIZ)) return { feature: 'quiz', action: 'answer', args: text.slice(QUIZ.length).split(':') };
  if (text.startsWith(LANGUAGE)) return { feature: 'language', action: 'choose', code: text.slice(LANGUAGE.length) };
  if (text.startsWith(RATING)) return { feature: 'rating', action: 'rate', raw: text };
  if (text.startsWith(UNIT)) {
    const rest = text.slice(UNIT.length);
    if (rest === 'change') return { feature: 'units', action: 'change', id: '' };
    return rest.startsWith('d:') ? { feature: 'units', action: 'district', id: rest.slice(2) } : { feature: 'units', action: 'unit', id: rest };
  }
  if (text.startsWith(PROCEDURE)) {
    const [action = '', ...args] = text.slice(PROCEDURE.length).split(':');
    if (text === payloads.menu) return { feature: 'menu', action: 'menu' };
    if (text === payloads.petitionStart) return { feature: 'petitions', action: 'start' };
    if (text === payloads.petitionStatus) return { feature: 'petitions', action: 'status' };
    if (text === payloads.quizStart) return { feature: 'quiz', action: 'start' };
    return { feature: 'procedures', action, args };
  }
  return undefined;
}
