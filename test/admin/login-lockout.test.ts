import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/clock.ts';
import type { TestBot } from '../helpers/bot.ts';
import { errorOf, expectRefusal } from '../helpers/refusal.ts';
import { addAccount, auditRows, call, login, loginAs, PASSWORD, startConsoleBot } from './console-helpers.ts';

// Issue 12, item 2: the lock-out must hold against parallel guesses, must not let a stranger lock staff out, and a
// flood of logins must not buy unbounded scrypt time. Everything is checked from outside, on the real server.

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

/** Guesses whose password was actually checked: each ends as a failure or a success in the audit log. */
const checked = (t: TestBot) => auditRows(t).filter((r) => r.action === 'login.failure' || r.action === 'login.success').length;

describe('login lock-out under concurrency', () => {
  it('checks at most 5 guesses of one account from one address, however many arrive at once', async () => {
    tb = await startConsoleBot();
    await addAccount(tb, 'an.nv', 'handler');
    const answers = await Promise.all(Array.from({ length: 59 }, (_, i) => login(tb!, 'an.nv', `sai-mat-khau-${i}`)));
    expect(checked(tb)).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a.status === 401).length).toBeLessThanOrEqual(5);
    expect(answers.every((a) => [401, 429].includes(a.status))).toBe(true);
    // The right password after the burst: the account is locked for this address, no session.
    const right = await login(tb, 'an.nv');
    expect(right.status).toBe(429);
    expect(right.client).toBeUndefined();
    expect(auditRows(tb, 'login.success')).toHaveLength(0);
  });

  it('counts guesses being checked: 64 parallel guesses from 64 addresses check exactly the account ceiling of 50', async () => {
    tb = await startConsoleBot();
    await addAccount(tb, 'an.nv', 'handler');
    // In parallel batches of 8 (what the hashing queue takes at once; more would be refused as busy, unchecked).
    for (let batch = 0; batch < 8; batch += 1) {
      await Promise.all(Array.from({ length: 8 }, (_, i) => login(tb!, 'an.nv', `sai-mat-khau-${batch}-${i}`, `10.1.${batch}.${i + 1}`)));
    }
    expect(checked(tb)).toBe(50);
    // Locked for everyone now (the ceiling), until an admin lifts it.
    expect((await login(tb, 'an.nv', PASSWORD, '10.9.9.9')).status).toBe(429);
  });
});

