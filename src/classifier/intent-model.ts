import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { Procedure } from '../procedures/schema.ts';
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
export const INTENT_TRAIN_OPTIONS: TrainOptions = { lr: 0.5, dim: 20, epoch: 40, wordNgrams: 2, minn: 3, maxn: 6, bucket: 20_000, minCount: 1, seed: 7 };
export const PROCEDURE_TRAIN_OPTIONS: TrainOptions = { ...INTENT_TRAIN_OPTIONS, epoch: 50 };

/** Only the start of a long message is classified (as understanding reads only its start). */
const MAX_CLASSIFIED_CHARS = 2000;

/** The text the model sees: folded like every other matching in the bot. */
export const classifierText = (text: string): string => normalizeText(text.slice(0, MAX_CLASSIFIED_CHARS));

/** A probability for every label (0 for those the model did not rank). */
export type IntentScores = Readonly<Record<CorpusLabel, number>>;

export interface IntentModel {
  scores(text: string): IntentScores;
  /** The k procedures the procedure model ranks first, with their probabilities. */
  procedures(text: string, k: number): { id: string; p: number }[];
}

export const MODEL_DIR = 'model';
export const MODEL_FILE = 'intent.bin';
export const MODEL_META = 'intent.json';
export const PROCEDURE_MODEL_FILE = 'procedure.bin';
/** The intent ensemble: one model per seed, in intent.bin, intent.2.bin, … */
export const ENSEMBLE_SEEDS = [7, 11, 13];
export const intentModelFiles = (contentDir: string): string[] =>
  ENSEMBLE_SEEDS.map((_, i) => resolve(contentDir, MODEL_DIR, i === 0 ? MODEL_FILE : MODEL_FILE.replace('.bin', `.${i + 1}.bin`)));

export const modelMetaSchema = z.strictObject({
  labels: z.array(z.enum(CORPUS_LABELS)),
  options: z.record(z.string(), z.number()),
  /** The corpus files trained on, each with its SHA-256: a test fails when the corpus changed and the model did not. */
  trained_on: z.array(z.strictObject({ file: z.string(), sha256: z.string().length(64), lines: z.number().int() })),
  held_out: z.array(z.string()),
  /** SHA-256 of the catalogue's names the procedure model learned (catalogueNames): aliases changed → retrain. */
  catalogue_sha256: z.string().length(64),
});
export type ModelMeta = z.infer<typeof modelMetaSchema>;

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

function fromTextModels(intents: TextModel[], procedures: TextModel): IntentModel {
  return {
    // The mean of an ensemble (same data, different seeds): one small model alone swings on short texts.
    scores(text) {
      const scores = Object.fromEntries(CORPUS_LABELS.map((l) => [l, 0])) as Record<CorpusLabel, number>;
      const folded = classifierText(text);
      if (folded.length === 0) return scores;
      for (const model of intents) {
        for (const { label, p } of model.predict(folded, CORPUS_LABELS.length)) {
          if (label in scores) scores[label as CorpusLabel] += p / intents.length;
        }
      }
      return scores;
    },
    procedures(text, k) {
      const folded = classifierText(text);
      return folded.length === 0 ? [] : procedures.predict(folded, k).map(({ label, p }) => ({ id: label, p }));
    },
  };
}

/** The catalogue's names for the procedure model: every active procedure's title and aliases, in every language. */
export function catalogueNames(procedures: Procedure[]): CatalogueEntry[] {
  return procedures
    .filter((p) => p.status === 'active')
    .map((p) => ({ id: p.id, names: [p.title, ...p.aliases, ...p.en_aliases, ...p.km_aliases, ...(p.en ? [p.en.title] : []), ...(p.km ? [p.km.title] : [])] }));
}

/** The fingerprint of the catalogue's names, as stored in intent.json. */
export const catalogueFingerprint = (catalogue: CatalogueEntry[]): string => sha256(JSON.stringify(catalogue));

/**
 * The content:check rule for content/model/: the model must have been trained on the corpus and the catalogue as
 * they are now (a changed alias or corpus line needs \`npm run train\`). `corpusRoot` is the repository root.
 */
