// Excel imports in a real browser: an .xlsx with title rows above the header (real date cells,
// CCCD numbers, STT formulas) is previewed and committed; TCVN3 workbooks (.VnTime cells), .xlsx
// and .xls, are previewed in Unicode; in an .xls with a sheet per polling area the second sheet
// is chosen; a truncated workbook is refused in Vietnamese. The fixtures are
// tests/fixtures/voters/*.xlsx and *.xls, written by make_fixtures.py and make_xls_fixtures.py. Steps run in order and are
// skipped once an earlier one failed.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import {
  REPO_ROOT,
  callApi,
  screenshot,
  squash,
  startWard,
  stepsInOrder,
  uploadVoterFile,
  waitForHydration,
} from './harness.mjs';

const FIXTURES = path.join(REPO_ROOT, 'tests', 'fixtures', 'voters');
// The first voters of sach.csv / tieu-de.xlsx and of tcvn3.csv / tcvn3.xlsx, in Unicode: the
// oracle, not decoded by the test.
const CLEAN_FIRST = ['Nguyễn Văn An', 'Trần Thị Bích Ngọc', 'Lê Văn Đức'];
const CLEAN_COUNT = 13;
const TCVN3_FIRST = ['Trần Thị Hương', 'Nguyễn Văn Phước', 'Đỗ Thị Lụa'];
// The first voters of the second sheet ("Khu vực 2") of hai-trang.xls.
const AREA_2_FIRST = ['Đặng Thùy Dương', 'Huỳnh Ngọc Ước', 'Thạch Thị Sô Phia'];

let ward;
let page;
let errors;
let electionId;
let areaIds = [];

const step = stepsInOrder(() => ward, { timeout: 180_000 });
const call = (endpoint, form) => callApi(page, endpoint, form);

/** Upload a fixture through the import form; resolves on the hydrated page after it. */
async function upload(fileName, { defaultArea } = {}) {
  await uploadVoterFile(page, electionId, path.join(FIXTURES, fileName), {
    defaultArea: defaultArea && String(defaultArea),
  });
}

async function nameSamples() {
  const rows = await page.locator('#mapping-table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      field: tr.querySelector('select').value,
      samples: tr.querySelectorAll('td')[3].textContent.trim(),
    })),
  );
  return rows.find((r) => r.field === 'full_name')?.samples;
}

describe('xlsx import', () => {
  before(async () => {
    ward = await startWard({ suite: 'xlsx' });
    ({ pages: [page], errors: [errors] } = ward);
  });

  after(() => ward?.stop());

  step('a. ward, election and two polling areas', async () => {
    await call('voters/ward/save', { name: 'Phường Mỹ Thới', province: 'Tỉnh An Giang' });
    electionId = await call('voters/elections/create', {
      name: 'Bầu cử đại biểu Quốc hội khóa XVI và đại biểu HĐND các cấp nhiệm kỳ 2026–2031',
      election_day: '15/03/2026',
      national_assembly: '1',
      province: '1',
      commune: '1',
    });
    for (const [number, name] of [['1', 'Khóm Thới An'], ['2', 'Khóm Đông Thịnh']]) {
      areaIds.push(
        await call('voters/areas/create', { election_id: String(electionId), number, name, address: '' }),
      );
    }
    assert.equal(areaIds.length, 2);
  });

  step('b. a workbook with title rows is previewed and committed', async () => {
    await upload('tieu-de.xlsx');
    await page.locator('#import-preview').waitFor({ state: 'visible' });
    const summary = squash(await page.locator('#mapping-form').innerText());
    assert.match(summary, /Tệp Excel/, 'no separator for a workbook');
    assert.match(summary, /Dòng tiêu đề: 4/, 'two title rows and a blank row above the header');
    assert.equal(await page.locator('#encoding-select').inputValue(), 'utf-8');
    assert.equal(await nameSamples(), CLEAN_FIRST.join(' · '));
    await page.locator('#import-problems', { hasText: 'Không phát hiện vấn đề nào.' }).waitFor();
    await screenshot(page, 'xlsx-01-preview');
    const button = page.locator('#commit-import');
    assert.ok(await button.isEnabled(), '#commit-import is enabled');
    await button.click();
    const done = page.locator('#import-done');
    await done.waitFor({ state: 'visible' });
    assert.match(squash(await done.innerText()), new RegExp(`^Đã ghi vào danh sách: ${CLEAN_COUNT}\\b`));
  });

  step('c. a .VnTime workbook is shown in Unicode', async () => {
    await upload('tcvn3.xlsx', { defaultArea: areaIds[0] });
    await page.locator('#import-preview').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#encoding-select').inputValue(), 'tcvn3');
    assert.equal(await nameSamples(), TCVN3_FIRST.join(' · '));
    await screenshot(page, 'xlsx-02-tcvn3');
  });

  step('d. an Excel 97–2003 .VnTime workbook (.xls) is shown in Unicode', async () => {
    await upload('tcvn3.xls', { defaultArea: areaIds[0] });
    await page.locator('#import-preview').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#encoding-select').inputValue(), 'tcvn3');
    assert.equal(await nameSamples(), TCVN3_FIRST.join(' · '));
  });

  step('e. a workbook with a sheet per polling area: another sheet is chosen', async () => {
    await upload('hai-trang.xls');
    const sheets = page.locator('#sheet-select');
    await sheets.waitFor({ state: 'visible' });
    assert.equal(await sheets.inputValue(), '0');
    // The hidden sheet of notes is not offered.
    assert.deepEqual(await sheets.locator('option').allInnerTexts(), ['Khu vực 1', 'Khu vực 2']);
    await sheets.selectOption('1');
    await page.locator('#apply-mapping').click();
    await page.waitForURL((u) => new URL(u).searchParams.get('sheet') === '1');
    await waitForHydration(page);
    await page.locator('#import-preview').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#sheet-select').inputValue(), '1');
    assert.equal(await nameSamples(), AREA_2_FIRST.join(' · '));
    await screenshot(page, 'xlsx-03-second-sheet');
  });

  step('f. a truncated workbook is refused in Vietnamese', async () => {
    await upload('cat-cut.xlsx');
    const problem = page.locator('#file-problem');
    await problem.waitFor({ state: 'visible' });
    assert.match(await problem.innerText(), /Tệp Excel bị cắt cụt hoặc hỏng/);
  });

  step('g. no browser console errors or page errors', async () => {
    assert.deepEqual(errors, []);
  });
});
