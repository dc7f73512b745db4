import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { QuestionLog } from '../analytics/question-log.ts';
import { createProcedureHandlers, type ProcedureHandlerDeps, type ProcedureHandlers } from '../bot/handlers/procedures.ts';
import type { SessionStore } from '../bot/session.ts';
import { createUnderstander, type Understander } from '../bot/understand.ts';
import type { IntentModel } from '../classifier/intent-model.ts';
import { createAnswerPlanner, type AnswerPlanner } from '../procedures/answer-plan.ts';
import { loadProcedureFiles } from '../procedures/content-loader.ts';
import { createProcedureIndex, type ProcedureIndex } from '../procedures/search.ts';
import { loadLexicon, type Lexicon } from '../text/lexicon.ts';
import type { FeatureParts } from './feature.ts';

export interface ProceduresFeature extends FeatureParts {
  index: ProcedureIndex;
  understander: Understander;
  lexicon: Lexicon;
  handlers: ProcedureHandlers;
}

interface LoadedContent {
  lexicon: Lexicon;
  index: ProcedureIndex;
  planner: AnswerPlanner;
}

// Loaded content is read-only: one copy per folder and process while no file changes (the fingerprint is every file's
// name, size and modification time). Tests start hundreds of bots in a few processes; a server starts once.
const loadedContent = new Map<string, { fingerprint: string; content: LoadedContent }>();

function fingerprint(contentDir: string): string {
  return ['procedures', 'lexicon']
    .flatMap((sub) => {
      const dir = join(contentDir, sub);
      return readdirSync(dir).sort().map((f) => {
        const st = statSync(join(dir, f));
        return `${sub}/${f}:${st.size}:${st.mtimeMs}`;
      });
    })
    .join('|');
}

function loadContent(contentDir: string): LoadedContent {
  const print = fingerprint(contentDir);
  const cached = loadedContent.get(contentDir);
  if (cached && cached.fingerprint === print) return cached.content;
  const { procedures, issues } = loadProcedureFiles(join(contentDir, 'procedures'));
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`Content errors (run npm run content:check):\n  ${errors.map((e) => `${e.file}: ${e.message}`).join('\n  ')}`);
  }
  const lexicon = loadLexicon(contentDir);
  // Drafts (imported from an official listing, not yet written for citizens) are never shown; abolished and merged
  // procedures stay searchable so that the bot can say what replaced them.
  const index = createProcedureIndex(procedures.filter((p) => p.status !== 'draft'), lexicon);
  const planner = createAnswerPlanner({ procedures: procedures.filter((p) => p.status === 'active'), lexicon });
  const content = { lexicon, index, planner };
  loadedContent.set(contentDir, { fingerprint: print, content });
  return content;
}

/** Procedure Q&A: loads content/ (failing loudly on invalid files), builds the search index and the understanding step. */
export function createProceduresFeature(deps: {
  contentDir: string;
  sessions: SessionStore;
  questions: QuestionLog;
  timeZone: string;
  hotline: string | undefined;
  intentModel: IntentModel;
  localUnit?: ProcedureHandlerDeps['localUnit'];
}): ProceduresFeature {
  const { lexicon, index, planner } = loadContent(deps.contentDir);
  const understander = createUnderstander(lexicon, index, deps.intentModel);
  const handlers = createProcedureHandlers({ index, sessions: deps.sessions, questions: deps.questions, timeZone: deps.timeZone, hotline: deps.hotline, planner, localUnit: deps.localUnit });
  // The follow-up state ("the procedure just discussed") is per user; it goes with the rest on erasure.
  return { name: 'procedures', index, understander, lexicon, handlers, erase: (userId) => deps.sessions.clear(userId) };
}
