import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { procedureSchema, type Procedure } from './schema.ts';

/** A problem found in a content file: errors stop the bot from loading, warnings are reported. */
export interface ContentIssue {
  file: string;
  severity: 'error' | 'warning';
  message: string;
}

export interface LoadedProcedures {
  procedures: Procedure[];
  issues: ContentIssue[];
}

/** Reads and validates every content/procedures/*.yaml file; invalid files are reported, not thrown. */
export function loadProcedureFiles(dir: string): LoadedProcedures {
  const procedures: Procedure[] = [];
  const issues: ContentIssue[] = [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  for (const file of files) {
    const path = join(dir, file);
    let raw: unknown;
    try {
      raw = parseYaml(readFileSync(path, 'utf8'));
    } catch (err) {
      issues.push({ file: path, severity: 'error', message: `YAML syntax: ${(err as Error).message}` });
      continue;
    }
    const parsed = procedureSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({ file: path, severity: 'error', message: `${issue.path.join('.') || '(root)'}: ${issue.message}` });
      }
      continue;
    }
    const expectedId = file.replace(/\.ya?ml$/, '');
    if (parsed.data.id !== expectedId) {
      issues.push({ file: path, severity: 'error', message: `id "${parsed.data.id}" must match the file name "${expectedId}"` });
    }
    procedures.push(parsed.data);
  }
  return { procedures, issues };
}

/** Parses one YAML file with a zod schema, naming the file in the error. */
export function readYamlFile<T>(path: string, schema: z.ZodType<T>): T {
  const raw: unknown = parseYaml(readFileSync(path, 'utf8'));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${path}: ${detail}`);
  }
  return parsed.data;
}
