import { createHash } from 'node:crypto';

// Signs webhook bodies the way Zalo does, independently of src/zalo/signature.ts:
// hex sha256(app_id + raw body + timestamp + OA secret key), sent as `X-ZEvent-Signature: mac=<hex>`.

/** The hex MAC of one body. */
export function zaloMac(appId: string, rawBody: string | Buffer, timestamp: string, oaSecretKey: string): string {
  return createHash('sha256')
    .update(Buffer.from(appId, 'utf8'))
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .update(Buffer.from(timestamp, 'utf8'))
    .update(Buffer.from(oaSecretKey, 'utf8'))
    .digest('hex');
}

/** The `X-ZEvent-Signature` header value for a raw JSON body, reading `timestamp` from it. */
export function signatureHeader(rawBody: string, appId: string, oaSecretKey: string): string {
  const { timestamp } = JSON.parse(rawBody) as { timestamp?: unknown };
  if (typeof timestamp !== 'string') throw new Error('test body has no string timestamp');
  return `mac=${zaloMac(appId, rawBody, timestamp, oaSecretKey)}`;
}
