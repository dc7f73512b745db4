import type { Logger } from 'pino';
import { AppError } from '../admin/app-error.ts';
import { isStaffMessageKey, staffMessage, type StaffMessageKey } from '../admin/staff-messages.ts';
import type { Clock } from '../clock.ts';
import type { ZaloClient } from '../zalo/client.ts';
import { classifySendFailure } from '../zalo/send-outcome.ts';
import type { DeliveryCounts, DeliveryRepository } from './delivery-repository.ts';
import { formatLocalIso, formatLocalShort, parseIsoInstant, quarterRange } from '../time.ts';
import { buildPostMessage, MESSAGE_MAX, messageLength } from './post-content.ts';
import { EDITABLE_STATUSES, type PostContent, type PostHistoryRow, type PostMode, type PostRepository, type PostRow, type PostStatus } from './post-repository.ts';
import type { QuietHours } from './quiet-hours.ts';

// The staff-side rules for posts, shared by the admin API and the CLIs: what may be scheduled, edited, cancelled.
// A refusal is an AppError with a Vietnamese message, and the field to correct when there is one.

/** A refusal about one field of the post (the console shows it beside that field). */
const refuse = (code: string, field: string, key: StaffMessageKey, vars: Record<string, string | number> = {}) =>
  new AppError(400, code, staffMessage(key, vars), { fields: { [field]: staffMessage(key, vars) } });
/** A status in staff's words ("Đã lên lịch"); an unknown one as it is. */
const statusName = (status: string) => {
  const key = `postStatus.${status}`;
  return isStaffMessageKey(key) ? staffMessage(key) : status;
};

export type Audience = 'all' | { tag: string };

/** A post as the admin API shows it. */
export interface PostView {
  id: number;
  title: string;
  body: string;
  imageUrl: string | null;
  linkUrl: string | null;
  mode: PostMode;
  audience: Audience;
  sendAt: string;
  sendAtLocal: string;
  status: PostStatus;
  createdBy: string;
  approvedBy: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  resumeAt: string | null;
  lastError: { code: number | null; message: string } | null;
  article: { token: string | null; id: string | null; broadcastMessageId: string | null } | null;
  plan: unknown;
  counts: DeliveryCounts;
}

export interface NewPostInput {
  title: string;
  body: string;
  imageUrl?: string | undefined;
  linkUrl?: string | undefined;
  mode: PostMode;
  sendAt: string;
  audience?: Audience | undefined;
  status?: 'draft' | 'scheduled' | undefined;
}

export interface PostPatch {
  title?: string | undefined;
  body?: string | undefined;
  imageUrl?: string | null | undefined;
  linkUrl?: string | null | undefined;
  mode?: PostMode | undefined;
  sendAt?: string | undefined;
  audience?: Audience | undefined;
  status?: 'draft' | 'scheduled' | undefined;
}

export interface QuarterReport {
  quarter: string;
  timeZone: string;
  from: string;
  to: string;
  posts: (Pick<PostView, 'id' | 'title' | 'mode' | 'status' | 'sendAt' | 'sendAtLocal' | 'counts'> & { leadUnits: string[] })[];
  totals: { posts: number; byStatus: Partial<Record<PostStatus, number>>; deliveries: DeliveryCounts };
}

export interface PostService {
  create(input: NewPostInput, actor: string): number;
  get(id: number): PostView & { history: PostHistoryRow[] };
  list(status?: PostStatus): PostView[];
  update(id: number, patch: PostPatch, actor: string): PostView;
  cancel(id: number, actor: string): PostView;
  preview(id: number, userId: string, actor: string): Promise<{ messageIds: string[] }>;
  report(quarter: string): QuarterReport;
}

