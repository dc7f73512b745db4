import express, { type Router } from 'express';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { AppError } from '../admin/app-error.ts';
import { includePii, validate } from '../admin/request-schemas.ts';
import { staffMessage } from '../admin/staff-messages.ts';
import type { Clock } from '../clock.ts';
import type { I18n } from '../i18n/index.ts';
import type { PiiExportLog } from '../privacy/pii-export-log.ts';
import { formatLocalDateTime } from '../time.ts';
import type { AttemptRow, QuizRepository } from './quiz-repository.ts';
import type { Quiz } from './quiz-schema.ts';

const query = z.object({ include_pii: includePii });

/** "1234567890123456789" → "12***89": a Zalo id is personal data, masked unless asked for. */
const maskId = (id: string) => (id.length <= 4 ? '***' : `${id.slice(0, 2)}***${id.slice(-2)}`);

export interface QuizAdminDeps {
  quizzes: Quiz[];
  repo: QuizRepository;
  piiLog: PiiExportLog;
  i18n: I18n;
  timeZone: string;
  clock: Clock;
}

/** Staff: GET /quizzes/:id/results (JSON) and /quizzes/:id/results.xlsx (participants, scores, times). */
export function createQuizAdminRouter(deps: QuizAdminDeps): Router {
  const router = express.Router();
  const row = (a: AttemptRow, quiz: Quiz, pii: boolean) => ({
    participant: pii ? a.user_id : maskId(a.user_id),
    score: a.score,
    total: quiz.questions.length,
    startedAt: new Date(a.started_at).toISOString(),
    finishedAt: a.finished_at ? new Date(a.finished_at).toISOString() : null,
    durationSeconds: a.finished_at ? Math.round((a.finished_at - a.started_at) / 1000) : null,
  });

  router.get('/quizzes', (_req, res) => {
    res.json({ items: deps.quizzes.map((q) => ({ id: q.id, title: q.title, opens: q.opens, closes: q.closes, questions: q.questions.length })) });
  });

  /** The quiz of /quizzes/:id (a 404 first), and whether its participants' ids are asked for. */
  const read = (req: express.Request) => {
    const quiz = deps.quizzes.find((q) => q.id === req.params.id);
    if (!quiz) throw new AppError(404, 'quiz_not_found', staffMessage('quizNotFound', { id: String(req.params.id) }));
    return { quiz, pii: validate(query, req.query).include_pii };
  };

  router.get('/quizzes/:id/results', (req, res) => {
    const { quiz, pii } = read(req);
    const attempts = deps.repo.results(quiz.id);
    if (pii) deps.piiLog.recordPiiExport({ actor: req.actor?.name ?? 'unknown', status: `quiz:${quiz.id}`, format: 'json', rows: attempts.length }, deps.clock.now().getTime());
    res.json({
      quiz: { id: quiz.id, title: quiz.title, opens: quiz.opens, closes: quiz.closes, questions: quiz.questions.length },
      participants: attempts.length,
      finished: attempts.filter((a) => a.finished_at).length,
      averageScore: attempts.length ? Math.round((attempts.reduce((s, a) => s + a.score, 0) / attempts.length) * 100) / 100 : null,
      results: attempts.map((a) => row(a, quiz, pii)),
    });
  });

  router.get('/quizzes/:id/results.xlsx', async (req, res) => {
    const { quiz, pii } = read(req);
    const t = deps.i18n.forLanguage('vi');
    const attempts = deps.repo.results(quiz.id);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(t('quiz.export.sheet'), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [
      { header: t('quiz.export.rank'), key: 'rank', width: 8 },
      { header: t('quiz.export.participant'), key: 'participant', width: 24 },
      { header: t('quiz.export.score'), key: 'score', width: 10 },
      { header: t('quiz.export.total'), key: 'total', width: 10 },
      { header: t('quiz.export.startedAt'), key: 'startedAt', width: 18 },
      { header: t('quiz.export.finishedAt'), key: 'finishedAt', width: 18 },
      { header: t('quiz.export.duration'), key: 'duration', width: 14 },
    ];
    ws.getRow(1).font = { bold: true };
    attempts.forEach((a, i) => {
      const r = row(a, quiz, pii);
      ws.addRow({
        rank: i + 1,
        participant: r.participant,
        score: r.score,
        total: r.total,
        startedAt: formatLocalDateTime(new Date(a.started_at), deps.timeZone),
        finishedAt: a.finished_at ? formatLocalDateTime(new Date(a.finished_at), deps.timeZone) : '',
        duration: r.durationSeconds ?? '',
      });
    });
    if (pii) deps.piiLog.recordPiiExport({ actor: req.actor?.name ?? 'unknown', status: `quiz:${quiz.id}`, format: 'xlsx', rows: attempts.length }, deps.clock.now().getTime());
    res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('content-disposition', `attachment; filename="ket-qua-${quiz.id}.xlsx"`);
    await wb.xlsx.write(res);
    res.end();
  });
  return router;
}
