import { formatLocalShort } from '../time.ts';
import type { PostRepository } from '../broadcasts/post-repository.ts';
import type { QuestionLog } from '../analytics/question-log.ts';
import type { InboxRepository } from '../queue/inbox-repository.ts';
import type { OutboxRepository } from '../queue/outbox-repository.ts';
import { localParts, startOfLocalDay, zonedTimeToEpoch } from '../time.ts';
import type { TokenManager } from '../zalo/tokens.ts';
import { utcOffsetAt } from '../time.ts';
import type { StatsRepository } from './stats-repository.ts';

export interface DashboardDeps {
  stats: StatsRepository;
  posts: PostRepository;
  questions: QuestionLog;
  tokens: Pick<TokenManager, 'status'>;
  inbox: Pick<InboxRepository, 'lastReceivedAt' | 'countPending'>;
  outbox: Pick<OutboxRepository, 'counts'>;
  timeZone: string;
  overdueDays: number;
  /** Units, and how many still lack a police address or phone (staff complete them). */
  units: () => { total: number; withoutAddress: number; withoutPhone: number };
}

const DAY = 86_400_000;
const iso = (ms: number | undefined | null) => (ms ? new Date(ms).toISOString() : null);

/** Local Monday 00:00 of the week of `now`. */
function startOfLocalWeek(now: Date, timeZone: string): number {
  const p = localParts(now, timeZone);
  const sinceMonday = (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7;
  return zonedTimeToEpoch({ year: p.year, month: p.month, day: p.day - sinceMonday }, timeZone);
}

/** What the console's first page shows: today's traffic, open work, what goes out next and whether the bot is healthy. */
export function buildDashboard(deps: DashboardDeps, now: Date) {
  const at = now.getTime();
  const today = startOfLocalDay(now, deps.timeZone);
  const week = startOfLocalWeek(now, deps.timeZone);
  const end = at + 1;
  const offset = utcOffsetAt(today, deps.timeZone);
  const byStatus = Object.fromEntries(deps.stats.petitionsByStatus().map((r) => [r.key, r.n]));
  const overdueBefore = at - deps.overdueDays * DAY;
  const token = deps.tokens.status();
  const outbox = deps.outbox.counts();
  const unanswered = deps.stats.unansweredTotals();
  return {
    generatedAt: now.toISOString(),
    timeZone: deps.timeZone,
    messages: { today: deps.stats.messages(today, end), week: deps.stats.messages(week, end) },
    conversations: { today: deps.stats.conversations(today, end, offset), week: deps.stats.conversations(week, end, offset) },
    petitions: {
      byStatus,
      open: (byStatus.received ?? 0) + (byStatus.processing ?? 0),
      overdue: deps.stats.overduePetitions(overdueBefore),
      overdueDays: deps.overdueDays,
      oldestOverdue: deps.stats.oldestOpenPetitions(overdueBefore, 5).map((p) => ({ code: p.code, status: p.status, receivedAt: iso(p.created_at) })),
    },
    unanswered: {
      distinct: unanswered.distinct,
      total: unanswered.total,
      top: deps.questions.topUnanswered(5).map((q) => ({ text: q.normalized, count: q.count, lastSeenAt: iso(q.last_seen_at) })),
    },
    units: deps.units(),
    nextPosts: deps.posts
      .list({ status: 'scheduled', from: at })
      .slice(0, 5)
      .map((p) => ({ id: p.id, title: p.title, mode: p.mode, audienceTag: p.audience_tag, sendAt: iso(p.send_at), sendAtLocal: formatLocalShort(p.send_at, deps.timeZone) })),
    health: {
      lastWebhookAt: iso(deps.inbox.lastReceivedAt()),
      inboxPending: deps.inbox.countPending(),
      token: { expiresAt: iso(token.expiresAt), needsReauth: token.needsReauth, reason: token.reason ?? null },
      outbox,
    },
  };
}
