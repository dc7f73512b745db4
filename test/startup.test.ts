import { cpSync, openSync, writeFileSync, writeSync, closeSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open.ts';
import { makeTempDir, removeTempDir } from './helpers/bot.ts';
import { killIfRunning, spawnBot, type BotProcess } from './helpers/child.ts';
import { repos } from './helpers/repos.ts';

// Issue 12 (low): start-up problems gave raw stack traces, and a partly corrupt database crashed the bot after its
// port was open. Each problem must stop the real process before it listens: one line naming the setting, exit 2.

const CONTENT = fileURLToPath(new URL('../content', import.meta.url));
let dir: string;
let child: BotProcess | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  await killIfRunning(child);
  child = undefined;
  await new Promise<void>((r) => (blocker ? blocker.close(() => r()) : r()));
  blocker = undefined;
  removeTempDir(dir);
});

/** Runs the bot in demo mode with `env` and expects it to refuse to start. */
async function refusedStart(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  child = spawnBot({ PORT: '0', DATABASE_PATH: join(dir, 'bot.db'), ...env });
  const listening = child.url.then((url) => `the bot started listening on ${url}`);
  const outcome = await Promise.race([child.exited, listening]);
  if (typeof outcome === 'string') throw new Error(`${outcome}:\n${child.output()}`);
  return { code: outcome.code, output: child.output().trim() };
}

function expectOneClearLine(output: string, key: string): void {
  expect(output.split('\n'), output).toHaveLength(1);
  expect(output).toContain(key);
  expect(output).not.toMatch(/\bat \S+ \(.*:\d+:\d+\)|node:internal|\.ts:\d+:\d+/); // no stack trace
}

describe('start-up checks (spawned process)', () => {
  it('DATABASE_PATH that is not a database', async () => {
    dir = makeTempDir();
    writeFileSync(join(dir, 'bot.db'), 'name,phone\nNguyễn Văn An,0912345678\n'.repeat(200));
    const { code, output } = await refusedStart({});
    expect(code).toBe(2);
    expectOneClearLine(output, 'DATABASE_PATH');
    expect(output).toMatch(/not an SQLite database/);
  });

  it('DATABASE_PATH in a folder that cannot be created or written', async () => {
    dir = makeTempDir();
    writeFileSync(join(dir, 'a-file'), 'x');
    const { code, output } = await refusedStart({ DATABASE_PATH: join(dir, 'a-file', 'bot.db') });
    expect(code).toBe(2);
    expectOneClearLine(output, 'DATABASE_PATH');
    expect(output).toMatch(/cannot (be )?(created|opened|written)|not writable/i);
  });

  it('DATABASE_PATH partly corrupt: refused before listening (PRAGMA quick_check)', async () => {
    dir = makeTempDir();
    const path = join(dir, 'bot.db');
    const db = openDatabase(path);
    const { inbox } = repos(db);
    db.transaction(() => {
      for (let i = 0; i < 3000; i++) inbox.insert({ eventKey: `k${i}`, eventName: 'user_send_text', userId: '1', payload: `{"text":"${'x'.repeat(200)}"}`, receivedAt: 0 });
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // Scribble over a few pages in the middle of the file, as a failing disk would: the header stays valid.
    const size = statSync(path).size;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(3 * 4096, 0xa5), 0, 3 * 4096, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    const { code, output } = await refusedStart({});
    expect(code).toBe(2);
    expectOneClearLine(output, 'DATABASE_PATH');
    expect(output).toMatch(/damaged|corrupt/i);
  });

  it('PORT already in use', async () => {
    dir = makeTempDir();
    blocker = createServer();
    await new Promise<void>((r) => blocker!.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const { code, output } = await refusedStart({ PORT: String(port), HOST: '127.0.0.1' });
    expect(code).toBe(2);
    expectOneClearLine(output, 'PORT');
    expect(output).toContain(String(port));
    expect(output).toMatch(/in use/);
  });

  it('CONTENT_DIR missing', async () => {
    dir = makeTempDir();
    const { code, output } = await refusedStart({ CONTENT_DIR: join(dir, 'no-such-folder') });
    expect(code).toBe(2);
    expectOneClearLine(output, 'CONTENT_DIR');
  });

  it('CONTENT_DIR with an invalid procedure file', async () => {
    dir = makeTempDir();
    const content = join(dir, 'content');
    cpSync(CONTENT, content, { recursive: true });
    writeFileSync(join(content, 'procedures', 'cap-ho-chieu.yaml'), 'id: cap-ho-chieu\ntitle: [unclosed\n');
    const { code, output } = await refusedStart({ CONTENT_DIR: content });
    expect(code).toBe(2);
    expectOneClearLine(output, 'CONTENT_DIR');
    expect(output).toContain('cap-ho-chieu.yaml');
  });

  it('a Zalo key in demo mode (the ConfigError path), and still starts with none', async () => {
    dir = makeTempDir();
    const { code, output } = await refusedStart({ ZALO_OA_SECRET_KEY: 'real-key' });
    expect(code).toBe(2);
    expectOneClearLine(output, 'ZALO_OA_SECRET_KEY');
    child = spawnBot({ PORT: '0', DATABASE_PATH: join(dir, 'ok.db') });
    expect(await child.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
