import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkTranslations } from '../../src/procedures/translation-check.ts';

const source = 'content/procedures/nop-phat-vi-pham-giao-thong.yaml';

interface ProcedureFile {
  km?: { agency?: string; steps: string[]; channel_notes?: unknown };
}

function contentWith(edit: (p: ProcedureFile) => void, list: unknown = { km: ['nop-phat-vi-pham-giao-thong'] }) {
  const root = mkdtempSync(join(tmpdir(), 'translations-'));
  mkdirSync(join(root, 'procedures'));
  const p = parse(readFileSync(source, 'utf8')) as ProcedureFile;
  edit(p);
  writeFileSync(join(root, 'procedures', 'nop-phat-vi-pham-giao-thong.yaml'), stringify(p));
  writeFileSync(join(root, 'translations.yaml'), stringify(list));
  return root;
}

describe('content/translations.yaml', () => {
  it('passes the real content store', () => {
    expect(checkTranslations('content')).toEqual([]);
  });

  it('passes a complete Khmer block', () => {
    expect(checkTranslations(contentWith(() => {}))).toEqual([]);
  });

  it('names each field a listed procedure leaves in Vietnamese', () => {
    const root = contentWith((p) => {
      if (!p.km) throw new Error('the source file lost its km block');
      delete p.km.agency;
      p.km.steps = p.km.steps.slice(1);
      delete p.km.channel_notes;
    });
    const [issue] = checkTranslations(root);
    expect(issue?.message).toMatch(/^km block incomplete: agency, steps \(2 of 3\), channel_notes\.truc_tuyen$/);
  });

  it('refuses a listed id that does not exist and a missing block', () => {
    const root = contentWith((p) => delete p.km, { en: ['no-such-procedure'], km: ['nop-phat-vi-pham-giao-thong'] });
    expect(checkTranslations(root).map((i) => i.message)).toEqual(['en: no procedure "no-such-procedure"', 'km block incomplete: the whole block']);
  });

  it('is silent when the store has no list', () => {
    const root = mkdtempSync(join(tmpdir(), 'translations-'));
    mkdirSync(join(root, 'procedures'));
    copyFileSync(source, join(root, 'procedures', 'x.yaml'));
    expect(checkTranslations(root)).toEqual([]);
  });
});
