// npm run plan:import -- content/plans/2025.yaml: one draft post per plan item (09:00 local on a working day of its
// period). Importing the same plan again creates nothing: items already imported are listed as "exists".
import { createPostRepository } from '../src/broadcasts/post-repository.ts';
import { formatLocalShort } from '../src/time.ts';
import { importPlan, loadPlan, PlanError } from '../src/broadcasts/plan-import.ts';
import { ConfigError, loadConfig, loadDotEnv } from '../src/config.ts';
import { openDatabase } from '../src/db/open.ts';

loadDotEnv();
const file = process.argv[2];
if (!file) {
  console.error('Usage: npm run plan:import -- <plan.yaml>   (e.g. content/plans/2025.yaml)');
  process.exit(2);
}
try {
  const config = loadConfig(process.env, { hasStoredTokens: true });
  const plan = loadPlan(file);
  const db = openDatabase(config.databasePath);
  try {
    const posts = createPostRepository(db);
    const items = importPlan(plan, { posts, timeZone: config.timeZone, now: Date.now() });
    const existing = new Map(posts.list().filter((p) => p.plan_key?.startsWith(`${plan.plan.id}#`)).map((p) => [p.plan_key, p]));
    for (const item of items) {
      const post = existing.get(`${plan.plan.id}#${item.no}`);
      const when = formatLocalShort(post?.send_at ?? item.sendAt, config.timeZone);
      console.log(`${item.created ? 'created' : 'exists '}  #${String(item.no).padEnd(2)}  post ${String(post?.id ?? '?').padEnd(4)} ${when}  ${post?.status ?? ''}  ${post?.title ?? ''}`);
    }
    const created = items.filter((i) => i.created).length;
    console.log(`\n${plan.plan.title}: ${created} draft(s) created, ${items.length - created} already imported (database ${config.databasePath}).`);
  } finally {
    db.close();
  }
} catch (err) {
  if (err instanceof PlanError || err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}
