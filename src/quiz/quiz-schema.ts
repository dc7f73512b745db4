import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readYamlFile } from '../procedures/content-loader.ts';
import type { ContentIssue } from '../procedures/content-loader.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD');

/** One multiple-choice question: 2–4 options, `answer` is the 1-based number of the right one. */
export const quizQuestionSchema = z
  .strictObject({
    question: z.string().min(5).max(600),
    options: z.array(z.string().min(1).max(200)).min(2).max(4),
    answer: z.number().int().min(1),
    explanation: z.string().min(5).max(800),
  })
  .refine((q) => q.answer <= q.options.length, { message: 'answer must be the number of one of the options', path: ['answer'] });

/** A CCHC quiz as stored in content/quizzes/<id>.yaml. */
export const quizSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    title: z.string().min(5),
    intro: z.string().optional(),
    opens: isoDate,
    closes: isoDate,
    questions: z.array(quizQuestionSchema).min(1).max(50),
  })
  .refine((q) => q.opens <= q.closes, { message: 'opens must not be after closes', path: ['closes'] });
export type Quiz = z.infer<typeof quizSchema>;

/** Loads every quiz; invalid files are reported, not thrown. */
export function loadQuizzes(contentDir: string): { quizzes: Quiz[]; issues: ContentIssue[] } {
  const dir = join(contentDir, 'quizzes');
  const quizzes: Quiz[] = [];
  const issues: ContentIssue[] = [];
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    return { quizzes, issues };
  }
  const ids = new Set<string>();
  for (const f of files) {
    const file = join(dir, f);
    try {
      const quiz = readYamlFile(file, quizSchema);
      if (quiz.id !== f.replace(/\.ya?ml$/, '')) issues.push({ file, severity: 'error', message: `id "${quiz.id}" must match the file name` });
      if (ids.has(quiz.id)) issues.push({ file, severity: 'error', message: `duplicate quiz id "${quiz.id}"` });
      ids.add(quiz.id);
      quizzes.push(quiz);
    } catch (err) {
      issues.push({ file, severity: 'error', message: (err as Error).message.replace(`${file}: `, '') });
    }
  }
  return { quizzes, issues };
}

/** The quiz open on a local date (the one closing first when several are). */
export function openQuiz(quizzes: Quiz[], isoDay: string): Quiz | undefined {
  return quizzes.filter((q) => q.opens <= isoDay && isoDay <= q.closes).sort((a, b) => a.closes.localeCompare(b.closes))[0];
}
