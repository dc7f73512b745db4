import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { formatLocalIso } from '../../src/time.ts';
import { loadPlan, PlanError, planDates } from '../../src/broadcasts/plan-import.ts';
import { makeTempDir, removeTempDir } from '../helpers/bot.ts';
import { repos } from '../helpers/repos.ts';

const run = promisify(execFile);
// node with the tsx loader: one process per run (the tsx command starts a second one).
const TSX_ARGS = ['--import', 'tsx'];
const PLAN = 'content/plans/2025.yaml';
const TZ = 'Asia/Ho_Chi_Minh';

let dir = '';
afterEach(() => {
  if (dir) removeTempDir(dir);
  dir = '';
});

async function cli(args: string[], dbPath: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...TSX_ARGS, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: dbPath, LOG_LEVEL: 'silent' }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('content/plans/2025.yaml', () => {
  it('holds the appendix: 10 items with lead units, partner units and period', () => {
    const plan = loadPlan(PLAN);
    expect(plan.items.map((i) => i.no)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(plan.items.map((i) => i.lead_units.join('+'))).toEqual(['PV01+PX03', 'PX03', 'PX03+PX01', 'PV01', 'PC06+PV01+PX03', 'PV01', 'PV01+PX03', 'PV01+PX03', 'PV01', 'PV01']);
    expect(plan.items.every((i) => i.partner_units.length === 1 && i.partner_units[0] === 'Công an các đơn vị, địa phương')).toBe(true);
    expect(plan.items.map((i) => `${i.period.from}..${i.period.to}`)).toEqual([
      '2025-02..2025-02',
      '2025-02..2025-12',
      '2025-01..2025-12',
      '2025-01..2025-03',
      '2025-05..2025-05',
      '2025-06..2025-09',
      '2025-10..2025-10',
      '2025-11..2025-11',
      '2025-11..2025-11',
      '2025-12..2025-12',
    ]);
  });

  it('dates every item at 09:00 local on a working day inside its period, never two on one day', () => {
    const plan = loadPlan(PLAN);
    const dates = planDates(plan, TZ);
    const days = new Set<string>();
    for (const item of plan.items) {
      const local = formatLocalIso(dates.get(item.no)!, TZ);
      expect(local).toMatch(/T09:00:00\+07:00$/);
      const month = local.slice(0, 7);
      expect(month >= item.period.from && month <= item.period.to).toBe(true);
      const weekday = new Date(`${local.slice(0, 10)}T12:00:00Z`).getUTCDay();
      expect(weekday).toBeGreaterThanOrEqual(1);
      expect(weekday).toBeLessThanOrEqual(5);
      days.add(local.slice(0, 10));
    }
    expect(days.size).toBe(10);
  });

  it('refuses a malformed plan naming the field', () => {
    dir = makeTempDir();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'plan: { id: x, title: t, year: 2025 }\nitems:\n  - { no: 1, topic: a, lead_units: [], period: { from: "2025-13", to: "2025-01", text: t } }\n');
    expect(() => loadPlan(bad)).toThrow(PlanError);
    expect(() => loadPlan(bad)).toThrow(/items\.0\.lead_units/);
  });
});

describe('npm run plan:import and posts:list', () => {
  it('creates one draft per item, and importing again creates nothing', async () => {
    dir = makeTempDir();
    const dbPath = join(dir, 'bot.db');
    const first = await cli(['scripts/plan-import.ts', PLAN], dbPath);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/10 draft\(s\) created, 0 already imported/);
    const second = await cli(['scripts/plan-import.ts', PLAN], dbPath);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/0 draft\(s\) created, 10 already imported/);

    const db = new Database(dbPath, { readonly: true });
    try {
      const rows = repos(db).posts.list().sort((a, b) => (a.plan_key! < b.plan_key! ? -1 : 1));
      expect(rows).toHaveLength(10);
      expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['draft']));
      expect(rows.every((r) => r.created_by === 'plan-import' && r.mode === 'message')).toBe(true);
      const item5 = JSON.parse(rows.find((r) => r.plan_key === 'kh-41-cat-2025#5')!.plan_json!) as { leadUnits: string[]; period: { text: string } };
      expect(item5).toMatchObject({ leadUnits: ['PC06', 'PV01', 'PX03'], period: { text: 'Tháng 5/2025' } });
    } finally {
      db.close();
    }

    const list = await cli(['scripts/posts-list.ts', '--json'], dbPath);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n').map((l) => JSON.parse(l) as { sendAt: string; status: string });
    expect(lines).toHaveLength(10);
    expect(lines.map((l) => l.sendAt)).toEqual([...lines.map((l) => l.sendAt)].sort()); // in send order
    expect(lines[0]).toMatchObject({ sendAt: '2025-01-06T09:00:00+07:00', status: 'draft' });
  }, 60_000);

  it('fails with a usage line and exit code 2 without a file', async () => {
    dir = makeTempDir();
    const res = await cli(['scripts/plan-import.ts'], join(dir, 'bot.db'));
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/Usage: npm run plan:import/);
  });
});
