import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface BotProcess {
  proc: ChildProcess;
  /** The URL the bot printed when it started listening. */
  url: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/**
 * Runs `src/main.ts` as its own process (node with the tsx loader, so a signal reaches the bot itself and
 * not a wrapper). The environment is exactly `env` plus PATH/HOME (and LOG_LEVEL=info, to read the URL), never the test runner's.
 */
export function spawnBot(env: NodeJS.ProcessEnv): BotProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /listening on (http:\/\/[^\s"]+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    proc.once('exit', (code) => reject(new Error(`bot exited (${code}) before listening:\n${out}`)));
  });
  url.catch(() => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return { proc, url, exited, output: () => out };
}

/** Kills a child that is still running (test cleanup). */
export async function killIfRunning(bot: BotProcess | undefined): Promise<void> {
  if (!bot || bot.proc.exitCode !== null || bot.proc.signalCode !== null) return;
  bot.proc.kill('SIGKILL');
  await bot.exited;
}
