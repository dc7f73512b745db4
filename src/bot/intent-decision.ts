import type { CorpusLabel, IntentScores } from '../classifier/intent-model.ts';

// How the precise rules and the learned classifier combine into one intent. Pure: the signals in, the decision out.
// The thresholds were chosen by cross-validation over the corpus writers (leave one writer out), never on the
// held-out writer; `npm run eval -- --cv` reports them.

/** What the rules found in one message (each a phrase list of content/lexicon/intents.yaml, or a pattern). */
export interface RuleSignals {
  emergency: boolean;
  crimeReport: boolean;
  complaint: boolean;
  petition: boolean;
  contact: boolean;
  greeting: boolean;
  menu: boolean;
  outOfScope: boolean;
  policeAnchor: boolean;
  /** The search found a procedure by a name or alias it contains (a phrase hit), not only by scattered words. */
  strongProcedure: boolean;
  /** The search found any procedure above its minimum score. */
  anyProcedure: boolean;
  /** The procedure model's probability for the procedure ranked first (0 when it ranked none). */
  procedureModelTop: number;
  /** The procedure ranked first is among the search's own hits; undefined when the search found nothing. */
  searchAgrees: boolean | undefined;
  /** The message holds a petition tracking code. */
  petitionCode: boolean;
  /** Content words in the message (a one-word "hmm" is no question the procedure model may answer alone). */
  words: number;
}

export type Decision =
  | { kind: 'emergency' }
  | { kind: 'label'; label: Exclude<CorpusLabel, 'procedure' | 'emergency'> }
  | { kind: 'procedure' }
  /** Not confident in any procedure: ask which one (choices) or say so. */
  | { kind: 'unsure' };

export const THRESHOLDS = {
  /** Classifier alone says emergency. */
  emergency: 0.5,
  /** Below this the intent model vetoes an emergency phrase inside a named, certain procedure question. */
  emergencyVeto: 0.05,
  /** Between this and `emergency` (or a vetoed phrase): answer, but lead with the numbers ("if it is happening now"). */
  emergencyPreface: 0.15,
  /** The classifier's top non-procedure label wins at this probability… */
  label: 0.5,
  /** …a label needs this certainty by procedure evidence (none, a name or a sure procedure model, both)… */
  labelNeeded: [0.5, 0.7, 0.9] as [number, number, number],
  /** …and a scam, a refusal, a crime tip or a complaint this (a procedure card is the worse answer to them). */
  safetyLabelNeeded: [0.5, 0.6, 0.75] as [number, number, number],
  /** …or at this one when it is at least twice the procedure probability. */
  labelOverProcedure: 0.35,
  /** A rule's intent needs at least this much agreement from the classifier… */
  ruleAgreement: 0.05,
  /** …and this much to win over a named procedure the procedure model is sure of. */
  ruleOverProcedure: 0.3,
  /** Out of scope by the model alone (no phrase naming the agency) needs this much: gibberish is "not understood". */
  outOfScopeAlone: 0.8,
  /** An out-of-scope phrase wins unless the intent model's first label is at least this sure. */
  outOfScopeOverride: 0.9,
  /** A procedure card needs a phrase hit, or the classifier's procedure probability at least this… */
  procedure: 0.35,
  /** …or the procedure model this sure of the procedure ranked first (the search's first hit too)… */
  procedureModel: 0.5,
  /** …or this sure when the search found nothing. */
  procedureModelAlone: 0.8,
  /** Without a phrase hit, the least the procedure model must give the search's first hit for a card. */
  procedureAgree: 0.3,
};

export interface IntentDecision {
  decision: Decision;
  /** Lead the reply with the emergency numbers (unsure whether it is happening now). */
  preface: boolean;
  /** How sure the decision is (0..1), for the unanswered-question log. */
  confidence: number;
}

/** Labels whose miss costs more than a needless warning. */
const SAFETY_LABELS: ReadonlySet<CorpusLabel> = new Set<CorpusLabel>(['scam', 'refuse', 'crime_report', 'complaint']);

const NON_PROCEDURE = (label: CorpusLabel): label is Exclude<CorpusLabel, 'procedure' | 'emergency'> => label !== 'procedure' && label !== 'emergency';

/** The label the classifier ranks first. */
export function topLabel(s: IntentScores): CorpusLabel {
  let best: CorpusLabel = 'procedure';
  for (const [label, p] of Object.entries(s) as [CorpusLabel, number][]) if (p > s[best]) best = label;
  return best;
}

/** 0 = no sign of a procedure, 1 = a phrase hit or a confident procedure model, 2 = both. */
function procedureEvidence(r: RuleSignals, t: typeof THRESHOLDS): 0 | 1 | 2 {
  // The procedure model counts when the search agrees, or alone when it is very sure (Khmer words no alias has).
  const alone = r.searchAgrees === undefined && r.words >= 3 && r.procedureModelTop >= t.procedureModelAlone;
  const model = r.anyProcedure && ((r.searchAgrees === true && r.procedureModelTop >= t.procedureModel) || alone);
  return r.strongProcedure && model ? 2 : r.strongProcedure || model ? 1 : 0;
}

