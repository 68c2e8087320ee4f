// The foundation flow in a real browser: first-admin setup, user administration, the audit
// log, login errors, the 403 page, the language switch, and no browser errors on the way.
// The steps share one server, one browser page and one session, so they run in order and a
// step is skipped once an earlier one failed (its failure is the one worth reading).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  collectErrors,
  launchBrowser,
  screenshot,
  startServer,
  waitForHydration,
} from './harness.mjs';

const ADMIN = { username: 'quantri', displayName: 'Quản trị viên', password: 'mat-khau-rat-dai-1' };
const STATION = {
  username: 'tobaucu1',
  displayName: 'Tổ bầu cử số 1',
  role: 'station',
  password: 'tobaucu-mat-khau-1',
};

let server;
let browser;
let page;
let errors = [];
// Browser errors that a step caused on purpose (e.g. the 403 document load logs one).
const expectedErrors = new Set();
let failedStep = null;

const url = (path) => server.baseUrl + path;
const pathIs = (path) => (u) => new URL(u).pathname === path;

/** Wait until some element matching `selector` is visible and its text matches `re`. */
async function waitForText(selector, re) {
  await page.locator(selector).filter({ hasText: re }).first().waitFor({ state: 'visible' });
}

/** Mark the browser errors logged while `fn` runs as expected if `isExpected` says so. */
async function expectingErrors(isExpected, fn) {
  const from = errors.length;
  await fn();
  for (const e of errors.slice(from)) if (isExpected(e)) expectedErrors.add(e);
}

const failedLoad4xx = (e) =>
  e.kind === 'console' && /Failed to load resource: .*status of 4\d\d/.test(e.text);

function step(name, fn) {
  test(name, { timeout: 120_000 }, async (t) => {
    if (failedStep) {
      t.skip(`earlier step failed: ${failedStep}`);
      return;
    }
    try {
      await fn();
    } catch (err) {
      failedStep = name;
      const shot = await screenshot(page, `FAILED-${name.replace(/\W+/g, '-')}`).catch(() => null);
      const tail = (server?.log() ?? "").split('\n').slice(-100).join('\n');
      console.error(
        `\n--- step "${name}" failed at ${page?.url()}` +
          (shot ? `; screenshot ${shot}` : '') +
          `\n--- browser errors so far:\n${JSON.stringify(errors, null, 2)}` +
          `\n--- last server log lines:\n${tail}\n---`,
      );
      throw err;
    }
  });
}

