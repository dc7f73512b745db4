import { card, clearRefusal, field, h, replace, safeUrl, select, showRefusal, table } from '../lib/dom.js';
import { DELIVERY, POST_MODE, POST_STATUS, dateTime, label, number, offsetText } from '../lib/format.js';

const EDITABLE = ['draft', 'scheduled', 'missed'];
const CANCELLABLE = ['draft', 'scheduled', 'missed', 'sending'];
const HISTORY_ACTION = {
  created: 'Tạo',
  updated: 'Sửa',
  draft: 'Chuyển về nháp',
  scheduled: 'Lên lịch',
  cancelled: 'Hủy',
  preview: 'Gửi thử',
  started: 'Bắt đầu gửi',
  resumed: 'Gửi tiếp',
  taken_over: 'Tiếp quản việc gửi',
  missed: 'Lỡ lịch',
};

/** Bài mới (#/posts/new) or one post (#/posts/12): edit form, delivery counts, preview, cancel, history. */
export async function renderPostEditor(ctx, view, [idText]) {
  const isNew = idText === 'new';
  const post = isNew ? null : await ctx.api.get(`/posts/${idText}`);
  const canWrite = ctx.can(['admin', 'editor']);
  const editable = canWrite && (isNew || EDITABLE.includes(post.status));
  const offset = offsetText(ctx.session.settings.utcOffsetMinutes);

  const parts = [h('p', null, h('a', { href: '#/posts' }, '‹ Lịch bài đăng'))];
  parts.push(
    h(
      'div',
      { class: 'page-head' },
      h('h1', null, isNew ? 'Bài đăng mới' : post.title),
      post ? h('span', { class: `status s-${post.status}`, 'data-testid': 'post-status' }, label(POST_STATUS, post.status)) : null,
    ),
  );

  if (post) {
    const c = post.counts;
    parts.push(
      card(
        'Kết quả gửi',
        h(
          'div',
          { class: 'stats' },
          ['sent', 'failed', 'out_of_window', 'unknown', 'pending'].map((k) => h('div', { class: 'stat' }, h('strong', null, number(c[k])), h('span', null, label(DELIVERY, k)))),
        ),
        h(
          'dl',
          { class: 'facts' },
          h('dt', null, 'Gửi lúc'),
          h('dd', null, post.sendAtLocal),
          h('dt', null, 'Người tạo / duyệt'),
          h('dd', null, `${post.createdBy}${post.approvedBy ? ` / ${post.approvedBy}` : ''}`),
          post.startedAt ? [h('dt', null, 'Bắt đầu gửi'), h('dd', null, dateTime(post.startedAt, ctx.tz))] : null,
          post.finishedAt ? [h('dt', null, 'Kết thúc'), h('dd', null, dateTime(post.finishedAt, ctx.tz))] : null,
          post.lastError ? [h('dt', null, 'Lỗi gần nhất'), h('dd', { class: 'error' }, `${post.lastError.code ?? ''} ${post.lastError.message}`)] : null,
        ),
      ),
    );
  }

  if (editable) parts.push(postForm(ctx, post, offset));
  else if (post) parts.push(readOnly(post));

  if (post && canWrite) {
    const actions = [];
    actions.push(previewForm(ctx, post));
    if (CANCELLABLE.includes(post.status)) {
      actions.push(
        h(
          'button',
          {
            type: 'button',
            class: 'danger',
            'data-testid': 'cancel-post',
            onClick: async () => {
              const ok = await ctx.confirm(`Hủy bài "${post.title}"? Bài đã hủy không gửi và không khôi phục được.`, 'Hủy bài');
              if (!ok) return;
              try {
                await ctx.api.post(`/posts/${post.id}/cancel`);
                ctx.toast('Đã hủy bài đăng.');
                await renderPostEditor(ctx, view, [String(post.id)]);
              } catch (err) {
                ctx.toast(`Không hủy được: ${err.message}`, 'error');
              }
            },
          },
          'Hủy bài đăng',
        ),
      );
    }
    parts.push(card('Gửi thử và hủy', actions));
  }

  if (post) {
    parts.push(
      card(
        'Lịch sử',
        table(
          ['Thời gian', 'Người thực hiện', 'Việc', 'Chi tiết'],
          post.history.map((x) => [dateTime(new Date(x.at).toISOString(), ctx.tz), x.actor, label(HISTORY_ACTION, x.action), x.detail ?? '']),
        ),
      ),
    );
  }
  replace(view, parts);
}

function readOnly(post) {
  const link = safeUrl(post.linkUrl);
  return card(
    'Nội dung',
    h('p', { class: 'citizen-text long' }, post.body),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Hình thức'),
      h('dd', null, label(POST_MODE, post.mode)),
      h('dt', null, 'Người nhận'),
      h('dd', null, post.audience === 'all' ? 'Tất cả người quan tâm' : `Nhãn "${post.audience.tag}"`),
      h('dt', null, 'Liên kết'),
      h('dd', null, link ? h('a', { href: link, target: '_blank', rel: 'noopener noreferrer' }, link) : '—'),
      h('dt', null, 'Ảnh'),
      h('dd', null, post.imageUrl ?? '—'),
    ),
  );
}

