import { afterEach, describe, expect, it } from 'vitest';
import { ACCESS_RULES } from '../../src/admin/access-policy.ts';
import type { StaffRole } from '../../src/admin/staff-repository.ts';
import type { TestBot } from '../helpers/bot.ts';
import { addAccount, auditRows, call, loginAs, seedPetition, startConsoleBot, type StaffClient } from './console-helpers.ts';

// Issue 12 (low): the access policy matched paths case-sensitively while express 5's router does not, so
// GET /petitions/EXPORT?include_pii=true gave a viewer personal data and wrote no audit line. express matches
// any case and one optional trailing slash; an encoded letter (%45) does not match a literal segment.

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

const ROLES: StaffRole[] = ['admin', 'editor', 'handler', 'viewer'];

async function setup() {
  tb = await startConsoleBot();
  for (const role of ROLES) await addAccount(tb, `${role}.user`, role);
  const clients = Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, await loginAs(tb!, `${r}.user`)]))) as Record<StaffRole, StaffClient>;
  const code = seedPetition(tb, '7101').code;
  return { clients, code };
}

/** Upper case, mixed case, and each with the trailing slash express also accepts. */
const variants = (path: string) => {
  const [p, q] = path.split('?');
  const mixed = p!.replace(/[a-z]/g, (c, i: number) => (i % 2 ? c.toUpperCase() : c));
  const query = q ? `?${q}` : '';
  return [p!.toUpperCase(), `${p!.toUpperCase()}/`, mixed, `${mixed}/`].map((v) => v + query);
};

describe('the access policy matches paths as express does', () => {
  it('every rule refuses the roles it does not list, whatever the case of the path or a trailing slash', async () => {
    const { clients, code } = await setup();
    const filled = (path: string) => path.replace(/:(\w+)/g, (_m, name: string) => (name === 'code' ? code.toLowerCase() : name === 'id' ? '1' : `x${name}`));
    let checkedRules = 0;
    for (const rule of ACCESS_RULES) {
      const denied = ROLES.filter((r) => !rule.roles.includes(r));
      if (denied.length === 0) continue;
      checkedRules += 1;
      const base = filled(rule.path) + (rule.when ? '?include_pii=true' : '');
      for (const path of variants(base)) {
        for (const role of denied) {
          const res = await call(tb!, rule.method, path, { as: clients[role], body: rule.method === 'GET' || rule.method === 'DELETE' ? undefined : {} });
          expect(res.status, `${role} ${rule.method} ${path}`).toBe(403);
        }
      }
    }
    expect(checkedRules).toBeGreaterThan(15);
  });

  it('every read rule lets its roles through, and every audited read writes its line, whatever the case of the path', async () => {
    const { clients, code } = await setup();
    const filled = (path: string) => path.replace(/:(\w+)/g, (_m, name: string) => (name === 'code' ? code.toLowerCase() : name === 'id' ? 'cchc-2026' : `x${name}`));
    for (const rule of ACCESS_RULES.filter((r) => r.method === 'GET')) {
      const base = filled(rule.path) + (rule.when ? '?include_pii=true' : '');
      for (const path of variants(base)) {
        for (const role of rule.roles) {
          const before = rule.audit ? auditRows(tb!, rule.audit.action).length : 0;
          const res = await call(tb!, 'GET', path, { as: clients[role] });
          expect(res.status, `${role} GET ${path}`).not.toBe(403);
          if (rule.audit && res.status < 400) {
            // Exports stream: the line is written when the response closes.
            const after = async () => auditRows(tb!, rule.audit!.action).length;
            for (let i = 0; i < 50 && (await after()) === before; i += 1) await new Promise((r) => setTimeout(r, 10));
            expect(await after(), `audit ${rule.audit.action} for ${role} GET ${path}`).toBe(before + 1);
          }
        }
      }
    }
  });

  it('GET /petitions/EXPORT?include_pii=true: refused and audited for a viewer, exported and audited for a handler', async () => {
    const { clients } = await setup();
    const refused = await call(tb!, 'GET', '/petitions/EXPORT?include_pii=true', { as: clients.viewer });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('Trần Thị Bình');
    expect(auditRows(tb!, 'access.denied')).toEqual([expect.objectContaining({ actor: 'viewer.user', target: 'petition.export' })]);

    const allowed = await call(tb!, 'GET', '/Petitions/Export/?include_pii=true', { as: clients.handler });
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain('Trần Thị Bình');
    await new Promise((r) => setTimeout(r, 50));
    const exported = auditRows(tb!, 'petition.export');
    expect(exported).toHaveLength(1);
    expect(exported[0]).toMatchObject({ actor: 'handler.user' });
    expect(JSON.parse(exported[0]!.detail!)).toMatchObject({ includePii: true });
  });

  it('an encoded letter is a petition code, not the export, for the policy as for express: no personal data', async () => {
    const { clients } = await setup();
    // express matches /petitions/%45XPORT to /petitions/:code (code "EXPORT"): handlers only, and no such petition.
    expect((await call(tb!, 'GET', '/petitions/%45XPORT?include_pii=true', { as: clients.viewer })).status).toBe(403);
    const handler = await call(tb!, 'GET', '/petitions/%65xport?include_pii=true', { as: clients.handler });
    expect(handler.status).toBe(404);
    expect(auditRows(tb!, 'petition.export')).toHaveLength(0);
  });
});
