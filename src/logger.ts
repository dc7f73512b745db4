import pino, { type Logger } from 'pino';

// Paths whose values never reach the logs.
const REDACT = [
  'access_token',
  'refresh_token',
  '*.access_token',
  '*.refresh_token',
  'secret_key',
  '*.secret_key',
  'token',
  '*.token',
  'password',
  '*.password',
  'phone',
  '*.phone',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-zevent-signature"]',
  'headers.access_token',
  'headers.secret_key',
];

const PHONE = /(?:\+?84|0)(?:[\s.-]?\d){8,10}/g;

/** Masks Vietnamese phone numbers in free text that goes to the logs. */
export function maskPhones(text: string): string {
  return text.replace(PHONE, (m) => `${m.slice(0, 3)}***${m.slice(-2)}`);
}

/** pino JSON logger with secrets, tokens and phone numbers redacted. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      base: { app: 'zalo-oa-bot' },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: {
        logMethod(args, method) {
          // Free-text messages and error strings are scanned for phone numbers too.
          const masked = args.map((a) => (typeof a === 'string' ? maskPhones(a) : a));
          if (masked[0] && typeof masked[0] === 'object') {
            const obj = { ...(masked[0] as Record<string, unknown>) };
            for (const k of ['err', 'error', 'problem', 'reason']) if (typeof obj[k] === 'string') obj[k] = maskPhones(obj[k] as string);
            masked[0] = obj;
          }
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