export function decideIntent(r: RuleSignals, s: IntentScores, t = THRESHOLDS): IntentDecision {
  const top = topLabel(s);
  const evidence = procedureEvidence(r, t);
  // Emergency phrases win unless the message names a procedure the model is sure of and the intent model sees no
  // danger ("giấy phép vận chuyển vật liệu nổ"); the intent model alone wins unless the procedure evidence is full.
  // Either way a vetoed emergency still gets the numbers first (the preface).
  const phraseVetoed = r.emergency && s.emergency < t.emergencyVeto && evidence === 2;
  // A greeting or another agency's business named by a precise phrase: the model's danger becomes the preface.
  const modelVetoed = !r.emergency && s.emergency >= t.emergency && (evidence === 2 || r.greeting || (r.outOfScope && !r.policeAnchor));
  if ((r.emergency && !phraseVetoed) || (s.emergency >= t.emergency && !modelVetoed)) {
    return { decision: { kind: 'emergency' }, preface: false, confidence: Math.max(s.emergency, r.emergency ? 0.9 : 0) };
  }
  const preface = phraseVetoed || modelVetoed || s.emergency >= t.emergencyPreface;
  // The intent model's other labels need more certainty the more the message looks like a procedure question;
  // "vague" is an abstention and never overrides a procedure the bot found; "another agency's business" without
  // the phrase that says which agency needs the full certainty (gibberish is "not understood", not out of scope).
  // Another agency's business, named by a precise phrase, unless the model is sure of something else.
  if (r.outOfScope && !r.strongProcedure && !r.policeAnchor && s[top] < t.outOfScopeOverride) {
    return { decision: { kind: 'label', label: 'out_of_scope' }, preface, confidence: s.out_of_scope };
  }
  if (NON_PROCEDURE(top)) {
    const byEvidence = (SAFETY_LABELS.has(top) ? t.safetyLabelNeeded : t.labelNeeded)[evidence];
    const needed = top === 'vague' ? (evidence > 0 ? Infinity : t.label) : top === 'out_of_scope' ? Math.max(byEvidence, t.outOfScopeAlone) : byEvidence;
    const wins = s[top] >= needed || (evidence === 0 && top !== 'vague' && top !== 'out_of_scope' && s[top] >= t.labelOverProcedure && s[top] >= 2 * s.procedure);
    // Status questions carry a tracking code (found before this) or ask about one; "phản ánh" alone starts one.
    const label = top === 'petition_status' && r.petition && !r.petitionCode ? 'petition' : top;
    if (wins) return { decision: { kind: 'label', label }, preface, confidence: s[top] };
  }
  // A rule's phrase ("muốn phản ánh", "khiếu nại") with the intent model's agreement wins even over a named
  // procedure when the agreement is clear; with little agreement, only when the procedure evidence is not full.
  const rule = (label: Exclude<CorpusLabel, 'procedure' | 'emergency'>, fired: boolean) =>
    fired && (s[label] >= t.ruleOverProcedure || (s[label] >= t.ruleAgreement && evidence < 2));
  const ruleOrder: [Exclude<CorpusLabel, 'procedure' | 'emergency'>, boolean][] = [
    ['crime_report', r.crimeReport],
    ['complaint', r.complaint],
    ['petition', r.petition],
    ['contact', r.contact],
  ];
  for (const [label, fired] of ruleOrder) if (rule(label, fired)) return { decision: { kind: 'label', label }, preface, confidence: s[label] };
  if (r.greeting && !r.strongProcedure && s.greeting + s.menu >= t.ruleAgreement) return { decision: { kind: 'label', label: 'greeting' }, preface, confidence: s.greeting };
  if (r.menu && !r.strongProcedure && s.menu >= t.ruleAgreement) return { decision: { kind: 'label', label: 'menu' }, preface, confidence: s.menu };
  if (r.outOfScope && !r.strongProcedure && !r.policeAnchor && s.out_of_scope >= t.ruleAgreement) {
    return { decision: { kind: 'label', label: 'out_of_scope' }, preface, confidence: s.out_of_scope };
  }
  // A card needs evidence of which procedure; a procedure question without it gets choices.
  if (r.anyProcedure && (evidence > 0 || (s.procedure >= t.procedure && r.searchAgrees !== false && r.procedureModelTop >= t.procedureAgree))) return { decision: { kind: 'procedure' }, preface, confidence: Math.max(s.procedure, r.procedureModelTop) };
  return { decision: { kind: 'unsure' }, preface, confidence: s.procedure };
}

