import type { IntentModel } from '../classifier/intent-model.ts';
import type { Logger } from 'pino';
import { createQuestionLog, type QuestionLog } from '../analytics/question-log.ts';
import { createBot, type Bot } from '../bot/create-bot.ts';
import { createFlowStore } from '../bot/flow-store.ts';
import { createLanguageHandlers } from '../bot/handlers/language.ts';
import { createMenuHandlers } from '../bot/handlers/menu.ts';
import type { ProcedureHandlerDeps } from '../bot/handlers/procedures.ts';
import { createPrivacyHandlers } from '../bot/handlers/privacy.ts';
import { createSafetyHandlers } from '../bot/handlers/safety.ts';
import { createSessionStore } from '../bot/session.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/open.ts';
import type { I18n } from '../i18n/index.ts';
import { createPiiExportLog } from '../privacy/pii-export-log.ts';
import type { InboxRepository } from '../queue/inbox-repository.ts';
import type { OutboxRepository } from '../queue/outbox-repository.ts';
import type { UserRepository } from '../users/user-repository.ts';
import { createOptOutFeature } from './broadcast-opt-out.ts';
import type { FeatureParts } from './feature.ts';
import { createPetitionsFeature, type PetitionsFeature } from './petitions.ts';
import { createPrivacy, type Privacy } from './privacy.ts';
import { createProceduresFeature, type ProceduresFeature } from './procedures.ts';
import { createQuizFeature, type QuizFeature } from './quiz.ts';
import { createSatisfactionFeature, type SatisfactionFeature } from './satisfaction.ts';
import { createUnitsFeature, type UnitsFeature } from './units.ts';

export interface ConversationDeps {
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
  /** The learned half of understanding (content/model/, built by npm run train). */
  intentModel: IntentModel;
}

/** Every conversation feature, built and wired, and the bot that routes events to them. */
export interface Conversation {
  bot: Bot;
  /** Admin routers, erasure hooks and jobs of every feature, for src/main.ts to mount and schedule. */
  features: FeatureParts[];
  procedures: ProceduresFeature;
  petitions: PetitionsFeature;
  quiz: QuizFeature;
  satisfaction: SatisfactionFeature;
  units: UnitsFeature;
  questions: QuestionLog;
  privacy: Privacy;
}

/** Builds the features (procedures, petitions, quiz, satisfaction, language, opt-out, menu, safety, privacy, units). */
export function createConversation(deps: ConversationDeps): Conversation {
  const sessions = createSessionStore(deps.db);
  const flows = createFlowStore(deps.db);
  const questions = createQuestionLog(deps.db);
  // Commune-level procedure answers name the citizen's own unit (the units feature, built below).
  const late: { localUnit?: ProcedureHandlerDeps['localUnit'] } = {};
  const procedures = createProceduresFeature({
    contentDir: deps.contentDir,
    sessions,
    questions,
    timeZone: deps.timeZone,
    hotline: deps.hotline,
    intentModel: deps.intentModel,
    localUnit: (ctx, p) => late.localUnit?.(ctx, p),
  });
  const satisfaction = createSatisfactionFeature({ db: deps.db, secret: deps.secret, timeZone: deps.timeZone });
  const petitions = createPetitionsFeature({
    db: deps.db,
    flows,
    index: procedures.index,
    words: procedures.lexicon.replies,
    outbox: deps.outbox,
    users: deps.users,
    onEnqueued: deps.onEnqueued,
    i18n: deps.i18n,
    clock: deps.clock,
    logger: deps.logger,
    timeZone: deps.timeZone,
    retentionDays: deps.retentionDays,
    unitName: deps.unitName,
    afterAnswer: (userId, code, t) => satisfaction.service.maybePrompt(userId, 'petition', code, deps.clock.now(), t),
  });
  const quiz = createQuizFeature({ db: deps.db, contentDir: deps.contentDir, timeZone: deps.timeZone, i18n: deps.i18n, clock: deps.clock, piiLog: createPiiExportLog(deps.db) });
  const optOut = createOptOutFeature({ db: deps.db, words: procedures.lexicon.replies });
  const units = createUnitsFeature({
    db: deps.db,
    contentDir: deps.contentDir,
    hotline: deps.hotline,
    timeZone: deps.timeZone,
    clock: deps.clock,
    procedure: (id) => {
      const p = procedures.index.get(id);
      return p && { title: p.title, levels: p.levels, agency: p.agency };
    },
  });
  late.localUnit = units.handlers.localUnit;
  const features: FeatureParts[] = [procedures, petitions, quiz, satisfaction, optOut, units];
  const privacy = createPrivacy({
    features,
    // The core stores: the user row (language, last interaction), raw events and queued messages.
    core: [(userId) => deps.users.delete(userId), (userId) => deps.inbox.forgetUser(userId), (userId) => deps.outbox.forgetUser(userId)],
    logger: deps.logger,
  });
  const language = createLanguageHandlers({ users: deps.users, i18n: deps.i18n });
  const bot = createBot({
    handlers: {
      menu: createMenuHandlers({ hotline: deps.hotline, fieldsMenu: procedures.handlers.fieldsMenu }),
      safety: createSafetyHandlers({ hotline: deps.hotline, titleOf: (id) => procedures.index.get(id)?.title }),
      procedures: procedures.handlers,
      petitions: petitions.handlers,
      quiz: quiz.handlers,
      language,
      satisfaction: satisfaction.handlers,
      optOut: optOut.handlers,
      privacy: createPrivacyHandlers({ eraseUser: privacy.eraseUser }),
      units: units.handlers,
    },
    understander: procedures.understander,
    flows,
    i18n: deps.i18n,
    language,
    satisfaction: satisfaction.service,
    questions,
  });
  return { bot, features, procedures, petitions, quiz, satisfaction, units, questions, privacy };
}
