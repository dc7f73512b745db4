import { join } from 'node:path';
import type { ContentIssue } from '../procedures/content-loader.ts';
import { foldName } from './names.ts';
import { DEPARTMENTS_FILE, loadUnitFiles } from './load.ts';

/**
 * content:check's rules for content/units/: the schema, ids unique, every old unit in exactly one new unit (or in
 * several, each time marked split), verified_at not in the future, department ids and phrases unique.
 */
export function checkUnits(root: string, today: Date): ContentIssue[] {
  const { units, departments, issues, fileOf } = loadUnitFiles(root);
  const dir = join(root, 'units');
  const file = (id: string) => fileOf.get(id) ?? join(dir, `${id}.yaml`);
  const ids = new Set<string>();
  const names = new Map<string, string>();
  for (const u of units) {
    if (ids.has(u.id)) issues.push({ file: file(u.id), severity: 'error', message: `duplicate id "${u.id}"` });
    ids.add(u.id);
    const name = foldName(u.name);
    if (names.has(name)) issues.push({ file: file(u.id), severity: 'error', message: `name "${u.name}" is also the name of "${names.get(name)}"` });
    names.set(name, u.id);
  }

  // An old unit is its name in its old district and province.
  const homes = new Map<string, { id: string; split: boolean }[]>();
  for (const u of units) {
    for (const o of u.old_units) {
      const key = [o.name, o.district, o.province].map(foldName).join('|');
      homes.set(key, [...(homes.get(key) ?? []), { id: u.id, split: o.split === true }]);
    }
  }
  for (const [key, list] of homes) {
    const label = key.split('|').join(', ');
    const unitIds = [...new Set(list.map((h) => h.id))];
    if (unitIds.length < list.length) issues.push({ file: file(list[0]!.id), severity: 'error', message: `old unit "${label}" is listed twice in the same unit` });
    if (list.length > 1 && list.some((h) => !h.split)) {
      issues.push({ file: file(list[0]!.id), severity: 'error', message: `old unit "${label}" is in ${unitIds.join(', ')} but not marked split in each` });
    }
    if (list.length === 1 && list[0]!.split) issues.push({ file: file(list[0]!.id), severity: 'error', message: `old unit "${label}" is marked split but no other unit has the rest` });
  }

  const latestDate = new Date(today.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
  for (const u of units) {
    const at = u.police?.verified_at;
    if (at && at > latestDate) issues.push({ file: file(u.id), severity: 'error', message: `police.verified_at ${at} is in the future` });
    if (u.police?.confirmed && !at) issues.push({ file: file(u.id), severity: 'error', message: 'police.confirmed needs police.verified_at (when it was checked)' });
  }

  const depFile = join(dir, DEPARTMENTS_FILE);
  const depIds = new Set<string>();
  const phraseOwner = new Map<string, string>();
  for (const d of departments) {
    if (depIds.has(d.id)) issues.push({ file: depFile, severity: 'error', message: `duplicate department id "${d.id}"` });
    depIds.add(d.id);
    for (const p of [...d.names, ...d.topics].map(foldName)) {
      const owner = phraseOwner.get(p);
      if (owner && owner !== d.id) issues.push({ file: depFile, severity: 'error', message: `phrase "${p}" names both ${owner} and ${d.id}` });
      phraseOwner.set(p, d.id);
    }
  }
  return issues;
}