describe('foundation', () => {
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    // Vietnamese is the app's language; a real user's browser says so too.
    const context = await browser.newContext({
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      viewport: { width: 1280, height: 900 },
    });
    page = await context.newPage();
    errors = collectErrors(page);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  step('a. setup link creates the first admin and logs them in', async () => {
    await page.goto(server.setupUrl);
    await waitForHydration(page);
    const form = page.locator('#setup-form');
    await form.locator('input[name="username"]').fill(ADMIN.username);
    await form.locator('input[name="display_name"]').fill(ADMIN.displayName);
    await form.locator('input[name="password"]').fill(ADMIN.password);
    await form.locator('input[name="password_confirm"]').fill(ADMIN.password);
    await form.locator('button[type="submit"]').click();

    await page.waitForURL(pathIs('/'));
    await waitForHydration(page);
    await page.locator('nav.main-nav').waitFor({ state: 'visible' });
    await waitForText('#user-menu', ADMIN.displayName);
    // A fresh install: the administrator's checklist starts at the ward, nothing done yet.
    const steps = page.locator('section.preparation .prep-step');
    await steps.first().waitFor();
    assert.equal(await steps.count(), 6);
    assert.equal(await page.locator('.prep-step.done').count(), 0);
    assert.match(await page.locator('.prep-step.next').innerText(), /Nhập tên phường\/xã/);
    assert.equal(await page.locator('.prep-step.next a').getAttribute('href'), '/voters');
    assert.match(await page.locator('.tiles').innerText(), /nhập từ Excel\/CSV/);
    await screenshot(page, '01-home-admin');
  });

  step('b. admin creates a station user, sees it audited, logs out', async () => {
    await page.goto(url('/admin/users'));
    await waitForHydration(page);
    const rows = page.locator('#users-table tbody tr');
    await rows.first().waitFor({ state: 'visible' });
    const rowsBefore = await rows.count();
    await screenshot(page, '02-admin-users');

    const form = page.locator('#create-user-form');
    await form.locator('input[name="username"]').fill(STATION.username);
    await form.locator('input[name="display_name"]').fill(STATION.displayName);
    await form.locator('input[name="password"]').fill(STATION.password);
    await form.locator('select[name="role"]').selectOption(STATION.role);
    await form.locator('button[type="submit"]').click();

    await page.locator('.form-ok').first().waitFor({ state: 'visible' });
    await waitForText('#users-table tbody tr', STATION.username);
    assert.equal(await rows.count(), rowsBefore + 1, 'exactly one new row in #users-table');

    await page.goto(url('/admin/audit'));
    await waitForHydration(page);
    await waitForText('#audit-table tr', STATION.username);
    await screenshot(page, '03-audit');

    await page.locator('#logout').click();
    await page.waitForURL(pathIs('/login'));
    await waitForHydration(page);
  });

  step('c. station user: sent from the page asked for to log in, wrong password refused, then logged in and back there; admin pages are 403', async () => {
    await page.goto(url('/election-day'));
    await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/election-day');
    await waitForHydration(page);
    const form = page.locator('#login-form');
    // A refused login may answer 401 or similar; that is expected, a 5xx would not be.
    await expectingErrors(failedLoad4xx, async () => {
      await form.locator('input[name="username"]').fill(STATION.username);
      await form.locator('input[name="password"]').fill('sai-mat-khau');
      await form.locator('button[type="submit"]').click();
      await waitForText('.form-error', /Tên đăng nhập hoặc mật khẩu không đúng/);
    });
    await screenshot(page, '04-login-wrong-password');

    // After a refused login the page may have reloaded: wait before typing again.
    await waitForHydration(page);
    await form.locator('input[name="username"]').fill(STATION.username);
    await form.locator('input[name="password"]').fill(STATION.password);
    await form.locator('button[type="submit"]').click();
    await page.waitForURL(pathIs('/election-day'));
    await waitForText('#user-menu', STATION.displayName);
    await waitForHydration(page);

    // The document load of a 403 page is logged by chromium as a failed resource.
    let response;
    await expectingErrors(failedLoad4xx, async () => {
      response = await page.goto(url('/admin/users'));
    });
    assert.ok(response, 'navigation to /admin/users returned a response');
    assert.equal(response.status(), 403, 'HTTP status of /admin/users for a station user');
    await waitForText('h1', /Không có quyền truy cập/);
    await waitForHydration(page);
    await screenshot(page, '05-forbidden');
  });

  step('d. language switch to English and back', async () => {
    await page.goto(url('/'));
    await waitForHydration(page);
    // A station user sees the election-day and results areas, and no preparation checklist.
    await waitForText('nav.main-nav', /Kết quả/);
    assert.match(await page.locator('.tiles').innerText(), /Ghi nhận cử tri đến bỏ phiếu/);
    assert.equal(await page.locator('section.preparation').count(), 0);

    await page.locator('#lang-en').click();
    await waitForText('nav.main-nav', /Results/);
    // The switch may reload the page; the next click needs a hydrated page.
    await waitForHydration(page);
    await screenshot(page, '06-lang-en');

    await page.locator('#lang-vi').click();
    await waitForText('nav.main-nav', /Kết quả/);
    await waitForHydration(page);
    assert.doesNotMatch(await page.locator('nav.main-nav').innerText(), /Results/);
  });

  step('e. no browser console errors or page errors', async () => {
    const unexpected = errors.filter((e) => !expectedErrors.has(e));
    assert.deepEqual(unexpected, [], 'browser errors (hydration failures show up here)');
  });
});
