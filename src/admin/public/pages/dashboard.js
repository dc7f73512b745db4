import { card, h, replace, table } from '../lib/dom.js';
import { PETITION_STATUS, ago, dateTime, label, number } from '../lib/format.js';

const stat = (value, text, extra) => h('div', { class: ['stat', extra] }, h('strong', null, number(value)), h('span', null, text));

/** Tổng quan: messages, open petitions, unanswered questions, next posts, health. */
export async function renderDashboard(ctx, view) {
  const d = await ctx.api.get('/dashboard');
  const tz = ctx.tz;
  const seePetitions = ctx.can(['admin', 'handler', 'viewer']);

  const messages = card('Tin nhắn người dân', h('div', { class: 'stats' }, stat(d.messages.today, 'hôm nay'), stat(d.messages.week, 'tuần này'), stat(d.conversations.today, 'người nhắn hôm nay')));

  const statuses = ['received', 'processing', 'answered', 'forwarded', 'rejected'];
  const petitions = card(
    'Phản ánh, kiến nghị',
    h(
      'div',
      { class: 'stats' },
      stat(d.petitions.open, 'đang mở'),
      stat(d.petitions.overdue, `quá ${d.petitions.overdueDays} ngày chưa xử lý xong`, d.petitions.overdue > 0 ? 'alert' : null),
    ),
    h(
      'ul',
      { class: 'plain' },
      statuses.map((s) =>
        h('li', null, seePetitions ? h('a', { href: `#/petitions?status=${s}` }, label(PETITION_STATUS, s)) : label(PETITION_STATUS, s), ': ', h('strong', null, number(d.petitions.byStatus[s] ?? 0))),
      ),
    ),
    d.petitions.oldestOverdue.length > 0
      ? h(
          'div',
          null,
          h('h3', null, 'Quá hạn lâu nhất'),
          h(
            'ul',
            { class: 'plain' },
            d.petitions.oldestOverdue.map((p) =>
              h('li', null, ctx.can(['admin', 'handler']) ? h('a', { href: `#/petitions/${encodeURIComponent(p.code)}` }, p.code) : p.code, ` · nhận ${dateTime(p.receivedAt, tz)} · ${label(PETITION_STATUS, p.status)}`),
            ),
          ),
        )
      : null,
  );

  const unanswered = card(
    'Câu hỏi bot chưa trả lời được',
    h('div', { class: 'stats' }, stat(d.unanswered.distinct, 'câu hỏi khác nhau'), stat(d.unanswered.total, 'lượt hỏi')),
    d.unanswered.top.length
      ? h('ol', { class: 'questions' }, d.unanswered.top.map((q) => h('li', null, h('span', { class: 'citizen-text' }, q.text), h('span', { class: 'badge' }, `${q.count} lần`))))
      : h('p', { class: 'muted' }, 'Chưa có.'),
    h('p', null, h('a', { href: '#/content' }, 'Xem tất cả')),
  );

  const nextPosts = card(
    'Bài đăng sắp gửi',
    d.nextPosts.length
      ? table(
          ['Thời gian', 'Tiêu đề', 'Người nhận'],
          d.nextPosts.map((p) => [p.sendAtLocal, h('a', { href: `#/posts/${p.id}` }, p.title), p.audienceTag ? `nhãn "${p.audienceTag}"` : 'tất cả người quan tâm']),
        )
      : h('p', { class: 'muted' }, 'Không có bài nào đã lên lịch.'),
  );

  // Commune and ward police still missing what citizens ask for most: staff fill them on the units page.
  const units = card(
    'Đơn vị công an xã, phường',
    h('p', { 'data-testid': 'units-missing' }, `${number(d.units.withoutAddress)} / ${number(d.units.total)} đơn vị chưa có địa chỉ, ${number(d.units.withoutPhone)} chưa có số điện thoại. `, h('a', { href: '#/units' }, 'Bổ sung')),
  );

  const health = d.health;
  const tokenText = health.token.needsReauth
    ? h('span', { class: 'pill bad' }, 'Cần cấp quyền lại cho ứng dụng Zalo')
    : h('span', { class: 'pill ok' }, `Còn hiệu lực đến ${dateTime(health.token.expiresAt, tz)}`);
  const healthCard = card(
    'Tình trạng hệ thống',
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Webhook nhận lần cuối'),
      h('dd', null, health.lastWebhookAt ? `${dateTime(health.lastWebhookAt, tz)} (${ago(health.lastWebhookAt)})` : 'chưa nhận lần nào'),
      h('dt', null, 'Mã truy cập Zalo'),
      h('dd', null, tokenText),
      h('dt', null, 'Tin trả lời gửi lỗi'),
      h('dd', null, health.outbox.failed > 0 ? h('span', { class: 'pill bad' }, `${health.outbox.failed} tin`) : h('span', { class: 'pill ok' }, 'không có')),
      h('dt', null, 'Tin đang chờ gửi'),
      h('dd', null, `${number(health.outbox.pending)} (tạm giữ chờ người dân nhắn lại: ${number(health.outbox.held)})`),
      h('dt', null, 'Sự kiện chờ xử lý'),
      h('dd', null, number(health.inboxPending)),
    ),
  );

  replace(
    view,
    h('div', { class: 'page-head' }, h('h1', null, 'Tổng quan'), h('span', { class: 'muted' }, `Cập nhật ${dateTime(d.generatedAt, tz)}`)),
    h('div', { class: 'grid' }, messages, petitions, unanswered, nextPosts, units, healthCard),
  );
}
