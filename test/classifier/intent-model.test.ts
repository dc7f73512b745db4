import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CORPUS_LABELS,
  catalogueNames,
  checkModelFreshness,
  loadIntentModel,
  MODEL_DIR,
  MODEL_META,
  trainIntentModel,
} from '../../src/classifier/intent-model.ts';
import { loadProcedureFiles } from '../../src/procedures/content-loader.ts';

const { procedures } = loadProcedureFiles('content/procedures');
const dirs: string[] = [];
const tempContent = () => {
  const dir = mkdtempSync(join(tmpdir(), 'intent-model-'));
  dirs.push(dir);
  cpSync(join('content', MODEL_DIR), join(dir, MODEL_DIR), { recursive: true });
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the intent model (content/model/, npm run train)', () => {
  it('gives every corpus label a probability, summing to one', async () => {
    const model = await loadIntentModel('content');
    const scores = model.scores('cho hỏi làm lại căn cước bị mất ở đâu');
    expect(Object.keys(scores).sort()).toEqual([...CORPUS_LABELS].sort());
    const sum = Object.values(scores).reduce((a, b) => a + b, 0);
    expect(sum).toBeGreaterThan(0.95);
    expect(sum).toBeLessThan(1.05);
    expect(model.scores('   ').procedure).toBe(0);
  });

  it('ranks procedures for a question, the likeliest first', async () => {
    const model = await loadIntentModel('content');
    const ranked = model.procedures('làm hộ chiếu lần đầu cho con', 3);
    expect(ranked).toHaveLength(3);
    expect(ranked[0]!.p).toBeGreaterThanOrEqual(ranked[1]!.p);
    expect(ranked.map((r) => r.id)).toContain('cap-ho-chieu');
  });

  it('was trained on the corpus and the catalogue as they are now', () => {
    expect(checkModelFreshness('content', '.', procedures)).toEqual([]);
  });

  it('says when the corpus or the aliases changed since training', () => {
    const dir = tempContent();
    const metaFile = join(dir, MODEL_DIR, MODEL_META);
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { trained_on: { sha256: string }[]; catalogue_sha256: string };
    meta.trained_on[0]!.sha256 = '0'.repeat(64);
    meta.catalogue_sha256 = '1'.repeat(64);
    writeFileSync(metaFile, JSON.stringify(meta));
    const problems = checkModelFreshness(dir, '.', procedures).map((p) => p.message);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/aliases changed.*npm run train/);
    expect(problems[1]).toMatch(/changed since the model was trained: run `npm run train`/);
  });

  it('refuses to start without a model, naming the command that builds it', async () => {
    const dir = tempContent();
    rmSync(join(dir, MODEL_DIR, 'procedure.bin'));
    await expect(loadIntentModel(dir)).rejects.toThrow(/procedure\.bin is missing: run `npm run train`/);
    writeFileSync(join(dir, MODEL_DIR, 'procedure.bin'), 'not a model');
    await expect(loadIntentModel(dir)).rejects.toThrow(/could not be loaded.*npm run train/);
  });

  it('learns labels from examples, and procedures from their names alone', async () => {
    const examples = [
      ...['cháy nhà rồi cứu với', 'nhà bên cạnh đang cháy lớn', 'lửa bốc cao quá gọi ai', 'cháy chợ rồi'].map((text) => ({ intent: 'emergency', text })),
      ...['cho hỏi làm căn cước', 'đổi thẻ căn cước ở đâu', 'làm lại căn cước mất', 'căn cước cho con'].map((text) => ({ intent: 'procedure', text, procedure: 'cap-cap-doi-cap-lai-the-can-cuoc' })),
    ];
    const { model } = await trainIntentModel(examples, catalogueNames(procedures));
    expect(model.scores('nhà tôi đang cháy').emergency).toBeGreaterThan(model.scores('nhà tôi đang cháy').procedure);
    // Nobody in these examples asked about passports: the catalogue's names teach it.
    expect(model.procedures('hộ chiếu', 1)[0]!.id).toBe('cap-ho-chieu');
  });
});
