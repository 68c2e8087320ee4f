// The import preview in a real browser when one real error hides among thousands of warnings:
// the error is the first problem row, the counts by kind sit above the rows, and the full list
// downloads as CSV with every problem. Steps run in order and are skipped once one failed.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { callApi, screenshot, squash, startWard, stepsInOrder, uploadVoterFile } from './harness.mjs';

const WARNINGS = 3000;

let ward;
let page;
let errors;
let electionId;

const step = stepsInOrder(() => ward, { timeout: 180_000 });
const call = (endpoint, form) => callApi(page, endpoint, form);

/** One person listed WARNINGS + 1 times (a warning per repeat) and one impossible birth date. */
function manyWarningsOneError() {
  const lines = ['STT;Họ và tên;Ngày sinh;Giới tính;Khu vực bỏ phiếu'];
  for (let stt = 1; stt <= WARNINGS + 1; stt++) lines.push(`${stt};Lê Văn Tư;05/03/1980;Nam;1`);
  lines.push(`${WARNINGS + 2};Trần Thị Bình;31/02/1990;Nữ;1`);
  return lines.join('\r\n');
}

describe('import messages', () => {
  before(async () => {
    ward = await startWard({ suite: 'import-messages' });
    ({ pages: [page], errors: [errors] } = ward);
  });

  after(() => ward?.stop());

  step('a. ward, election and a polling area', async () => {
    await call('voters/ward/save', { name: 'Phường Mỹ Thới', province: 'Tỉnh An Giang' });
    electionId = await call('voters/elections/create', {
      name: 'Bầu cử đại biểu Quốc hội khóa XVI và đại biểu HĐND các cấp nhiệm kỳ 2026–2031',
      election_day: '15/03/2026',
      national_assembly: '1',
      province: '1',
      commune: '1',
    });
    await call('voters/areas/create', {
      election_id: String(electionId),
      number: '1',
      name: 'Khóm Thới An',
      address: '',
    });
  });

  step('b. the one error among many warnings is the first row, with counts by kind', async () => {
    await uploadVoterFile(page, electionId, {
      name: 'nhieu-canh-bao.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(manyWarningsOneError(), 'utf8'),
    });
    await page.locator('#import-problems').waitFor({ state: 'visible' });
    const heading = squash(await page.locator('#import-problems h2').innerText());
    assert.equal(heading, `Vấn đề cần xem (${(WARNINGS + 1).toLocaleString('vi-VN')})`);
    const kinds = await page.locator('#problems-by-kind tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())),
    );
    assert.deepEqual(kinds, [
      ['Ngày sinh không hợp lệ', 'Lỗi', '1'],
      ['Có thể trùng người trong tệp', 'Lưu ý', WARNINGS.toLocaleString('vi-VN')],
    ]);
    const first = await page
      .locator('#problems-table tbody tr')
      .first()
      .evaluate((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()));
    assert.equal(first[0], String(WARNINGS + 3), 'the error row comes first');
    assert.equal(first[2], 'Lỗi');
    assert.match(first[3], /31\/02\/1990/);
    assert.equal(first[4], 'Trần Thị Bình');
    const second = squash(await page.locator('#problems-table tbody tr').nth(1).innerText());
    assert.match(second, /trùng người với dòng 2: Lê Văn Tư/);
    assert.ok(await page.locator('#commit-import').isDisabled(), 'an error stops the commit');
    assert.ok(await page.locator('#import-blocked').isVisible());
    await screenshot(page, 'import-messages-errors-first');
  });

  step('c. the full list downloads as CSV with every problem', async () => {
    const href = await page.locator('#problems-csv').getAttribute('href');
    const response = await page.request.get(href);
    assert.equal(response.status(), 200);
    const text = (await response.body()).toString('utf8');
    assert.ok(text.startsWith('\uFEFF'), 'a BOM for Excel');
    const lines = text.trimEnd().split('\r\n');
    assert.equal(lines.length, 1 + WARNINGS + 1, 'heading and every problem');
    assert.ok(lines.some((l) => l.includes(';BadBirthDate;') && l.endsWith(';Trần Thị Bình')));
    assert.deepEqual(errors, [], 'no browser errors');
  });
});
