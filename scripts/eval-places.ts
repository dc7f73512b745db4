// npm run eval:places [-- --file F] [--verbose]: the place resolver on a labelled set of where-questions
// (test/fixtures/places/w-places.jsonl: written independently of the code). A line expects one unit, a choice
// between candidates (the right ones among the choices), or a district's list.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { loadUnits } from '../src/units/load.ts';
import { createPlaceIndex } from '../src/units/place-index.ts';
import { resolvePlace } from '../src/units/resolve.ts';

const args = process.argv.slice(2);
const file = resolve(args[args.indexOf('--file') + 1] && args.includes('--file') ? args[args.indexOf('--file') + 1]! : 'test/fixtures/places/w-places.jsonl');
const verbose = args.includes('--verbose');
const lineSchema = z.union([
  z.object({ text: z.string(), expect: z.literal('unit'), unit: z.string() }),
  z.object({ text: z.string(), expect: z.literal('ask'), candidates: z.array(z.string()) }),
  z.object({ text: z.string(), expect: z.literal('list'), units: z.array(z.string()) }),
]);
const { units, departments } = loadUnits('content');
const index = createPlaceIndex(units, departments);
const nameOf = new Map(units.map((u) => [u.id, u.name]));
const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => lineSchema.parse(JSON.parse(l)));
const tally: Record<string, [number, number]> = { unit: [0, 0], ask: [0, 0], list: [0, 0] };
for (const l of lines) {
  const a = resolvePlace(index, l.text).answer;
  let ok: boolean;
  let got: string = a.kind;
  if (l.expect === 'unit') {
    if (a.kind === 'unit') got = `unit ${nameOf.get(a.unitId)}`;
    ok = a.kind === 'unit' && nameOf.get(a.unitId) === l.unit;
  } else if (l.expect === 'ask') {
    const offered = a.kind === 'choose' ? a.options.flatMap((o) => (o.kind === 'unit' ? [nameOf.get(o.unitId)] : [])) : [];
    got = `${a.kind} ${offered.join(', ')}`;
    ok = a.kind === 'choose' && l.candidates.every((c) => offered.includes(c));
  } else {
    ok = a.kind === 'district';
  }
  tally[l.expect]![1]++;
  if (ok) tally[l.expect]![0]++;
  if (verbose && !ok) console.log(`MISS expected ${l.expect} ${'unit' in l ? l.unit : ''} got ${got}: ${l.text}`);
}
const right = Object.values(tally).reduce((n, [a]) => n + a, 0);
console.log(`${file}: ${lines.length} questions — right ${((right / lines.length) * 100).toFixed(1)}% (${Object.entries(tally).map(([k, [a, b]]) => `${k} ${a}/${b}`).join(', ')})`);
