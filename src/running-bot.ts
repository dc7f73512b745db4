import type { Logger } from 'pino';
import type { StaffConsole } from './admin/create-staff-console.ts';
import type { ScryptCost } from './admin/passwords.ts';
import type { Broadcasts } from './broadcasts/create-broadcasts.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Db } from './db/open.ts';
import type { PetitionService } from './petitions/petition-service.ts';
import type { RetryPolicy, ZaloClient } from './zalo/client.ts';
import type { FakeZalo } from './zalo/fake-zalo.ts';
import type { TokenManager } from './zalo/tokens.ts';

// What src/main.ts startBot takes and returns.

/** A running bot: its address, its parts (for tests and scripts) and how to stop it. */
export interface RunningBot {
  url: string;
  port: number;
  config: Config;
  /** The clock the bot runs on (tests date their webhook events with it: the webhook has a replay window). */
  clock: Clock;
  db: Db;
  logger: Logger;
  client: ZaloClient;
  /** The token manager (tests inspect the refresh state through it). */
  tokens: TokenManager;
  fakeZalo: FakeZalo | undefined;
  /** Staff accounts and the audit log (tests create accounts through it). */
  staffConsole: StaffConsole;
  /** Petition rules (tests and scripts seed and inspect through them). */
  petitions: PetitionService;
  /** Scheduled broadcasts (tests tick the scheduler and wait for it through this). */
  broadcasts: Broadcasts;
  /** Processes every pending inbox event now (tests). */
  drainInbox(): Promise<number>;
  close(): Promise<void>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  logger?: Logger;
  retry?: RetryPolicy;
  outboxPollMs?: number;
  /** Delay before a failed outbox row is retried (tests shorten it). */
  outboxRetryMs?: number;
  /** scrypt cost for staff passwords (tests lower it; production keeps the default of src/admin/passwords.ts). */
  passwordCost?: ScryptCost;
  /** Delay before an outbox row whose outcome is unknown is read back and resent once (tests shorten it). */
  outboxUncertainMs?: number;
}

