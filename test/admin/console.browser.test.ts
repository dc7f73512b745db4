import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type TestBot } from '../helpers/bot.ts';
import { citizen } from '../petitions/chat.ts';
import { addAccount, auditRows, PASSWORD, seedPetition, startConsoleBot } from './console-helpers.ts';
import { repos } from '../helpers/repos.ts';

// The staff console in Debian's Chromium (playwright-core drives /usr/bin/chromium; `npx playwright install` cannot
// download a browser here) against the real server. One browser for the file, one context per test.

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const ARTIFACTS = 'test-artifacts/console';
// The flags this machine needs: without the background-networking ones Chromium keeps calling hosts it cannot reach.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

if (!HAS_CHROMIUM) console.warn(`Browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run does it in CI).`);

let tb: TestBot;
let browser: Browser;
const XSS = '<img src=x onerror="window.__xss = 1"> <b>Đường</b> vào bộ phận một cửa bị ngập';

/** Local (Asia/Ho_Chi_Minh, UTC+7) wall time `days` from now at `hour`:00, as a datetime-local value. */
function localInput(days: number, hour: number): string {
  const d = new Date(Date.now() + 7 * 3600_000 + days * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
}

/** A context whose pages must not log errors (a CSP violation or a script error would). */
async function open(viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  // Fail with Playwright's message (which element, which state) well before the test's own time-out.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // The first GET /session before login answers 401 on purpose; a failed login answers 401/429 too, and a form
    // the server refuses 400 (the tests that provoke one check what the page shows).
    if (m.type() === 'error' && !/status of (400|401|429)/.test(m.text())) errors.push(m.text());
  });
  return { context, page, errors };
}

