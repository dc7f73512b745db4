import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import type { FollowerRepository } from '../followers/follower-repository.ts';
import type { FollowerSyncResult } from '../followers/follower-sync.ts';
import { AppError } from '../admin/app-error.ts';
import { httpUrl, positiveId, validate, zaloUserId as userId } from '../admin/request-schemas.ts';
import { staffMessage } from '../admin/staff-messages.ts';
import { CS_WINDOW_MS } from './broadcast-sender.ts';
import { POST_STATUSES } from './post-repository.ts';
import type { PostService } from './post-service.ts';

// The staff JSON API for broadcasts, mounted on /admin/api behind the staff guard. zod checks the shape here;
// the rules (past, quiet hours, what can be edited when) live in the post service. Both refuse with AppError.

const tag = z.string().trim().min(1).max(50);
const audience = z.union([z.literal('all'), z.strictObject({ tag })]);

const createBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(2000),
  imageUrl: httpUrl.optional(),
  linkUrl: httpUrl.optional(),
  mode: z.enum(['message', 'article']),
  sendAt: z.string().min(1),
  audience: audience.optional(),
  status: z.enum(['draft', 'scheduled']).optional(),
});
const patchBody = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  body: z.string().trim().max(2000).optional(),
  imageUrl: httpUrl.nullable().optional(),
  linkUrl: httpUrl.nullable().optional(),
  mode: z.enum(['message', 'article']).optional(),
  sendAt: z.string().min(1).optional(),
  audience: audience.optional(),
  status: z.enum(['draft', 'scheduled']).optional(),
});
const previewBody = z.strictObject({ userId });
const listQuery = z.strictObject({ status: z.enum(POST_STATUSES).optional() });
const reportQuery = z.strictObject({ quarter: z.string().regex(/^\d{4}-Q[1-4]$/i, staffMessage('zod.quarter')) });
const tagParams = z.object({ userId, tag });

export interface BroadcastAdminDeps {
  service: PostService;
  followers: FollowerRepository;
  syncFollowers(): Promise<FollowerSyncResult>;
  clock: Clock;
}

const actorOf = (req: Request) => req.actor?.name ?? 'unknown';
/** The post of /posts/:id; an id that cannot be one is a 400 naming the field. */
const postIdOf = (req: Request) => validate(z.object({ id: positiveId }), req.params).id;

/** Routes: /posts, /posts/:id, /posts/:id/cancel, /posts/:id/preview, /reports/broadcasts, /followers/… */
export function createBroadcastAdminRouter(deps: BroadcastAdminDeps): Router {
  const router = express.Router();

  router.post('/posts', (req, res) => {
    const body = validate(createBody, req.body ?? {});
    res.status(201).json({ id: deps.service.create(body, actorOf(req)) });
  });

  router.get('/posts', (req, res) => {
    res.json({ posts: deps.service.list(validate(listQuery, req.query).status) });
  });

  router.get('/posts/:id', (req, res) => {
    res.json(deps.service.get(postIdOf(req)));
  });

  router.patch('/posts/:id', (req, res) => {
    const id = postIdOf(req);
    res.json(deps.service.update(id, validate(patchBody, req.body ?? {}), actorOf(req)));
  });

  router.post('/posts/:id/cancel', (req, res) => {
    res.json(deps.service.cancel(postIdOf(req), actorOf(req)));
  });

  router.post('/posts/:id/preview', async (req, res) => {
    const id = postIdOf(req);
    const body = validate(previewBody, req.body ?? {});
    // A preview is a message from the OA to one person: only to the sender's own Zalo ids, or an editor could
    // message any citizen in the OA's name. The staff guard audits this refusal (access.denied).
    if (!req.actor?.mayPreviewTo?.(body.userId)) throw new AppError(403, 'preview_not_own_id', staffMessage('previewNotOwnId'));
    const result = await deps.service.preview(id, body.userId, actorOf(req));
    res.json({ sent: true, userId: body.userId, messageIds: result.messageIds });
  });

  router.get('/reports/broadcasts', (req, res) => {
    res.json(deps.service.report(validate(reportQuery, req.query).quarter));
  });

  router.post('/followers/sync', async (req, res) => {
    let result: FollowerSyncResult;
    try {
      result = await deps.syncFollowers();
    } catch (err) {
      // Zalo's own words go to the log; staff get a sentence (the error handler logs only unknown errors).
      req.log.warn({ err: (err as Error).message }, 'Follower sync failed');
      throw new AppError(502, 'follower_sync_failed', staffMessage('followerSyncFailed'), { cause: err });
    }
    res.json(result);
  });

  router.get('/followers/stats', (_req, res) => {
    res.json(deps.followers.stats(deps.clock.now().getTime() - CS_WINDOW_MS));
  });

  router.put('/followers/:userId/tags/:tag', (req, res) => {
    const p = validate(tagParams, req.params);
    deps.followers.addTag(p.userId, p.tag, deps.clock.now().getTime());
    res.json({ userId: p.userId, tags: deps.followers.tagsOf(p.userId) });
  });

  router.delete('/followers/:userId/tags/:tag', (req, res) => {
    const p = validate(tagParams, req.params);
    deps.followers.removeTag(p.userId, p.tag);
    res.json({ userId: p.userId, tags: deps.followers.tagsOf(p.userId) });
  });

  return router;
}
