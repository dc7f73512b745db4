import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestBot, waitFor, type TestBot } from '../helpers/bot.ts';
import { uniqueMsgId } from '../helpers/fixtures.ts';

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

describe('refresh storms and a busy database', () => {
  it('50 calls hitting an expired token at once make exactly one OAuth call', async () => {
    tb = await startTestBot({ outboxPollMs: 20 });
    // Zalo has expired the token the bot holds.
    tb.fake!.state.accessToken = 'zalo-side-new-token';
    const before = tb.fake!.oauthCalls;
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => tb!.bot.client.sendMessage(`70000000000000${i}`, { kind: 'text', text: `tin ${i}` })));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(tb.fake!.oauthCalls - before).toBe(1);
    expect(tb.fake!.sent).toHaveLength(50);
  });

  it('waits for a locked database instead of failing the webhook or the worker', async () => {
    tb = await startTestBot({ outboxPollMs: 20 });
    // Another process (a backup, a CLI) holds the write lock for 700 ms.
    const holder = spawn(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(tb.dbPath)});d.exec('BEGIN EXCLUSIVE');console.log('locked');setTimeout(()=>{d.exec('COMMIT');d.close()},700)`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((r) => holder.stdout!.once('data', r));
    // Listen for the holder's exit now: the ack may come after the lock is released, and the exit event with it.
    const released = new Promise((r) => holder.once('exit', r));
    const pending = tb.post({ app_id: '3608465249409039670', event_name: 'user_send_text', timestamp: String(Date.now()), sender: { id: '7300000000000000001' }, recipient: { id: '1' }, message: { msg_id: uniqueMsgId(), text: 'xin chào' } });
    expect((await pending).status).toBe(200);
    await released;
    await waitFor('the reply', () => tb!.fake!.messagesFor('7300000000000000001').length > 0);
  });
});
