import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { ZaloClient } from '../zalo/client.ts';
import type { ZaloArticles } from '../zalo/articles.ts';
import { classifySendError, classifySendFailure, type SendReport } from '../zalo/send-outcome.ts';
import type { ClaimedDelivery, DeliveryCounts, DeliveryRepository } from './delivery-repository.ts';
import { buildArticleDraft, buildPostMessage } from './post-content.ts';
import type { PostRepository, PostRow, PostStatus } from './post-repository.ts';
import type { QuietHours } from './quiet-hours.ts';
import type { TokenBucket } from './token-bucket.ts';

/** Zalo's customer-service window: a follower who has not interacted for 7 days cannot get a CS message (-230). */
export const CS_WINDOW_MS = 7 * 24 * 3600_000;
// After "not now" answers (rate limit, token trouble, an outage) the post waits this long, then resumes.
const RETRY_PAUSE_MS = 60_000;
// Zalo refused at night although quiet hours are off (or did not cover it): try again in half an hour.
const NIGHT_RETRY_MS = 30 * 60_000;
// Ambiguous failures in a row before the post pauses (each one costs a follower an 'unknown').
const UNKNOWN_STREAK_PAUSE = 3;

/** How a run ended. */
export type RunOutcome = 'finished' | 'paused' | 'stopped' | 'lost';

export interface BroadcastSender {
  /** Sends a post this process holds the lease of, until done, paused, stopped or the lease is lost. */
  run(post: PostRow): Promise<RunOutcome>;
  /** Stops claiming new deliveries (in-flight sends finish and are recorded). */
  stop(): void;
}

