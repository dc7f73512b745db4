import { expect } from 'vitest';
import { outboxSettled, type TestBot } from '../helpers/bot.ts';
import { uniqueMsgId } from '../helpers/fixtures.ts';

/** A message the citizen received, as Zalo would render it. */
export interface Received {
  text: string;
  buttons: { title: string; type: string; payload: unknown }[];
  template: string | undefined;
}

const OA = '4318000000000000001';
const APP = '3608465249409039670';

/** A citizen chatting with the bot through signed webhooks; each call returns the replies it caused. */
export function citizen(tb: TestBot, userId: string) {
  let seen = tb.fake!.messagesFor(userId).length;
  // Dated by the bot's own clock (often a fake one): the webhook refuses events outside its replay window.
  const ts = () => String(tb.bot.clock.now().getTime());
  async function send(body: Record<string, unknown>): Promise<Received[]> {
    const res = await tb.post(body);
    expect(res.status).toBe(200);
    await tb.bot.drainInbox();
    await outboxSettled(tb.bot);
    const all = tb.fake!.messagesFor(userId);
    const fresh = all.slice(seen);
    seen = all.length;
    return fresh.map((m) => {
      const message = m.body.message as { text?: string; attachment?: { payload?: { buttons?: Received['buttons']; template_type?: string } } };
      return { text: message.text ?? '', buttons: message.attachment?.payload?.buttons ?? [], template: message.attachment?.payload?.template_type };
    });
  }
  return {
    say: (text: string) => send({ app_id: APP, event_name: 'user_send_text', timestamp: ts(), sender: { id: userId }, recipient: { id: OA }, message: { msg_id: uniqueMsgId(), text } }),
    /** Presses a button: Zalo sends its payload back as text. */
    tap: (r: Received | undefined, title: string) => {
      const b = r?.buttons.find((x) => x.title === title);
      if (!b) throw new Error(`no button "${title}" in ${JSON.stringify(r?.buttons.map((x) => x.title))}`);
      return send({ app_id: APP, event_name: 'user_send_text', timestamp: ts(), sender: { id: userId }, recipient: { id: OA }, message: { msg_id: uniqueMsgId(), text: String(b.payload) } });
    },
    image: (url: string) =>
      send({ app_id: APP, event_name: 'user_send_image', timestamp: ts(), sender: { id: userId }, recipient: { id: OA }, message: { msg_id: uniqueMsgId(), text: '', attachments: [{ type: 'image', payload: { url, thumbnail: url } }] } }),
    submitInfo: (info: Record<string, unknown>) => send({ app_id: APP, event_name: 'user_submit_info', timestamp: ts(), sender: { id: userId }, recipient: { id: OA }, info }),
    withdraw: () => send({ app_id: APP, event_name: 'user_withdraw', timestamp: ts(), sender: { id: userId }, recipient: { id: OA } }),
  };
}

/** Last reply of a batch. */
export const last = (r: Received[]): Received => {
  const x = r.at(-1);
  if (!x) throw new Error('no reply');
  return x;
};
