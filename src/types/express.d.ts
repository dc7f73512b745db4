import type { Logger } from 'pino';

declare global {
  namespace Express {
    interface Request {
      /** Request id (X-Request-Id or generated), logged with every line of this request. */
      id: string;
      log: Logger;
    }
  }
}

export {};
