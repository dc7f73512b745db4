import { createHash, timingSafeEqual } from 'node:crypto';

/** Zalo's webhook MAC: hex sha256(appId + rawBody + timestamp + oaSecretKey). */
export function computeSignature(rawBody: Buffer | string, appId: string, timestamp: string, oaSecretKey: string): string {
  return createHash('sha256')
    .update(appId, 'utf8')
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .update(timestamp, 'utf8')
    .update(oaSecretKey, 'utf8')
    .digest('hex');
}

/** Checks an `X-ZEvent-Signature: mac=<hex>` header in constant time. */
export function verifySignature(
  rawBody: Buffer,
  header: string | undefined,
  appId: string,
  timestamp: string,
  oaSecretKey: string,
): boolean {
  if (!header) return false;
  const match = /^mac=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) return false;
  const expected = Buffer.from(computeSignature(rawBody, appId, timestamp, oaSecretKey), 'hex');
  const given = Buffer.from(match[1]!.toLowerCase(), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
