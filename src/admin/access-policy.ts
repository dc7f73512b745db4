import type { Request } from 'express';
import { readIncludePii } from './request-schemas.ts';
import type { StaffRole } from './staff-repository.ts';

// Who may call which /admin/api route, and which calls are written to the audit log: one table, read top to
// bottom, first match wins. A route missing here is admin-only, so a new feature is closed until it is listed.
//   editor  = PV01, the communication team: posts, plans, followers, quiz contests
//   handler = petition handlers: petitions, with personal data
//   viewer  = read-only: everything that carries no citizen's personal data
//   admin   = all of it, plus accounts and the audit log

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** What the audit line of a successful call says: action, target and details (never a citizen's text). */
export interface AuditSpec {
  action: string;
  target?: (params: Record<string, string>, req: Request, response: unknown) => string | undefined;
  detail?: (params: Record<string, string>, req: Request, response: unknown) => Record<string, unknown>;
}

export interface AccessRule {
  method: Method;
  path: string;
  roles: readonly StaffRole[];
  /** Extra condition on the request (e.g. an export that includes personal data). */
  when?: (req: Request) => boolean;
  audit?: AuditSpec;
  /** Histories name the signed-in staff member, whatever `actor` the body claims (petition changes). */
  bindActor?: boolean;
}

const ALL: readonly StaffRole[] = ['admin', 'editor', 'handler', 'viewer'];
const PETITIONS_READ: readonly StaffRole[] = ['admin', 'handler', 'viewer'];
const PETITIONS_WRITE: readonly StaffRole[] = ['admin', 'handler'];
const POSTS_WRITE: readonly StaffRole[] = ['admin', 'editor'];
const ADMIN: readonly StaffRole[] = ['admin'];

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const field = (obj: unknown, key: string): unknown => (obj !== null && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined);
/** include_pii read exactly as the routes read it (request-schemas.ts); a value they refuse asks for nothing. */
export const wantsPersonalData = (req: Request) => readIncludePii(req.query.include_pii) === true;

const exportDetail = (_p: Record<string, string>, req: Request) => ({
  format: str(req.query.format) ?? 'csv',
  includePii: wantsPersonalData(req),
  ...(str(req.query.from) ? { from: str(req.query.from) } : {}),
  ...(str(req.query.to) ? { to: str(req.query.to) } : {}),
  ...(str(req.query.status) ? { status: str(req.query.status) } : {}),
});
const postId = (p: Record<string, string>) => p.id;
const bodyKeys = (req: Request) => (req.body && typeof req.body === 'object' ? Object.keys(req.body as object) : []);

/** The /admin/api access table. */
export const ACCESS_RULES: readonly AccessRule[] = [
  // Own session (login itself is public and handled before the guard).
  { method: 'GET', path: '/session', roles: ALL },
  { method: 'DELETE', path: '/session', roles: ALL },
  { method: 'POST', path: '/session/password', roles: ALL },
  { method: 'POST', path: '/session/zalo-ids', roles: ALL },
  { method: 'DELETE', path: '/session/zalo-ids/:userId', roles: ALL },
  { method: 'GET', path: '/dashboard', roles: ALL },
  { method: 'GET', path: '/health', roles: ALL },

  // Petitions. The detail holds the citizen's name, phone and address: handlers and admins only.
  {
    method: 'GET',
    path: '/petitions/export',
    roles: PETITIONS_WRITE,
    when: wantsPersonalData,
    audit: { action: 'petition.export', detail: exportDetail },
  },
  { method: 'GET', path: '/petitions/export', roles: PETITIONS_READ, audit: { action: 'petition.export', detail: exportDetail } },
  { method: 'GET', path: '/petitions', roles: PETITIONS_READ },
  { method: 'GET', path: '/petitions/:code', roles: PETITIONS_WRITE },
  {
    method: 'PATCH',
    path: '/petitions/:code',
    roles: PETITIONS_WRITE,
    bindActor: true,
    audit: {
      action: 'petition.status',
      target: (p) => p.code?.toUpperCase(),
      detail: (_p, req) => ({ status: field(req.body, 'status'), withReply: Boolean(field(req.body, 'reply')), withNote: Boolean(field(req.body, 'note')) }),
    },
  },

  // Broadcast posts, plans and followers.
  { method: 'GET', path: '/posts', roles: ALL },
  { method: 'GET', path: '/posts/:id', roles: ALL },
  {
    method: 'POST',
    path: '/posts',
    roles: POSTS_WRITE,
    audit: {
      action: 'post.create',
      target: (_p, _req, res) => (field(res, 'id') === undefined ? undefined : String(field(res, 'id'))),
      detail: (_p, req) => ({ title: field(req.body, 'title'), status: field(req.body, 'status') ?? 'scheduled', sendAt: field(req.body, 'sendAt') }),
    },
  },
  { method: 'PATCH', path: '/posts/:id', roles: POSTS_WRITE, audit: { action: 'post.update', target: postId, detail: (_p, req) => ({ fields: bodyKeys(req), status: field(req.body, 'status') }) } },
  { method: 'POST', path: '/posts/:id/cancel', roles: POSTS_WRITE, audit: { action: 'post.cancel', target: postId } },
  { method: 'POST', path: '/posts/:id/preview', roles: POSTS_WRITE, audit: { action: 'post.preview', target: postId, detail: (_p, req) => ({ userId: field(req.body, 'userId') }) } },
  { method: 'GET', path: '/plans', roles: POSTS_WRITE },
  {
    method: 'POST',
    path: '/plans/import',
    roles: POSTS_WRITE,
    audit: { action: 'plan.import', target: (_p, _req, res) => str(field(field(res, 'plan'), 'id')), detail: (_p, _req, res) => ({ created: field(res, 'created'), existing: field(res, 'existing') }) },
  },
  { method: 'GET', path: '/followers/stats', roles: ALL },
  { method: 'POST', path: '/followers/sync', roles: POSTS_WRITE, audit: { action: 'followers.sync' } },
  { method: 'PUT', path: '/followers/:userId/tags/:tag', roles: POSTS_WRITE, audit: { action: 'followers.tag', target: (p) => p.userId, detail: (p) => ({ tag: p.tag }) } },
  { method: 'DELETE', path: '/followers/:userId/tags/:tag', roles: POSTS_WRITE, audit: { action: 'followers.untag', target: (p) => p.userId, detail: (p) => ({ tag: p.tag }) } },

  // Quiz contests (PV01's): participants' Zalo ids only for admins and editors, and audited.
  { method: 'GET', path: '/quizzes', roles: ALL },
  { method: 'GET', path: '/quizzes/:id/results', roles: POSTS_WRITE, when: wantsPersonalData, audit: { action: 'quiz.export', target: (p) => p.id, detail: exportDetail } },
  { method: 'GET', path: '/quizzes/:id/results', roles: ALL },
  { method: 'GET', path: '/quizzes/:id/results.xlsx', roles: POSTS_WRITE, when: wantsPersonalData, audit: { action: 'quiz.export', target: (p) => p.id, detail: exportDetail } },
  { method: 'GET', path: '/quizzes/:id/results.xlsx', roles: ALL, audit: { action: 'quiz.export', target: (p) => p.id, detail: exportDetail } },

  // Content and reports: aggregates only.
  { method: 'GET', path: '/content/unanswered', roles: ALL },
  { method: 'GET', path: '/content/procedures', roles: ALL },
  { method: 'GET', path: '/reports/summary', roles: ALL },
  { method: 'GET', path: '/reports/summary.xlsx', roles: ALL, audit: { action: 'report.export', detail: (_p, req) => ({ period: str(req.query.period) }) } },
  { method: 'GET', path: '/reports/broadcasts', roles: ALL },
  { method: 'GET', path: '/reports/satisfaction', roles: ALL },

  // Commune police units: anyone reads; admins and editors fill a unit's address, phone, hours and map link.
  { method: 'GET', path: '/units', roles: ALL },
  {
    method: 'PATCH',
    path: '/units/:id',
    roles: POSTS_WRITE,
    audit: {
      action: 'unit.update',
      target: (p) => p.id,
      // A police station's address and phone are public facts, not a citizen's data: the values are kept.
      detail: (_p, req) => Object.fromEntries(['address', 'phone', 'hours', 'map_url'].flatMap((k) => (field(req.body, k) === undefined ? [] : [[k, field(req.body, k)]]))),
    },
  },

  // Administration. Account changes are audited by the staff service itself (the CLIs make them too).
  { method: 'GET', path: '/audit', roles: ADMIN },
  { method: 'GET', path: '/staff', roles: ADMIN },
  { method: 'POST', path: '/staff', roles: ADMIN },
  { method: 'PATCH', path: '/staff/:id', roles: ADMIN },
  { method: 'POST', path: '/staff/:id/password', roles: ADMIN },
  { method: 'POST', path: '/staff/:id/unlock', roles: ADMIN },
];

/** A rule compiled to a regular expression over the path, with the names of its parameters. */
export interface CompiledRule extends AccessRule {
  regex: RegExp;
  params: string[];
}

/**
 * Compiles `/posts/:id/cancel`-style paths once, matching as express 5's router does (checked in
 * test/admin/access-paths.test.ts): case-insensitive, one optional trailing slash, the raw path (an encoded letter
 * such as %45 does not match a literal segment, in express either: `/petitions/%45XPORT` is `/petitions/:code`),
 * parameters `[^/]+` decoded. Matching case-sensitively let `/petitions/EXPORT` reach the export past its rule.
 */
export function compileRules(rules: readonly AccessRule[]): CompiledRule[] {
  return rules.map((r) => {
    const params: string[] = [];
    const source = r.path
      .split('/')
      .map((part) => {
        if (part.startsWith(':')) {
          params.push(part.slice(1));
          return '([^/]+)';
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    return { ...r, regex: new RegExp(`^${source}/?$`, 'i'), params };
  });
}

/** The first rule for this method and path whose condition holds, with the path's parameters. */
export function matchRule(rules: readonly CompiledRule[], req: Request): { rule: CompiledRule; params: Record<string, string> } | undefined {
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  for (const rule of rules) {
    if (rule.method !== method) continue;
    const m = rule.regex.exec(req.path);
    if (!m) continue;
    if (rule.when && !rule.when(req)) continue;
    const params: Record<string, string> = {};
    rule.params.forEach((name, i) => {
      const raw = m[i + 1]!;
      try {
        params[name] = decodeURIComponent(raw);
      } catch {
        params[name] = raw;
      }
    });
    return { rule, params };
  }
  return undefined;
}
