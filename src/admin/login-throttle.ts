import type { StaffRepository } from './staff-repository.ts';

// Password guesses are counted BEFORE the password is checked, in the same synchronous step as the check of the
// count: the old code read the count, awaited scrypt, then wrote the failure, so 60 parallel guesses were all
// checked. Guesses still being checked count as "pending" (in memory: they only live as long as this process),
// so the 6th parallel guess is refused although none of the first five has failed yet.
//
// Keys, each with its own limit (a lock-out any stranger can trigger is a denial of service):
//   (account, address)  5 failures → 15 min: the contract "at most 5 guesses checked per lockout period" for one
//                    account from one address; a stranger elsewhere locks only themself out.
//   address         20 failures (over any accounts, known or not) → 15 min: password spraying from one address.
//   account         50 failures (from all addresses) → 15 min: the ceiling against a distributed guesser; an admin
//                    can lift it in the console (audited).
// A count starts again after a quiet window as long as the lock, and a success clears the account keys.

/** One counted key: how many failures lock it, for how long, and after how long without a failure it forgets. */
export interface ThrottleRule {
  limit: number;
  lockMs: number;
  windowMs: number;
}

export const LOGIN_RULES = {
  accountAddress: { limit: 5, lockMs: 15 * 60_000, windowMs: 15 * 60_000 },
  address: { limit: 20, lockMs: 15 * 60_000, windowMs: 15 * 60_000 },
  account: { limit: 50, lockMs: 15 * 60_000, windowMs: 15 * 60_000 },
  /** Checks of the current password when changing one's own password (per account). */
  passwordChange: { limit: 5, lockMs: 15 * 60_000, windowMs: 15 * 60_000 },
} as const satisfies Record<string, ThrottleRule>;

/**
 * Logins one address may have being checked at once; more are refused before any hashing. Not 1: an office behind
 * one NAT address logs several people in at the start of the day. Less than half the hashing queue, so one address
 * cannot fill it.
 */
export const MAX_IN_FLIGHT_PER_ADDRESS = 4;

export interface ThrottleKey {
  key: string;
  rule: ThrottleRule;
}

/**
 * The keys of a login attempt; `accountPrefix` finds every (account, address) key of one account (an admin's
 * unlock). Separate namespaces: a typed name such as "an.nv|1.2.3.4" must never produce another account's pair key.
 */
export const accountKey = (username: string) => `account:${username}`;
export const accountPrefix = (username: string) => `pair:${username}|`;
export function loginKeys(username: string, address: string): ThrottleKey[] {
  return [
    { key: `${accountPrefix(username)}${address}`, rule: LOGIN_RULES.accountAddress },
    { key: `address:${address}`, rule: LOGIN_RULES.address },
    { key: accountKey(username), rule: LOGIN_RULES.account },
  ];
}
export const passwordChangeKeys = (accountId: number): ThrottleKey[] => [{ key: `password:${accountId}`, rule: LOGIN_RULES.passwordChange }];

/** A counted attempt: say how it ended exactly once. */
export interface Attempt {
  /** The password was wrong: counts the failure; returns the lock it caused, if any. */
  failed(): { lockedUntil: number; failures: number };
  /** The password was right: clears the given keys (the address key is kept: one valid account must not reset it). */
  succeeded(clear: readonly string[]): void;
  /** Nothing was checked (hashing refused or failed): the attempt is not counted. */
  abandon(): void;
}

export type TakeResult = { ok: true; attempt: Attempt } | { ok: false; reason: 'locked'; lockedUntil: number } | { ok: false; reason: 'throttled' };

export interface LoginThrottle {
  /** Checks every key and counts the attempt under all of them, in one synchronous step. */
  take(keys: readonly ThrottleKey[], address: string, now: number): TakeResult;
}

/** Counting of guesses over SQLite (failures, locks) and memory (guesses being checked now). */
export function createLoginThrottle(deps: { repo: StaffRepository; now: () => number }): LoginThrottle {
  const pending = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string, by: number) => {
    const n = (map.get(key) ?? 0) + by;
    if (n > 0) map.set(key, n);
    else map.delete(key);
  };

  return {
    take(keys, address, now) {
      if ((inFlight.get(address) ?? 0) >= MAX_IN_FLIGHT_PER_ADDRESS) return { ok: false, reason: 'throttled' };
      let lockedUntil = 0;
      for (const { key, rule } of keys) {
        const row = deps.repo.failures(key);
        if (row && row.lockedUntil > now) lockedUntil = Math.max(lockedUntil, row.lockedUntil);
        const counted = row && now - row.lastFailureAt < rule.windowMs ? row.failures : 0;
        // Guesses still being checked would reach the limit: refuse now, for as long as their failure would lock.
        if (counted + (pending.get(key) ?? 0) >= rule.limit) lockedUntil = Math.max(lockedUntil, now + rule.lockMs);
      }
      if (lockedUntil > 0) return { ok: false, reason: 'locked', lockedUntil };
      for (const { key } of keys) bump(pending, key, 1);
      bump(inFlight, address, 1);
      let settled = false;
      const settle = () => {
        if (settled) throw new Error('login attempt settled twice');
        settled = true;
        for (const { key } of keys) bump(pending, key, -1);
        bump(inFlight, address, -1);
      };
      return {
        ok: true,
        attempt: {
          failed() {
            settle();
            const at = deps.now();
            let locked = 0;
            let failures = 0;
            for (const { key, rule } of keys) {
              const after = deps.repo.recordFailure(key, at, rule.limit, at + rule.lockMs, at - rule.windowMs);
              if (after.lockedUntil > at) locked = Math.max(locked, after.lockedUntil);
              if (key === keys[0]!.key) failures = after.failures;
            }
            return { lockedUntil: locked, failures };
          },
          succeeded(clear) {
            settle();
            for (const key of clear) deps.repo.clearFailures(key);
          },
          abandon: settle,
        },
      };
    },
  };
}
