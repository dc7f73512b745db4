import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { staffMessage } from './staff-messages.ts';

// Staff passwords: scrypt from node:crypto, parameters stored with each hash so they can be raised later
// without invalidating old ones. Format: scrypt$N$r$p$salt(base64url)$hash(base64url).

/** scrypt's cost parameters. */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** The production cost (about 32 MiB and tens of milliseconds of CPU per hash). Tests inject a lower one. */
export const PRODUCTION_COST: ScryptCost = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
/** The shortest password accepted for a staff account. */
export const MIN_PASSWORD_LENGTH = 12;

function derive(password: string, salt: Buffer, o: ScryptCost): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; allow twice that so the default 32 MiB limit never refuses our own parameters.
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Hashes a password with a fresh salt (async: scrypt runs on the libuv pool, not the event loop). */
export async function hashPassword(password: string, params: ScryptCost = PRODUCTION_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when `password` matches `stored`; false for a malformed hash (never throws on bad input). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length !== KEY_LENGTH) return false;
  const key = await derive(password, salt, { N, r, p });
  return timingSafeEqual(key, expected);
}

/** Thrown when the hashing queue is full: the caller answers "busy" without hashing anything. */
export class HasherBusyError extends Error {
  override name = 'HasherBusyError';
}

/** Password hashing behind a small concurrency limit and a bounded queue. */
export interface PasswordHasher {
  /** The cost of new hashes (the decoy of unknown user names is made at the same cost). */
  cost: ScryptCost;
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
  /** Whether one more job would be accepted now (checked before anything is counted against a login). */
  hasRoom(): boolean;
  /** Jobs running and waiting (for tests and benchmarks). */
  load(): { running: number; queued: number };
}

export interface PasswordHasherOptions {
  cost?: ScryptCost;
  /** Hashes at once. 1 keeps a core and most of the libuv pool free for the webhook on a 2-core machine. */
  concurrency?: number;
  /** Jobs that may wait; past that, hash/verify reject with HasherBusyError at once. */
  maxQueue?: number;
}

/**
 * scrypt is meant to be slow: 400 junk logins once took 100 s of pool time and delayed webhook acks. This runs
 * at most `concurrency` hashes at once and refuses work beyond a short queue, so a flood costs bounded CPU.
 */
export function createPasswordHasher(options: PasswordHasherOptions = {}): PasswordHasher {
  const cost = options.cost ?? PRODUCTION_COST;
  const concurrency = options.concurrency ?? 1;
  const maxQueue = options.maxQueue ?? 8;
  const waiting: (() => void)[] = [];
  let running = 0;

  const hasRoom = () => running < concurrency || waiting.length < maxQueue;
  async function run<T>(job: () => Promise<T>): Promise<T> {
    if (!hasRoom()) throw new HasherBusyError('password hashing queue is full');
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await job();
    } finally {
      // The slot passes straight to the next waiter, so `running` never dips and lets a newcomer jump the queue.
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  }

  return {
    cost,
    hash: (password) => run(() => hashPassword(password, cost)),
    verify: (password, stored) => run(() => verifyPassword(password, stored)),
    hasRoom,
    load: () => ({ running, queued: waiting.length }),
  };
}

// The passwords people pick first, in Vietnamese and English, folded to lower case without separators. A short
// list on purpose: it catches the obvious ones; length does the rest.
const COMMON = new Set([
  '123456789012', '1234567890123', '12345678901234', '111111111111', '000000000000', '123123123123', '123456123456',
  'qwertyuiopas', 'qwerty123456', '1qaz2wsx3edc', 'abcd12345678', 'abc123456789', 'password1234', 'password12345',
  'passw0rd1234', 'iloveyou1234', 'admin1234567', 'administrator', 'admin@123456', 'matkhau12345', 'matkhau123456',
  'matkhaumoi123', 'matkhaucuatoi', 'congan123456', 'conganthanhpho', 'conganhuyen123', 'conganxa12345', 'cantho123456',
  'soctrang12345', 'vietnam12345', 'vietnam123456', 'anhyeuem1234', 'emyeuanh1234', 'zalo12345678', 'zalooa123456',
  'changeme1234', 'welcome12345', 'letmein12345', 'trustno11234',
]);
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase().replace(/[^a-z0-9]/g, '');

/** Why a new password is refused (in Vietnamese, shown to staff as is), or undefined when it is acceptable. */
export function passwordProblem(password: string, context: { username?: string } = {}): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return staffMessage('passwordTooShort', { min: MIN_PASSWORD_LENGTH });
  if (password.length > 200) return staffMessage('passwordTooLong', { max: 200 });
  if (password.trim() !== password) return staffMessage('passwordSpaces');
  const folded = fold(password);
  if (COMMON.has(folded) || new Set(folded).size <= 2) return staffMessage('passwordCommon');
  if (context.username && folded.includes(fold(context.username)) && fold(context.username).length >= 4) {
    return staffMessage('passwordHasUsername');
  }
  return undefined;
}