export interface BroadcastSenderDeps {
  posts: PostRepository;
  deliveries: DeliveryRepository;
  /** The client for per-follower sends: `deliver` makes one attempt and reports its outcome (never retried here). */
  sendClient: Pick<ZaloClient, 'deliver'>;
  articles: ZaloArticles;
  bucket: TokenBucket;
  quiet: QuietHours;
  clock: Clock;
  logger: Logger;
  owner: string;
  leaseMs: number;
  /** Sends in flight at once; also the most deliveries a crash can leave 'unknown'. */
  concurrency: number;
  linkButtonTitle: string;
  articleAuthor: string;
  verifyAttempts?: number;
  verifyDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Final status from the ledger: failures and unknowns are not confirmed deliveries; out-of-window is not a failure. */
export function finalStatus(c: DeliveryCounts): PostStatus {
  const bad = c.failed + c.unknown;
  if (bad === 0) return 'sent';
  return c.sent > 0 ? 'partially_sent' : 'failed';
}

interface Pause {
  at: number;
  code: number | null;
  error: string;
}

/** Fans a post out to its audience: rate-limited, at most once per follower, pausing for quiet hours. */
export function createBroadcastSender(deps: BroadcastSenderDeps): BroadcastSender {
  const now = () => deps.clock.now().getTime();
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let stopping = false;

  // Writes after stop() may hit a closed database: the row stays 'sending' and becomes 'unknown' at the next start.
  const record = (what: string, write: () => void) => {
    try {
      write();
    } catch (err) {
      deps.logger.error({ err: (err as Error).message, what }, 'Could not record a broadcast outcome; the delivery will show as unknown');
    }
  };

  /**
   * Acts on a failed send of one ledger row (the outcome comes from src/zalo/send-outcome.ts: no Zalo code is read
   * here); returns a pause for the whole post when sending should wait. An uncertain send is never resent.
   */
  function onFailure(row: ClaimedDelivery, failure: Pick<SendReport, 'outcome' | 'code' | 'error' | 'night'>, quietEnd: () => number): Pause | 'unknown' | undefined {
    const at = now();
    const { code } = failure;
    const message = failure.error ?? failure.outcome;
    switch (failure.outcome) {
      case 'sent':
        return undefined;
      case 'out_of_window':
        record('out_of_window', () => deps.deliveries.markOutcome(row.id, 'out_of_window', code, message, at));
        return undefined;
      case 'permanent':
        record('failed', () => deps.deliveries.markOutcome(row.id, 'failed', code, message, at));
        return undefined;
      case 'retry_later':
      case 'needs_reauth':
        record('requeue', () => deps.deliveries.requeue(row.id, code, message));
        if (failure.night) return { at: deps.quiet.isQuiet(at) ? quietEnd() : at + NIGHT_RETRY_MS, code, error: message };
        return { at: at + RETRY_PAUSE_MS, code, error: message };
      case 'uncertain':
        record('unknown', () => deps.deliveries.markOutcome(row.id, 'unknown', null, message, at));
        return 'unknown';
    }
  }

  function finish(post: PostRow): RunOutcome {
    const counts = deps.deliveries.counts(post.id);
    if (counts.pending > 0) return 'paused'; // rows went back to the queue: the next tick resumes
    const status = finalStatus(counts);
    if (deps.posts.finish(post.id, deps.owner, status, now())) {
      deps.posts.addHistory(post.id, now(), 'scheduler', 'finished', `${status}: ${JSON.stringify(counts)}`);
      deps.logger.info({ postId: post.id, status, ...counts }, 'Broadcast finished');
    }
    return 'finished';
  }

  function pause(post: PostRow, p: Pause): RunOutcome {
    if (deps.posts.pause(post.id, deps.owner, p.at, p.code, p.error, now())) {
      deps.posts.addHistory(post.id, now(), 'scheduler', 'paused', `until ${new Date(p.at).toISOString()}: ${p.error}`);
      deps.logger.warn({ postId: post.id, resumeAt: new Date(p.at).toISOString(), code: p.code, reason: p.error }, 'Broadcast paused; it resumes by itself');
    }
    return 'paused';
  }

  async function runMessages(post: PostRow): Promise<RunOutcome> {
    // Claimed at night (quiet hours changed, or Zalo refused): the audience is fixed when sending really starts.
    if (deps.quiet.isQuiet(now())) return pause(post, { at: deps.quiet.endsAfter(now()), code: null, error: `quiet hours ${deps.quiet.describe()}` });
    const created = deps.deliveries.freezeAudience({ postId: post.id, owner: deps.owner, tag: post.audience_tag, windowStart: now() - CS_WINDOW_MS, at: now() });
    if (created === undefined) return 'lost';
    if (created > 0) deps.posts.addHistory(post.id, now(), 'scheduler', 'audience_fixed', `${created} followers`);
    const message = buildPostMessage(post, deps.linkButtonTitle);
    const inFlight = new Set<Promise<void>>();
    let paused: Pause | undefined;
    let lost = false;
    let unknownStreak = 0;

    const sendOne = async (row: ClaimedDelivery) => {
      const report = await deps.sendClient.deliver(row.recipient, message);
      if (report.outcome === 'sent') {
        unknownStreak = 0;
        record('sent', () => deps.deliveries.markSent(row.id, report.messageIds[0], now()));
        return;
      }
      // Part of a long text already reached the follower: sending it again would repeat that part.
      const failure = report.chunksSent > 0 ? { ...report, outcome: 'uncertain' as const, error: `${report.chunksSent} of ${report.chunks} parts sent, then: ${report.error ?? report.outcome}` } : report;
      const result = onFailure(row, failure, () => deps.quiet.endsAfter(now()));
      if (result === 'unknown') {
        unknownStreak++;
        if (unknownStreak >= UNKNOWN_STREAK_PAUSE) paused ??= { at: now() + RETRY_PAUSE_MS, code: null, error: failure.error ?? 'unknown outcome' };
      } else if (result) {
        paused ??= result;
      }
    };

    try {
      for (;;) {
        if (stopping || paused) break;
        if (deps.quiet.isQuiet(now())) {
          paused = { at: deps.quiet.endsAfter(now()), code: null, error: `quiet hours ${deps.quiet.describe()}` };
          break;
        }
        if (inFlight.size >= deps.concurrency) {
          await Promise.race(inFlight);
          continue;
        }
        await deps.bucket.take();
        if (stopping || paused) break;
        const rows = deps.deliveries.claimNext(post.id, deps.owner, now(), now() + deps.leaseMs, 1);
        if (rows === undefined) {
          lost = true; // cancelled by staff, or another process took the post over
          break;
        }
        if (rows.length === 0) {
          if (inFlight.size === 0) break;
          await Promise.race(inFlight); // a send that fails "for now" puts its row back in the queue
          continue;
        }
        for (const row of rows) {
          const p: Promise<void> = sendOne(row).finally(() => inFlight.delete(p));
          inFlight.add(p);
        }
      }
    } finally {
      // Even when the database throws, what is in flight is awaited and recorded before the run ends.
      await Promise.allSettled([...inFlight]);
    }
    if (stopping) return 'stopped';
    if (lost) {
      deps.logger.info({ postId: post.id }, 'Broadcast no longer ours (cancelled or taken over); stopped sending it');
      return 'lost';
    }
    if (paused) return pause(post, paused);
    return finish(post);
  }

  async function verify(token: string): Promise<string> {
    const attempts = deps.verifyAttempts ?? 5;
    for (let i = 1; ; i++) {
      try {
        return (await deps.articles.verify(token)).articleId;
      } catch (err) {
        // Zalo processes new articles asynchronously: verify can refuse for a while before it succeeds.
        if (i >= attempts || classifySendFailure(err).kind !== 'refused') throw err;
        await sleep(deps.verifyDelayMs ?? 2_000);
      }
    }
  }

  async function runArticle(post: PostRow): Promise<RunOutcome> {
    if (deps.quiet.isQuiet(now())) return pause(post, { at: deps.quiet.endsAfter(now()), code: null, error: `quiet hours ${deps.quiet.describe()}` });
    let articleId = post.article_id;
    if (!articleId) {
      try {
        // A crash between create and saving the token only leaves an unpublished article behind; nothing is sent.
        let token = post.article_token;
        if (!token) {
          token = (await deps.articles.create(buildArticleDraft(post, deps.articleAuthor))).token;
          if (!deps.posts.saveArticleToken(post.id, deps.owner, token, now())) return 'lost';
          deps.posts.addHistory(post.id, now(), 'scheduler', 'article_created', token);
        }
        articleId = await verify(token);
        if (!deps.posts.saveArticleId(post.id, deps.owner, articleId, now())) return 'lost';
        deps.posts.addHistory(post.id, now(), 'scheduler', 'article_verified', articleId);
      } catch (err) {
        const failure = classifySendFailure(err);
        if (failure.kind === 'refused') {
          // Zalo will not take this article (content, quota, permissions): staff must fix it; nothing went out.
          deps.posts.finish(post.id, deps.owner, 'failed', now(), { code: failure.code, error: failure.message });
          deps.posts.addHistory(post.id, now(), 'scheduler', 'finished', `failed: ${failure.message}`);
          deps.logger.error({ postId: post.id, code: failure.code }, 'Zalo refused the article; the post failed before any send');
          return 'finished';
        }
        return pause(post, { at: now() + RETRY_PAUSE_MS, code: null, error: failure.message });
      }
    }
    if (deps.posts.get(post.id)?.status !== 'sending') return 'lost';
    if (deps.deliveries.freezeWholeAudience(post.id, deps.owner, now()) === undefined) return 'lost';
    await deps.bucket.take();
    if (stopping) return 'stopped';
    const rows = deps.deliveries.claimNext(post.id, deps.owner, now(), now() + deps.leaseMs, 1);
    if (rows === undefined) return 'lost';
    for (const row of rows) {
      try {
        const { messageId } = await deps.articles.broadcast(articleId);
        record('sent', () => deps.deliveries.markSent(row.id, messageId, now()));
        deps.posts.addHistory(post.id, now(), 'scheduler', 'broadcast', messageId ?? 'no message id returned');
      } catch (err) {
        const result = onFailure(row, classifySendError(err), () => deps.quiet.endsAfter(now()));
        if (result && result !== 'unknown') return pause(post, result);
      }
    }
    if (stopping) return 'stopped';
    return finish(post);
  }

  return {
    async run(post) {
      if (stopping) return 'stopped';
      return post.mode === 'article' ? runArticle(post) : runMessages(post);
    },
    stop() {
      stopping = true;
    },
  };
}
