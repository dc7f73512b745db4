import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type Router } from 'express';
import { z } from 'zod';
import { formatLocalShort } from '../time.ts';
import { importPlan, loadPlan, PlanError, type Plan } from '../broadcasts/plan-import.ts';
import type { PostRepository } from '../broadcasts/post-repository.ts';
import type { Clock } from '../clock.ts';
import { AppError } from './app-error.ts';
import { validate } from './request-schemas.ts';
import { staffMessage } from './staff-messages.ts';

// The console's side of `npm run plan:import`: import a plan from content/plans/, or one uploaded as YAML.
// Parsing and the drafts themselves stay in broadcasts/plan-import.ts; this only finds the file.

const importBody = z.union(
  [z.strictObject({ file: z.string().regex(/^[\w.-]+\.ya?ml$/, staffMessage('zod.planFile')) }), z.strictObject({ yaml: z.string().min(1).max(500_000) })],
  { error: staffMessage('planImportBody') },
);

/** A refused plan file as the console shows it: one message, and each wrong item and field in `fields`. */
export function planRefusal(err: PlanError, file: string): AppError {
  const p = err.problem;
  if (p.reason === 'unreadable') return new AppError(400, 'plan_unreadable', staffMessage('planUnreadable', { file }), { cause: err });
  if (p.reason === 'syntax') return new AppError(400, 'plan_syntax', staffMessage('planYamlSyntax', { line: p.line, column: p.column }), { cause: err });
  const count = Object.keys(p.fields).length;
  const message = count > 0 ? staffMessage('planInvalid', { count }) : staffMessage('planInvalidWhole', { details: p.sentences.join(' ') });
  return new AppError(400, 'invalid_plan', message, { fields: p.fields, cause: err });
}

export interface PlanRoutesDeps {
  posts: PostRepository;
  plansDir: string;
  clock: Clock;
  timeZone: string;
}

/** GET /plans (files and how many items are already drafts), POST /plans/import. */
export function createPlanRouter(deps: PlanRoutesDeps): Router {
  const router = express.Router();
  const importedOf = (plan: Plan) => deps.posts.list().filter((p) => p.plan_key?.startsWith(`${plan.plan.id}#`)).length;

  router.get('/plans', (_req, res) => {
    let files: string[];
    try {
      files = readdirSync(deps.plansDir).filter((f) => /\.ya?ml$/.test(f)).sort();
    } catch {
      files = []; // no plans folder: nothing to import
    }
    const items = files.map((file) => {
      try {
        const plan = loadPlan(join(deps.plansDir, file));
        return { file, id: plan.plan.id, title: plan.plan.title, reference: plan.plan.reference ?? null, items: plan.items.length, imported: importedOf(plan), error: null };
      } catch (err) {
        const error = err instanceof PlanError ? planRefusal(err, file).message : staffMessage('planUnreadable', { file });
        return { file, id: null, title: null, reference: null, items: 0, imported: 0, error };
      }
    });
    res.json({ items });
  });

  router.post('/plans/import', (req, res) => {
    const body = validate(importBody, req.body ?? {});
    let plan: Plan;
    try {
      if ('file' in body) {
        plan = loadPlan(join(deps.plansDir, body.file));
      } else {
        // loadPlan reads a path: an uploaded plan goes through a private temporary file, removed at once.
        const dir = mkdtempSync(join(tmpdir(), 'plan-upload-'));
        try {
          const path = join(dir, 'upload.yaml');
          writeFileSync(path, body.yaml, { mode: 0o600 });
          plan = loadPlan(path);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    } catch (err) {
      // The message names the file's path (a temporary one for an upload): the console gets the problem only.
      if (err instanceof PlanError) throw planRefusal(err, 'file' in body ? body.file : staffMessage('field.yaml'));
      throw err;
    }
    const items = importPlan(plan, { posts: deps.posts, timeZone: deps.timeZone, now: deps.clock.now().getTime() });
    const created = items.filter((i) => i.created).length;
    res.json({
      plan: { id: plan.plan.id, title: plan.plan.title },
      created,
      existing: items.length - created,
      items: items.map((i) => ({ no: i.no, postId: i.postId ?? null, created: i.created, sendAtLocal: formatLocalShort(i.sendAt, deps.timeZone) })),
    });
  });

  return router;
}
