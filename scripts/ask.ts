// npm run ask -- [--json] [--session] [question …]: the bot's answer to each question (args, or one per line on stdin).
import { createInterface } from 'node:readline';
import { loadConfig, loadDotEnv, offlineEnv } from '../src/config.ts';
import { createAskRunner } from './lib/ask-runner.ts';

loadDotEnv();
const args = process.argv.slice(2);
const json = args.includes('--json');
const session = args.includes('--session');
const questions = args.filter((a) => a !== '--json' && a !== '--session');
const config = loadConfig({ ...offlineEnv(process.env), LOG_LEVEL: 'silent' });
const runner = createAskRunner(config);
let n = 0;

async function answer(question: string): Promise<void> {
  if (question.trim().length === 0) return;
  n++;
  // Each question is its own conversation unless --session keeps one (to try follow-ups).
  const result = await runner.ask(question, session ? 'ask-session' : `ask-${n}`);
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    const procs = result.procedures.map((p) => `${p.title} [${p.code ?? '-'}] ${p.score}`).join(' | ');
    process.stdout.write(`? ${question}\n[${result.intent}]${procs ? ` ${procs}` : ''}\n${result.reply}\n\n`);
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
