import type { DeliveryCounts, DeliveryRepository } from '../broadcasts/delivery-repository.ts';
import type { PostRepository, PostStatus } from '../broadcasts/post-repository.ts';
import { formatLocalShort, localIsoDate, type LocalPeriod, type PeriodKind } from '../time.ts';
import type { CountBy, StatsRepository } from './stats-repository.ts';

// The plan's reporting cycle (quarter, six months, year) is src/time.ts's LocalPeriod.

/** A reporting period: [from, to) instants, its months (YYYY-MM) and the zone's UTC offset at its start. */
export type ReportPeriod = LocalPeriod;

const SENT_STATUSES: ReadonlySet<PostStatus> = new Set(['sent', 'partially_sent']);
const emptyDeliveries = (): DeliveryCounts => ({ sent: 0, failed: 0, out_of_window: 0, unknown: 0, pending: 0, skipped: 0, cancelled: 0 });

/** Everything the reports page and its XLSX show for one period. */
export interface Report {
  period: { key: string; kind: PeriodKind; from: string; to: string; timeZone: string; months: string[] };
  generatedAt: string;
  conversations: { total: number; messages: number; byMonth: { month: string; conversations: number; messages: number }[] };
  questions: { answered: number; unanswered: number; answeredRate: number | null };
  topProcedures: { id: string; title: string; count: number }[];
  petitions: {
    received: number;
    byKind: CountBy[];
    byStatus: CountBy[];
    byTopic: CountBy[];
    byMonth: { month: string; received: number }[];
    closed: number;
    averageHandlingHours: number | null;
  };
  posts: {
    total: number;
    sent: number;
    byStatus: CountBy[];
    deliveries: DeliveryCounts;
    byMonth: { month: string; posts: number; delivered: number }[];
    items: { id: number; title: string; status: PostStatus; sendAtLocal: string; counts: DeliveryCounts }[];
  };
}

export interface ReportDeps {
  stats: StatsRepository;
  posts: PostRepository;
  deliveries: DeliveryRepository;
  procedureTitle: (id: string) => string;
  timeZone: string;
}

const fillMonths = (months: string[], rows: CountBy[]) => {
  const byKey = new Map(rows.map((r) => [r.key, r.n]));
  return months.map((m) => byKey.get(m) ?? 0);
};

/** Builds the report of a period from the stores (no writes). */
export function buildReport(deps: ReportDeps, period: ReportPeriod, now: Date): Report {
  const { from, to, offsetMs, months } = period;
  const s = deps.stats;
  const messagesByMonth = fillMonths(months, s.messagesByMonth(from, to, offsetMs));
  const conversationsByMonth = fillMonths(months, s.conversationsByMonth(from, to, offsetMs));
  const questions = s.questions(from, to);
  const asked = questions.answered + questions.unanswered;
  const handling = s.handling(from, to);
  const byKind = s.petitionsReceivedBy('kind', from, to);
  const petitionsByMonth = fillMonths(months, s.petitionsByMonth(from, to, offsetMs));

  const postRows = deps.posts.list({ from, to });
  const counts = deps.deliveries.countsByPost(postRows.map((p) => p.id));
  const deliveries = emptyDeliveries();
  const postStatus = new Map<string, number>();
  const postMonths = new Map<string, { posts: number; delivered: number }>();
  const items = postRows.map((p) => {
    const c = counts.get(p.id) ?? emptyDeliveries();
    for (const k of Object.keys(deliveries) as (keyof DeliveryCounts)[]) deliveries[k] += c[k];
    postStatus.set(p.status, (postStatus.get(p.status) ?? 0) + 1);
    const month = localIsoDate(p.send_at, deps.timeZone).slice(0, 7);
    const m = postMonths.get(month) ?? { posts: 0, delivered: 0 };
    m.posts += 1;
    m.delivered += c.sent;
    postMonths.set(month, m);
    return { id: p.id, title: p.title, status: p.status, sendAtLocal: formatLocalShort(p.send_at, deps.timeZone), counts: c };
  });

  return {
    period: { key: period.key, kind: period.kind, from: localIsoDate(from, deps.timeZone), to: localIsoDate(to - 1, deps.timeZone), timeZone: deps.timeZone, months },
    generatedAt: now.toISOString(),
    conversations: {
      total: s.conversations(from, to, offsetMs),
      messages: s.messages(from, to),
      byMonth: months.map((month, i) => ({ month, conversations: conversationsByMonth[i]!, messages: messagesByMonth[i]! })),
    },
    questions: { ...questions, answeredRate: asked === 0 ? null : Math.round((questions.answered / asked) * 1000) / 10 },
    topProcedures: s.topProcedures(from, to, 10).map((r) => ({ id: r.key, title: deps.procedureTitle(r.key), count: r.n })),
    petitions: {
      received: byKind.reduce((sum, r) => sum + r.n, 0),
      byKind,
      byStatus: s.petitionsReceivedBy('status', from, to),
      byTopic: s.petitionsReceivedBy('topic', from, to),
      byMonth: months.map((month, i) => ({ month, received: petitionsByMonth[i]! })),
      closed: handling.closed,
      averageHandlingHours: handling.averageMs === null ? null : Math.round(handling.averageMs / 360_000) / 10,
    },
    posts: {
      total: postRows.length,
      sent: postRows.filter((p) => SENT_STATUSES.has(p.status)).length,
      byStatus: [...postStatus].map(([key, n]) => ({ key, n })).sort((a, b) => b.n - a.n),
      deliveries,
      byMonth: months.map((month) => ({ month, ...(postMonths.get(month) ?? { posts: 0, delivered: 0 }) })),
      items,
    },
  };
}
