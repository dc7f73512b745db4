import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDir } from '../helpers/bot.ts';
import { createRig, DAY, followerIds, receivedBy, type Rig } from './rig.ts';
import { deliveryRows } from '../helpers/db-reads.ts';

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) {
    await r.close();
    removeTempDir(r.dir);
  }
});

async function rig(...args: Parameters<typeof createRig>): Promise<Rig> {
  const r = await createRig(...args);
  rigs.push(r);
  return r;
}

describe('on-time send', () => {
  it('sends nothing before send_at and one message per follower at send_at', async () => {
    const r = await rig({ start: '2025-03-10T08:59:00+07:00' });
    const ids = followerIds(25);
    r.addFollowers(ids);
    const id = r.addPost({ sendAt: '2025-03-10T09:00:00+07:00', linkUrl: 'https://dichvucong.gov.vn' });

    await r.tickAndWait();
    expect(r.fake!.sent).toHaveLength(0);
    expect(r.post(id).status).toBe('scheduled');

    r.clock.set('2025-03-10T09:00:00+07:00');
    await r.tickAndWait();
    const got = receivedBy(r.fake!);
    expect([...got.keys()].sort()).toEqual(ids);
    expect([...got.values()].every((n) => n === 1)).toBe(true);
    expect(r.post(id).status).toBe('sent');
    expect(r.broadcasts.deliveries.counts(id)).toMatchObject({ sent: 25, failed: 0, out_of_window: 0, unknown: 0, pending: 0 });

    // The message is the body with a link button, as one CS message.
    const body = r.fake!.sent[0]!.body as { message: { text: string; attachment: { payload: { buttons: { type: string; payload: { url: string } }[] } } } };
    expect(body.message.text).toContain('Cổng dịch vụ công');
    expect(body.message.attachment.payload.buttons[0]).toMatchObject({ type: 'oa.open.url', payload: { url: 'https://dichvucong.gov.vn' } });

    // Ticking again sends nothing more.
    r.clock.advance(5 * 60_000);
    await r.tickAndWait();
    expect(r.fake!.sent).toHaveLength(25);
  });

  it('sends an image post as one media message whose caption ends with the link', async () => {
    const r = await rig({ start: '2025-03-10T09:00:00+07:00' });
    r.addFollowers(['8410000000000000001']);
    r.addPost({ imageUrl: 'https://example.gov.vn/a.jpg', linkUrl: 'https://example.gov.vn/tin' });
    await r.tickAndWait();
    const message = (r.fake!.sent[0]!.body as { message: { text: string; attachment: { payload: { template_type: string } } } }).message;
    expect(message.attachment.payload.template_type).toBe('media');
    expect(message.text.endsWith('\nhttps://example.gov.vn/tin')).toBe(true);
  });
});

describe('audience', () => {
  it('skips unfollowed and opted-out users, counts users outside the 7-day window without sending', async () => {
    const r = await rig({ start: '2025-03-10T09:00:00+07:00', fake: { outOfWindow: new Set(['8410000000000000006']) } });
    const now = r.clock.now().getTime();
    r.addFollowers(['8410000000000000001']); // wrote an hour ago
    r.addFollowers(['8410000000000000002'], now - 8 * DAY); // wrote 8 days ago
    r.addFollowers(['8410000000000000003']);
    r.users.setFollower('8410000000000000003', false, now - DAY); // unfollowed
    r.addFollowers(['8410000000000000004']);
    r.broadcasts.followers.optOut('8410000000000000004', now - DAY); // typed "dừng nhận tin"
    r.addFollowers(['8410000000000000005'], null); // never wrote (known from the follower sync)
    r.addFollowers(['8410000000000000006']); // our data says in window, Zalo says -230
    const id = r.addPost();

    await r.tickAndWait();
    expect([...receivedBy(r.fake!).keys()]).toEqual(['8410000000000000001']);
    expect(Object.fromEntries(r.ledger(id))).toEqual({
      '8410000000000000001': 'sent',
      '8410000000000000002': 'out_of_window',
      '8410000000000000005': 'out_of_window',
      '8410000000000000006': 'out_of_window',
    });
    expect(r.post(id).status).toBe('sent'); // out of window is not a failure
    const row = deliveryRows(r.db, id).find((d) => d.recipient === '8410000000000000006');
    expect(row?.error_code).toBe(-230);
  });

  it('honours an opt-out or an unfollow that arrives during the fan-out', async () => {
    const ids = followerIds(10);
    const r: Rig = await rig({
      start: '2025-03-10T09:00:00+07:00',
      concurrency: 1,
      fake: {
        onSend: (m) => {
          if (m.userId !== ids[0]) return;
          r.broadcasts.followers.optOut(ids[5]!, r.clock.now().getTime());
          r.users.setFollower(ids[7]!, false, r.clock.now().getTime());
        },
      },
    });
    r.addFollowers(ids);
    const id = r.addPost();
    await r.tickAndWait();
    const got = receivedBy(r.fake!);
    expect(got.has(ids[5]!)).toBe(false);
    expect(got.has(ids[7]!)).toBe(false);
    expect(got.size).toBe(8);
    expect(r.ledger(id).get(ids[5]!)).toBe('skipped');
    expect(r.ledger(id).get(ids[7]!)).toBe('skipped');
    expect(r.post(id).status).toBe('sent');
  });

  it('sends a tag audience to the tagged followers only', async () => {
    const r = await rig({ start: '2025-03-10T09:00:00+07:00' });
    const ids = followerIds(6);
    r.addFollowers(ids);
    for (const id of ids.slice(0, 2)) r.broadcasts.followers.addTag(id, 'doanh-nghiep', 0);
    r.addPost({ audienceTag: 'doanh-nghiep' });
    await r.tickAndWait();
    expect([...receivedBy(r.fake!).keys()].sort()).toEqual(ids.slice(0, 2));
  });
});

