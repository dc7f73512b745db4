import type { Logger } from 'pino';
import type { FlowStore } from '../bot/flow-store.ts';
import { createPetitionFlow, type PetitionFlow } from '../bot/handlers/petition-flow.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/open.ts';
import { isLanguage, type I18n } from '../i18n/index.ts';
import type { OutgoingMessage } from '../messages.ts';
import { createPetitionAdminRouter } from '../petitions/admin-routes.ts';
import { createPetitionRepository, type PetitionRepository } from '../petitions/petition-repository.ts';
import { createPetitionService, type PetitionService } from '../petitions/petition-service.ts';
import type { ProcedureIndex } from '../procedures/search.ts';
import type { OutboxRepository } from '../queue/outbox-repository.ts';
import type { UserRepository } from '../users/user-repository.ts';
import type { Translate } from '../i18n/index.ts';
import type { WholeMessageReplies } from '../text/lexicon.ts';
import type { FeatureParts } from './feature.ts';

export interface PetitionsFeature extends FeatureParts {
  service: PetitionService;
  repo: PetitionRepository;
  handlers: PetitionFlow;
}

export interface PetitionsFeatureDeps {
  db: Db;
  flows: FlowStore;
  index: ProcedureIndex;
  words: WholeMessageReplies;
  outbox: OutboxRepository;
  users: UserRepository;
  onEnqueued: () => void;
  i18n: I18n;
  clock: Clock;
  logger: Logger;
  timeZone: string;
  retentionDays: number;
  unitName: string;
  /** A follow-up after an answered petition (the satisfaction question), if any. */
  afterAnswer: (userId: string, code: string, t: Translate) => OutgoingMessage | undefined;
}

/** Petitions (phản ánh, kiến nghị): intake in chat, status lookups, the staff API, retention of personal fields. */
export function createPetitionsFeature(deps: PetitionsFeatureDeps): PetitionsFeature {
  const repo = createPetitionRepository(deps.db);
  const service = createPetitionService({
    repo,
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
    // Every other feature's data is erased by src/features/privacy.ts; the service erases the petitions' own.
    erasers: [],
    afterAnswer: deps.afterAnswer,
  });
  const handlers = createPetitionFlow({ flows: deps.flows, service, index: deps.index, words: deps.words, timeZone: deps.timeZone, retentionDays: deps.retentionDays, unitName: deps.unitName });
  return {
    name: 'petitions',
    service,
    repo,
    handlers,
    adminRouter: createPetitionAdminRouter({ service, repo, index: deps.index, i18n: deps.i18n, timeZone: deps.timeZone, clock: deps.clock }),
    erase(userId) {
      service.eraseUser(userId);
      deps.flows.clear(userId);
    },
    // Personal fields of petitions closed long ago are erased at start and then daily.
    jobs: [{ name: 'petition-retention', cron: '17 3 * * *', runAtStart: true, run: () => void service.runRetention() }],
  };
}
