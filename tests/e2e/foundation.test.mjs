// The foundation flow in a real browser: first-admin setup, user administration, the audit
// log, login errors, the 403 page, the language switch, and no browser errors on the way.
// The steps share one server, one browser page and one session, so they run in order and a
// step is skipped once an earlier one failed (its failure is the one worth reading).

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  assertAccessible,
  FIRST_ADMIN,
  assertFitsTablet,
  pathIs,
  screenshot,
  squash,
  startWard,
  stepsInOrder,
  waitForHydration,
  waitForText,
} from './harness.mjs';

const STATION = {
  username: 'tobaucu1',
  displayName: 'Tổ bầu cử số 1',
  role: 'station',
  password: 'tobaucu-mat-khau-1',
};

let ward;
let page;
let errors;
// Browser errors that a step caused on purpose (e.g. the 403 document load logs one).
const expectedErrors = new Set();

/** Mark the browser errors logged while `fn` runs as expected if `isExpected` says so. */
async function expectingErrors(isExpected, fn) {
  const from = errors.length;
  await fn();
  for (const e of errors.slice(from)) if (isExpected(e)) expectedErrors.add(e);
}

const failedLoad4xx = (e) =>
  e.kind === 'console' && /Failed to load resource: .*status of 4\d\d/.test(e.text);

const step = stepsInOrder(() => ward);

describe('foundation', () => {
  // Every scenario starts by following the setup link; step a looks at where that leads.
  before(async () => {
    ward = await startWard({ suite: 'foundation' });
    ({ pages: [page], errors: [errors] } = ward);
  });

  after(() => ward?.stop());

  step('a. setup link creates the first admin and logs them in', async () => {
    assert.equal(new URL(page.url()).pathname, '/', 'the setup form leads home');
    await waitForHydration(page);
    await page.locator('nav.main-nav').waitFor({ state: 'visible' });
    await waitForText(page, '#user-menu', FIRST_ADMIN.displayName);
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
    await page.goto('/admin/users');
    await waitForHydration(page);
    const rows = page.locator('#users-table tbody tr');
    await rows.first().waitFor({ state: 'visible' });
    const rowsBefore = await rows.count();
    await screenshot(page, '02-admin-users');
    // Each page names itself in the tab; the skip link still leads into the page once hydrated.
    assert.equal(await page.title(), 'Người dùng — cutri');
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'main');

    const form = page.locator('#create-user-form');
    await form.locator('input[name="username"]').fill(STATION.username);
    await form.locator('input[name="display_name"]').fill(STATION.displayName);
    await form.locator('input[name="password"]').fill(STATION.password);
    await form.locator('select[name="role"]').selectOption(STATION.role);
    await form.locator('button[type="submit"]').click();

    await page.locator('.form-ok').first().waitFor({ state: 'visible' });
    await waitForText(page, '#users-table tbody tr', STATION.username);
    assert.equal(await rows.count(), rowsBefore + 1, 'exactly one new row in #users-table');
    // Locking is offered for others, never for the admin's own account (the server refuses it).
    const lock = { name: 'Khóa tài khoản' };
    const own = rows.filter({ has: page.locator('td:first-child', { hasText: new RegExp(`^${FIRST_ADMIN.username}$`) }) });
    assert.equal(await own.getByRole('button', lock).count(), 0, 'no lock on the own row');
    const station = rows.filter({ hasText: STATION.username });
    assert.equal(await station.getByRole('button', lock).count(), 1, 'lock offered for the station user');
    await assertFitsTablet(page, 'admin-users');
    await assertAccessible(page, 'admin-users');

    await page.goto('/admin/audit');
    await waitForHydration(page);
    await waitForText(page, '#audit-table tr', STATION.username);
    // In words: the action, the account it is about (a link), its fields by their names.
    const created = page.locator('#audit-table tbody tr', { hasText: STATION.username }).first();
    const row = squash(await created.innerText());
    assert.match(row, /Tạo người dùng/, row);
    assert.match(row, /Tài khoản số \d+/, row);
    assert.match(row, new RegExp(`Tên đăng nhập ${STATION.username}`), row);
    assert.doesNotMatch(row, /[{}"]|user:\d/, row);
    await screenshot(page, '03-audit');
    await assertFitsTablet(page, 'admin-audit');
    await assertAccessible(page, 'admin-audit');

    await page.locator('#logout').click();
    await page.waitForURL(pathIs('/login'));
    await waitForHydration(page);
  });

  step('c. station user: sent from the page asked for to log in, wrong password refused, then logged in and back there; admin pages are 403', async () => {
    await page.goto('/election-day');
    await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/election-day');
    await waitForHydration(page);
    const form = page.locator('#login-form');
    // A refused login may answer 401 or similar; that is expected, a 5xx would not be.
    await expectingErrors(failedLoad4xx, async () => {
      await form.locator('input[name="username"]').fill(STATION.username);
      await form.locator('input[name="password"]').fill('sai-mat-khau');
      await form.locator('button[type="submit"]').click();
      await waitForText(page, '.form-error', /Tên đăng nhập hoặc mật khẩu không đúng/);
    });
    await screenshot(page, '04-login-wrong-password');

    // After a refused login the page may have reloaded: wait before typing again.
    await waitForHydration(page);
    await form.locator('input[name="username"]').fill(STATION.username);
    await form.locator('input[name="password"]').fill(STATION.password);
    await form.locator('button[type="submit"]').click();
    await page.waitForURL(pathIs('/election-day'));
    await waitForText(page, '#user-menu', STATION.displayName);
    await waitForHydration(page);

    // The document load of a 403 page is logged by chromium as a failed resource.
    let response;
    await expectingErrors(failedLoad4xx, async () => {
      response = await page.goto('/admin/users');
    });
    assert.ok(response, 'navigation to /admin/users returned a response');
    assert.equal(response.status(), 403, 'HTTP status of /admin/users for a station user');
    await waitForText(page, 'h1', /Không có quyền truy cập/);
    await waitForHydration(page);
    await screenshot(page, '05-forbidden');
  });

  step('d. language switch to English and back', async () => {
    await page.goto('/');
    await waitForHydration(page);
    // A station user sees the election-day and results areas, and no preparation checklist.
    await waitForText(page, 'nav.main-nav', /Kết quả/);
    assert.match(await page.locator('.tiles').innerText(), /Ghi nhận cử tri đến bỏ phiếu/);
    assert.equal(await page.locator('section.preparation').count(), 0);

    await page.locator('#lang-en').click();
    await waitForText(page, 'nav.main-nav', /Results/);
    // The switch may reload the page; the next click needs a hydrated page.
    await waitForHydration(page);
    await screenshot(page, '06-lang-en');

    await page.locator('#lang-vi').click();
    await waitForText(page, 'nav.main-nav', /Kết quả/);
    await waitForHydration(page);
    assert.doesNotMatch(await page.locator('nav.main-nav').innerText(), /Results/);
  });

  step('e. no browser console errors or page errors', async () => {
    const unexpected = errors.filter((e) => !expectedErrors.has(e));
    assert.deepEqual(unexpected, [], 'browser errors (hydration failures show up here)');
  });
});
