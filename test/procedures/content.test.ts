import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkContent, checkProcedures } from '../../src/procedures/content-check.ts';
import { loadProcedureFiles } from '../../src/procedures/content-loader.ts';
import { procedureSchema, type Procedure } from '../../src/procedures/schema.ts';

const { procedures, issues } = loadProcedureFiles('content/procedures');

describe('the content store', () => {
  it('loads every procedure without errors', () => {
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(procedures.length).toBeGreaterThanOrEqual(38);
  });

  it('covers the fields of the reference list', () => {
    const fields = new Set(procedures.map((p) => p.field));
    for (const word of ['cư trú', 'căn cước', 'xuất nhập cảnh', 'phương tiện', 'lái xe', 'lý lịch', 'con dấu', 'phòng cháy']) {
      expect([...fields].some((f) => f.toLowerCase().includes(word)) || procedures.some((p) => p.title.toLowerCase().includes(word))).toBe(true);
    }
  });

  it('never names the abolished district police as the agency', () => {
    for (const p of procedures) expect(p.agency).not.toMatch(/Công an (huyện|quận)/);
  });

  it('gives every procedure a source and a plain summary', () => {
    for (const p of procedures) {
      expect(p.source.url).toMatch(/^https:\/\//);
      expect(p.summary.length).toBeLessThanOrEqual(600);
    }
  });

  it('has English and Khmer summaries for at least 15 procedures', () => {
    expect(procedures.filter((p) => p.summary_en).length).toBeGreaterThanOrEqual(15);
    expect(procedures.filter((p) => p.summary_km).length).toBeGreaterThanOrEqual(15);
  });
});

const base = (): Procedure =>
  procedureSchema.parse({
    id: 'thu-tuc-a',
    title: 'Thủ tục thử A',
    aliases: ['thủ tục a'],
    field: 'Thử nghiệm',
    levels: ['xa'],
    agency: 'Công an xã',
    online_level: 'khong',
    channels: [{ kind: 'truc_tiep' }],
    fees: { items: [{ case: 'Lệ phí', amount: 10000 }] },
    processing_time: '3 ngày làm việc',
    legal_basis: ['Luật thử'],
    source: { name: 'Nguồn thử', url: 'https://example.gov.vn' },
    verified_at: '2026-09-01',
    summary: 'Một thủ tục dùng để kiểm tra bộ kiểm tra nội dung, đủ dài để hợp lệ.',
  });

describe('checkProcedures', () => {
  const today = new Date('2026-10-01T00:00:00Z');
  const messages = (ps: Procedure[], at = today) => checkProcedures(ps, '/tmp', at).map((i) => `${i.severity}: ${i.message}`);

  it('accepts a valid procedure', () => {
    expect(messages([base()]).filter((m) => m.startsWith('error'))).toEqual([]);
  });

  it('reports duplicate ids and alias collisions', () => {
    const b = { ...base(), id: 'thu-tuc-b', title: 'Thủ tục thử B' };
    expect(messages([base(), base()])).toEqual(expect.arrayContaining([expect.stringMatching(/duplicate id/)]));
    expect(messages([base(), b])).toEqual(expect.arrayContaining([expect.stringMatching(/alias "thu tuc a" is also used/)]));
  });

  it('reports overlapping fee windows and reversed windows', () => {
    const p = base();
    p.fees.items = [
      { case: 'Lệ phí', amount: 10000, valid_to: '2026-12-31' },
      { case: 'Lệ phí', amount: 5000, valid_from: '2026-07-01', valid_to: '2026-06-30' },
    ];
    const m = messages([p]);
    expect(m).toEqual(expect.arrayContaining([expect.stringMatching(/after valid_to/), expect.stringMatching(/overlapping/)]));
  });

  it('warns when verified_at is older than 180 days and refuses a future date', () => {
    expect(messages([base()], new Date('2027-06-01T00:00:00Z'))).toEqual([expect.stringMatching(/^warning: verified_at .* days old/)]);
    expect(messages([base()], new Date('2026-08-01T00:00:00Z'))).toEqual([expect.stringMatching(/^error: verified_at .* future/)]);
  });

  it('reports related ids that do not exist and fees with neither amounts nor a note', () => {
    const p = { ...base(), related: ['khong-co'], fees: { items: [], exemptions: [] } };
    expect(messages([p])).toEqual(expect.arrayContaining([expect.stringMatching(/related id "khong-co"/), expect.stringMatching(/fees: give items/)]));
  });

  it('rejects invalid files with the file and the field named', () => {
    const root = mkdtempSync(join(tmpdir(), 'content-'));
    const dir = join(root, 'procedures');
    mkdirSync(dir);
    writeFileSync(join(dir, 'thu-tuc-a.yaml'), stringify({ ...base(), source: { name: 'x', url: 'not a url' } }));
    writeFileSync(join(dir, 'broken.yaml'), 'id: [unclosed');
    const report = checkContent(root, today);
    const text = report.issues.map((i) => `${i.file} ${i.message}`).join('\n');
    expect(text).toMatch(/thu-tuc-a\.yaml source\.(name|url)/);
    expect(text).toMatch(/broken\.yaml YAML syntax/);
  });
});
