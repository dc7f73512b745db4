import { z } from 'zod';

// Zalo webhook bodies → a typed ZaloEvent union. Ids stay strings: they exceed 2^53. Bodies are read with
// parseWebhookJson (./json.ts), which hands a number past 2^53 over as its exact digits; a number that still
// arrives here is exact, and only an integer one is an id.

const id = z.union([z.string().min(1), z.number().int().nonnegative().transform(String)]);
const timestamp = z.union([z.string().regex(/^\d{1,16}$/), z.number().int().nonnegative().transform(String)]);

const attachmentSchema = z.looseObject({
  type: z.string(),
  payload: z.unknown().optional(),
});
export type ZaloAttachment = { type: string; payload: Record<string, unknown> };

const messageSchema = z.looseObject({
  msg_id: id.optional(),
  msg_ids: z.array(id).optional(),
  text: z.string().optional(),
  attachments: z.array(attachmentSchema).optional(),
  quote_msg_id: id.optional(),
});

const envelopeSchema = z.looseObject({
  event_name: z.string().min(1).max(100),
  app_id: id.optional(),
  timestamp,
  user_id_by_app: id.optional(),
  sender: z.looseObject({ id: id.optional(), admin_id: id.optional() }).optional(),
  recipient: z.looseObject({ id: id.optional() }).optional(),
  follower: z.looseObject({ id }).optional(),
  user_id: id.optional(),
  oa_id: id.optional(),
  source: z.string().optional(),
  message: messageSchema.optional(),
  info: z.looseObject({}).optional(),
});

/** What the citizen filled in through Zalo's request_user_info form. */
export interface SubmittedInfo {
  name?: string;
  phone?: string;
  address?: string;
  city?: string;
  district?: string;
  ward?: string;
}

interface Common {
  eventName: string;
  timestamp: string;
  /** The citizen concerned (sender of user_* events, recipient of oa_* echoes, follower). */
  userId: string | undefined;
}

/** A parsed webhook event. */
export type ZaloEvent = Common &
  (
    | { type: 'text'; msgId: string; text: string; quoteMsgId?: string }
    | { type: 'image'; msgId: string; text: string; images: { url: string; thumbnail?: string }[] }
    | { type: 'location'; msgId: string; latitude: string; longitude: string }
    | { type: 'attachment'; msgId: string; text: string; attachments: ZaloAttachment[] }
    | { type: 'submit_info'; info: SubmittedInfo }
    | { type: 'follow' | 'unfollow'; source?: string }
    | { type: 'click_chatnow' }
    | { type: 'received' | 'seen'; msgIds: string[] }
    | { type: 'withdraw' }
    | { type: 'oa_echo'; msgId?: string; adminId?: string }
    | { type: 'unknown' }
  );

export const USER_MESSAGE_EVENTS = [
  'user_send_text',
  'user_send_image',
  'user_send_location',
  'user_send_sticker',
  'user_send_file',
  'user_send_link',
  'user_send_audio',
  'user_send_video',
  'user_send_gif',
  'user_send_business_card',
] as const;

export type ParseResult = { ok: true; event: ZaloEvent; key: string } | { ok: false; error: string };

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined);
const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Reads the `timestamp` field a signature is computed with, without validating the rest. */
export function readTimestamp(body: unknown): string | undefined {
  const ts = record(body).timestamp;
  if (typeof ts === 'string' && /^\d{1,16}$/.test(ts)) return ts;
  if (typeof ts === 'number' && Number.isSafeInteger(ts) && ts >= 0) return String(ts);
  return undefined;
}

