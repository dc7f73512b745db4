import type { CookieOptions, Request } from 'express';

/** The console's session cookie (sent only to /admin paths). */
export const SESSION_COOKIE = 'staff_session';
export const COOKIE_PATH = '/admin';

/** The value of one cookie from the Cookie header (no parser dependency for a single name). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return value.length > 0 && value.length <= 200 ? value : undefined;
  }
  return undefined;
}

/** httpOnly (scripts cannot read it), SameSite=Strict (no cross-site sends), Secure behind HTTPS. */
export function sessionCookieOptions(secure: boolean, maxAgeMs?: number): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure, path: COOKIE_PATH, ...(maxAgeMs !== undefined ? { maxAge: maxAgeMs } : {}) };
}
