import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/admin/passwords.ts';
import { makeTempDir, removeTempDir } from '../helpers/bot.ts';
import { allAuditRows, repos } from '../helpers/repos.ts';

// npm run staff:add / staff:passwd / staff:list, as an operator runs them (tsx, a real database file).

const run = promisify(execFile);
const TSX = join('node_modules', '.bin', 'tsx');
// node with the tsx loader: one process per run (the tsx command starts a second one).
const TSX_ARGS = ['--import', 'tsx'];
let dir: string;
let dbPath: string;

beforeAll(() => {
  dir = makeTempDir();
  dbPath = join(dir, 'bot.db');
});
afterAll(() => removeTempDir(dir));

async function staff(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: dbPath, LOG_LEVEL: 'silent' };
  const child = run(process.execPath, [...TSX_ARGS, 'scripts/staff.ts', ...args], { env, timeout: 60_000 });
  child.child.stdin!.end(input ?? '');
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const account = (username: string) => {
  const db = new Database(dbPath, { readonly: true });
  try {
    return repos(db).staff.byUsername(username);
  } finally {
    db.close();
  }
};
const audit = () => {
  const db = new Database(dbPath, { readonly: true });
  try {
    return allAuditRows(db).map(({ actor_kind, action, target }) => ({ actor_kind, action, target }));
  } finally {
    db.close();
  }
};

describe('staff CLIs', () => {
  it('staff:add with --password, then staff:list', async () => {
    const add = await staff(['add', '--username', 'An.NV', '--role', 'handler', '--password', 'mat-khau-cli-dai', '--name', 'Nguyễn Văn An', '--zalo-id', '2468458835291979221']);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/Created an\.nv \(handler\)/);
    const row = account('an.nv')!;
    expect(row).toMatchObject({ role: 'handler', display_name: 'Nguyễn Văn An', zalo_user_id: '2468458835291979221' });
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(await verifyPassword('mat-khau-cli-dai', row.password_hash)).toBe(true);
    const list = await staff(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/an\.nv\s+handler\s+active\s+last login never\s+\(Nguyễn Văn An\)/);
  });

  it('reads the password from stdin when it is not a terminal', async () => {
    const add = await staff(['add', '--username', 'bt.pv01', '--role', 'editor'], 'mat-khau-tu-stdin\n');
    expect(add.code, add.stderr).toBe(0);
    expect(await verifyPassword('mat-khau-tu-stdin', account('bt.pv01')!.password_hash)).toBe(true);
    const passwd = await staff(['passwd', '--username', 'bt.pv01'], 'mat-khau-moi-tu-stdin\n');
    expect(passwd.code, passwd.stderr).toBe(0);
    expect(await verifyPassword('mat-khau-moi-tu-stdin', account('bt.pv01')!.password_hash)).toBe(true);
  });

  it('refuses bad input with a message and a non-zero exit', async () => {
    expect((await staff(['add', '--username', 'x.y', '--role', 'boss', '--password', 'mat-khau-cli-dai'])).code).toBe(2);
    const short = await staff(['add', '--username', 'ngan', '--role', 'viewer', '--password', 'ngan']);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/ít nhất 12 ký tự/);
    const dup = await staff(['add', '--username', 'an.nv', '--role', 'viewer', '--password', 'mat-khau-cli-dai']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/Tài khoản an\.nv đã tồn tại.*\(account_exists\)/);
    expect((await staff(['passwd', '--username', 'khong.co', '--password', 'mat-khau-cli-dai'])).stderr).toMatch(/Không tìm thấy tài khoản khong\.co.*\(account_not_found\)/);
    expect((await staff(['add', '--role', 'viewer'])).code).toBe(2);
  });

  // util-linux's `script` gives the CLI a real terminal: the password is asked twice and never echoed.
  it.skipIf(!existsSync('/usr/bin/script'))('asks for the password at a terminal without echoing it', async () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: dbPath, LOG_LEVEL: 'silent', TERM: 'dumb' };
    const child = spawn('/usr/bin/script', ['-qfc', `${TSX} scripts/staff.ts add --username tty.user --role viewer`, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const seen = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${text}" in: ${out}`)), 30_000);
        const check = () => {
          if (out.includes(text)) {
            clearTimeout(timer);
            child.stdout.off('data', onData);
            resolve();
          }
        };
        const onData = (chunk: Buffer) => {
          out += chunk.toString('utf8');
          check();
        };
        child.stdout.on('data', onData);
        check();
      });
    await seen('Password: ');
    child.stdin.write('mat-khau-o-terminal\r');
    await seen('Repeat the password: ');
    child.stdin.write('mat-khau-o-terminal\r');
    await seen('Created tty.user');
    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));
    expect(out).not.toContain('mat-khau-o-terminal');
    expect(await verifyPassword('mat-khau-o-terminal', account('tty.user')!.password_hash)).toBe(true);
  });

  it('writes account changes to the audit log as the CLI user', () => {
    expect(audit().filter((r) => r.target !== 'tty.user')).toEqual([
      { actor_kind: 'cli', action: 'account.create', target: 'an.nv' },
      { actor_kind: 'cli', action: 'account.create', target: 'bt.pv01' },
      { actor_kind: 'cli', action: 'account.password', target: 'bt.pv01' },
    ]);
  });
});