/** Validates a webhook body and returns the event with its idempotency key. */
export function parseZaloEvent(body: unknown): ParseResult {
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) {
    return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ') };
  }
  const b = parsed.data;
  const name = b.event_name;
  const isEcho = name.startsWith('oa_send_');
  const userId = isEcho
    ? b.recipient?.id
    : name === 'follow' || name === 'unfollow'
      ? (b.follower?.id ?? b.user_id)
      : name === 'user_received_message' || name === 'user_seen_message'
        ? (b.recipient?.id ?? b.user_id)
        : (b.sender?.id ?? b.user_id);
  const common: Common = { eventName: name, timestamp: b.timestamp, userId };
  const msg = b.message;
  const msgId = msg?.msg_id;
  const attachments: ZaloAttachment[] = (msg?.attachments ?? []).map((a) => ({ type: a.type, payload: record(a.payload) }));

  let event: ZaloEvent;
  if ((USER_MESSAGE_EVENTS as readonly string[]).includes(name)) {
    if (!userId) return { ok: false, error: 'sender.id: required for user messages' };
    if (!msgId) return { ok: false, error: 'message.msg_id: required for user messages' };
    if (name === 'user_send_text') {
      event = { ...common, type: 'text', msgId, text: msg?.text ?? '', ...(msg?.quote_msg_id ? { quoteMsgId: msg.quote_msg_id } : {}) };
    } else if (name === 'user_send_image' || name === 'user_send_gif') {
      const images = attachments
        .map((a) => ({ url: str(a.payload.url), thumbnail: str(a.payload.thumbnail) }))
        .filter((a): a is { url: string; thumbnail: string | undefined } => a.url !== undefined)
        .map((a) => (a.thumbnail ? { url: a.url, thumbnail: a.thumbnail } : { url: a.url }));
      event = { ...common, type: 'image', msgId, text: msg?.text ?? '', images };
    } else if (name === 'user_send_location') {
      const coords = record(attachments[0]?.payload.coordinates);
      const latitude = str(coords.latitude);
      const longitude = str(coords.longitude);
      if (latitude && longitude) event = { ...common, type: 'location', msgId, latitude, longitude };
      else event = { ...common, type: 'attachment', msgId, text: msg?.text ?? '', attachments };
    } else {
      event = { ...common, type: 'attachment', msgId, text: msg?.text ?? '', attachments };
    }
  } else if (name === 'user_submit_info') {
    if (!userId) return { ok: false, error: 'sender.id: required for user_submit_info' };
    const info = record(b.info);
    const full = record(info.full_address);
    const result: SubmittedInfo = {};
    // The form's fields come with the spaces citizens typed around them ("  Nguyễn Văn An "); they are stored and
    // shown to staff, so they are kept trimmed, and a field of only spaces counts as not given.
    const set = (k: keyof SubmittedInfo, v: unknown) => {
      const s = str(v)?.trim();
      if (s) result[k] = s;
    };
    set('name', info.name);
    set('phone', info.phone);
    set('address', info.address ?? full.user_address);
    set('city', info.city ?? full.user_city);
    set('district', info.district ?? full.user_district);
    set('ward', info.ward ?? full.user_ward);
    event = { ...common, type: 'submit_info', info: result };
  } else if (name === 'follow' || name === 'unfollow') {
    if (!userId) return { ok: false, error: 'follower.id: required for follow events' };
    event = { ...common, type: name, ...(b.source ? { source: b.source } : {}) };
  } else if (name === 'user_click_chatnow') {
    event = { ...common, type: 'click_chatnow' };
  } else if (name === 'user_received_message' || name === 'user_seen_message') {
    const ids = [...(msg?.msg_ids ?? []), ...(msgId ? [msgId] : [])];
    event = { ...common, type: name === 'user_seen_message' ? 'seen' : 'received', msgIds: ids };
  } else if (name === 'user_withdraw') {
    event = { ...common, type: 'withdraw' };
  } else if (isEcho) {
    event = { ...common, type: 'oa_echo', ...(msgId ? { msgId } : {}), ...(b.sender?.admin_id ? { adminId: b.sender.admin_id } : {}) };
  } else {
    event = { ...common, type: 'unknown' };
  }
  return { ok: true, event, key: eventKey(event, msgId) };
}

/** The inbox key: the message id when there is one, else event name + user + timestamp. */
function eventKey(event: ZaloEvent, msgId: string | undefined): string {
  if (msgId && event.type !== 'received' && event.type !== 'seen') return `msg:${event.eventName}:${msgId}`;
  return `evt:${event.eventName}:${event.userId ?? '-'}:${event.timestamp}`;
}
