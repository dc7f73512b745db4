// npm run eval [-- --file questions.jsonl …] [--corpus test/fixtures/corpus/w-x.jsonl …] [--verbose]: accuracy of the bot
// on question sets, and on labelled corpus files (per writer and per intent; see test/fixtures/corpus/README.md).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadConfig, offlineEnv } from '../src/config.ts';
import { foldMarks } from '../src/text/normalize.ts';
import { createAskRunner } from './lib/ask-runner.ts';
import { CORPUS_DIR, formatScore, HELD_OUT_WRITERS, mergeScores, readCorpus, scoreCorpus, type CorpusLine, type CorpusScore } from './lib/corpus-eval.ts';
import { catalogueNames, trainIntentModel, type IntentModel } from '../src/classifier/intent-model.ts';
import { loadProcedureFiles } from '../src/procedures/content-loader.ts';
import { THRESHOLDS } from '../src/bot/intent-decision.ts';

const TARGETS = { top1: 0.9, top3: 0.97, intents: 0.9 };
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const files = args.flatMap((a, i) => (args[i - 1] === '--file' ? [resolve(a)] : []));
const corpora = args.flatMap((a, i) => (args[i - 1] === '--corpus' ? [resolve(a)] : []));
const crossValidate = args.includes('--cv');
// Tuning only (cross-validation, never the held-out writer): EVAL_THRESHOLDS='{"label":0.6}' overrides decideIntent's.
if (process.env.EVAL_THRESHOLDS) Object.assign(THRESHOLDS, JSON.parse(process.env.EVAL_THRESHOLDS) as Partial<typeof THRESHOLDS>);
if (files.length === 0 && corpora.length === 0 && !crossValidate) files.push(resolve(repoRoot, '..', 'shared', 'eval', 'dev-questions.jsonl'));

const questionSchema = z.object({ id: z.string(), q: z.string(), intent: z.string(), class: z.string().optional() });
const classesSchema = z.object({ classes: z.record(z.string(), z.string()) });

const config = loadConfig({ ...offlineEnv(process.env), LOG_LEVEL: 'silent', CONTENT_DIR: join(repoRoot, 'content') });
let failed = false;
for (const file of files) {
  const classesFile = join(dirname(file), 'classes.json');
  let classesPath = classesFile;
  try {
    readFileSync(classesFile);
  } catch {
    classesPath = resolve(repoRoot, '..', 'shared', 'eval', 'classes.json');
  }
  const classes = classesSchema.parse(JSON.parse(readFileSync(classesPath, 'utf8'))).classes;
  const questions = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => questionSchema.parse(JSON.parse(l)));
  const runner = await createAskRunner(config);
  const fold = (s: string) => foldMarks(s.toLowerCase());
  const matches = (title: string, cls: string) =>
    cls.split('|').some((c) => {
      const re = classes[c];
      if (!re) throw new Error(`${file}: unknown class "${c}"`);
      return new RegExp(re).test(fold(title));
    });
  let withClass = 0;
  let top1 = 0;
  let top3 = 0;
  let intentsOk = 0;
  const missedEmergencies: string[] = [];
  const started = performance.now();
  for (const q of questions) {
    const r = await runner.ask(q.q, `eval-${q.id}`);
    const intentOk = r.intent === q.intent;
    if (intentOk) intentsOk++;
    if (q.intent === 'emergency' && !intentOk) missedEmergencies.push(`${q.id} ${q.q}`);
    let mark = '';
    if (q.class) {
      withClass++;
      const titles = r.intent === 'procedure' || r.intent === 'clarify' ? r.procedures.map((p) => p.title) : [];
      const ok1 = titles[0] !== undefined && matches(titles[0], q.class);
      const ok3 = titles.slice(0, 3).some((t) => matches(t, q.class!));
      if (ok1) top1++;
      if (ok3) top3++;
      mark = `${ok1 ? 'top1' : ok3 ? 'top3' : 'miss'}`;
    }
    if (verbose || !intentOk || mark === 'miss' || mark === 'top3') {
      console.log(`${q.id} expected ${q.intent}${q.class ? `/${q.class}` : ''} got ${r.intent}${mark ? ` ${mark}` : ''}: ${q.q} → ${r.procedures.map((p) => p.id).join(', ')}`);
    }
  }
  runner.close();
  const ms = performance.now() - started;
  const rate = (n: number, d: number) => (d === 0 ? 1 : n / d);
  const result = { top1: rate(top1, withClass), top3: rate(top3, withClass), intents: rate(intentsOk, questions.length) };
  console.log(
    `${file}: ${questions.length} questions (${withClass} with a procedure class) — top-1 ${(result.top1 * 100).toFixed(1)}%, ` +
      `top-3 ${(result.top3 * 100).toFixed(1)}%, intents ${(result.intents * 100).toFixed(1)}%, missed emergencies ${missedEmergencies.length}, ` +
      `${(ms / questions.length).toFixed(2)} ms/question`,
  );
  for (const m of missedEmergencies) console.log(`  MISSED EMERGENCY: ${m}`);
  if (result.top1 < TARGETS.top1 || result.top3 < TARGETS.top3 || result.intents < TARGETS.intents || missedEmergencies.length > 0) {
    failed = true;
    console.log(`  below target (top-1 ≥ ${TARGETS.top1 * 100}%, top-3 ≥ ${TARGETS.top3 * 100}%, intents ≥ ${TARGETS.intents * 100}%, no missed emergency)`);
  }
}
async function scoreFile(file: string, lines: CorpusLine[], model?: IntentModel): Promise<CorpusScore> {
  const runner = await createAskRunner(config, undefined, model);
  const results = [];
  const started = performance.now();
  for (const [i, line] of lines.entries()) results.push(await runner.ask(line.text, `corpus-${i}`));
  runner.close();
  const score = scoreCorpus(lines, results);
  console.log(formatScore(file, score));
  console.log(`  ${((performance.now() - started) / lines.length).toFixed(2)} ms/message`);
  if (verbose) for (const m of score.misses) console.log(`  ${m}`);
  return score;
}

// Leave one writer out: the intent model is trained on the other writers, the bot scored on this one. The
// held-out writers are never read here.
if (crossValidate) {
  const dir = resolve(repoRoot, CORPUS_DIR);
  const writers = readdirSync(dir).filter((f) => f.endsWith('.jsonl') && !HELD_OUT_WRITERS.includes(basename(f, '.jsonl'))).sort();
  const byWriter = new Map(writers.map((f) => [f, readCorpus(join(dir, f))]));
  const scores: CorpusScore[] = [];
  const catalogue = catalogueNames(loadProcedureFiles(join(repoRoot, 'content', 'procedures')).procedures);
  const only = args.flatMap((a, i) => (args[i - 1] === '--writer' ? [`${a}.jsonl`] : []));
  for (const [file, lines] of byWriter) {
    if (only.length > 0 && !only.includes(file)) continue;
    const rest = [...byWriter.entries()].filter(([f]) => f !== file).flatMap(([, l]) => l);
    const { model } = await trainIntentModel(rest, catalogue);
    scores.push(await scoreFile(`cv ${file}`, lines, model));
  }
  console.log(formatScore('cv all writers', mergeScores(scores)));
}

for (const file of corpora) {
  const lines = readCorpus(file);
  await scoreFile(file, lines);
}
process.exit(failed ? 1 : 0);
