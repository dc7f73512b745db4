import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import type { FollowerRepository } from '../followers/follower-repository.ts';
import type { FollowerSyncResult } from '../followers/follower-sync.ts';
import { staffMessage } from '../admin/staff-messages.ts';
import { CS_WINDOW_MS } from './broadcast-sender.ts';
import { POST_STATUSES } from './post-repository.ts';
import { PostRequestError, type PostService } from './post-service.ts';

// The staff JSON API for broadcasts, mounted on /admin/api behind the bearer token. zod checks the shape here;
// the rules (past, quiet hours, what can be edited when) live in the post service.

const httpUrl = z
  .string()
  .trim()
  .max(1000)
  .refine((v) => /^https?:\/\/[^\s]+$/i.test(v), { message: 'must be an http(s) URL' });
const tag = z.string().trim().min(1).max(50);
const audience = z.union([z.literal('all'), z.strictObject({ tag })]);
const userId = z.string().regex(/^\d{1,25}$/, 'must be a Zalo user id (digits, as a string)');
const postId = z.coerce.number().int().positive();

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

export interface BroadcastAdminDeps {
  service: PostService;
  followers: FollowerRepository;
  syncFollowers(): Promise<FollowerSyncResult>;
  clock: Clock;
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'body'}: ${i.message}`).join('; ');
}

/** Parses with zod or answers 400 naming the fields; undefined when the answer was sent. */
function parse<T>(schema: z.ZodType<T>, value: unknown, res: Response): T | undefined {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  res.status(400).json({ error: describe(parsed.error) });
  return undefined;
}

const actorOf = (req: Request) => req.actor?.name ?? 'unknown';

/** Runs a handler and turns a PostRequestError into its status and message. */
function handle(fn: (req: Request, res: Response) => Promise<void> | void) {
  return async (req: Request, res: Response) => {
    try {
      await fn(req, res);
    } catch (err) {
      if (err instanceof PostRequestError) {
        res.status(err.status).json({ error: err.message });
        return;
      }
      throw err;
    }
  };
}

/** Routes: /posts, /posts/:id, /posts/:id/cancel, /posts/:id/preview, /reports/broadcasts, /followers/… */
export function createBroadcastAdminRouter(deps: BroadcastAdminDeps): Router {
  const router = express.Router();

  router.post(
    '/posts',
    handle((req, res) => {
      const body = parse(createBody, req.body, res);
      if (!body) return;
      const id = deps.service.create(body, actorOf(req));
      res.status(201).json({ id });
    }),
  );

  router.get(
    '/posts',
    handle((req, res) => {
      const status = parse(z.strictObject({ status: z.enum(POST_STATUSES).optional() }), req.query, res);
      if (!status) return;
      res.json({ posts: deps.service.list(status.status) });
    }),
  );

  router.get(
    '/posts/:id',
    handle((req, res) => {
      const id = parse(postId, req.params.id, res);
      if (id === undefined) return;
      res.json(deps.service.get(id));
    }),
  );

  router.patch(
    '/posts/:id',
    handle((req, res) => {
      const id = parse(postId, req.params.id, res);
      if (id === undefined) return;
      const patch = parse(patchBody, req.body, res);
      if (!patch) return;
      res.json(deps.service.update(id, patch, actorOf(req)));
    }),
  );

  router.post(
    '/posts/:id/cancel',
    handle((req, res) => {
      const id = parse(postId, req.params.id, res);
      if (id === undefined) return;
      res.json(deps.service.cancel(id, actorOf(req)));
    }),
  );

  router.post(
    '/posts/:id/preview',
    handle(async (req, res) => {
      const id = parse(postId, req.params.id, res);
      if (id === undefined) return;
      const body = parse(previewBody, req.body, res);
      if (!body) return;
      // A preview is a message from the OA to one person: only to the sender's own Zalo ids, or an editor could
      // message any citizen in the OA's name. The staff guard audits this refusal (access.denied).
      if (!req.actor?.mayPreviewTo?.(body.userId)) {
        res.status(403).json({ error: staffMessage('previewNotOwnId') });
        return;
      }
      const result = await deps.service.preview(id, body.userId, actorOf(req));
      res.json({ sent: true, userId: body.userId, messageIds: result.messageIds });
    }),
  );

  router.get(
    '/reports/broadcasts',
    handle((req, res) => {
      const query = parse(z.strictObject({ quarter: z.string().regex(/^\d{4}-Q[1-4]$/i, 'must look like 2025-Q1') }), req.query, res);
      if (!query) return;
      res.json(deps.service.report(query.quarter));
    }),
  );

  router.post(
    '/followers/sync',
    handle(async (_req, res) => {
      try {
        res.json(await deps.syncFollowers());
      } catch (err) {
        res.status(502).json({ error: `follower sync failed: ${(err as Error).message}` });
      }
    }),
  );

  router.get(
    '/followers/stats',
    handle((_req, res) => {
      res.json(deps.followers.stats(deps.clock.now().getTime() - CS_WINDOW_MS));
    }),
  );

  router.put(
    '/followers/:userId/tags/:tag',
    handle((req, res) => {
      const p = parse(z.object({ userId, tag }), req.params, res);
      if (!p) return;
      deps.followers.addTag(p.userId, p.tag, deps.clock.now().getTime());
      res.json({ userId: p.userId, tags: deps.followers.tagsOf(p.userId) });
    }),
  );

  router.delete(
    '/followers/:userId/tags/:tag',
    handle((req, res) => {
      const p = parse(z.object({ userId, tag }), req.params, res);
      if (!p) return;
      deps.followers.removeTag(p.userId, p.tag);
      res.json({ userId: p.userId, tags: deps.followers.tagsOf(p.userId) });
    }),
  );

  return router;
}