export interface PostServiceDeps {
  posts: PostRepository;
  deliveries: DeliveryRepository;
  quiet: QuietHours;
  clock: Clock;
  logger: Logger;
  timeZone: string;
  /** Sends previews (to staff accounts; a rare duplicate there is harmless, so the retrying client is fine). */
  client: Pick<ZaloClient, 'sendMessage'>;
  linkButtonTitle: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Post rules on top of the repositories. */
export function createPostService(deps: PostServiceDeps): PostService {
  const now = () => deps.clock.now().getTime();
  const local = (ms: number) => `${formatLocalShort(ms, deps.timeZone)} (${deps.timeZone})`;

  function view(row: PostRow): PostView {
    return {
      id: row.id,
      title: row.title,
      body: row.body,
      imageUrl: row.image_url,
      linkUrl: row.link_url,
      mode: row.mode,
      audience: row.audience_tag === null ? 'all' : { tag: row.audience_tag },
      sendAt: formatLocalIso(row.send_at, deps.timeZone),
      sendAtLocal: formatLocalShort(row.send_at, deps.timeZone),
      status: row.status,
      createdBy: row.created_by,
      approvedBy: row.approved_by,
      createdAt: iso(row.created_at)!,
      updatedAt: iso(row.updated_at)!,
      startedAt: iso(row.started_at),
      finishedAt: iso(row.finished_at),
      resumeAt: row.status === 'sending' ? iso(row.resume_at) : null,
      lastError: row.last_error === null ? null : { code: row.last_error_code, message: row.last_error },
      article:
        row.mode === 'article'
          ? { token: row.article_token, id: row.article_id, broadcastMessageId: deps.deliveries.wholeAudienceMessageId(row.id) }
          : null,
      plan: row.plan_json === null ? null : (JSON.parse(row.plan_json) as unknown),
      counts: deps.deliveries.counts(row.id),
    };
  }

  function load(id: number): PostRow {
    const row = deps.posts.get(id);
    if (!row) throw new AppError(404, 'post_not_found', staffMessage('postNotFound', { id }));
    return row;
  }

  function parseSendAt(text: string): number {
    const at = parseIsoInstant(text);
    if (at === undefined) {
      throw refuse('invalid_send_at', 'sendAt', 'sendAtInvalid', { text });
    }
    return at;
  }

  /** Everything that must hold before a post goes out, checked when it is scheduled. */
  function checkContent(c: PostContent, scheduling: boolean): void {
    // A Zalo article needs a cover photo, and goes to every follower (broadcasts cannot target a tag).
    if (c.mode === 'article' && !c.imageUrl) throw refuse('article_needs_image', 'imageUrl', 'articleNeedsImage');
    if (c.mode === 'article' && c.audienceTag !== null) throw refuse('article_audience_all', 'audience', 'articleAudienceAll');
    if (c.mode === 'message' && messageLength({ body: c.body, image_url: c.imageUrl, link_url: c.linkUrl }) > MESSAGE_MAX) {
      throw refuse('message_too_long', 'body', 'messageTooLong', { max: MESSAGE_MAX });
    }
    if (!scheduling) return;
    if (c.body.trim().length === 0) throw refuse('body_empty', 'body', 'bodyEmptyToSchedule');
    if (c.sendAt < now()) throw refuse('send_time_in_past', 'sendAt', 'sendAtInPast', { sendAt: local(c.sendAt), now: local(now()) });
    // Zalo refuses promotional sends at night.
    if (deps.quiet.isQuiet(c.sendAt)) throw refuse('quiet_hours', 'sendAt', 'sendAtQuietHours', { sendAt: local(c.sendAt), quiet: deps.quiet.describe() });
  }

  return {
    create(input, actor) {
      const content: PostContent = {
        title: input.title,
        body: input.body.normalize('NFC'),
        imageUrl: input.imageUrl ?? null,
        linkUrl: input.linkUrl ?? null,
        mode: input.mode,
        audienceTag: input.audience && input.audience !== 'all' ? input.audience.tag : null,
        sendAt: parseSendAt(input.sendAt),
      };
      const status = input.status ?? 'scheduled';
      checkContent(content, status === 'scheduled');
      const id = deps.posts.create({ ...content, status, createdBy: actor, approvedBy: status === 'scheduled' ? actor : null }, now());
      deps.logger.info({ postId: id, status, sendAt: formatLocalIso(content.sendAt, deps.timeZone) }, 'Broadcast post created');
      return id;
    },

    get(id) {
      return { ...view(load(id)), history: deps.posts.history(id) };
    },

    list(status) {
      return deps.posts.list(status ? { status } : {}).map(view);
    },

    update(id, patch, actor) {
      const row = load(id);
      if (!EDITABLE_STATUSES.has(row.status)) {
        throw new AppError(409, 'post_not_editable', staffMessage('postNotEditable', { id, status: statusName(row.status) }));
      }
      const content: PostContent = {
        title: patch.title ?? row.title,
        body: (patch.body ?? row.body).normalize('NFC'),
        imageUrl: patch.imageUrl === undefined ? row.image_url : patch.imageUrl,
        linkUrl: patch.linkUrl === undefined ? row.link_url : patch.linkUrl,
        mode: patch.mode ?? row.mode,
        audienceTag: patch.audience === undefined ? row.audience_tag : patch.audience === 'all' ? null : patch.audience.tag,
        sendAt: patch.sendAt === undefined ? row.send_at : parseSendAt(patch.sendAt),
      };
      // A missed post given a new time is scheduled again ("gửi bù"); otherwise the status changes only when asked.
      const status = patch.status ?? (row.status === 'missed' && patch.sendAt !== undefined ? 'scheduled' : row.status);
      if (status !== 'draft' && status !== 'scheduled' && status !== 'missed') {
        throw new AppError(409, 'post_not_editable', staffMessage('postStatusNotAllowed', { id, status: statusName(status) }));
      }
      checkContent(content, status === 'scheduled');
      const approvedBy = status === 'scheduled' ? actor : null;
      if (!deps.posts.update(id, row.status, content, status, approvedBy, now())) {
        const current = deps.posts.get(id)?.status;
        throw new AppError(409, 'post_changed', staffMessage('postChanged', { id, status: current ? statusName(current) : staffMessage('postGone') }));
      }
      const retimed = content.sendAt !== row.send_at ? ` sendAt ${formatLocalIso(content.sendAt, deps.timeZone)}` : '';
      deps.posts.addHistory(id, now(), actor, status === row.status ? 'updated' : status, `${Object.keys(patch).join(', ')}${retimed}`);
      return view(load(id));
    },

    cancel(id, actor) {
      const row = load(id);
      const previous = deps.posts.cancel(id, now());
      if (!previous) throw new AppError(409, 'post_not_cancellable', staffMessage('postNotCancellable', { id, status: statusName(deps.posts.get(id)?.status ?? row.status) }));
      deps.posts.addHistory(id, now(), actor, 'cancelled', `was ${previous}`);
      deps.logger.info({ postId: id, previous }, 'Broadcast post cancelled');
      return view(load(id));
    },

    async preview(id, userId, actor) {
      const row = load(id);
      try {
        const result = await deps.client.sendMessage(userId, buildPostMessage(row, deps.linkButtonTitle));
        deps.posts.addHistory(id, now(), actor, 'preview', `sent to ${userId}`);
        return result;
      } catch (err) {
        const failure = classifySendFailure(err);
        // Zalo's own words go to the log; staff get what to do about it.
        deps.logger.warn({ postId: id, kind: failure.kind, code: failure.kind === 'refused' ? failure.code : undefined, err: failure.message }, 'Post preview not sent');
        if (failure.kind === 'refused') {
          throw new AppError(422, 'preview_refused', staffMessage('previewRefused', { code: failure.code }), { details: { zaloCode: failure.code }, cause: err });
        }
        throw new AppError(502, 'zalo_unreachable', staffMessage('previewUnreachable'), { cause: err });
      }
    },

    report(quarter) {
      const range = quarterRange(quarter, deps.timeZone);
      if (!range) throw AppError.field('quarter', staffMessage('zod.quarter', { field: staffMessage('field.quarter') }));
      const rows = deps.posts.list({ from: range.from, to: range.to });
      const counts = deps.deliveries.countsByPost(rows.map((r) => r.id));
      const totals: QuarterReport['totals'] = { posts: rows.length, byStatus: {}, deliveries: { sent: 0, failed: 0, out_of_window: 0, unknown: 0, pending: 0, skipped: 0, cancelled: 0 } };
      const posts = rows.map((r) => {
        const c = counts.get(r.id)!;
        totals.byStatus[r.status] = (totals.byStatus[r.status] ?? 0) + 1;
        for (const k of Object.keys(c) as (keyof DeliveryCounts)[]) totals.deliveries[k] += c[k];
        const plan = r.plan_json === null ? undefined : (JSON.parse(r.plan_json) as { leadUnits?: unknown });
        const leadUnits = Array.isArray(plan?.leadUnits) ? plan.leadUnits.map(String) : [];
        return { id: r.id, title: r.title, mode: r.mode, status: r.status, sendAt: formatLocalIso(r.send_at, deps.timeZone), sendAtLocal: formatLocalShort(r.send_at, deps.timeZone), counts: c, leadUnits };
      });
      return {
        quarter: quarter.toUpperCase(),
        timeZone: deps.timeZone,
        from: formatLocalIso(range.from, deps.timeZone),
        to: formatLocalIso(range.to, deps.timeZone),
        posts,
        totals,
      };
    },
  };
}
