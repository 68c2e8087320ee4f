// Finding people on the voter-list page in a real browser: with the search box empty, choosing
// an area shows its list 50 voters at a time in card-number order with "Còn nữa…" for the next
// page; a search that fills the page says there may be more; "ngo ha" puts Ngô Thị Hà first.
// The voters are added through the server functions. No browser errors on the way.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { callApi, startWard, stepsInOrder, waitForHydration } from './harness.mjs';

const MIDDLE = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Đức', 'Thu', 'Hữu', 'Kim', 'Quốc', 'Mỹ'];
const GIVEN = ['An', 'Bình', 'Cúc', 'Dung', 'Giang', 'Hà', 'Khoa', 'Lan', 'Mai', 'Nam', 'Oanh', 'Phúc'];
// 120 voters of area 1, in the order they get their card numbers.
const AREA_ONE = Array.from({ length: 120 }, (_, n) => `Phạm ${MIDDLE[Math.floor(n / 12)]} ${GIVEN[n % 12]}`);

let ward;
let page;
let errors;
let electionId;
let areaId;

const call = (endpoint, form) => callApi(page, endpoint, form);
const step = stepsInOrder(() => ward, { timeout: 180_000 });

/** The results table as [name, card number] rows. */
async function shownRows() {
  return page.locator('#search-results tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent.trim());
      return [cells[0], Number(cells[4])];
    }),
  );
}

/** Waits until the table shows the card numbers `first`..`last`. */
async function waitForPage(first, last) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const rows = await shownRows();
    if (rows.length === last - first + 1 && rows[0][1] === first && rows.at(-1)[1] === last) return rows;
    if (Date.now() > deadline) throw new Error(`expected cards ${first}–${last}, shown ${JSON.stringify(rows.map((r) => r[1]))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('finding people', () => {
  before(async () => {
    ward = await startWard({ suite: 'search' });
    ({ pages: [page], errors: [errors] } = ward);
  });

  after(() => ward?.stop());

  step('a. an election with 120 voters in area 1 and a few in area 2', async () => {
    electionId = await call('voters/elections/create', {
      name: 'Bầu cử đại biểu Quốc hội khóa XVI',
      election_day: '15/03/2026',
      national_assembly: '1',
    });
    const area = (number, name) =>
      call('voters/areas/create', { election_id: String(electionId), number: String(number), name, address: '' });
    areaId = await area(1, 'Khóm Thới An');
    const otherArea = await area(2, 'Khóm Đông Thịnh');
    const add = (area_id, name, i) =>
      call('voters/add', {
        area_id: String(area_id),
        'voter[full_name]': name,
        'voter[birth_date]': String(1940 + (i % 60)),
        'voter[gender]': i % 2 ? 'Nữ' : 'Nam',
        reason: 'Lập danh sách',
      });
    for (const [i, name] of AREA_ONE.entries()) await add(areaId, name, i);
    for (const [i, name] of ['Ngô Hải Yến', 'Ngô Hà Linh', 'Ngô Thị Hạnh', 'Ngô Thị Hà'].entries()) {
      await add(otherArea, name, i);
    }
  });

  step('b. an area is browsed page by page without typing', async () => {
    await page.goto(`/voters?election=${electionId}`);
    await waitForHydration(page);
    assert.equal(await page.locator('#search-results').count(), 0, 'nothing before an area is chosen');
    await page.locator('#search-area').selectOption(String(areaId));
    const first = await waitForPage(1, 50);
    assert.deepEqual(first.map((r) => r[0]), AREA_ONE.slice(0, 50));
    assert.equal(await page.locator('#previous-page').count(), 0);

    await page.locator('#next-page').click();
    await waitForPage(51, 100);
    await page.locator('#next-page').click();
    const last = await waitForPage(101, 120);
    assert.deepEqual(last.map((r) => r[0]), AREA_ONE.slice(100));
    assert.equal(await page.locator('#next-page').count(), 0, 'no "Còn nữa…" on the last page');
    await page.locator('#previous-page').click();
    await waitForPage(51, 100);
  });

  step('c. a search that fills the page says there may be more', async () => {
    await page.locator('#search-input').fill('pham');
    await page.locator('#search-more').waitFor({ state: 'visible' });
    assert.equal((await shownRows()).length, 30);
    await page.locator('#search-input').fill('pham quoc an');
    await page.locator('#search-more').waitFor({ state: 'detached' });
    assert.deepEqual((await shownRows()).map((r) => r[0]), ['Phạm Quốc An']);
  });

  step('d. family name and start of the given name find the voter first', async () => {
    await page.locator('#search-area').selectOption('');
    await page.locator('#search-input').fill('ngo ha');
    const deadline = Date.now() + 15_000;
    let names = [];
    while (Date.now() < deadline) {
      names = (await shownRows()).map((r) => r[0]);
      if (names.length === 5) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // Family name and given name first, whole before partial; then the names where the words
    // land elsewhere (area 1's Phạm Ngọc Hà: "ngo" starts "Ngọc").
    assert.deepEqual(names.slice(0, 2), ['Ngô Thị Hà', 'Ngô Thị Hạnh']);
    assert.deepEqual(
      [...names].sort(),
      ['Ngô Hà Linh', 'Ngô Hải Yến', 'Ngô Thị Hà', 'Ngô Thị Hạnh', 'Phạm Ngọc Hà'].sort(),
    );
    assert.deepEqual(errors, [], 'no browser errors');
  });
});
