import { card, h, replace, table } from '../lib/dom.js';
import { number } from '../lib/format.js';

/** Kế hoạch tuyên truyền: each plan item becomes a draft post (importing twice creates nothing new). */
export async function renderPlans(ctx, box) {
  const { items } = await ctx.api.get('/plans');
  const result = h('div', { role: 'status' });
  const run = async (body, button) => {
    if (button) button.disabled = true;
    try {
      const r = await ctx.api.post('/plans/import', body);
      ctx.toast(`Đã nhập "${r.plan.title}": ${r.created} bài nháp mới, ${r.existing} bài đã có.`);
      await renderPlans(ctx, box);
    } catch (err) {
      // An invalid file: the server's sentence, then each wrong item and field of the plan on its own line.
      const problems = Object.entries(err.fields);
      replace(
        result,
        h('p', { class: 'error', 'data-testid': 'plan-error' }, `Không nhập được kế hoạch: ${err.message}`),
        problems.length ? h('ul', { class: 'error' }, problems.map(([path, text]) => h('li', null, `${text} (${path})`))) : null,
      );
    } finally {
      if (button) button.disabled = false;
    }
  };
  const upload = h('input', {
    type: 'file',
    accept: '.yaml,.yml',
    onChange: async (e) => {
      const file = e.target.files[0];
      if (file) await run({ yaml: await file.text() });
      e.target.value = '';
    },
  });
  replace(
    box,
    card(
      'Nhập kế hoạch tuyên truyền',
      h('p', { class: 'hint' }, 'Mỗi nội dung của kế hoạch thành một bài nháp (9 giờ sáng một ngày làm việc trong kỳ). Nhập lại không tạo trùng.'),
      items.length
        ? table(
            ['Tệp', 'Kế hoạch', 'Số nội dung', 'Đã có bài nháp', ''],
            items.map((p) => {
              const button = h('button', { type: 'button', class: 'secondary' }, 'Nhập');
              button.addEventListener('click', () => run({ file: p.file }, button));
              return [p.file, p.error ? h('span', { class: 'error' }, p.error) : [p.title, p.reference ? h('br') : null, p.reference ? h('small', { class: 'muted' }, p.reference) : null], number(p.items), number(p.imported), p.error ? '' : button];
            }),
          )
        : h('p', { class: 'muted' }, 'Chưa có tệp kế hoạch trong content/plans.'),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Hoặc tải lên tệp kế hoạch (YAML)'), upload),
      result,
    ),
  );
}
