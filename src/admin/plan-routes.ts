import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type Router } from 'express';
import { z } from 'zod';
import { formatLocalShort } from '../time.ts';
import { importPlan, loadPlan, PlanError, type Plan } from '../broadcasts/plan-import.ts';
import type { PostRepository } from '../broadcasts/post-repository.ts';
import type { Clock } from '../clock.ts';

// The console's side of `npm run plan:import`: import a plan from content/plans/, or one uploaded as YAML.
// Parsing and the drafts themselves stay in broadcasts/plan-import.ts; this only finds the file.

const importBody = z.union([
  z.strictObject({ file: z.string().regex(/^[\w.-]+\.ya?ml$/, 'a file name in content/plans, e.g. 2025.yaml') }),
  z.strictObject({ yaml: z.string().min(1).max(500_000) }),
]);

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
        return { file, id: null, title: null, reference: null, items: 0, imported: 0, error: (err as Error).message };
      }
    });
    res.json({ items });
  });

  router.post('/plans/import', (req, res) => {
    const body = importBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json({ error: 'send {"file": "2025.yaml"} or {"yaml": "<plan file text>"}' });
    let plan: Plan;
    try {
      if ('file' in body.data) {
        plan = loadPlan(join(deps.plansDir, body.data.file));
      } else {
        // loadPlan reads a path: an uploaded plan goes through a private temporary file, removed at once.
        const dir = mkdtempSync(join(tmpdir(), 'plan-upload-'));
        try {
          const path = join(dir, 'upload.yaml');
          writeFileSync(path, body.data.yaml, { mode: 0o600 });
          plan = loadPlan(path);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    } catch (err) {
      if (err instanceof PlanError) return void res.status(400).json({ error: err.message.replace(/^[^:]*upload\.yaml:\s*/, '') });
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
