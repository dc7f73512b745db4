import type { DeliveryCounts, DeliveryRepository } from '../broadcasts/delivery-repository.ts';
import { formatLocalShort } from '../broadcasts/local-time.ts';
import type { PostRepository, PostStatus } from '../broadcasts/post-repository.ts';
import { localParts, zonedTimeToEpoch } from '../time.ts';
import type { CountBy, StatsRepository } from './stats-repository.ts';

// The plan's reporting cycle: a quarter (2025-Q1), six months (2025-H1) or a year (2025), in APP_TIMEZONE.

export type PeriodKind = 'quarter' | 'half' | 'year';

/** A reporting period: [from, to) instants, its months (YYYY-MM) and the zone's UTC offset at its start. */
export interface ReportPeriod {
  key: string;
  kind: PeriodKind;
  year: number;
  from: number;
  to: number;
  months: string[];
  offsetMs: number;
}

/** "2025-Q2" | "2025-H1" | "2025" → the period; undefined when malformed. */
export function parsePeriod(text: string, timeZone: string): ReportPeriod | undefined {
  const m = /^(\d{4})(?:-(Q[1-4]|H[12]))?$/i.exec(text.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  if (year < 2000 || year > 2100) return undefined;
  const part = m[2]?.toUpperCase();
  const kind: PeriodKind = !part ? 'year' : part.startsWith('Q') ? 'quarter' : 'half';
  const length = kind === 'year' ? 12 : kind === 'half' ? 6 : 3;
  const firstMonth = !part ? 1 : (Number(part.slice(1)) - 1) * length + 1;
  const from = zonedTimeToEpoch({ year, month: firstMonth, day: 1 }, timeZone);
  const to = zonedTimeToEpoch({ year, month: firstMonth + length, day: 1 }, timeZone);
  const months = Array.from({ length }, (_, i) => `${year}-${String(firstMonth + i).padStart(2, '0')}`);
  return { key: part ? `${year}-${part}` : String(year), kind, year, from, to, months, offsetMs: utcOffsetAt(from, timeZone) };
}

/** The zone's offset from UTC at an instant, in ms. */
export function utcOffsetAt(at: number, timeZone: string): number {
  const p = localParts(new Date(at), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(at / 60_000) * 60_000;
}

/** The period that contains `now` of the given kind (what the reports page opens with). */
export function currentPeriodKey(now: Date, timeZone: string, kind: PeriodKind): string {
  const p = localParts(now, timeZone);
  if (kind === 'year') return String(p.year);
  if (kind === 'half') return `${p.year}-H${p.month <= 6 ? 1 : 2}`;
  return `${p.year}-Q${Math.ceil(p.month / 3)}`;
}

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
const localIsoDate = (ms: number, timeZone: string) => {
  const p = localParts(new Date(ms), timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
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