export function checkModelFreshness(contentDir: string, corpusRoot: string, procedures: Procedure[]): { file: string; message: string }[] {
  const metaFile = resolve(contentDir, MODEL_DIR, MODEL_META);
  if (!existsSync(metaFile)) return [{ file: metaFile, message: 'missing: run `npm run train`' }];
  const parsed = modelMetaSchema.safeParse(JSON.parse(readFileSync(metaFile, 'utf8')));
  if (!parsed.success) return [{ file: metaFile, message: 'invalid: run `npm run train`' }];
  const problems: { file: string; message: string }[] = [];
  if (parsed.data.catalogue_sha256 !== catalogueFingerprint(catalogueNames(procedures))) {
    problems.push({ file: metaFile, message: 'the procedure titles or aliases changed since the model was trained: run `npm run train`' });
  }
  for (const t of parsed.data.trained_on) {
    const file = resolve(corpusRoot, t.file);
    // A content folder used without the repository (CONTENT_DIR elsewhere) has no corpus to compare with.
    if (existsSync(file) && sha256(readFileSync(file)) !== t.sha256) problems.push({ file: metaFile, message: `${t.file} changed since the model was trained: run \`npm run train\`` });
  }
  return problems;
}

/** A procedure's names (title and aliases in every language): training lines for the procedure model. */
export interface CatalogueEntry {
  id: string;
  names: string[];
}

/**
 * Trains both models on labelled messages (used by `npm run train` and by cross-validation): the intent model on every
 * message, the procedure model on the procedure questions plus every procedure's title and aliases, so that a
 * procedure nobody in the corpus asked about is still known by its names.
 */
export async function trainIntentModel(examples: { intent: string; procedure?: string | undefined; text: string }[], catalogue: CatalogueEntry[], options = INTENT_TRAIN_OPTIONS) {
  // A procedure's bare name is a procedure question too (short texts are where the intent model is weakest).
  const names = catalogue.flatMap((c) => c.names.map((n) => ({ label: 'procedure', text: classifierText(n) })));
  const lines = [...examples.map((e) => ({ label: e.intent, text: classifierText(e.text) })), ...names].filter((e) => e.text.length > 0);
  const known = new Set(catalogue.map((c) => c.id));
  const procedureLines = [
    ...examples.filter((e) => e.procedure !== undefined && known.has(e.procedure)).map((e) => ({ label: e.procedure!, text: classifierText(e.text) })),
    ...catalogue.flatMap((c) => c.names.map((n) => ({ label: c.id, text: classifierText(n) }))),
  ].filter((e) => e.text.length > 0);
  const intents: TextModel[] = [];
  for (const seed of ENSEMBLE_SEEDS) intents.push(await trainTextModel(lines, { ...options, seed }));
  const procedures = await trainTextModel(procedureLines, PROCEDURE_TRAIN_OPTIONS);
  return { model: fromTextModels(intents, procedures), intentBytes: () => intents.map((m) => m.bytes()), procedureBytes: () => procedures.bytes() };
}

// A model is read-only once loaded: one copy per file and process (tests start many bots in one process).
const loaded = new Map<string, Promise<IntentModel>>();

/** Loads content/model/intent.bin; a missing or damaged model is an error that names the command to rebuild it. */
export function loadIntentModel(contentDir: string): Promise<IntentModel> {
  const file = resolve(contentDir, MODEL_DIR, MODEL_FILE);
  const procedureFile = resolve(contentDir, MODEL_DIR, PROCEDURE_MODEL_FILE);
  const key = `${file}:${existsSync(file) ? statSync(file).mtimeMs : 0}:${existsSync(procedureFile) ? statSync(procedureFile).mtimeMs : 0}`;
  let model = loaded.get(key);
  if (!model) {
    model = (async () => {
      for (const f of [...intentModelFiles(contentDir), procedureFile]) if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run train\` to build the intent model`);
      try {
        const intents: TextModel[] = [];
        for (const f of intentModelFiles(contentDir)) intents.push(await loadTextModel(readFileSync(f)));
        return fromTextModels(intents, await loadTextModel(readFileSync(procedureFile)));
      } catch (err) {
        throw new Error(`${file} could not be loaded (${(err as Error).message ?? err}): run \`npm run train\` to rebuild it`, { cause: err });
      }
    })();
    model.catch(() => loaded.delete(key));
    loaded.set(key, model);
  }
  return model;
}
