// npm run units:import -- [--csv <units-2025.csv>] [--md <units-2025.md>] [--out <content/units>]: writes one YAML per
// new unit from the reference conversion table, keeping the `police` block staff wrote in the files already there.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { buildUnits, HEADER, readCentres, readCsv } from './lib/units-build.ts';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] ? resolve(args[at + 1]!) : fallback;
};
const reference = resolve(root, '..', 'shared', 'reference');
const csvPath = arg('--csv', join(reference, 'units-2025.csv'));
const mdPath = arg('--md', join(reference, 'units-2025.md'));
const outDir = arg('--out', join(root, 'content', 'units'));

const existing = new Map<string, Record<string, unknown>>();
if (existsSync(outDir)) {
  for (const f of readdirSync(outDir).filter((f) => f.endsWith('.yaml') && f !== 'departments.yaml')) {
    const doc = parseYaml(readFileSync(join(outDir, f), 'utf8')) as Record<string, unknown> | null;
    if (doc && typeof doc.id === 'string') existing.set(doc.id, doc);
  }
}
const docs = buildUnits(readCsv(readFileSync(csvPath, 'utf8')), readCentres(readFileSync(mdPath, 'utf8')), existing);
mkdirSync(outDir, { recursive: true });
for (const doc of docs) {
  writeFileSync(join(outDir, `${doc.id}.yaml`), `${HEADER}\n${stringify(doc, { lineWidth: 0 })}`);
}
const gone = [...existing.keys()].filter((id) => !docs.some((d) => d.id === id));
console.log(`units:import — ${docs.length} units written to ${outDir}${gone.length > 0 ? `; not in the table any more (left in place): ${gone.join(', ')}` : ''}`);
