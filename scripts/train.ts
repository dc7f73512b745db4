// npm run train [-- --cv]: trains the intent model on the labelled corpus (test/fixtures/corpus/, every writer but the
// held-out ones) and writes content/model/intent.bin and intent.json. --cv instead reports leave-one-writer-out
// accuracy of the model alone (the whole bot's figures: npm run eval -- --cv).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogueFingerprint, catalogueNames, CORPUS_LABELS, INTENT_TRAIN_OPTIONS, intentModelFiles, MODEL_DIR, MODEL_META, PROCEDURE_MODEL_FILE, sha256, trainIntentModel, type ModelMeta } from '../src/classifier/intent-model.ts';
import { loadProcedureFiles } from '../src/procedures/content-loader.ts';
import { CORPUS_DIR, HELD_OUT_WRITERS, readCorpus, type CorpusLine } from './lib/corpus-eval.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpusDir = join(repoRoot, CORPUS_DIR);
const files = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.jsonl') && !HELD_OUT_WRITERS.includes(basename(f, '.jsonl')))
  .sort();
const byFile = new Map(files.map((f) => [f, readCorpus(join(corpusDir, f))]));
const all: CorpusLine[] = [...byFile.values()].flat();
const catalogue = catalogueNames(loadProcedureFiles(join(repoRoot, 'content', 'procedures')).procedures);

if (process.argv.includes('--cv')) {
  let ok = 0;
  for (const [file, held] of byFile) {
    const rest = all.filter((l) => !held.includes(l));
    const { model } = await trainIntentModel(rest, catalogue);
    let right = 0;
    for (const line of held) {
      const scores = model.scores(line.text);
      const best = CORPUS_LABELS.reduce((a, b) => (scores[b] > scores[a] ? b : a));
      if (best === line.intent) right++;
    }
    ok += right;
    console.log(`${file}: ${((right / held.length) * 100).toFixed(1)}% of ${held.length}`);
  }
  console.log(`all: ${((ok / all.length) * 100).toFixed(1)}% of ${all.length} (model alone, leave one writer out)`);
} else {
  const started = performance.now();
  const { intentBytes, procedureBytes } = await trainIntentModel(all, catalogue);
  const out = join(repoRoot, 'content', MODEL_DIR);
  mkdirSync(out, { recursive: true });
  const bins = intentBytes();
  const procedureBin = procedureBytes();
  intentModelFiles(join(repoRoot, 'content')).forEach((file, i) => writeFileSync(file, bins[i]!));
  const bin = { length: bins.reduce((n, b) => n + b.length, 0) };
  writeFileSync(join(out, PROCEDURE_MODEL_FILE), procedureBin);
  const meta: ModelMeta = {
    labels: [...CORPUS_LABELS],
    options: { ...INTENT_TRAIN_OPTIONS },
    trained_on: files.map((f) => ({ file: `${CORPUS_DIR}/${f}`, sha256: sha256(readFileSync(join(corpusDir, f))), lines: byFile.get(f)!.length })),
    held_out: HELD_OUT_WRITERS.map((w) => `${CORPUS_DIR}/${w}.jsonl`),
    catalogue_sha256: catalogueFingerprint(catalogue),
  };
  writeFileSync(join(out, MODEL_META), `${JSON.stringify(meta, null, 2)}\n`);
  console.log(`trained on ${all.length} messages from ${files.length} writers in ${((performance.now() - started) / 1000).toFixed(1)} s → content/${MODEL_DIR}/ (intents ${(bin.length / 1e6).toFixed(1)} MB, procedures ${(procedureBin.length / 1e6).toFixed(1)} MB)`);
}
