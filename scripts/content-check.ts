// Validates everything under content/: schema, unique ids, alias collisions, date windows, URLs, staleness, and the
// units (every old commune in exactly one new unit unless split).
import { join, resolve } from 'node:path';
import { checkModelFreshness } from '../src/classifier/intent-model.ts';
import { loadProcedureFiles } from '../src/procedures/content-loader.ts';
import { checkContent } from '../src/procedures/content-check.ts';
import { checkTranslations } from '../src/procedures/translation-check.ts';
import { loadQuizzes } from '../src/quiz/quiz-schema.ts';
import { checkUnits } from '../src/units/content-check.ts';

const root = resolve(process.argv[2] ?? 'content');
// Quizzes are content too: their files are checked with the procedures.
const report = checkContent(root, new Date(), [
  (dir) => loadQuizzes(dir).issues,
  (dir) => checkTranslations(dir),
  // The communes and wards, their old units and the departments (content/units/).
  (dir, today) => checkUnits(dir, today),
  (dir) => checkModelFreshness(dir, resolve(dir, '..'), loadProcedureFiles(join(dir, 'procedures')).procedures).map((p) => ({ ...p, severity: 'error' as const })),
]);
for (const issue of report.issues) {
  const tag = issue.severity === 'error' ? 'ERROR' : 'warn ';
  console.log(`${tag} ${issue.file}: ${issue.message}`);
}
const errors = report.issues.filter((i) => i.severity === 'error').length;
const warnings = report.issues.length - errors;
console.log(`content:check — ${report.procedureCount} procedures, ${errors} errors, ${warnings} warnings`);
// exitCode, not exit(): exit() drops what is still queued for a slow pipe (a long report came out cut off).
process.exitCode = errors > 0 ? 1 : 0;