describe('cancel and reschedule', () => {
  it('a cancelled post is never sent; a rescheduled post goes out at the new time only', async () => {
    const r = await rig({ start: '2025-03-10T08:00:00+07:00' });
    r.addFollowers(followerIds(3));
    const cancelled = r.addPost({ sendAt: '2025-03-10T09:00:00+07:00' });
    const moved = r.addPost({ sendAt: '2025-03-10T09:00:00+07:00', title: 'moved' });
    r.broadcasts.service.cancel(cancelled, 'staff');
    r.broadcasts.service.update(moved, { sendAt: '2025-03-10T10:30:00+07:00' }, 'staff');

    r.clock.set('2025-03-10T09:00:00+07:00');
    await r.tickAndWait();
    expect(r.fake!.sent).toHaveLength(0);
    r.clock.set('2025-03-10T10:30:00+07:00');
    await r.tickAndWait();
    expect(r.fake!.sent).toHaveLength(3);
    expect(r.post(moved).status).toBe('sent');
    expect(r.post(cancelled).status).toBe('cancelled');
    r.clock.set('2025-03-10T12:00:00+07:00');
    await r.tickAndWait();
    expect(r.fake!.sent).toHaveLength(3);
  });

  it('cancelling during the fan-out stops it: the rest is never sent', async () => {
    const ids = followerIds(12);
    let postId = 0;
    const r: Rig = await rig({
      start: '2025-03-10T09:00:00+07:00',
      concurrency: 1,
      fake: { onSend: () => void (r.fake!.sent.length === 3 && r.broadcasts.service.cancel(postId, 'staff')) },
    });
    r.addFollowers(ids);
    postId = r.addPost();
    await r.tickAndWait();
    expect(r.fake!.sent).toHaveLength(3);
    expect(r.post(postId).status).toBe('cancelled');
    expect(r.broadcasts.deliveries.counts(postId)).toMatchObject({ sent: 3, cancelled: 9, pending: 0 });
    r.clock.advance(3600_000);
    await r.tickAndWait();
    expect(r.fake!.sent).toHaveLength(3);
  });
});

describe('quiet hours', () => {
  const quietHours = { startMinute: 22 * 60, endMinute: 6 * 60 };

  it('pauses at 22:00 in the middle of a fan-out and resumes at 06:00 without sending anyone twice', async () => {
    const ids = followerIds(10);
    const r: Rig = await rig({
      start: '2025-03-10T21:55:00+07:00',
      concurrency: 1,
      config: { quietHours },
      // After the fourth message the clock passes 22:00.
      fake: { onSend: () => void (r.fake!.sent.length === 4 && r.clock.set('2025-03-10T22:00:30+07:00')) },
    });
    r.addFollowers(ids);
    const id = r.addPost({ sendAt: '2025-03-10T21:50:00+07:00' });

    await r.tickAndWait();
    expect(r.fake!.sent).toHaveLength(4);
    expect(r.post(id).status).toBe('sending');
    expect(new Date(r.post(id).resume_at!).toISOString()).toBe('2025-03-10T23:00:00.000Z'); // 06:00 local

    r.clock.set('2025-03-11T03:00:00+07:00');
    await r.tickAndWait();
    expect(r.fake!.sent).toHaveLength(4);

    r.clock.set('2025-03-11T06:00:00+07:00');
    await r.tickAndWait();
    const got = receivedBy(r.fake!);
    expect([...got.keys()].sort()).toEqual(ids);
    expect([...got.values()].every((n) => n === 1)).toBe(true);
    expect(r.post(id).status).toBe('sent');
  });

  it('treats Zalo\'s night refusal (-234) as "not now": the follower gets the post once, later', async () => {
    const ids = followerIds(4);
    const r = await rig({ start: '2025-03-10T09:00:00+07:00', fake: { nightRefused: new Set([ids[2]!]) } });
    r.addFollowers(ids);
    const id = r.addPost();
    await r.tickAndWait();
    expect(r.post(id).status).toBe('sending');
    expect(r.ledger(id).get(ids[2]!)).toBe('pending');
    expect(r.post(id).last_error_code).toBe(-234);

    r.fake!.options.nightRefused = false;
    r.clock.advance(31 * 60_000);
    await r.tickAndWait();
    expect(receivedBy(r.fake!).get(ids[2]!)).toBe(1);
    expect([...receivedBy(r.fake!).values()].every((n) => n === 1)).toBe(true);
    expect(r.post(id).status).toBe('sent');
  });
});

