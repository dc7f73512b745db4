import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
// node with the tsx loader: one process per run (the tsx command starts a second one).
const TSX_ARGS = ['--import', 'tsx'];

async function runCli(args: string[], input?: string): Promise<{ code: number; stdout: string }> {
  const child = run(process.execPath, [...TSX_ARGS, ...args], { env: { ...process.env, LOG_LEVEL: 'silent' }, timeout: 60_000 });
  if (input !== undefined) {
    child.child.stdin!.end(input);
  }
  try {
    const { stdout } = await child;
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

describe('npm run ask', () => {
  it('prints one JSON object per question with the contract keys', async () => {
    const { code, stdout } = await runCli(['scripts/ask.ts', '--json', 'lam cccd can j', 'cà vẹt', 'cháy nhà rồi']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(Object.keys(l).sort()).toEqual(['date', 'intent', 'procedures', 'question', 'reply']);
    expect(lines[0]).toMatchObject({ question: 'lam cccd can j', intent: 'procedure' });
    expect(lines[0]!.procedures).toEqual([expect.objectContaining({ id: 'cap-cap-doi-cap-lai-the-can-cuoc', title: 'Cấp, cấp đổi, cấp lại thẻ căn cước', score: expect.any(Number) })]);
    expect(lines[1]).toMatchObject({ intent: 'clarify' });
    expect((lines[1]!.procedures as unknown[]).length).toBeGreaterThan(1);
    expect(lines[2]).toMatchObject({ intent: 'emergency', procedures: [] });
    expect(String(lines[2]!.reply)).toMatch(/^114/);
  });

  it('adds the unit (id and name) only when the answer names one', async () => {
    const { code, stdout } = await runCli(['scripts/ask.ts', '--json', 'cong an phuong 5 soc trang o dau', 'Phường 1', 'lam cccd can j']);
    expect(code).toBe(0);
    const [named, choice, procedure] = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(named!).sort()).toEqual(['date', 'intent', 'procedures', 'question', 'reply', 'unit']);
    expect(named).toMatchObject({ intent: 'place', procedures: [], unit: { id: 'phuong-soc-trang', name: 'Phường Sóc Trăng' } });
    expect(String(named!.reply)).toContain('Công an phường Sóc Trăng (gồm phường 5, 6, 7, 8 cũ của TP Sóc Trăng)');
    // A choice between several units names none of them; nor does a procedure answer.
    expect(Object.keys(choice!).sort()).toEqual(['date', 'intent', 'procedures', 'question', 'reply']);
    expect(Object.keys(procedure!).sort()).toEqual(['date', 'intent', 'procedures', 'question', 'reply']);
  });

  it('reads one question per line from stdin when none are given', async () => {
    const { code, stdout } = await runCli(['scripts/ask.ts', '--json'], 'xin chào\n\nlàm hộ chiếu ở đâu\n');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { intent: string });
    expect(lines.map((l) => l.intent)).toEqual(['greeting', 'procedure']);
  });
});

describe('npm run content:check', () => {
  it('passes on the shipped content', async () => {
    const { code, stdout } = await runCli(['scripts/content-check.ts']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/0 errors/);
  });

  it('fails, naming the file, on a broken content folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'content-'));
    mkdirSync(join(root, 'procedures'));
    writeFileSync(join(root, 'procedures', 'sai.yaml'), 'id: sai\ntitle: x\n');
    const { code, stdout } = await runCli(['scripts/content-check.ts', root]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/ERROR .*sai\.yaml/);
  });
});