function postForm(ctx, post, offset) {
  const title = h('input', { name: 'title', required: true, maxlength: 200, value: post?.title ?? '' });
  const body = h('textarea', { name: 'body', rows: 6, maxlength: 2000, value: post?.body ?? '' });
  const counter = h('small', { class: 'hint' });
  const updateCounter = () => (counter.textContent = `${body.value.length}/2000 ký tự`);
  body.addEventListener('input', updateCounter);
  updateCounter();
  const mode = select({ name: 'mode' }, Object.entries(POST_MODE), post?.mode ?? 'message');
  const imageUrl = h('input', { name: 'imageUrl', type: 'url', placeholder: 'https://…', value: post?.imageUrl ?? '' });
  const linkUrl = h('input', { name: 'linkUrl', type: 'url', placeholder: 'https://…', value: post?.linkUrl ?? '' });
  const tagged = post && post.audience !== 'all';
  const audience = select({ name: 'audience' }, [['all', 'Tất cả người quan tâm'], ['tag', 'Người quan tâm có nhãn…']], tagged ? 'tag' : 'all');
  const tag = h('input', { name: 'tag', maxlength: 50, value: tagged ? post.audience.tag : '', placeholder: 'ví dụ: doanh-nghiep' });
  const tagField = field('Nhãn', tag);
  const syncTag = () => tagField.classList.toggle('hidden', audience.value !== 'tag');
  audience.addEventListener('change', syncTag);
  syncTag();
  const sendAt = h('input', { name: 'sendAt', type: 'datetime-local', required: true, value: post ? post.sendAt.slice(0, 16) : '' });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'post-error' });
  const buttons = [];

  const submit = async (status) => {
    error.textContent = '';
    clearRefusal(form);
    if (!title.value.trim() || !sendAt.value) {
      error.textContent = 'Cần có tiêu đề và thời gian gửi.';
      return;
    }
    const audienceValue = audience.value === 'tag' ? { tag: tag.value.trim() } : 'all';
    const common = { title: title.value.trim(), body: body.value.trim(), mode: mode.value, sendAt: `${sendAt.value}:00${offset}`, audience: audienceValue, status };
    for (const b of buttons) b.disabled = true;
    try {
      if (!post) {
        const created = await ctx.api.post('/posts', { ...common, ...(imageUrl.value.trim() ? { imageUrl: imageUrl.value.trim() } : {}), ...(linkUrl.value.trim() ? { linkUrl: linkUrl.value.trim() } : {}) });
        ctx.toast(status === 'scheduled' ? 'Đã lên lịch bài đăng.' : 'Đã lưu bản nháp.');
        ctx.navigate(`#/posts/${created.id}`);
      } else {
        await ctx.api.patch(`/posts/${post.id}`, { ...common, imageUrl: imageUrl.value.trim() || null, linkUrl: linkUrl.value.trim() || null });
        ctx.toast(status === 'scheduled' ? 'Đã lưu và lên lịch.' : 'Đã lưu bản nháp.');
        ctx.navigate(`#/posts/${post.id}`);
      }
    } catch (err) {
      // The server's own sentence, and each field's beside it (e.g. a send time in the quiet hours).
      showRefusal(form, error, err, 'Chưa lưu được: ');
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  };
  buttons.push(
    h('button', { type: 'button', class: 'secondary', 'data-testid': 'save-draft', onClick: () => submit('draft') }, 'Lưu nháp'),
    h('button', { type: 'submit', 'data-testid': 'schedule-post' }, 'Lên lịch gửi'),
  );

  const form = h(
    'form',
    { class: 'stack', 'data-testid': 'post-form', onSubmit: (e) => (e.preventDefault(), submit('scheduled')) },
    field('Tiêu đề', title),
    field('Nội dung tin', body, counter),
    h('div', { class: 'row' }, field('Hình thức', mode, 'Bài viết cần ảnh bìa và gửi tới mọi người quan tâm.'), field('Người nhận', audience), tagField),
    h('div', { class: 'row' }, field('Ảnh (địa chỉ)', imageUrl), field('Liên kết "Xem chi tiết"', linkUrl)),
    field(`Thời gian gửi (giờ ${ctx.tz}, UTC${offset})`, sendAt, 'Không gửi trong giờ nghỉ ban đêm.'),
    error,
    h('div', { class: 'actions' }, buttons),
  );
  return card(post ? 'Sửa bài' : 'Nội dung', form);
}

function previewForm(ctx, post) {
  const userId = h('input', { name: 'userId', inputmode: 'numeric', pattern: '\\d{1,25}', value: ctx.session.user.zaloUserIds?.[0] ?? ctx.session.user.zaloUserId ?? '', placeholder: 'Zalo user id của bạn (mục Zalo của tôi)', required: true });
  const button = h('button', { type: 'submit', class: 'secondary' }, 'Gửi thử');
  return h(
    'form',
    {
      class: 'inline',
      onSubmit: async (e) => {
        e.preventDefault();
        button.disabled = true;
        try {
          await ctx.api.post(`/posts/${post.id}/preview`, { userId: userId.value.trim() });
          ctx.toast('Đã gửi thử tới tài khoản Zalo.');
        } catch (err) {
          ctx.toast(`Không gửi thử được: ${err.message}`, 'error');
        } finally {
          button.disabled = false;
        }
      },
    },
    field('Gửi thử tới Zalo id', userId),
    button,
  );
}