describe('missed posts and the grace window', () => {
  it('at start-up sends a post late by at most the grace, marks a later one missed, and a missed post can be rescheduled', async () => {
    // The server was down from 08:30; it starts again at 11:30 local.
    const r = await rig({ start: '2025-03-10T11:30:00+07:00', config: { graceMinutes: 120 } });
    const ids = followerIds(3);
    r.addFollowers(ids);
    const late = r.addPost({ sendAt: '2025-03-10T09:40:00+07:00', title: 'late 110 min' });
    const tooLate = r.addPost({ sendAt: '2025-03-10T09:00:00+07:00', title: 'late 150 min' });

    r.broadcasts.start();
    await r.broadcasts.idle();
    await r.broadcasts.tick(); // in case start-up's tick is still being claimed
    await r.broadcasts.idle();
    expect(r.post(late).status).toBe('sent');
    expect(r.post(tooLate).status).toBe('missed');
    expect(r.fake!.sent).toHaveLength(3);
    expect(r.broadcasts.posts.history(tooLate).map((h) => h.action)).toContain('missed');

    // Staff decide to send it after all ("gửi bù").
    const view = r.broadcasts.service.update(tooLate, { sendAt: '2025-03-10T14:00:00+07:00' }, 'staff');
    expect(view.status).toBe('scheduled');
    r.clock.set('2025-03-10T14:00:00+07:00');
    await r.tickAndWait();
    expect(r.post(tooLate).status).toBe('sent');
    expect([...receivedBy(r.fake!).values()]).toEqual([2, 2, 2]);
  });
});

describe('failures', () => {
  it('a refused delivery is failed with its code, the others are sent: partially_sent', async () => {
    const ids = followerIds(3);
    const r = await rig({ start: '2025-03-10T09:00:00+07:00', fake: false });
    r.addFollowers(ids);
    const id = r.addPost();
    const { default: nock } = await import('nock');
    nock.disableNetConnect();
    try {
      const scope = nock('https://openapi.zalo.me')
        .post('/v3.0/oa/message/cs', (b: { recipient: { user_id: string } }) => b.recipient.user_id !== ids[1])
        .times(2)
        .reply(200, (_u, b) => ({ error: 0, message: 'Success', data: { message_id: `m-${(b as { recipient: { user_id: string } }).recipient.user_id}` } }))
        .post('/v3.0/oa/message/cs', (b: { recipient: { user_id: string } }) => b.recipient.user_id === ids[1])
        .reply(200, { error: -244, message: 'User restricted this message type from your OA' });
      await r.tickAndWait();
      expect(scope.isDone()).toBe(true);
    } finally {
      nock.cleanAll();
      nock.enableNetConnect();
    }
    expect(r.ledger(id).get(ids[1]!)).toBe('failed');
    const ledger = deliveryRows(r.db, id);
    expect(ledger.find((d) => d.recipient === ids[1])).toMatchObject({ error_code: -244, zalo_message_id: null });
    expect(ledger.find((d) => d.recipient === ids[0])?.zalo_message_id).toBe(`m-${ids[0]}`);
    expect(r.post(id).status).toBe('partially_sent');
  });

  it('a timeout is recorded as unknown and never retried (the citizen may have the message)', async () => {
    const ids = followerIds(2);
    const r = await rig({ start: '2025-03-10T09:00:00+07:00', fake: false, concurrency: 1, timeoutMs: 300 });
    r.addFollowers(ids);
    const id = r.addPost();
    const { default: nock } = await import('nock');
    nock.disableNetConnect();
    try {
      nock('https://openapi.zalo.me')
        .post('/v3.0/oa/message/cs', (b: { recipient: { user_id: string } }) => b.recipient.user_id === ids[0])
        .delay(2_000) // longer than the client's timeout
        .reply(200, { error: 0, data: { message_id: 'late' } })
        .post('/v3.0/oa/message/cs', (b: { recipient: { user_id: string } }) => b.recipient.user_id === ids[1])
        .reply(200, { error: 0, data: { message_id: 'ok' } });
      await r.tickAndWait();
    } finally {
      nock.abortPendingRequests();
      nock.cleanAll();
      nock.enableNetConnect();
    }
    expect(Object.fromEntries(r.ledger(id))).toEqual({ [ids[0]!]: 'unknown', [ids[1]!]: 'sent' });
    expect(r.post(id).status).toBe('partially_sent');
  });
});
