// Backups in a real browser: the administrator opens Quản trị → Sao lưu, presses "Sao lưu
// ngay", reads the checked result, and finds the new backup in the list and in the folder
// (the server's default, <data-dir>/backups).

import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { pathIs, screenshot, startWard, stepsInOrder, waitForHydration } from './harness.mjs';

const BACKUP_NAME_RE = /^cutri-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-[0-9a-f]{12}\.db$/;

let ward;
let server;
let page;
let errors;

const step = stepsInOrder(() => ward);

describe('backup', () => {
  before(async () => {
    ward = await startWard({ suite: 'backup' });
    ({ server, pages: [page], errors: [errors] } = ward);
  });

  after(() => ward?.stop());

  step('a. the backup page is reached from the administration and starts empty', async () => {
    await page.goto('/admin/users');
    await waitForHydration(page);
    await page.locator('nav.sub-nav a[href="/admin/backups"]').click();
    await page.waitForURL(pathIs('/admin/backups'));
    await waitForHydration(page);
    await page.locator('h1').filter({ hasText: 'Sao lưu dữ liệu' }).waitFor();
    const folder = await page.locator('#backup-folder').innerText();
    assert.equal(path.resolve(folder), path.join(server.dataDir, 'backups'));
    await page.locator('#backups-none').waitFor({ state: 'visible' });
    assert.match(await page.locator('main').innerText(), /Chưa bật sao lưu tự động/);
  });

  step('b. "Sao lưu ngay" makes a checked backup that appears in the list', async () => {
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

  step('c. no browser console errors or page errors', async () => {
    assert.deepEqual(errors, [], 'browser errors (hydration failures show up here)');
  });
});
