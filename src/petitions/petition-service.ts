import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { I18n, Language, Translate } from '../i18n/index.ts';
import { text, type OutgoingMessage } from '../messages.ts';
import type { OutboxRepository } from '../queue/outbox-repository.ts';
import { localParts, startOfLocalDay } from '../time.ts';
import {
  CLOSED_STATUSES,
  type NewPetition,
  type PetitionRepository,
  type PetitionRow,
  type PetitionStatus,
} from './petition-repository.ts';

export const MAX_PETITIONS_PER_DAY = 5;

// Allowed status changes; a closed petition stays closed.
const TRANSITIONS: Record<PetitionStatus, readonly PetitionStatus[]> = {
  received: ['received', 'processing', 'answered', 'forwarded', 'rejected'],
  processing: ['processing', 'answered', 'forwarded', 'rejected'],
  answered: [],
  forwarded: [],
  rejected: [],
};

export type StatusChangeError = 'not_found' | 'invalid_transition' | 'reason_required' | 'nothing_to_change';

export interface PetitionService {
  /** Stores a finished intake; refuses beyond 5 petitions per user per local day. */
  submit(p: NewPetition): { ok: true; petition: PetitionRow } | { ok: false; error: 'rate_limited' };
  /** A petition for its owner only: anyone else gets undefined, exactly as for an unknown code. */
  lookupForOwner(code: string, userId: string): PetitionRow | undefined;
  changeStatus(
    code: string,
    change: { status: PetitionStatus; reply?: string; note?: string; actor: string },
  ): { ok: true; petition: PetitionRow } | { ok: false; error: StatusChangeError };
  /** Erases personal fields of petitions closed longer than the retention period. */
  runRetention(): number;
  /** Erases a citizen's personal data everywhere (petitions stay, anonymised). */
  eraseUser(userId: string): number;
}

export interface PetitionServiceDeps {
  repo: PetitionRepository;
  outbox: OutboxRepository;
  onEnqueued: () => void;
  i18n: I18n;
  languageOf: (userId: string) => Language;
  clock: Clock;
  timeZone: string;
  retentionDays: number;
  logger: Logger;
  /** Other stores holding the user's data (conversation state, followers…), erased together. */
  erasers: ((userId: string) => void)[];
  /** A follow-up message after an answered petition (the satisfaction question), if any. */
  afterAnswer?: (userId: string, code: string, t: Translate) => OutgoingMessage | undefined;
}

/** Petition rules: codes, daily limit, status changes with replies to the citizen, retention and erasure. */
export function createPetitionService(deps: PetitionServiceDeps): PetitionService {
  const now = () => deps.clock.now();
  return {
    submit(p) {
      const at = now();
      if (deps.repo.countByUserSince(p.userId, startOfLocalDay(at, deps.timeZone)) >= MAX_PETITIONS_PER_DAY) {
        return { ok: false, error: 'rate_limited' };
      }
      const petition = deps.repo.create(p, at.getTime(), localParts(at, deps.timeZone).year);
      deps.logger.info({ code: petition.code }, 'Petition received');
      return { ok: true, petition };
    },

    lookupForOwner(code, userId) {
      const p = deps.repo.byCode(code);
      return p && p.user_id === userId ? p : undefined;
    },

    changeStatus(code, change) {
      const p = deps.repo.byCode(code);
      if (!p) return { ok: false, error: 'not_found' };
      if (!TRANSITIONS[p.status].includes(change.status)) return { ok: false, error: 'invalid_transition' };
      const reply = change.reply?.trim() || undefined;
      const note = change.note?.trim() || undefined;
      if (change.status === 'rejected' && !reply && !note) return { ok: false, error: 'reason_required' };
      if (change.status === p.status && !reply && !note) return { ok: false, error: 'nothing_to_change' };
      const at = now().getTime();
      deps.repo.update(p.id, { status: change.status, actor: change.actor, fromStatus: p.status, ...(reply ? { reply } : {}), ...(note ? { note } : {}) }, at);
      if (reply && p.user_id) {
        const t = deps.i18n.forLanguage(deps.languageOf(p.user_id));
        const follow = change.status === 'answered' ? deps.afterAnswer?.(p.user_id, p.code, t) : undefined;
        // Purpose "notify": when Zalo's 7-day window is closed (-230) the message waits for the citizen's next one.
        deps.outbox.enqueue(
          [
            {
              dedupeKey: `petition:${p.id}:reply:${at}`,
              userId: p.user_id,
              purpose: 'notify',
              message: text(t('petition.staffReply', { code: p.code, status: t(`petition.status.${change.status}`), reply })),
            },
            ...(follow ? [{ dedupeKey: `petition:${p.id}:rate:${at}`, userId: p.user_id, purpose: 'notify', message: follow }] : []),
          ],
          at,
        );
        deps.onEnqueued();
      }
      return { ok: true, petition: deps.repo.byCode(code)! };
    },

    runRetention() {
      const at = now().getTime();
      const erased = deps.repo.anonymizeClosedBefore(at - deps.retentionDays * 86_400_000, at);
      if (erased > 0) deps.logger.info({ erased, retentionDays: deps.retentionDays }, 'Personal data of old closed petitions erased');
      return erased;
    },

    eraseUser(userId) {
      const erased = deps.repo.anonymizeUser(userId, now().getTime());
      for (const erase of deps.erasers) erase(userId);
      deps.logger.info({ petitions: erased }, 'A citizen asked to erase their data: done');
      return erased;
    },
  };
}

/** True when a petition is closed (answered, forwarded or rejected). */
export const isClosed = (p: PetitionRow) => CLOSED_STATUSES.has(p.status);
