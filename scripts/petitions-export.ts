// npm run petitions:export -- --from YYYY-MM-DD --to YYYY-MM-DD --format csv|xlsx --out FILE [--include-pii] [--status S]
import { createWriteStream } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { systemClock } from '../src/clock.ts';
import { loadConfig, loadDotEnv } from '../src/config.ts';
import { openDatabase } from '../src/db/open.ts';
import { createI18n } from '../src/i18n/index.ts';
import { dayRange } from '../src/time.ts';
import { writeExport } from '../src/petitions/petition-export.ts';
import { createPetitionRepository, PETITION_STATUSES } from '../src/petitions/petition-repository.ts';
import { loadProcedureFiles } from '../src/procedures/content-loader.ts';

loadDotEnv();
const usage = 'usage: npm run petitions:export -- --from YYYY-MM-DD --to YYYY-MM-DD --format csv|xlsx --out FILE [--include-pii] [--status received|processing|answered|forwarded|rejected]';
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const argsSchema = z.object({
  from: day,
  to: day,
  format: z.enum(['csv', 'xlsx']),
  out: z.string().min(1),
  'include-pii': z.boolean().default(false),
  status: z.enum(PETITION_STATUSES).optional(),
});

let parsed;
try {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      'include-pii': { type: 'boolean' },
      status: { type: 'string' },
    },
  });
  parsed = argsSchema.safeParse(values);
} catch (err) {
  console.error(`${(err as Error).message}\n${usage}`);
  process.exit(2);
}
if (!parsed.success) {
  console.error(`${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\n${usage}`);
  process.exit(2);
}
const a = parsed.data;
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' }, { hasStoredTokens: true });
const db = openDatabase(config.databasePath);
const repo = createPetitionRepository(db);
const titles = new Map(loadProcedureFiles(`${config.contentDir}/procedures`).procedures.map((p) => [p.id, p.title]));
const out = createWriteStream(a.out);
const rows = await writeExport(repo.iterate({ ...(a.status ? { status: a.status } : {}), ...dayRange(a.from, a.to, config.timeZone) }), out, {
  format: a.format,
  includePii: a['include-pii'],
  timeZone: config.timeZone,
  t: createI18n({ unitName: config.unit.name }).forLanguage('vi'),
  procedureTitle: (id) => (id ? (titles.get(id) ?? id) : ''),
});
if (a['include-pii']) {
  repo.recordPiiExport({ actor: `cli:${userInfo().username}`, from: a.from, to: a.to, ...(a.status ? { status: a.status } : {}), format: a.format, rows }, systemClock.now().getTime());
}
db.close();
console.log(`${rows} petitions written to ${a.out}${a['include-pii'] ? ' (with personal data; this export is recorded)' : ' (names and phones masked)'}`);
