import type { StaffRole } from '../../src/admin/staff-repository.ts';
import type { NewPetition } from '../../src/petitions/petition-repository.ts';
import { startTestBot, type TestBot, type TestBotOptions } from '../helpers/bot.ts';
import { allAuditRows } from '../helpers/repos.ts';

// Shared by the staff console's API and browser tests: a bot with accounts, logins as a browser would do them.

export const ADMIN_TOKEN = 'console-admin-token-0123456789abcdef';
export const PASSWORD = 'mat-khau-thu-nghiem-01';
/** A low scrypt cost for tests (production's is 2^15): hashing is what made the auth tests slow. */
export const TEST_PASSWORD_COST = { N: 2 ** 10, r: 8, p: 1 } as const;

/** The real server (live mode, fake Zalo), with broadcasts that never tick by themselves and no quiet hours. */
export function startConsoleBot(options: TestBotOptions = {}): Promise<TestBot> {
  return startTestBot({
    outboxPollMs: 10,
    passwordCost: TEST_PASSWORD_COST,
    ...options,
    env: { ADMIN_TOKEN, BROADCAST_TICK: '0 0 1 1 *', BROADCAST_QUIET_HOURS: 'off', ...options.env },
  });
}

/** Creates an account straight through the staff service (as `npm run staff:add` does). */
export async function addAccount(tb: TestBot, username: string, role: StaffRole, extra: { zaloUserId?: string; displayName?: string } = {}) {
  return tb.bot.staffConsole.staff.create({ username, role, password: PASSWORD, ...extra }, { name: 'test-setup', kind: 'cli' });
}

/** A logged-in client: the session cookie and the CSRF token the console would hold. */
export interface StaffClient {
  cookie: string;
  csrf: string;
}

export interface LoginAnswer {
  status: number;
  json: Record<string, unknown>;
  setCookie: string | null;
  client: StaffClient | undefined;
}

/**
 * POST /admin/api/session as the login page does; `from` is the client address as nginx would pass it
 * (X-Forwarded-For, trusted from loopback), so tests can log in "from" several places.
 */
export async function login(tb: TestBot, username: string, password = PASSWORD, from?: string): Promise<LoginAnswer> {
  const res = await fetch(`${tb.bot.url}/admin/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(from ? { 'x-forwarded-for': from } : {}) },
    body: JSON.stringify({ username, password }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  const setCookie = res.headers.get('set-cookie');
  const cookie = setCookie?.split(';')[0];
  return { status: res.status, json, setCookie, client: res.ok && cookie ? { cookie, csrf: String(json.csrfToken) } : undefined };
}

/** Logs in and fails the test when that does not work. */
export async function loginAs(tb: TestBot, username: string, password = PASSWORD): Promise<StaffClient> {
  const answer = await login(tb, username, password);
  if (!answer.client) throw new Error(`login of ${username} failed: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.client;
}

export interface CallOptions {
  as?: StaffClient;
  bearer?: string;
  body?: unknown;
  /** Send the session's CSRF token (default: yes for a session); a string sends that value instead. */
  csrf?: boolean | string;
}

/** One /admin/api call; JSON bodies are parsed, anything else is returned as text. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read nested answer fields directly
export async function call(tb: TestBot, method: string, path: string, o: CallOptions = {}): Promise<{ status: number; json: any; text: string; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (o.as) headers.cookie = o.as.cookie;
  if (o.as && o.csrf !== false) headers['x-csrf-token'] = typeof o.csrf === 'string' ? o.csrf : o.as.csrf;
  if (o.bearer) headers.authorization = `Bearer ${o.bearer}`;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${tb.bot.url}/admin/api${path}`, { method, headers, ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** Stores a petition as the chat intake would (name, phone and address included). */
export function seedPetition(tb: TestBot, userId: string, overrides: Partial<NewPetition> = {}) {
  const result = tb.bot.petitions.submit({
    userId,
    kind: 'phan_anh',
    topic: 'other',
    procedureId: undefined,
    content: 'Đường vào bộ phận một cửa bị ngập, người dân khó đi lại khi làm thủ tục.',
    language: 'vi',
    needsTranslation: false,
    name: 'Trần Thị Bình',
    phone: '+84912345678',
    address: 'Ấp 3, xã Mỹ Xuyên',
    consentAt: Date.now(),
    attachments: [],
    ...overrides,
  });
  if (!result.ok) throw new Error('petition refused');
  return result.petition;
}

/** Audit lines of an action, oldest first. */
export function auditRows(tb: TestBot, action?: string): { actor: string; actor_kind: string; role: string | null; action: string; target: string | null; detail: string | null }[] {
  return allAuditRows(tb.bot)
    .filter((r) => action === undefined || r.action === action) // the log's own filter takes "post" for post.* too
    .map(({ actor, actor_kind, role, action, target, detail }) => ({ actor, actor_kind, role, action, target, detail }));
}
