import { join } from 'node:path';
import { createQuestionLog, type QuestionLog } from '../analytics/question-log.ts';
import type { Db } from '../db/open.ts';
import { loadProcedureFiles } from '../procedures/content-loader.ts';
import { createProcedureIndex, type ProcedureIndex } from '../procedures/search.ts';
import { loadLexicon } from '../text/lexicon.ts';
import type { Route } from './context.ts';
import { locationHandler, nonTextHandler, submitInfoHandler } from './handlers/fallback.ts';
import { createProcedureHandlers } from './handlers/procedures.ts';
import { createChatNowHandler, createWelcomeHandler } from './handlers/welcome.ts';
import { createUnderstander, type Understander } from './intents.ts';
import { createRouter, type RoutedReply } from './router.ts';
import { createSessionStore, type SessionStore } from './session.ts';
import type { BotContext } from './context.ts';

export interface BotDeps {
  db: Db;
  contentDir: string;
  timeZone: string;
  hotline: string | undefined;
}

/** The conversation side of the bot, independent of HTTP: load content, build the routing table. */
export interface Bot {
  route(ctx: BotContext): Promise<RoutedReply>;
  understander: Understander;
  index: ProcedureIndex;
  sessions: SessionStore;
  questions: QuestionLog;
}

/** Loads content/ (failing loudly on invalid files) and wires the handlers into the routing table. */
export function createBot(deps: BotDeps): Bot {
  const { procedures, issues } = loadProcedureFiles(join(deps.contentDir, 'procedures'));
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`Content errors (run npm run content:check):\n  ${errors.map((e) => `${e.file}: ${e.message}`).join('\n  ')}`);
  }
  const lexicon = loadLexicon(deps.contentDir);
  const index = createProcedureIndex(procedures, lexicon);
  const understander = createUnderstander(lexicon, index);
  const sessions = createSessionStore(deps.db);
  const questions = createQuestionLog(deps.db);
  const procedureHandlers = createProcedureHandlers({ understander, index, sessions, questions, timeZone: deps.timeZone, hotline: deps.hotline });

  // The routing table: read top to bottom, the first match wins.
  const routes: Route[] = [
    { name: 'follow', match: (c) => c.event.type === 'follow', handle: createWelcomeHandler(deps.hotline) },
    { name: 'chatnow', match: (c) => c.event.type === 'click_chatnow', handle: createChatNowHandler(deps.hotline) },
    { name: 'location', match: (c) => c.event.type === 'location', handle: locationHandler },
    { name: 'submit_info', match: (c) => c.event.type === 'submit_info', handle: submitInfoHandler },
    { name: 'non_text', match: (c) => c.event.type === 'image' || c.event.type === 'attachment', handle: nonTextHandler },
    { name: 'conversation', match: (c) => c.event.type === 'text' && c.text.trim().length > 0, handle: (c) => procedureHandlers.handleText(c) },
  ];
  return { route: createRouter(routes), understander, index, sessions, questions };
}
