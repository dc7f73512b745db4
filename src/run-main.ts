import { ConfigError, loadDotEnv } from './config.ts';
import type { Logger } from 'pino';

/** What the process runner needs of a started bot. */
export interface Stoppable {
  logger: Logger;
  close(): Promise<void>;
}

const SHUTDOWN_LIMIT_MS = 10_000;

/**
 * Runs the bot as a process: loads .env, starts, and stops cleanly on SIGTERM/SIGINT within 10 s. A configuration or
 * start-up problem is one line naming the setting, exit code 2 (no stack trace).
 */
export async function runMain(start: () => Promise<Stoppable>): Promise<void> {
  loadDotEnv();
  // The handlers go in before the start: the bot says it listens before start() returns, and a SIGTERM in between
  // would otherwise end the process by the default action, without closing anything (seen under load in tests).
  let bot: Stoppable | undefined;
  let pending: string | undefined;
  const onSignal = (signal: string) => (bot ? stop(bot, signal) : (pending = signal));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  try {
    bot = await start();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  if (pending) stop(bot, pending);
}

/** Stops cleanly within 10 s: no new requests, in-flight work finished, then exit 0 (1 on error or timeout). */
function stop(bot: Stoppable, signal: string): void {
  bot.logger.info({ signal }, 'Stopping: no new requests, finishing in-flight work');
  const force = setTimeout(() => {
    bot.logger.error('Shutdown took longer than 10 s; exiting');
    process.exit(1);
  }, SHUTDOWN_LIMIT_MS);
  force.unref();
  bot.close().then(
    () => process.exit(0),
    (err: Error) => {
      bot.logger.error({ err: err.message }, 'Error while stopping');
      process.exit(1);
    },
  );
}