async function logIn(page: Page, username: string, password = PASSWORD) {
  await page.goto(`${tb.bot.url}/admin`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByTestId('current-user').waitFor();
}

/** A full-page screenshot from the top (the sticky header would otherwise sit where the page was scrolled to). */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

describe.skipIf(!HAS_CHROMIUM)('staff console in Chromium', () => {
  let petitionCode: string;
  let xssCode: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tb = await startConsoleBot();
    await addAccount(tb, 'quan.tri', 'admin', { displayName: 'Lê Quản Trị' });
    await addAccount(tb, 'xl.pa', 'handler', { displayName: 'Trần Xử Lý' });
    await addAccount(tb, 'bt.pv01', 'editor', { displayName: 'Phạm Biên Tập', zaloUserId: '2468458835291979221' });
    await addAccount(tb, 'xem.bc', 'viewer');
    await addAccount(tb, 'bi.khoa', 'viewer');
    // Real traffic for the dashboard and reports: questions answered and not, petitions.
    const an = citizen(tb, '9001');
    await an.say('xin chào');
    await an.say('làm căn cước cần giấy tờ gì');
    await citizen(tb, '9002').say('qwxz blorf zzyzx');
    petitionCode = seedPetition(tb, '9001').code;
    xssCode = seedPetition(tb, '9002', { content: XSS, kind: 'kien_nghi', name: '<script>alert(1)</script>' }).code;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await tb?.stop();
  });

  it('logs in and shows the dashboard with what only an admin sees', async () => {
    const { context, page, errors } = await open();
    await page.goto(`${tb.bot.url}/admin`);
    await expect.poll(() => page.getByRole('button', { name: 'Đăng nhập' }).isVisible()).toBe(true);
    await shot(page, 'login');
    await logIn(page, 'quan.tri');
    await page.getByRole('heading', { name: 'Tổng quan' }).waitFor();
    await page.getByText('Tình trạng hệ thống').waitFor();
    expect(await page.getByTestId('units-missing').textContent()).toMatch(/^\d+ \/ 103 đơn vị chưa có địa chỉ, \d+ chưa có số điện thoại/);
    expect(await page.getByTestId('current-user').textContent()).toBe('Lê Quản Trị · Quản trị');
    const nav = await page.locator('nav.sidebar a').allTextContents();
    expect(nav).toEqual(['Tổng quan', 'Phản ánh, kiến nghị', 'Bài đăng', 'Nội dung', 'Đơn vị', 'Báo cáo', 'Nhật ký', 'Tài khoản']);
    // The session cookie is out of reach of scripts.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await shot(page, 'dashboard');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('changes a petition status with a reply that reaches the citizen; citizens’ text stays text', async () => {
    const { context, page, errors } = await open();
    await logIn(page, 'xl.pa');
    await page.getByRole('link', { name: 'Phản ánh, kiến nghị' }).click();
    await page.getByTestId('petition-table').waitFor();
    // The list masks contact details; the markup a citizen typed is shown as characters.
    await expect.poll(() => page.getByTestId('petition-table').textContent()).toContain('<img src=x');
    await shot(page, 'petitions');

    await page.getByRole('link', { name: xssCode }).click();
    await page.getByTestId('petition-content').waitFor();
    expect(await page.getByTestId('petition-content').textContent()).toBe(XSS);
    expect(await page.locator('main img, main script, main b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await expect.poll(() => page.locator('dd', { hasText: '<script>alert(1)</script>' }).count()).toBe(1);

    await page.goto(`${tb.bot.url}/admin#/petitions/${petitionCode}`);
    await page.getByTestId('status-form').waitFor();
    await page.getByLabel('Trạng thái mới').selectOption('answered');
    await page.getByLabel('Trả lời người dân').fill('Đơn vị đã bơm thoát nước, đường đã đi lại bình thường. Cảm ơn anh/chị.');
    await page.getByLabel('Ghi chú nội bộ').fill('Tổ công tác đã kiểm tra thực tế.');
    await page.getByRole('button', { name: 'Cập nhật' }).click();
    await expect.poll(() => page.getByTestId('petition-status').textContent()).toBe('Đã trả lời');
    const history = await page.getByTestId('petition-history').textContent();
    expect(history).toContain('Đã tiếp nhận → Đã trả lời');
    expect(history).toContain('xl.pa');
    expect(history).toContain('Đơn vị đã bơm thoát nước');
    await expect.poll(() => page.getByText('Phản ánh đã đóng').count()).toBe(1);
    await shot(page, 'petition-detail');

    // The reply goes to the citizen through the outbox, and the change is in the audit log.
    await waitFor('the reply at the fake Zalo', () => tb.fake!.messagesFor('9001').some((m) => JSON.stringify(m.body).includes('bơm thoát nước')));
    await waitFor('the audit line', () => auditRows(tb, 'petition.status').some((r) => r.target === petitionCode && r.actor === 'xl.pa'));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('exports CSV (with and without personal data) as a download', async () => {
    const { context, page, errors } = await open();
    await logIn(page, 'xl.pa');
    await page.goto(`${tb.bot.url}/admin#/petitions`);
    await page.getByTestId('export-csv').waitFor();
    const [plain] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(plain.suggestedFilename()).toMatch(/^phan-anh_.*\.csv$/);
    const csv = readFileSync((await plain.path())!, 'utf8');
    expect(csv).toContain(petitionCode);
    expect(csv).not.toContain('+84912345678');
    const [pii] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv-pii').click()]);
    expect(readFileSync((await pii.path())!, 'utf8')).toContain('+84912345678');
    await waitFor('the export audit lines', () => auditRows(tb, 'petition.export').filter((r) => r.actor === 'xl.pa').length === 2);
    expect(auditRows(tb, 'petition.export').map((r) => JSON.parse(r.detail!).includePii)).toEqual([false, true]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('creates a post, sees it on the calendar, and cancels it', async () => {
    const { context, page, errors } = await open();
    await logIn(page, 'bt.pv01');
    expect(await page.locator('nav.sidebar a').allTextContents()).toEqual(['Tổng quan', 'Bài đăng', 'Nội dung', 'Đơn vị', 'Báo cáo']);
    await page.getByRole('link', { name: 'Bài đăng' }).click();
    await page.getByTestId('new-post').click();
    await page.getByTestId('post-form').waitFor();
    await page.getByLabel('Tiêu đề').fill('Đăng ký thường trú trực tuyến');
    await page.getByLabel('Nội dung tin').fill('Từ 01/7, người dân nộp hồ sơ đăng ký thường trú qua Cổng dịch vụ công quốc gia.');
    await page.getByLabel('Liên kết "Xem chi tiết"').fill('https://dichvucong.gov.vn');
    // A time already past: the server's Vietnamese sentence under the form, and the field's beside the time.
    await page.getByLabel(/Thời gian gửi/).fill(localInput(-1, 10));
    await page.getByTestId('schedule-post').click();
    await expect.poll(() => page.getByTestId('post-error').textContent()).toMatch(/^Chưa lưu được: Thời gian gửi .* đã qua/);
    expect(await page.locator('[data-field-error="sendAt"]').textContent()).toMatch(/^Thời gian gửi .* đã qua .*hãy chọn thời điểm muộn hơn\.$/);
    await shot(page, 'post-refused');
    const when = localInput(2, 10);
    await page.getByLabel(/Thời gian gửi/).fill(when);
    await shot(page, 'post-new');
    await page.getByTestId('schedule-post').click();
    await expect.poll(() => page.getByTestId('post-status').textContent()).toBe('Đã lên lịch');
    const id = Number(/#\/posts\/(\d+)/.exec(page.url())![1]);
    expect(repos(tb.bot).posts.get(id)).toMatchObject({ status: 'scheduled', send_at: Date.parse(`${when}:00+07:00`), created_by: 'bt.pv01' });
    // The preview field is filled with the editor's own Zalo id, and the preview reaches that account.
    expect(await page.getByLabel('Gửi thử tới Zalo id').inputValue()).toBe('2468458835291979221');
    await page.getByRole('button', { name: 'Gửi thử' }).click();
    await page.getByText('Đã gửi thử tới tài khoản Zalo.').waitFor();
    expect(tb.fake!.messagesFor('2468458835291979221').some((m) => JSON.stringify(m.body).includes('Cổng dịch vụ công quốc gia'))).toBe(true);

    await page.goto(`${tb.bot.url}/admin#/posts?month=${when.slice(0, 7)}`);
    const chip = page.getByTestId('calendar').getByRole('link', { name: /Đăng ký thường trú trực tuyến/ });
    await chip.waitFor();
    expect(await page.getByTestId('post-table').textContent()).toContain('Đã lên lịch');
    await shot(page, 'posts');

    await chip.click();
    await page.getByTestId('cancel-post').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Hủy bài' }).click();
    await expect.poll(() => page.getByTestId('post-status').textContent()).toBe('Đã hủy');
    expect(repos(tb.bot).posts.get(id)?.status).toBe('cancelled');
    await waitFor('the audit lines', () => auditRows(tb, 'post.cancel').length === 1 && auditRows(tb, 'post.preview').length === 1);
    expect(auditRows(tb, 'post.create').map((r) => [r.actor, r.target])).toEqual([['bt.pv01', String(id)]]);
    await shot(page, 'post-cancelled');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows content, reports and the audit log', async () => {
    const { context, page, errors } = await open();
    await logIn(page, 'quan.tri');
    await page.goto(`${tb.bot.url}/admin#/content`);
    await page.getByTestId('unanswered-table').waitFor();
    expect(await page.getByTestId('unanswered-table').textContent()).toContain('qwxz blorf zzyzx');
    expect(await page.getByTestId('procedure-table').locator('tbody tr').count()).toBeGreaterThan(30);
    await shot(page, 'content');

    await page.goto(`${tb.bot.url}/admin#/reports`);
    await page.getByTestId('report-period').waitFor();
    expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(4);
    await page.getByLabel('Loại kỳ').selectOption('year');
    await page.getByRole('button', { name: 'Xem báo cáo' }).click();
    await expect.poll(() => page.getByTestId('report-period').textContent()).toMatch(/^\d{4}: 01\/01\/\d{4} – 31\/12\/\d{4}$/);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-xlsx').click()]);
    expect(xlsx.suggestedFilename()).toMatch(/^bao-cao_\d{4}\.xlsx$/);
    await shot(page, 'reports');
    await page.getByLabel('Loại kỳ').selectOption('half');
    await page.locator('select[name=part]').selectOption('H1');
    await page.getByRole('button', { name: 'Xem báo cáo' }).click();
    await expect.poll(() => page.getByTestId('report-period').textContent()).toMatch(/^\d{4}-H1: 01\/01\/\d{4} – 30\/06\/\d{4}$/);

    // Units: a refused edit shows the server's sentence under the box (nothing is written: this bot reads content/).
    await page.goto(`${tb.bot.url}/admin#/units`);
    await page.locator('button[data-unit="phuong-soc-trang"]').click();
    await page.getByLabel('Số điện thoại').fill('12345');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => page.locator('[data-field-error=phone]').textContent()).toMatch(/^Số điện thoại phải là số điện thoại Việt Nam/);
    expect(await page.getByTestId('unit-error').textContent()).toMatch(/^Không lưu được: /);
    await shot(page, 'units');

    await page.goto(`${tb.bot.url}/admin#/audit`);
    await page.getByTestId('audit-table').waitFor();
    expect(await page.getByTestId('audit-table').textContent()).toContain('Đăng nhập');
    await shot(page, 'audit');
    await page.goto(`${tb.bot.url}/admin#/accounts`);
    await page.getByText('Tạo tài khoản', { exact: true }).first().waitFor();
    await shot(page, 'accounts');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('is usable on a phone', async () => {
    const { context, page, errors } = await open(PHONE);
    await logIn(page, 'xl.pa');
    await page.getByText('Tình trạng hệ thống').waitFor();
    // Nothing wider than the screen but the tables, which scroll inside their own box.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'phone-dashboard');
    await page.goto(`${tb.bot.url}/admin#/petitions`);
    await page.getByTestId('petition-table').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'phone-petitions');
    await page.goto(`${tb.bot.url}/admin#/posts`);
    await page.getByTestId('calendar').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'phone-posts');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a viewer sees lists but no personal data and no write actions', async () => {
    const { context, page } = await open();
    await logIn(page, 'xem.bc');
    await page.goto(`${tb.bot.url}/admin#/petitions`);
    await page.getByTestId('petition-table').waitFor();
    expect(await page.getByTestId('export-csv-pii').count()).toBe(0);
    expect(await page.getByRole('link', { name: petitionCode }).count()).toBe(0);
    await page.goto(`${tb.bot.url}/admin#/posts`);
    await page.getByTestId('calendar').waitFor();
    expect(await page.getByTestId('new-post').count()).toBe(0);
    await page.goto(`${tb.bot.url}/admin#/audit`);
    await page.getByText('Không có quyền hoặc không tìm thấy trang').waitFor();
    await context.close();
  });

  it('locks the account after 5 failed logins and says so', async () => {
    const { context, page } = await open();
    await page.goto(`${tb.bot.url}/admin`);
    const message = page.getByTestId('login-message');
    for (let i = 1; i <= 5; i += 1) {
      await page.getByLabel('Tên đăng nhập').fill('bi.khoa');
      await page.getByLabel('Mật khẩu').fill(`sai-mat-khau-${i}`);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await expect.poll(() => message.textContent()).toMatch(i < 5 ? /Sai tên đăng nhập/ : /tạm khóa/);
      await expect.poll(() => page.getByRole('button', { name: 'Đăng nhập' }).isEnabled()).toBe(true);
    }
    // The right password is refused while the lock lasts.
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect.poll(() => message.textContent()).toMatch(/tạm khóa do đăng nhập sai nhiều lần\. Vui lòng thử lại sau 15 phút/);
    expect(await page.getByTestId('current-user').count()).toBe(0);
    await shot(page, 'login-locked');
    await context.close();
  });

  it('logs out, and the session is gone', async () => {
    const { context, page } = await open();
    await logIn(page, 'xem.bc');
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await expect.poll(() => page.getByTestId('login-message').textContent()).toBe('Bạn đã đăng xuất.');
    await page.reload();
    await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
    expect(await page.getByTestId('current-user').count()).toBe(0);
    await context.close();
  });
});
