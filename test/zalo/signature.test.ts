import { describe, expect, it } from 'vitest';
import { computeSignature, verifySignature } from '../../src/zalo/signature.ts';
import { rawFixture } from '../helpers/fixtures.ts';
import { zaloMac } from '../helpers/sign.ts';

// The expected MACs are computed here with node:crypto, never with the code under test.

const APP_ID = '3608465249409039670';
const KEY = 'oa-secret-key';

describe('verifySignature', () => {
  const raw = Buffer.from(rawFixture('user_send_text_pretty'), 'utf8');
  const ts = '1732845699001';
  const good = `mac=${zaloMac(APP_ID, raw, ts, KEY)}`;

  it('accepts sha256(appId + raw body + timestamp + OA secret key)', () => {
    expect(verifySignature(raw, good, APP_ID, ts, KEY)).toBe(true);
    expect(computeSignature(raw, APP_ID, ts, KEY)).toBe(good.slice(4));
  });

  it('is computed over the bytes, not a re-serialisation', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))), 'utf8');
    expect(verifySignature(reserialised, good, APP_ID, ts, KEY)).toBe(false);
  });

  it('accepts surrounding whitespace and upper-case hex', () => {
    expect(verifySignature(raw, `  mac=${zaloMac(APP_ID, raw, ts, KEY).toUpperCase()} `, APP_ID, ts, KEY)).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['no prefix', good.slice(4)],
    ['HMAC instead of plain sha256', 'mac=' + 'ab'.repeat(32)],
    ['too short', good.slice(0, -2)],
    ['too long', `${good}00`],
    ['not hex', `mac=${'zz'.repeat(32)}`],
  ])('refuses a %s header', (_name, header) => {
    expect(verifySignature(raw, header, APP_ID, ts, KEY)).toBe(false);
  });

  it('refuses another app id, timestamp or key', () => {
    expect(verifySignature(raw, good, '3608465249409039671', ts, KEY)).toBe(false);
    expect(verifySignature(raw, good, APP_ID, '1732845699002', KEY)).toBe(false);
    expect(verifySignature(raw, good, APP_ID, ts, 'other-key')).toBe(false);
  });
});
