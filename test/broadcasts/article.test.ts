import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDir } from '../helpers/bot.ts';
import { useNock } from '../helpers/nock.ts';
import { createRig, type Rig } from './rig.ts';

// Article mode against Zalo's HTTP layer (nock): create → verify → one broadcast, ids recorded, never twice.

useNock();
const ZALO = 'https://openapi.zalo.me';
let r: Rig | undefined;
// Calls no interceptor answered (a second create, verify or broadcast would land here).
let unmatched: string[] = [];
const onNoMatch = (req: { path?: string }) => void unmatched.push(req.path ?? '?');
nock.emitter.on('no match', onNoMatch);
afterEach(async () => {
  expect(unmatched).toEqual([]);
  unmatched = [];
  await r?.close();
  if (r) removeTempDir(r.dir);
  r = undefined;
});

interface Calls {
  create: Record<string, unknown>[];
  verify: Record<string, unknown>[];
  broadcast: Record<string, unknown>[];
}

/** Zalo answering each article call once; any second call finds no interceptor and fails the send. */
function zaloOnce(calls: Calls) {
  return nock(ZALO)
    .post('/v2.0/article/create')
    .once()
    .reply(200, (_uri, body) => {
      calls.create.push(body as Record<string, unknown>);
      return { error: 0, message: 'Success', data: { token: 'tok-8f2a' } };
    })
    .post('/v2.0/article/verify')
    .once()
    .reply(200, (_uri, body) => {
      calls.verify.push(body as Record<string, unknown>);
      return { error: 0, message: 'Success', data: { id: '9876543210123456789' } };
    })
    .post('/v2.0/oa/message')
    .once()
    .reply(200, (_uri, body) => {
      calls.broadcast.push(body as Record<string, unknown>);
      return { error: 0, message: 'Success', data: { message_id: 'bc-4242' } };
    });
}

describe('article mode', () => {
  it('creates, verifies and broadcasts exactly once, in that order, and records Zalo\'s ids', async () => {
    r = await createRig({ start: '2025-05-05T09:00:00+07:00', fake: false });
    r.addFollowers(['8410000000000000001', '8410000000000000002']);
    const calls: Calls = { create: [], verify: [], broadcast: [] };
    const order: string[] = [];
    const scope = zaloOnce(calls);
    scope.on('request', (req: { path: string }) => order.push(req.path));
    const id = r.addPost({ mode: 'article', title: 'Đề án 06', body: 'Đoạn một.\n\nĐoạn hai.', imageUrl: 'https://example.gov.vn/cover.jpg', sendAt: '2025-05-05T09:00:00+07:00' });

    await r.tickAndWait();
    expect(scope.isDone()).toBe(true);
    expect(order).toEqual(['/v2.0/article/create', '/v2.0/article/verify', '/v2.0/oa/message']);
    expect(calls.create[0]).toMatchObject({ type: 'normal', title: 'Đề án 06', cover: { cover_type: 'photo', photo_url: 'https://example.gov.vn/cover.jpg' } });
    expect(calls.create[0]!.body).toEqual([
      { type: 'text', content: 'Đoạn một.' },
      { type: 'text', content: 'Đoạn hai.' },
    ]);
    expect(calls.verify[0]).toEqual({ token: 'tok-8f2a' });
    expect(calls.broadcast[0]).toEqual({
      recipient: { target: {} },
      message: { attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'article', attachment_id: '9876543210123456789' }] } } },
    });

    const post = r.post(id);
    expect(post.status).toBe('sent');
    expect(post.article_token).toBe('tok-8f2a');
    expect(post.article_id).toBe('9876543210123456789');
    expect(r.broadcasts.service.get(id).article).toEqual({ token: 'tok-8f2a', id: '9876543210123456789', broadcastMessageId: 'bc-4242' });
    // Nothing was sent per follower: the broadcast is one send to the whole audience.
    expect(Object.fromEntries(r.ledger(id))).toEqual({ '*': 'sent' });

    // A later tick (or a restart) does not broadcast again: no interceptor is left, a call would fail the test.
    r.clock.advance(3600_000);
    await r.tickAndWait();
    expect(r.post(id).status).toBe('sent');
  });

  it('a broadcast in flight when its process died is unknown after takeover and never sent again', async () => {
    r = await createRig({ start: '2025-05-05T09:00:00+07:00', fake: false });
    const id = r.addPost({ mode: 'article', imageUrl: 'https://example.gov.vn/cover.jpg', sendAt: '2025-05-05T09:00:00+07:00' });
    // State a kill -9 leaves: article verified, the whole-audience delivery claimed, the owner process gone. Written
    // in raw SQL: no repository call leaves a lease to a process that no longer exists.
    const deadOwner = `${(await import('node:os')).hostname()}:999999:deadbeef`;
    r.db.prepare(`UPDATE broadcast_posts SET status = 'sending', lease_owner = ?, lease_until = ?, article_token = 't', article_id = 'a1', audience_frozen_at = 1 WHERE id = ?`).run(
      deadOwner,
      r.clock.now().getTime() + 3600_000,
      id,
    );
    r.db.prepare(`INSERT INTO broadcast_deliveries (post_id, recipient, status, created_at) VALUES (?, '*', 'sending', 1)`).run(id);

    await r.tickAndWait(); // no interceptor: any call to Zalo would be refused by nock and show up as an error
    expect(r.ledger(id).get('*')).toBe('unknown');
    expect(r.post(id).status).toBe('failed');
    expect(r.broadcasts.posts.history(id).map((h) => h.action)).toContain('taken_over');
  });

  it('an article Zalo refuses fails the post before anything is broadcast', async () => {
    r = await createRig({ start: '2025-05-05T09:00:00+07:00', fake: false });
    const scope = nock(ZALO).post('/v2.0/article/create').reply(200, { error: -223, message: 'Article quota reached' });
    const id = r.addPost({ mode: 'article', imageUrl: 'https://example.gov.vn/cover.jpg', sendAt: '2025-05-05T09:00:00+07:00' });
    await r.tickAndWait();
    expect(scope.isDone()).toBe(true);
    expect(r.post(id)).toMatchObject({ status: 'failed', last_error_code: -223 });
    expect(r.ledger(id).size).toBe(0);
  });
});
