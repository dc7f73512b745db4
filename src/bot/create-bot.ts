import { join } from 'node:path';
import type { Logger } from 'pino';
import { createQuestionLog, type QuestionLog } from '../analytics/question-log.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/open.ts';
import { isLanguage, type I18n } from '../i18n/index.ts';
import { createPetitionRepository, type PetitionRepository } from '../petitions/petition-repository.ts';
import { createPetitionService, type PetitionService } from '../petitions/petition-service.ts';
import { loadProcedureFiles } from '../procedures/content-loader.ts';
import { createQuizRepository, type QuizRepository } from '../quiz/quiz-repository.ts';
import { loadQuizzes, type Quiz } from '../quiz/quiz-schema.ts';
import { createSatisfactionService, type SatisfactionService } from '../satisfaction/satisfaction-service.ts';
import { createProcedureIndex, type ProcedureIndex } from '../procedures/search.ts';
import type { InboxRepository } from '../queue/inbox-repository.ts';
import type { OutboxRepository } from '../queue/outbox-repository.ts';
import { loadLexicon } from '../text/lexicon.ts';
import type { UserRepository } from '../users/user-repository.ts';
import type { BotContext, Route } from './context.ts';
import { createFlowStore, type FlowStore } from './flow-store.ts';
import { createFollowerRepository } from '../followers/follower-repository.ts';
import { createBroadcastChoiceHandler, isBroadcastChoice } from './handlers/broadcast-opt-out.ts';
import { createConversation } from './handlers/conversation.ts';
import { locationHandler, nonTextHandler, submitInfoHandler } from './handlers/fallback.ts';
import { createLanguageHandlers } from './handlers/language.ts';
import { createPetitionFlow } from './handlers/petition-flow.ts';
import { createQuizHandlers } from './handlers/quiz.ts';
import { createProcedureHandlers } from './handlers/procedures.ts';
import { createChatNowHandler, createWelcomeHandler } from './handlers/welcome.ts';
import { createUnderstander, type Understander } from './intents.ts';
import { createRouter, type RoutedReply } from './router.ts';
import { createSessionStore, type SessionStore } from './session.ts';

export interface BotDeps {
  db: Db;
  contentDir: string;
  timeZone: string;
  hotline: string | undefined;
  unitName: string;
  retentionDays: number;
  inbox: InboxRepository;
  outbox: OutboxRepository;
  users: UserRepository;
  /** Wakes the outbox worker after messages are enqueued outside a webhook (staff replies). */
  onEnqueued: () => void;
  i18n: I18n;
  clock: Clock;
  logger: Logger;
  /** Key for signing rating buttons (so typed "#rate:" payloads are ignored). */
  secret: string;
  /** More stores to clear when a citizen asks to erase their data. */
  erasers?: ((userId: string) => void)[];
  /** Routes placed before the conversation (e.g. broadcast opt-out). */
  extraRoutes?: Route[];
}

/** The conversation side of the bot, independent of HTTP: content, intent layer, handlers, routing table. */
export interface Bot {
  route(ctx: BotContext): RoutedReply;
  understander: Understander;
  index: ProcedureIndex;
  sessions: SessionStore;
  flows: FlowStore;
  questions: QuestionLog;
  petitions: PetitionService;
  petitionRepo: PetitionRepository;
  satisfaction: SatisfactionService;
  quizzes: Quiz[];
  quizRepo: QuizRepository;
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
  const flows = createFlowStore(deps.db);
  const followers = createFollowerRepository(deps.db);
  const questions = createQuestionLog(deps.db);
  const petitionRepo = createPetitionRepository(deps.db);
  const satisfaction = createSatisfactionService({ db: deps.db, secret: deps.secret, timeZone: deps.timeZone });
  const { quizzes, issues: quizIssues } = loadQuizzes(deps.contentDir);
  if (quizIssues.length > 0) throw new Error(`Quiz content errors (run npm run content:check):\n  ${quizIssues.map((e) => `${e.file}: ${e.message}`).join('\n  ')}`);
  const quizRepo = createQuizRepository(deps.db);
  const petitions = createPetitionService({
    repo: petitionRepo,
    outbox: deps.outbox,
    onEnqueued: deps.onEnqueued,
    i18n: deps.i18n,
    languageOf: (userId) => {
      const stored = deps.users.get(userId)?.language;
      return isLanguage(stored) ? stored : 'vi';
    },
    clock: deps.clock,
    timeZone: deps.timeZone,
    retentionDays: deps.retentionDays,
    logger: deps.logger,
    erasers: [
      (userId) => followers.forgetUser(userId),
      (userId) => flows.clear(userId),
      (userId) => sessions.clear(userId),
      (userId) => deps.users.delete(userId),
      (userId) => deps.inbox.forgetUser(userId),
      (userId) => deps.outbox.forgetUser(userId),
      (userId) => satisfaction.forgetUser(userId),
      (userId) => quizRepo.forgetUser(userId),
      ...(deps.erasers ?? []),
    ],
    afterAnswer: (userId, code, t) => satisfaction.maybePrompt(userId, 'petition', code, deps.clock.now(), t),
  });
  const procedureHandlers = createProcedureHandlers({ index, sessions, questions, timeZone: deps.timeZone, hotline: deps.hotline });
  const petitionFlow = createPetitionFlow({
    flows,
    service: petitions,
    index,
    understander,
    timeZone: deps.timeZone,
    retentionDays: deps.retentionDays,
    unitName: deps.unitName,
  });
  const language = createLanguageHandlers({ users: deps.users, i18n: deps.i18n });
  const quiz = createQuizHandlers({ quizzes, repo: quizRepo, timeZone: deps.timeZone });
  const conversation = createConversation({ satisfaction, quiz, understander, i18n: deps.i18n, language, procedures: procedureHandlers, petitions: petitionFlow, questions });

  // The routing table: read top to bottom, the first match wins.
  const routes: Route[] = [
    { name: 'follow', match: (c) => c.event.type === 'follow', handle: createWelcomeHandler(deps.hotline) },
    { name: 'chatnow', match: (c) => c.event.type === 'click_chatnow', handle: createChatNowHandler(deps.hotline) },
    { name: 'withdraw', match: (c) => c.event.type === 'withdraw', handle: (c) => conversation.withdraw(c) },
    { name: 'broadcast_choice', match: isBroadcastChoice, handle: createBroadcastChoiceHandler(followers) },
    ...(deps.extraRoutes ?? []),
    { name: 'petition_media', match: (c) => (c.event.type === 'image' || c.event.type === 'submit_info') && conversation.inFlow(c), handle: (c) => conversation.handleFlowEvent(c) },
    { name: 'location', match: (c) => c.event.type === 'location', handle: locationHandler },
    { name: 'submit_info', match: (c) => c.event.type === 'submit_info', handle: submitInfoHandler },
    { name: 'non_text', match: (c) => c.event.type === 'image' || c.event.type === 'attachment', handle: nonTextHandler },
    { name: 'conversation', match: (c) => c.event.type === 'text' && c.text.trim().length > 0, handle: (c) => conversation.handleText(c) },
  ];
  return { route: createRouter(routes), understander, index, sessions, flows, questions, petitions, petitionRepo, satisfaction, quizzes, quizRepo };
}
