import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type Request, type Router } from 'express';
import type { Logger } from 'pino';

export interface AppDeps {
  logger: Logger;
  routers: Router[];
}

/** The express app: request ids, the given routers, JSON 404 and one error handler. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // The per-request child logger is made on first use: most requests (webhooks) never log.
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Request & { logCache?: Logger }) {
      return (this.logCache ??= deps.logger.child({ reqId: this.id }));
    },
  });
  const timeRequests = deps.logger.isLevelEnabled('debug');
  app.use((req, res, next) => {
    const given = req.get('x-request-id');
    req.id = given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', req.id);
    if (timeRequests) {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        req.log.debug({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
      });
    }
    next();
  });
  for (const router of deps.routers) app.use(router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const e = err as { status?: number; statusCode?: number; type?: string; expose?: boolean; message?: string };
    const status = e.status ?? e.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const message = e.type === 'entity.too.large' ? 'body too large' : e.type === 'entity.parse.failed' ? 'malformed JSON' : (e.expose ? e.message : 'bad request');
      res.status(status).json({ error: message });
      return;
    }
    req.log.error({ err: (err as Error).message, stack: (err as Error).stack }, 'Unhandled error');
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  };
  app.use(onError);
  return app;
}
