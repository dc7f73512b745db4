// npm run ask -- [--json] [--session] [--date YYYY-MM-DD] [question …]: the bot's answer to each question (args, or
// one per line on stdin). --date answers as of that local date (fees and notes valid then), at 09:00 APP_TIMEZONE.
import { createInterface } from 'node:readline';
import type { Clock } from '../src/clock.ts';
import { loadConfig, loadDotEnv, offlineEnv } from '../src/config.ts';
import { localDate, zonedTimeToEpoch } from '../src/time.ts';
import { createAskRunner } from './lib/ask-runner.ts';

loadDotEnv();
const args = process.argv.slice(2);
const json = args.includes('--json');
const session = args.includes('--session');
const dateAt = args.indexOf('--date');
const dateArg = dateAt >= 0 ? args[dateAt + 1] : undefined;
const questions = args.filter((a, i) => a !== '--json' && a !== '--session' && i !== dateAt && !(dateAt >= 0 && i === dateAt + 1));
const config = loadConfig({ ...offlineEnv(process.env), LOG_LEVEL: 'silent' });

/** A clock that keeps running from 09:00 local time on the given date (so a session's follow-ups keep their order). */
function clockOn(date: string): Clock {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const start = m ? zonedTimeToEpoch({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: 9 }, config.timeZone) : NaN;
  if (!m || Number.isNaN(start) || localDate(new Date(start), config.timeZone) !== date) {
    console.error(`--date must be a real date written YYYY-MM-DD (got ${JSON.stringify(date)})`);
    process.exit(2);
  }
  const began = Date.now();
  return { now: () => new Date(start + (Date.now() - began)) };
}

if (dateAt >= 0 && dateArg === undefined) {
  console.error('--date needs a date written YYYY-MM-DD');
  process.exit(2);
}
const clock = dateArg ? clockOn(dateArg) : undefined;
const runner = await createAskRunner(config, clock);
let n = 0;

async function answer(question: string): Promise<void> {
  if (question.trim().length === 0) return;
  n++;
  // Each question is its own conversation unless --session keeps one (to try follow-ups).
  const result = await runner.ask(question, session ? 'ask-session' : `ask-${n}`);
  if (json) {
    const date = localDate(runner.now(), config.timeZone);
    // The contract keys only (question, intent, procedures, reply, date, and unit when the answer names one): the
    // route is for the eval.
    const { route: _route, ...contract } = result;
    process.stdout.write(`${JSON.stringify({ ...contract, date })}\n`);
  } else {
    const procs = result.procedures.map((p) => `${p.title} [${p.code ?? '-'}] ${p.score}`).join(' | ');
    const unit = result.unit ? ` {${result.unit.name}}` : '';
    process.stdout.write(`? ${question}\n[${result.intent}]${procs ? ` ${procs}` : ''}${unit}\n${result.reply}\n\n`);
  }
}

try {
  if (questions.length > 0) {
    for (const q of questions) await answer(q);
  } else {
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) await answer(line);
  }
} finally {
  runner.close();
}