describe('a stranger cannot lock staff out', () => {
  it('failures from one address lock the account for that address only', async () => {
    const clock = createFakeClock('2026-03-10T02:00:00Z');
    tb = await startConsoleBot({ clock });
    await addAccount(tb, 'an.nv', 'handler');
    for (let i = 1; i <= 4; i += 1) expect((await login(tb, 'an.nv', `sai-mat-khau-${i}`, '203.0.113.7')).status).toBe(401);
    expect((await login(tb, 'an.nv', 'sai-mat-khau-5', '203.0.113.7')).status).toBe(429);
    expect((await login(tb, 'an.nv', PASSWORD, '203.0.113.7')).status).toBe(429);
    // The owner, at the office, is not locked out by it.
    const owner = await login(tb, 'an.nv', PASSWORD, '198.51.100.20');
    expect(owner.status).toBe(200);
    expect(owner.client).toBeDefined();
  });

  it('an address guessing across many accounts is stopped after 20 failures', async () => {
    tb = await startConsoleBot();
    await addAccount(tb, 'an.nv', 'handler');
    for (let i = 0; i < 19; i += 1) expect((await login(tb, `ten.${i}`, 'sai-mat-khau-roi', '203.0.113.9')).status).toBe(401);
    // The 20th failure locks the address (as the 5th locks an account for an address).
    expect((await login(tb, 'ten.19', 'sai-mat-khau-roi', '203.0.113.9')).status).toBe(429);
    expect((await login(tb, 'ten.moi', 'sai-mat-khau-roi', '203.0.113.9')).status).toBe(429);
    expect((await login(tb, 'an.nv', PASSWORD, '203.0.113.9')).status).toBe(429);
    expect((await login(tb, 'an.nv', PASSWORD, '198.51.100.20')).status).toBe(200);
  });

  it('an admin unlocks an account in the console, and the unlock is audited', async () => {
    tb = await startConsoleBot();
    const account = await addAccount(tb, 'an.nv', 'handler');
    await addAccount(tb, 'quan.tri', 'admin');
    await addAccount(tb, 'chi.xem', 'viewer');
    const admin = await loginAs(tb, 'quan.tri');
    const viewer = await loginAs(tb, 'chi.xem');
    for (let i = 1; i <= 5; i += 1) await login(tb, 'an.nv', `sai-mat-khau-${i}`, '192.0.2.50');
    expect((await login(tb, 'an.nv', PASSWORD, '192.0.2.50')).status).toBe(429);
    const listed = (await call(tb, 'GET', '/staff', { as: admin })).json.items.find((a: { username: string }) => a.username === 'an.nv');
    expect(listed.lockedUntil).toEqual(expect.any(String));

    expect((await call(tb, 'POST', `/staff/${account.id}/unlock`, { as: viewer })).status).toBe(403);
    const unlocked = await call(tb, 'POST', `/staff/${account.id}/unlock`, { as: admin });
    expect(unlocked.status).toBe(200);
    expect(unlocked.json).toMatchObject({ username: 'an.nv', lockedUntil: null });
    expect((await login(tb, 'an.nv', PASSWORD, '192.0.2.50')).status).toBe(200);
    expect(auditRows(tb, 'account.unlock')).toEqual([expect.objectContaining({ actor: 'quan.tri', actor_kind: 'staff', target: 'an.nv' })]);
  });
});

describe('changing one\'s password', () => {
  it('the current-password check is rate-limited: 5 wrong tries, then 429 even for the right one', async () => {
    tb = await startConsoleBot();
    await addAccount(tb, 'an.nv', 'viewer');
    const me = await loginAs(tb, 'an.nv');
    for (let i = 1; i <= 5; i += 1) {
      const wrong = await call(tb, 'POST', '/session/password', { as: me, body: { current: `sai-mat-khau-${i}`, next: 'mat-khau-moi-dai-hon' } });
      expect(wrong.status).toBe(403);
    }
    const right = await call(tb, 'POST', '/session/password', { as: me, body: { current: PASSWORD, next: 'mat-khau-moi-dai-hon' } });
    expectRefusal(right, 429, 'password_change_locked');
    expect(right.json.error.message).toMatch(/quá nhiều lần/);
    expect((await call(tb, 'GET', '/session', { as: me })).status).toBe(200);
  });
});

describe('a flood of logins', () => {
  it('is refused before hashing once the small hashing queue is full (production cost), and staff log in afterwards', async () => {
    // Production scrypt cost on purpose: the queue only fills when hashing is slow.
    tb = await startConsoleBot({ passwordCost: { N: 2 ** 15, r: 8, p: 1 } });
    await addAccount(tb, 'an.nv', 'handler');
    const flood = await Promise.all(Array.from({ length: 120 }, (_, i) => login(tb!, `rac.${i}`, 'sai-mat-khau-roi', `10.2.${Math.floor(i / 250)}.${(i % 250) + 1}`)));
    const busy = flood.filter((a) => a.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expectRefusal(busy[0]!, 503, 'busy');
    expect(errorOf(busy[0]!).message).toMatch(/bận/);
    // Only what was hashed is in the log: refusals for a full queue cost neither scrypt nor an audit line.
    expect(checked(tb)).toBe(flood.filter((a) => a.status === 401).length);
    expect(checked(tb)).toBeLessThan(120);
    expect((await login(tb, 'an.nv', PASSWORD, '198.51.100.20')).status).toBe(200);
  });
});
