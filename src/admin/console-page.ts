import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';

/** The console's static files: plain HTML, CSS and JS modules, no build step. */
export const CONSOLE_PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

// Only our own files: no inline script, no CDN, nothing fetched from elsewhere. Citizens' text is put in with
// textContent, and this policy is the second line should a mistake ever put it in as HTML.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** GET /admin (the login page and the console), and its files under /admin/. */
export function createConsolePageRouter(publicDir = CONSOLE_PUBLIC_DIR): Router {
  const router = express.Router();
  router.use('/admin', (req, res, next) => {
    if (req.path.startsWith('/api/') || req.path === '/api') return next();
    res.setHeader('content-security-policy', CSP);
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'same-origin');
    next();
  });
  const sendIndex: express.RequestHandler = (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    res.sendFile('index.html', { root: publicDir });
  };
  router.get(['/admin', '/admin/'], sendIndex);
  // no-cache: after an update, the browser checks (ETag) instead of running yesterday's modules with today's API.
  router.use('/admin', express.static(publicDir, { index: false, cacheControl: true, maxAge: 0, setHeaders: (res) => res.setHeader('cache-control', 'no-cache') }));
  return router;
}
