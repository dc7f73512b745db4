import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnderstander } from '../../src/bot/understand.ts';
import { loadProcedureFiles } from '../../src/procedures/content-loader.ts';
import { createProcedureIndex } from '../../src/procedures/search.ts';
import { prepareQuery } from '../../src/text/expand.ts';
import { loadLexicon } from '../../src/text/lexicon.ts';
import { normalizeText } from '../../src/text/normalize.ts';
import { CREDS, startTestBot, type TestBot } from '../helpers/bot.ts';
import { signatureHeader } from '../helpers/sign.ts';
import { loadIntentModel } from '../../src/classifier/intent-model.ts';

const intentModel = await loadIntentModel('content');

const lexicon = loadLexicon('content');
const understander = createUnderstander(lexicon, createProcedureIndex(loadProcedureFiles('content/procedures').procedures, lexicon), intentModel);

// Strings a citizen (or an attacker) might send: any Unicode, Vietnamese and Khmer runs, huge ones, markup.
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.stringMatching(/^[a-zàáạảãâầấậẩẫăằắặẳẵđèéẹêềếệìíịòóọôồốộơờớợùúụưừứựỳýỵ0-9 .,?!-]{0,200}$/),
  fc.stringMatching(/^[\u1780-\u17ff\u200b ]{0,200}$/),
  fc.constantFrom("' OR 1=1 --", '<script>alert(1)</script>', '"; DROP TABLE petitions; --', '#cmd:proc:../../etc/passwd', '#pa:kind:', '#rate:::', '#quiz:x:9999:1', '\u0000', 'a'.repeat(20_000), '🚨'.repeat(500)),
);

/** The faster of two runs: a garbage-collection pause or another process is not the code's cost. */
function bestOfTwo(f: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 2; i++) {
    const started = performance.now();
    f();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe('normaliser and search never throw, and stay fast', () => {
  // Timing is checked on a warm process, as the bot runs: the first call pays for compiling the regexes.
  beforeAll(() => {
    for (const q of ['lam cccd can j', 'How do I apply for a passport?', 'ខ្ញុំបាត់អត្តសញ្ញាណប័ណ្ណ', '񔤤𥎝򊴟']) understander.understand(q);
  });

  it('normalizeText and prepareQuery', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(bestOfTwo(() => prepareQuery(normalizeText(s), lexicon))).toBeLessThan(50);
      }),
      { numRuns: 500 },
    );
  });

  it('the intent layer and search', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(understander.understand(s).intent).toBeTypeOf('string');
        expect(bestOfTwo(() => understander.understand(s))).toBeLessThan(50);
      }),
      { numRuns: 300 },
    );
  });
});

describe('webhook fuzzing: never a 5xx, never a crash', () => {
  let tb: TestBot;
  beforeAll(async () => {
    tb = await startTestBot({ outboxPollMs: 20 });
  });
  afterAll(async () => {
    await tb.stop();
  });

  const post = async (raw: string, signed: boolean) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (signed) {
      try {
        headers['x-zevent-signature'] = signatureHeader(raw, CREDS.appId, CREDS.oaSecretKey);
      } catch {
        headers['x-zevent-signature'] = 'mac=00';
      }
    }
    return (await fetch(`${tb.bot.url}/webhooks/zalo`, { method: 'POST', headers, body: raw })).status;
  };

  const deep = (n: number): unknown => (n === 0 ? 'x' : { a: deep(n - 1) });
  const event = fc.record({
    app_id: fc.oneof(fc.constant(CREDS.appId), fc.string(), fc.integer()),
    event_name: fc.oneof(fc.constantFrom('user_send_text', 'user_send_image', 'follow', 'unfollow', 'user_submit_info', 'user_send_location', 'oa_send_text', 'user_withdraw'), fc.string()),
    timestamp: fc.oneof(fc.integer({ min: 0, max: 2_000_000_000_000 }).map(String), fc.string(), fc.integer(), fc.constant(null)),
    sender: fc.oneof(fc.record({ id: fc.oneof(fc.string(), fc.bigInt().map(String), fc.integer()) }), fc.string(), fc.constant(null)),
    message: fc.oneof(
      fc.record({ msg_id: fc.oneof(fc.string({ minLength: 1 }), fc.integer()), text: fc.oneof(text, fc.integer(), fc.constant(null)), attachments: fc.oneof(fc.array(fc.anything(), { maxLength: 3 }), fc.string()) }, { requiredKeys: [] }),
      fc.anything(),
    ),
    info: fc.anything(),
    extra: fc.oneof(fc.constant(undefined), fc.constant(deep(60))),
  }, { requiredKeys: ['event_name', 'timestamp'] });

  it('signed random events get 200 or 400, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(event, async (e) => {
        const status = await post(JSON.stringify(e), true);
        expect([200, 400, 401]).toContain(status);
      }),
      { numRuns: 150 },
    );
    await tb.bot.drainInbox();
    expect((await fetch(`${tb.bot.url}/healthz`)).status).toBe(200);
  });

  it('random bytes, wrong types and huge bodies get 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v))), fc.boolean(), async (raw, signed) => {
        const status = await post(raw, signed);
        expect(status).toBeGreaterThanOrEqual(200);
        expect(status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    expect(await post(JSON.stringify({ event_name: 'user_send_text', timestamp: '1', pad: 'x'.repeat(1_100_000) }), true)).toBe(413);
    expect(await post(`{"event_name":"user_send_text","timestamp":"1","a":${'['.repeat(5000)}${']'.repeat(5000)}}`, true)).toBeLessThan(500);
  });
});
