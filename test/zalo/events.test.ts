import { describe, expect, it } from 'vitest';
import { parseZaloEvent, readTimestamp } from '../../src/zalo/events.ts';
import { parseWebhookJson } from '../../src/zalo/json.ts';
import { fixture } from '../helpers/fixtures.ts';

const USER = '2468458835291979221';
const parse = (name: string) => {
  const r = parseZaloEvent(fixture(name));
  if (!r.ok) throw new Error(r.error);
  return r;
};

describe('parseZaloEvent', () => {
  it('user_send_text', () => {
    const { event, key } = parse('user_send_text');
    expect(event).toEqual({
      eventName: 'user_send_text',
      timestamp: '1732845612345',
      userId: USER,
      type: 'text',
      msgId: '96d3cdf3af150460909a1b2c',
      text: 'Cho hỏi làm căn cước cho con dưới 14 tuổi cần giấy tờ gì?',
    });
    expect(key).toBe('msg:user_send_text:96d3cdf3af150460909a1b2c');
  });

  it('user_send_image keeps the image urls and the caption', () => {
    expect(parse('user_send_image').event).toMatchObject({
      type: 'image',
      text: 'Ảnh căn cước bị mờ',
      images: [{ url: 'https://photo-stal-1.zdn.vn/full/abc123.jpg', thumbnail: 'https://photo-stal-1.zdn.vn/thumb/abc123.jpg' }],
    });
  });

  it('user_send_location reads the coordinates from the attachment, as strings', () => {
    expect(parse('user_send_location').event).toMatchObject({ type: 'location', userId: USER, latitude: '10.0299337', longitude: '105.7706153' });
  });

  it.each(['user_send_sticker', 'user_send_file', 'user_send_link'])('%s becomes an attachment event', (name) => {
    const { event } = parse(name);
    expect(event.type).toBe('attachment');
    expect(event.userId).toBe(USER);
    expect(event.type === 'attachment' && event.attachments[0]?.type).toBe(name.replace('user_send_', ''));
  });

  it('user_submit_info reads the current full_address shape', () => {
    expect(parse('user_submit_info').event).toMatchObject({
      type: 'submit_info',
      userId: USER,
      info: { name: 'Nguyễn Văn An', phone: '84912345678', address: 'Số 12 đường 30/4', city: 'Thành phố Cần Thơ', ward: 'Phường Ninh Kiều' },
    });
  });

  it('user_submit_info trims what the citizen typed, and drops fields of only spaces', () => {
    const body = fixture('user_submit_info');
    body.info = { name: '  Nguyễn Văn An \t', phone: ' 84912345678 ', address: '\n Số 12 đường 30/4  ', ward: '   ', city: 'Thành phố Cần Thơ ' };
    const r = parseZaloEvent(body);
    expect(r.ok && r.event.type === 'submit_info' && r.event.info).toEqual({ name: 'Nguyễn Văn An', phone: '84912345678', address: 'Số 12 đường 30/4', city: 'Thành phố Cần Thơ' });
  });

  it('follow and unfollow take the user from follower.id', () => {
    expect(parse('follow').event).toMatchObject({ type: 'follow', userId: USER, source: 'oa_profile' });
    expect(parse('unfollow').event).toMatchObject({ type: 'unfollow', userId: USER });
  });

  it('user_click_chatnow takes the flat user_id', () => {
    expect(parse('user_click_chatnow').event).toMatchObject({ type: 'click_chatnow', userId: USER });
  });

  it('received and seen take the user from recipient.id and accept msg_id or msg_ids', () => {
    expect(parse('user_received_message').event).toMatchObject({ type: 'received', userId: USER, msgIds: ['7e5d4c3b2a19081726354453'] });
    expect(parse('user_seen_message').event).toMatchObject({ type: 'seen', userId: USER, msgIds: ['7e5d4c3b2a19081726354453', '8f6e5d4c3b2a190817263544'] });
  });

  it('user_withdraw', () => {
    expect(parse('user_withdraw').event).toMatchObject({ type: 'withdraw', userId: USER });
  });

  it('oa_send_text is an echo for the recipient, with the admin who typed it', () => {
    expect(parse('oa_send_text').event).toMatchObject({ type: 'oa_echo', userId: USER, msgId: '0aa1bb2cc3dd4ee5ff607182', adminId: '7301992465108765432' });
  });

  it('an unknown event name parses as unknown', () => {
    expect(parse('user_reacted_message').event).toMatchObject({ type: 'unknown', eventName: 'user_reacted_message' });
  });

  it('keeps ids above 2^53 as the exact strings', () => {
    const body = fixture('user_send_text');
    body.sender = { id: '2468458835291979221234' };
    const r = parseZaloEvent(body);
    expect(r.ok && r.event.userId).toBe('2468458835291979221234');
  });

  it('refuses a user message without msg_id or sender', () => {
    const noMsgId = fixture('user_send_text');
    delete (noMsgId.message as Record<string, unknown>).msg_id;
    expect(parseZaloEvent(noMsgId).ok).toBe(false);
    const noSender = fixture('user_send_text');
    delete noSender.sender;
    expect(parseZaloEvent(noSender).ok).toBe(false);
  });

  it('refuses a body without event_name or timestamp', () => {
    expect(parseZaloEvent({ timestamp: '1' }).ok).toBe(false);
    expect(parseZaloEvent({ event_name: 'follow' }).ok).toBe(false);
    expect(parseZaloEvent([]).ok).toBe(false);
  });
});

