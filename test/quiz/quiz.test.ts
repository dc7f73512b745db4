import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/clock.ts';
import { loadQuizzes, openQuiz } from '../../src/quiz/quiz-schema.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { citizen, last } from '../petitions/chat.ts';
import { piiExports } from '../helpers/db-reads.ts';

const ADMIN_TOKEN = 'test-admin-token-0123456789abcdefgh';
let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

describe('quiz content', () => {
  it('loads the shipped quizzes and finds the open one by date', () => {
    const { quizzes, issues } = loadQuizzes('content');
    expect(issues).toEqual([]);
    expect(openQuiz(quizzes, '2026-11-29')?.id).toBe('cchc-2026');
    expect(openQuiz(quizzes, '2025-07-01')?.id).toBe('cchc-2025');
    expect(openQuiz(quizzes, '2027-02-01')).toBeUndefined();
  });

  it('reports invalid quizzes with the file and the field', () => {
    const root = mkdtempSync(join(tmpdir(), 'quiz-'));
    mkdirSync(join(root, 'quizzes'));
    writeFileSync(join(root, 'quizzes', 'bad.yaml'), 'id: bad\ntitle: Thi thử sai\nopens: "2026-12-01"\ncloses: "2026-01-01"\nquestions:\n  - question: Câu hỏi thử?\n    options: [A]\n    answer: 3\n    explanation: Giải thích thử.\n');
    const { issues } = loadQuizzes(root);
    expect(issues.map((i) => i.message).join(' ')).toMatch(/options|answer|closes/);
  });
});

describe('quiz in chat', () => {
  it('asks one question at a time, explains, scores, and allows one attempt', async () => {
    tb = await startTestBot({ clock: createFakeClock('2026-11-29T03:00:00Z'), outboxPollMs: 10, env: { ADMIN_TOKEN } });
    const c = citizen(tb, '8001234567');
    const start = await c.say('thi tìm hiểu CCHC');
    expect(start[0]!.text).toMatch(/^Thi tìm hiểu cải cách hành chính/);
    let q = last(start);
    expect(q.text).toMatch(/^Câu 1\/10:/);
    expect(q.buttons.length).toBeGreaterThanOrEqual(2);
    const first = q;
    const afterFirst = await c.tap(q, q.buttons[0]!.title); // A: right for question 1
    expect(afterFirst[0]!.text).toMatch(/^✅ Đúng!/);
    // A late tap on question 1 changes nothing and gets no reply.
    expect(await c.tap(first, first.buttons[1]!.title)).toEqual([]);
    q = last(afterFirst);
    for (let i = 2; i <= 10; i++) {
      expect(q.text).toMatch(new RegExp(`^Câu ${i}/10:`));
      const r = await c.tap(q, q.buttons[0]!.title);
      q = last(r);
    }
    expect(q.text).toMatch(/hoàn thành cuộc thi: đúng \d+\/10 câu/);
    const again = last(await c.say('thi tìm hiểu CCHC'));
    expect(again.text).toMatch(/đã tham gia cuộc thi này/);

    const res = await fetch(`${tb.bot.url}/admin/api/quizzes/cchc-2026/results`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const body = await res.json();
    expect(body).toMatchObject({ participants: 1, finished: 1 });
    expect(body.results[0].participant).toBe('80***67');
    expect(body.results[0].score).toBe(Number(q.text.match(/đúng (\d+)\/10/)![1]));

    const xlsx = await fetch(`${tb.bot.url}/admin/api/quizzes/cchc-2026/results.xlsx?include_pii=true`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    expect(wb.worksheets[0]!.getRow(2).getCell(2).value).toBe('8001234567');
    expect(piiExports(tb.bot).map((e) => e.format)).toEqual(['xlsx']);
  });

  it('says so when no quiz is open', async () => {
    tb = await startTestBot({ clock: createFakeClock('2027-03-01T03:00:00Z'), outboxPollMs: 10 });
    expect(last(await citizen(tb, '8002').say('thi tìm hiểu CCHC')).text).toMatch(/chưa có cuộc thi/);
  });
});
