// Backups in a real browser: the administrator opens Quản trị → Sao lưu, presses "Sao lưu
// ngay", reads the checked result, and finds the new backup in the list and in the folder
// (the server's default, <data-dir>/backups).

import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  collectErrors,
  launchBrowser,
  screenshot,
  startServer,
  waitForHydration,
} from './harness.mjs';

const ADMIN = { username: 'quantri', displayName: 'Quản trị viên', password: 'mat-khau-rat-dai-1' };
const BACKUP_NAME_RE = /^cutri-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-[0-9a-f]{12}\.db$/;

let server;
let browser;
let page;
let errors = [];
let failedStep = null;

const url = (p) => server.baseUrl + p;

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
      const shot = await screenshot(page, `FAILED-backup-${name.replace(/\W+/g, '-')}`).catch(() => null);
      const tail = (server?.log() ?? '').split('\n').slice(-100).join('\n');
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

describe('backup', () => {
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
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

  step('a. the first administrator is created', async () => {
    await page.goto(server.setupUrl);
    await waitForHydration(page);
    const form = page.locator('#setup-form');
    await form.locator('input[name="username"]').fill(ADMIN.username);
    await form.locator('input[name="display_name"]').fill(ADMIN.displayName);
    await form.locator('input[name="password"]').fill(ADMIN.password);
    await form.locator('input[name="password_confirm"]').fill(ADMIN.password);
    await form.locator('button[type="submit"]').click();
    await page.waitForURL((u) => new URL(u).pathname === '/');
    await waitForHydration(page);
  });

  step('b. the backup page is reached from the administration and starts empty', async () => {
    await page.goto(url('/admin/users'));
    await waitForHydration(page);
    await page.locator('nav.sub-nav a[href="/admin/backups"]').click();
    await page.waitForURL((u) => new URL(u).pathname === '/admin/backups');
    await waitForHydration(page);
    await page.locator('h1').filter({ hasText: 'Sao lưu dữ liệu' }).waitFor();
    const folder = await page.locator('#backup-folder').innerText();
    assert.equal(path.resolve(folder), path.join(server.dataDir, 'backups'));
    await page.locator('#backups-none').waitFor({ state: 'visible' });
    assert.match(await page.locator('main').innerText(), /Chưa bật sao lưu tự động/);
  });

  step('c. "Sao lưu ngay" makes a checked backup that appears in the list', async () => {
    await page.getByRole('button', { name: 'Sao lưu ngay' }).click();
    const outcome = page.locator('#backup-outcome');
    await outcome.waitFor({ state: 'visible', timeout: 60_000 });
    const text = await outcome.innerText();
    assert.match(text, /Đã sao lưu và kiểm tra/);
    assert.match(text, /bản ghi nhật ký/);
    const name = await outcome.locator('code').first().innerText();
    assert.match(name, BACKUP_NAME_RE);

    const rows = page.locator('#backups-table tbody tr');
    await rows.first().waitFor({ state: 'visible' });
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().innerText(), new RegExp(name.replace(/\./g, '\\.')));
    assert.deepEqual(await readdir(path.join(server.dataDir, 'backups')), [name]);
    await screenshot(page, 'backup-01-made');
  });

  step('d. no browser console errors or page errors', async () => {
    assert.deepEqual(errors, [], 'browser errors (hydration failures show up here)');
  });
});
