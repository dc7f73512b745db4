import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../src/main.ts';
import { makeTempDir, removeTempDir, silentLogger } from './helpers/bot.ts';
import { inboxRows } from './helpers/db-reads.ts';

// What the README promises a newcomer: `npm start` with no configuration (demo mode), open /simulator in a browser
// and chat. The page signs its events in the browser and the bot answers through the in-process fake of Zalo.

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const ARTIFACTS = 'test-artifacts/simulator';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let dir: string;
let bot: RunningBot;
let browser: Browser;

describe.skipIf(!HAS_CHROMIUM)('demo simulator in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = makeTempDir();
    // Demo mode as `npm start` runs it without a .env: no Zalo credentials at all, no HOST (it binds 127.0.0.1).
    bot = await startBot({ logger: silentLogger(), env: { BOT_MODE: 'demo', PORT: '0', DATABASE_PATH: join(dir, 'bot.db'), LOG_LEVEL: 'silent' } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await bot?.close();
    removeTempDir(dir);
  });

  /** The bot's messages shown on the page so far. */
  const botMessages = (page: Page) => page.locator('.msg.bot').allTextContents();
  /** Sends `text` (or clicks, with `act`) and waits for a new bot message matching `expected`; returns it. */
  async function exchange(page: Page, act: string | (() => Promise<void>), expected: string | RegExp): Promise<string> {
    const before = (await botMessages(page)).length;
    if (typeof act === 'string') {
      await page.getByPlaceholder('Nhập tin nhắn như một người dân…').fill(act);
      await page.getByRole('button', { name: 'Gửi', exact: true }).click();
    } else await act();
    const matches = (m: string) => (typeof expected === 'string' ? m.includes(expected) : expected.test(m));
    await expect.poll(async () => (await botMessages(page)).slice(before).some(matches), { timeout: 10_000 }).toBe(true);
    return (await botMessages(page)).slice(before).find(matches)!;
  }

  it('follows the OA, asks about a procedure without accents, opens its documents and gets 113 for an emergency', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(`${bot.url}/simulator`);
    await page.getByText('Gõ câu hỏi như một người dân').waitFor();
    // A simulator user id: the only kind whose conversation /simulator/api/messages shows.
    expect(await page.locator('#userId').inputValue()).toMatch(/^demo-\d+$/);

    await exchange(page, () => page.getByRole('button', { name: 'Quan tâm OA' }).click(), 'Chào mừng bạn');
    // The welcome offers the three languages.
    await expect.poll(() => page.locator('.msg.bot .buttons button').allTextContents()).toEqual(expect.arrayContaining(['Tiếng Việt', 'English']));

    const answer = await exchange(page, 'lam cccd cho con duoi 14 tuoi can giay to gi', 'Nơi làm:');
    expect(answer).toMatch(/căn cước/i);
    expect(answer).toMatch(/dưới 14 tuổi/);
    expect(answer).toMatch(/Nguồn: /);
    await exchange(page, () => page.locator('.msg.bot', { hasText: 'Nơi làm:' }).last().getByRole('button', { name: 'Hồ sơ cần chuẩn bị' }).click(), 'Hồ sơ cần chuẩn bị –');
    await page.screenshot({ path: `${ARTIFACTS}/procedure.png`, fullPage: true });

    const emergency = await exchange(page, 'cuu voi co nguoi dang cuop xe ngay truoc nha', '113');
    expect(emergency).toMatch(/GỌI NGAY/);
    await page.screenshot({ path: `${ARTIFACTS}/emergency.png`, fullPage: true });

    // Every message the page showed went through the signed webhook: stored and handled once each.
    const rows = inboxRows(bot);
    expect(rows.map((r) => r.event_name)).toEqual(['follow', 'user_send_text', 'user_send_text', 'user_send_text']);
    expect(rows.every((r) => r.status === 'done')).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
