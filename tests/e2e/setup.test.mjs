// A ward corrects its own setup in the browser: the election form empties after creating (no
// second identical election from a second click), a polling area's name is corrected and
// prints so on Mẫu 31, an empty area is deleted, and an area with a voter is refused in words.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  assertAccessible,
  assertFitsTablet,
  callApi,
  fetchPdf,
  screenshot,
  startWard,
  stepsInOrder,
  submitAndCheck,
  waitForHydration,
  waitForText,
} from './harness.mjs';

let ward;
let page;
let errors;
let electionId;
let voterId;
const step = stepsInOrder(() => ward);

const areaRow = (name) => page.locator('#areas-table tbody tr', { hasText: name });

describe('setup corrections', () => {
  before(async () => {
    ward = await startWard({ suite: 'setup' });
    ({ pages: [page], errors: [errors] } = ward);
  });

  after(() => ward?.stop());

  step('a. creating an election empties its form', async () => {
    await callApi(page, 'voters/ward/save', { name: 'Phường Mỹ Thới', province: 'Tỉnh An Giang' });
    await page.goto('/voters');
    await waitForHydration(page);
    const form = page.locator('#election-form');
    await form.locator('input[name="name"]').fill('Bầu cử đại biểu Quốc hội khóa XVI');
    await form.locator('input[name="election_day"]').fill('15/03/2026');
    const link = page.locator('ul.election-list a', { hasText: 'Bầu cử đại biểu Quốc hội khóa XVI' });
    await submitAndCheck(form, () => link.waitFor({ state: 'visible' }));
    assert.equal(await form.locator('input[name="name"]').inputValue(), '', 'name emptied');
    assert.equal(await form.locator('input[name="election_day"]').inputValue(), '', 'day emptied');
    electionId = Number(new URL(await link.evaluate((a) => a.href)).searchParams.get('election'));
    for (const [number, name] of [[1, 'Khom Thoi An (go sai)'], [2, 'Khóm Đông Thịnh']]) {
      await callApi(page, 'voters/areas/create', {
        election_id: String(electionId),
        number: String(number),
        name,
        address: '',
      });
    }
  });

  step('b. an area name typed wrong is corrected and prints so on Mẫu 31', async () => {
    await page.goto(`/voters?election=${electionId}`);
    await waitForHydration(page);
    const row = areaRow('Khom Thoi An (go sai)');
    await row.locator('details.area-edit summary').click();
    const form = row.locator('details.area-edit form').first();
    await form.locator('input[name="name"]').fill('Khóm Thới An');
    await form.locator('input[name="address"]').fill('Nhà văn hóa khóm Thới An');
    await submitAndCheck(form, () => waitForText(page, '#areas-table tbody tr td', /^Khóm Thới An$/));
    assert.equal(await areaRow('Khom Thoi An (go sai)').count(), 0, 'the wrong name is gone');
    const href = await areaRow('Khóm Thới An').locator('a', { hasText: 'Danh sách (PDF)' }).getAttribute('href');
    const { text } = await fetchPdf(page, href, 'setup-area-corrected');
    assert.match(text, /Khóm Thới An/, 'Mẫu 31 prints the corrected name');
    assert.doesNotMatch(text, /go sai/);
    await screenshot(page, 'setup-01-area-corrected');
    await assertFitsTablet(page, 'setup-areas');
    await assertAccessible(page, 'setup-areas');
  });

  step('c. an empty area is deleted; one with a voter is refused and stays', async () => {
    const listed = await callApi(page, 'voters/areas/create', {
      election_id: String(electionId),
      number: '3',
      name: 'Khóm Thới Hòa',
      address: '',
    });
    ({ id: voterId } = await callApi(page, 'voters/add', {
      area_id: String(listed),
      'voter[full_name]': 'Lê Văn Cường',
      'voter[birth_date]': '1962',
      'voter[gender]': 'Nam',
      reason: 'Bổ sung',
    }));
    await page.goto(`/voters?election=${electionId}`);
    await waitForHydration(page);

    const empty = areaRow('Khóm Đông Thịnh');
    await empty.locator('details.area-edit summary').click();
    await empty.locator('details.area-edit form').nth(1).locator('button[type="submit"]').click();
    await areaRow('Khóm Đông Thịnh').waitFor({ state: 'detached' });
    // A fresh page: the list reloaded after the delete, and the next row is opened on it.
    await page.goto(`/voters?election=${electionId}`);
    await waitForHydration(page);
    assert.equal(await areaRow('Khóm Đông Thịnh').count(), 0, 'the deleted area stays deleted');

    const used = areaRow('Khóm Thới Hòa');
    await used.locator('details.area-edit summary').click();
    const remove = used.locator('details.area-edit form').nth(1);
    await remove.locator('button[type="submit"]').click();
    await remove.locator('.form-error').waitFor({ state: 'visible' });
    assert.match(await remove.locator('.form-error').innerText(), /không xóa được/);
    assert.equal(await areaRow('Khóm Thới Hòa').count(), 1, 'the area with a voter stays');
    await screenshot(page, 'setup-02-delete-refused');
    // The refusal is the one 409 the browser reports; anything else is a real error.
    const refusal = (e) =>
      e.kind === 'console' && /Failed to load resource: .*status of 409/.test(e.text);
    assert.equal(errors.filter(refusal).length, 1, 'the refused delete answered 409');
    assert.deepEqual(errors.filter((e) => !refusal(e)), [], 'no other browser errors');
  });

  step('d. the voter page reads the voter history in words', async () => {
    await page.goto(`/voters/${voterId}`);
    await waitForHydration(page);
    const history = page.locator('#voter-history');
    await waitForText(page, '#voter-history tbody tr', 'Bổ sung cử tri');
    const text = await history.innerText();
    assert.match(text, /Bổ sung/);
    // Field by field in words, not the stored JSON.
    assert.match(text, /Họ và tên/);
    assert.doesNotMatch(text, /[{}"]/, text);
    await screenshot(page, 'setup-03-voter-history');
  });
});
