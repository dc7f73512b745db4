import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ContentIssue } from '../procedures/content-loader.ts';
import { departmentsFileSchema, unitSchema, type Department, type Unit } from './schema.ts';

export const DEPARTMENTS_FILE = 'departments.yaml';

export interface LoadedUnits {
  units: Unit[];
  departments: Department[];
  issues: ContentIssue[];
  /** The file each unit was read from (for the checks' messages). */
  fileOf: Map<string, string>;
}

function readYaml(path: string, issues: ContentIssue[]): unknown {
  try {
    return parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    issues.push({ file: path, severity: 'error', message: `YAML syntax: ${(err as Error).message}` });
    return undefined;
  }
}

/** Reads content/units/: every unit file and the departments; invalid files are reported, not thrown. */
export function loadUnitFiles(contentDir: string): LoadedUnits {
  const dir = join(contentDir, 'units');
  const out: LoadedUnits = { units: [], departments: [], issues: [], fileOf: new Map() };
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && f !== DEPARTMENTS_FILE).sort()) {
    const file = join(dir, f);
    const raw = readYaml(file, out.issues);
    if (raw === undefined) continue;
    const parsed = unitSchema.safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues) out.issues.push({ file, severity: 'error', message: `${i.path.join('.') || '(root)'}: ${i.message}` });
      continue;
    }
    if (parsed.data.id !== f.replace(/\.ya?ml$/, '')) out.issues.push({ file, severity: 'error', message: `id "${parsed.data.id}" must match the file name` });
    out.units.push(parsed.data);
    out.fileOf.set(parsed.data.id, file);
  }
  const depFile = join(dir, DEPARTMENTS_FILE);
  if (existsSync(depFile)) {
    const raw = readYaml(depFile, out.issues);
    const parsed = departmentsFileSchema.safeParse(raw);
    if (parsed.success) out.departments = parsed.data.departments;
    else if (raw !== undefined) for (const i of parsed.error.issues) out.issues.push({ file: depFile, severity: 'error', message: `${i.path.join('.') || '(root)'}: ${i.message}` });
  }
  return out;
}

/** The units and departments for the bot: any error stops it (run npm run content:check). */
export function loadUnits(contentDir: string): { units: Unit[]; departments: Department[] } {
  const loaded = loadUnitFiles(contentDir);
  const errors = loaded.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new Error(`Unit content errors (run npm run content:check):\n  ${errors.map((e) => `${e.file}: ${e.message}`).join('\n  ')}`);
  return { units: loaded.units, departments: loaded.departments };
}
