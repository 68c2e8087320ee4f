// An updated list imported for its new voters only, in a real browser: staff import the first
// list, then the ward's updated Excel copy with "Chỉ nhập cử tri mới", see how many people are
// new, written otherwise and left alone, commit, and the voters page counts the new people
// once. Steps run in order and are skipped once one failed.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  callApi,
  screenshot,
  squash,
  startWard,
  stepsInOrder,
  uploadVoterFile,
  waitForHydration,
} from './harness.mjs';

const HEADER = 'STT;Họ và tên;Ngày sinh;Giới tính;Số CCCD;Nơi thường trú;Khu vực bỏ phiếu';
const FIRST = [
  '1;Nguyễn Văn An;05/07/1960;Nam;079060001234;Khóm Thới An;1',
  '2;Trần Thị Hương;03/1965;Nữ;;Khóm Thới An;1',
  '3;Đặng Thùy Dương;12/12/2001;Nữ;079301009876;Khóm Đông Thịnh;2',
  '4;Lê Thị Mừng;1948;Nữ;;Khóm Đông Thịnh;2',
];
// A month later: row 1 in capitals (no change), row 3 moved (a change), two new people.
const UPDATED = [
  '1;NGUYỄN VĂN AN;05/07/1960;Nam;079060001234;Khóm Thới An;1',
  FIRST[1],
  '3;Đặng Thuỳ Dương;12/12/2001;Nữ;079301009876;Khóm Mỹ Phước;2',
  FIRST[3],
  '5;Võ Văn Năm;20/10/1999;Nam;079099004321;Khóm Thới An;1',
  '6;Phan Thị Sáu;1970;Nữ;;Khóm Đông Thịnh;2',
];

const csvFile = (name, rows) => ({
  name,
  mimeType: 'text/csv',
  buffer: Buffer.from([HEADER, ...rows].join('\r\n'), 'utf8'),
});

let ward;
let page;
let errors;
let electionId;

const step = stepsInOrder(() => ward, { timeout: 180_000 });
const call = (endpoint, form) => callApi(page, endpoint, form);

async function commitAndExpect(count) {
  const button = page.locator('#commit-import');
  assert.ok(await button.isEnabled(), '#commit-import is enabled');
  await button.click();
  const done = page.locator('#import-done');
  await done.waitFor({ state: 'visible' });
  assert.match(squash(await done.innerText()), new RegExp(`^Đã ghi vào danh sách: ${count} cử tri`));
}

describe('import only the new voters', () => {
  before(async () => {
    ward = await startWard({ suite: 'import-new' });
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
    for (const [number, name] of [[1, 'Khóm Thới An'], [2, 'Khóm Đông Thịnh']]) {
      await call('voters/areas/create', {
        election_id: String(electionId),
        number: String(number),
        name,
        address: '',
      });
    }
  });

  step('b. the first list is imported whole', async () => {
    await uploadVoterFile(page, electionId, csvFile('danh-sach.csv', FIRST));
    await page.locator('#import-preview').waitFor({ state: 'visible' });
    await commitAndExpect(4);
  });

  step('c. the updated file, only new voters: three counts and the change unwritten', async () => {
    await uploadVoterFile(page, electionId, csvFile('danh-sach-cap-nhat.csv', UPDATED));
    await page.locator('#import-preview').waitFor({ state: 'visible' });
    assert.ok(
      await page.locator('#import-already-listed').isVisible(),
      'as a whole file it would list everyone twice, and says so',
    );
    assert.ok(await page.locator('#commit-import').isDisabled());
    await page.locator('#import-mode').selectOption('new');
    await page.locator('#apply-mapping').click();
    await page.waitForURL((u) => new URL(u).searchParams.get('mode') === 'new');
    await waitForHydration(page);
    await page.locator('#import-update').waitFor({ state: 'visible' });
    const counts = squash(await page.locator('#update-counts').innerText());
    assert.equal(counts, 'Thêm mới: 2 · Có thông tin khác: 1 · Giữ nguyên: 3');
    const added = await page.locator('#update-added-table tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())),
    );
    assert.deepEqual(added, [['6', 'Võ Văn Năm'], ['7', 'Phan Thị Sáu']]);
    const changed = await page.locator('#update-changed-table tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())),
    );
    assert.deepEqual(changed, [
      ['4', 'Đặng Thuỳ Dương', 'Nơi thường trú', 'Khóm Đông Thịnh', 'Khóm Mỹ Phước'],
    ]);
    const link = page.locator('#update-changed-table tbody a');
    assert.match(await link.getAttribute('href'), /^\/voters\/\d+$/, 'the change links to the voter');
    assert.match(
      squash(await page.locator('#import-changes-not-written').innerText()),
      /KHÔNG được ghi khi nhập/,
    );
    assert.equal(await page.locator('#import-already-listed').count(), 0);
    assert.equal(await page.locator('#import-blocked').count(), 0);
    await screenshot(page, 'import-new-preview');
    await commitAndExpect(2);
  });

  step('d. the voters page counts the new people once', async () => {
    await page.goto(`/voters?election=${electionId}`);
    await waitForHydration(page);
    const rows = await page.locator('#areas-table tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent.trim())),
    );
    assert.deepEqual(
      rows.map(([number, , , voters]) => [number, voters]),
      [['1', '3'], ['2', '3']],
      'six voters: the four listed and the two new',
    );
    assert.deepEqual(errors, [], 'no browser errors');
  });
});
