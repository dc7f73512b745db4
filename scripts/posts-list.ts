// npm run posts:list [-- --status scheduled] [--json]: the broadcast schedule, in send order, with delivery counts.
import { parseArgs } from 'node:util';
import { createDeliveryRepository } from '../src/broadcasts/delivery-repository.ts';
import { formatLocalIso, formatLocalShort } from '../src/time.ts';
import { createPostRepository, POST_STATUSES, type PostStatus } from '../src/broadcasts/post-repository.ts';
import { ConfigError, loadConfig, loadDotEnv } from '../src/config.ts';
import { openDatabase } from '../src/db/open.ts';

loadDotEnv();
const { values } = parseArgs({ options: { status: { type: 'string' }, json: { type: 'boolean', default: false } } });
if (values.status && !(POST_STATUSES as readonly string[]).includes(values.status)) {
  console.error(`--status must be one of ${POST_STATUSES.join(', ')}`);
  process.exit(2);
}
let config;
try {
  config = loadConfig(process.env, { hasStoredTokens: true });
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}
const db = openDatabase(config.databasePath);
try {
  const posts = createPostRepository(db);
  const deliveries = createDeliveryRepository(db);
  const rows = posts.list(values.status ? { status: values.status as PostStatus } : {});
  if (values.json) {
    for (const p of rows) {
      const out = { id: p.id, status: p.status, sendAt: formatLocalIso(p.send_at, config.timeZone), mode: p.mode, audience: p.audience_tag ?? 'all', title: p.title, counts: deliveries.counts(p.id) };
      process.stdout.write(`${JSON.stringify(out)}\n`);
    }
  } else if (rows.length === 0) {
    console.log('No posts.');
  } else {
    console.log(`${'id'.padEnd(5)}${'send at'.padEnd(18)}${'status'.padEnd(16)}${'mode'.padEnd(9)}${'audience'.padEnd(12)}${'sent/fail/oow/unk/pend'.padEnd(24)}title`);
    for (const p of rows) {
      const c = deliveries.counts(p.id);
      const counts = `${c.sent}/${c.failed}/${c.out_of_window}/${c.unknown}/${c.pending}`;
      const audience = p.audience_tag ? `#${p.audience_tag}` : 'all';
      console.log(`${String(p.id).padEnd(5)}${formatLocalShort(p.send_at, config.timeZone).padEnd(18)}${p.status.padEnd(16)}${p.mode.padEnd(9)}${audience.padEnd(12)}${counts.padEnd(24)}${p.title}`);
    }
    console.log(`\nTimes in ${config.timeZone}. oow = outside Zalo's 7-day window (not a failure).`);
  }
} finally {
  db.close();
}
