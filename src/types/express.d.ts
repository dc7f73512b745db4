import type { Logger } from 'pino';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Request id (X-Request-Id or generated), logged with every line of this request. */
      id: string;
      log: Logger;
    }
  }
}

export {};
