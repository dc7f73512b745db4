import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { normalizeText } from '../text/normalize.ts';
import { loadTextModel, trainTextModel, type TextModel, type TrainOptions } from './fasttext.ts';

// The learned half of understanding: a fastText classifier over character n-grams of the folded text, trained by
// `npm run train` on the labelled corpus (test/fixtures/corpus/, every writer but the held-out one) and stored in
// content/model/. It gives a probability for each of the corpus's intents; src/bot/understand.ts combines it with
// the precise rules.

export const CORPUS_LABELS = [
  'emergency',
  'crime_report',
  'complaint',
  'scam',
  'refuse',
  'petition',
  'petition_status',
  'procedure',
  'place',
  'contact',
  'greeting',
  'menu',
  'out_of_scope',
  'vague',
  'erase',
  'language',
  'quiz',
  'opt_out',
] as const;
export type CorpusLabel = (typeof CORPUS_LABELS)[number];

/** Chosen by cross-validation over writers (leave one writer out), never on the held-out writer. */
export const INTENT_TRAIN_OPTIONS: TrainOptions = { lr: 0.5, dim: 20, epoch: 40, wordNgrams: 2, minn: 3, maxn: 6, bucket: 100_000, minCount: 1, seed: 7 };

/** Only the start of a long message is classified (as understanding reads only its start). */
const MAX_CLASSIFIED_CHARS = 2000;

/** The text the model sees: folded like every other matching in the bot. */
export const classifierText = (text: string): string => normalizeText(text.slice(0, MAX_CLASSIFIED_CHARS));

/** A probability for every label (0 for those the model did not rank). */
export type IntentScores = Readonly<Record<CorpusLabel, number>>;

export interface IntentModel {
  scores(text: string): IntentScores;
}

export const MODEL_DIR = 'model';
export const MODEL_FILE = 'intent.bin';
export const MODEL_META = 'intent.json';

export const modelMetaSchema = z.strictObject({
  labels: z.array(z.enum(CORPUS_LABELS)),
  options: z.record(z.string(), z.number()),
  /** The corpus files trained on, each with its SHA-256: a test fails when the corpus changed and the model did not. */
  trained_on: z.array(z.strictObject({ file: z.string(), sha256: z.string().length(64), lines: z.number().int() })),
  held_out: z.array(z.string()),
});
export type ModelMeta = z.infer<typeof modelMetaSchema>;

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

function fromTextModel(model: TextModel): IntentModel {
  return {
    scores(text) {
      const scores = Object.fromEntries(CORPUS_LABELS.map((l) => [l, 0])) as Record<CorpusLabel, number>;
      const folded = classifierText(text);
      if (folded.length === 0) return scores;
      for (const { label, p } of model.predict(folded, CORPUS_LABELS.length)) {
        if (label in scores) scores[label as CorpusLabel] = p;
      }
      return scores;
    },
  };
}

/** Trains the intent model on labelled messages (used by `npm run train` and by cross-validation). */
export async function trainIntentModel(examples: { intent: string; text: string }[], options = INTENT_TRAIN_OPTIONS) {
  const lines = examples.map((e) => ({ label: e.intent, text: classifierText(e.text) })).filter((e) => e.text.length > 0);
  const model = await trainTextModel(lines, options);
  return { model: fromTextModel(model), bytes: () => model.bytes() };
}

// A model is read-only once loaded: one copy per file and process (tests start many bots in one process).
const loaded = new Map<string, Promise<IntentModel>>();

/** Loads content/model/intent.bin; a missing or damaged model is an error that names the command to rebuild it. */
export function loadIntentModel(contentDir: string): Promise<IntentModel> {
  const file = resolve(contentDir, MODEL_DIR, MODEL_FILE);
  const key = `${file}:${existsSync(file) ? statSync(file).mtimeMs : 0}`;
  let model = loaded.get(key);
  if (!model) {
    model = (async () => {
      if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run train\` to build the intent model`);
      try {
        return fromTextModel(await loadTextModel(readFileSync(file)));
      } catch (err) {
        throw new Error(`${file} could not be loaded (${(err as Error).message ?? err}): run \`npm run train\` to rebuild it`, { cause: err });
      }
    })();
    model.catch(() => loaded.delete(key));
    loaded.set(key, model);
  }
  return model;
}