describe('readTimestamp', () => {
  it('reads the string timestamp the MAC is computed with', () => {
    expect(readTimestamp({ timestamp: '1732845612345' })).toBe('1732845612345');
    expect(readTimestamp({ timestamp: 'x' })).toBeUndefined();
    expect(readTimestamp(null)).toBeUndefined();
  });
});

describe('parseWebhookJson', () => {
  it('keeps a number past 2^53 as its exact digits and a safe one as a number', () => {
    expect(parseWebhookJson('{"a":9007199254740993,"b":[12345678901234567891],"c":42,"d":10.0299337,"e":-9007199254740993}')).toEqual({
      a: '9007199254740993',
      b: ['12345678901234567891'],
      c: 42,
      d: 10.0299337,
      e: '-9007199254740993',
    });
  });

  it('reads long digits inside strings as the strings they are', () => {
    expect(parseWebhookJson('{"text":"mã: 12345678901234567891, [9007199254740993]","n":9007199254740993}')).toEqual({ text: 'mã: 12345678901234567891, [9007199254740993]', n: '9007199254740993' });
  });

  it('lets the last duplicate key win, like JSON.parse, on both paths', () => {
    expect(parseWebhookJson('{"id":"1","id":"2"}')).toEqual({ id: '2' });
    expect(parseWebhookJson('{"id":9007199254740993,"id":9007199254740995}')).toEqual({ id: '9007199254740995' });
  });

  it('throws on malformed JSON on both paths', () => {
    expect(() => parseWebhookJson('{"a":1,')).toThrow();
    expect(() => parseWebhookJson('{"a":9007199254740993,')).toThrow();
  });

  it('a numeric id read losslessly becomes the exact user id; a fractional one is refused', () => {
    const body = parseWebhookJson(
      '{"event_name":"user_send_text","timestamp":"1732845612345","sender":{"id":2468458835291979221},"message":{"msg_id":12345678901234567891,"text":"x"}}',
    );
    const r = parseZaloEvent(body);
    expect(r.ok && r.event).toMatchObject({ userId: '2468458835291979221', msgId: '12345678901234567891' });
    expect(parseZaloEvent({ event_name: 'user_send_text', timestamp: '1', sender: { id: 12.5 }, message: { msg_id: 'm', text: 'x' } }).ok).toBe(false);
  });
});
