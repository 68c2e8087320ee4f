// The complaints register in a real browser: an election with one voter is set up through the
// server functions, then through the page a complaint about that voter (found by search) is
// entered and listed with its 5-day deadline, an old complaint shows as overdue in words, and
// answering it clears the mark. No browser errors on the way.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  assertAccessible,
  assertFitsTablet,
  callApi,
  fetchPdf,
  pathIs,
  screenshot,
  squash,
  startWard,
  stepsInOrder,
  submitAndCheck,
  vnDate,
  waitForHydration,
} from './harness.mjs';

const VOTER = 'Trần Thị Hương';

let ward;
let page;
let errors;
let electionId;

const call = (endpoint, form) => callApi(page, endpoint, form);
const step = stepsInOrder(() => ward);

/** The register's rows as the reader sees them: [received, complainant, voter, deadline, status]. */
async function registerRows() {
  return page.locator('#complaints-table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent.replace(/\s+/g, ' ').trim());
      return { overdue: tr.classList.contains('overdue'), cells: [cells[1], cells[2], cells[3], cells[5], cells[6]] };
    }),
  );
}

describe('complaints register', () => {
  before(async () => {
    ward = await startWard({ suite: 'complaints' });
    ({ pages: [page], errors: [errors] } = ward);
  });

  after(() => ward?.stop());

  step('a. an election with one voter', async () => {
    electionId = await call('voters/elections/create', {
      name: 'Bầu cử đại biểu Quốc hội khóa XVI',
      election_day: '15/03/2026',
      national_assembly: '1',
    });
    const areaId = await call('voters/areas/create', {
      election_id: String(electionId),
      number: '1',
      name: 'Khóm Thới An',
      address: '',
    });
    await call('voters/add', {
      area_id: String(areaId),
      'voter[full_name]': VOTER,
      'voter[birth_date]': '02/09/1975',
      'voter[gender]': 'Nữ',
      reason: 'Chuyển đến cư trú',
    });
  });

  step('b. a complaint about a voter found by search is listed with its deadline', async () => {
    await page.goto(`/voters?election=${electionId}`);
    await waitForHydration(page);
    await page.locator('#complaints-link').click();
    await page.waitForURL(pathIs('/voters/complaints'));
    await waitForHydration(page);
    await page.locator('text=Chưa có khiếu nại nào.').waitFor({ state: 'visible' });

    const form = page.locator('#complaint-form');
    await form.locator('input[name="complainant"]').fill(VOTER);
    assert.equal(await form.locator('input[name="received_on"]').inputValue(), vnDate(0), 'received today by default');
    await form.locator('textarea[name="content"]').fill('Sai năm sinh trong danh sách niêm yết');
    await page.locator('#complaint-voter-search').fill('tran thi huong');
    const choice = form.locator('label.choice', { hasText: VOTER });
    await choice.waitFor({ state: 'visible' });
    await choice.locator('input[type="radio"]').check();
    await submitAndCheck(form, () => page.locator('#complaints-table tbody tr').first().waitFor({ state: 'visible' }));

    const rows = await registerRows();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].overdue, false);
    assert.equal(rows[0].cells[0], vnDate(0));
    assert.equal(rows[0].cells[1], VOTER);
    assert.ok(rows[0].cells[2].startsWith(VOTER), `linked voter: ${rows[0].cells[2]}`);
    assert.equal(rows[0].cells[3], vnDate(5), 'answer due 5 days after receipt');
    assert.equal(rows[0].cells[4], 'Chưa giải quyết');
    // The form is emptied for the next entry, so the same complaint is not sent twice.
    assert.equal(await form.locator('input[name="complainant"]').inputValue(), '');
    assert.equal(await form.locator('input[name="received_on"]').inputValue(), vnDate(0));
  });

  step('c. an old unanswered complaint is marked overdue, then resolved', async () => {
    const form = page.locator('#complaint-form');
    await form.locator('input[name="complainant"]').fill('Lê Văn Tám');
    await form.locator('input[name="received_on"]').fill('03/02/2026');
    await form.locator('textarea[name="content"]').fill('Gia đình có 2 người chưa có tên');
    await submitAndCheck(form, () => page.locator('#complaints-table tbody tr').nth(1).waitFor({ state: 'visible' }));
    let rows = await registerRows();
    assert.deepEqual(rows[1], {
      overdue: true,
      cells: ['03/02/2026', 'Lê Văn Tám', '', '08/02/2026', '⚠ Quá hạn'],
    });
    assert.match(squash(await page.locator('#overdue-summary').innerText()), /^⚠ 1 khiếu nại quá hạn/);

    const resolve = page.locator('#resolve-form');
    const option = await resolve.locator('option', { hasText: 'Lê Văn Tám' }).getAttribute('value');
    await resolve.locator('select[name="complaint_id"]').selectOption(option);
    await resolve.locator('textarea[name="resolution"]').fill('Đã bổ sung 2 người vào danh sách');
    await submitAndCheck(resolve, () =>
      page.locator('#complaints-table tbody tr', { hasText: 'Đã bổ sung 2 người' }).waitFor({ state: 'visible' }),
    );
    rows = await registerRows();
    assert.deepEqual(rows[1], {
      overdue: false,
      cells: ['03/02/2026', 'Lê Văn Tám', '', '08/02/2026', `Đã giải quyết ${vnDate(0)}`],
    });
    assert.equal(await page.locator('#overdue-summary').count(), 0);
    await assertFitsTablet(page, 'complaints-register');
    await assertAccessible(page, 'complaints-register');
    // The register prints: every complaint in order, its deadline and how it was settled.
    const href = await page.locator('#complaints-register-pdf').getAttribute('href');
    const { text } = await fetchPdf(page, href, 'complaints-04-register');
    const flat = squash(text);
    assert.match(flat, /SỔ THEO DÕI KHIẾU NẠI VỀ DANH SÁCH CỬ TRI/, flat);
    assert.match(flat, /Tổng số: 2 khiếu nại; đã giải quyết 1; chưa giải quyết 1, trong đó quá hạn 0\./, flat);
    assert.match(flat, /Nhận ngày 03\/02\/2026, người khiếu nại: Lê Văn Tám\./, flat);
    assert.match(flat, /Hạn giải quyết: 08\/02\/2026\. Đã giải quyết ngày \d\d\/\d\d\/\d{4}: Đã bổ sung 2 người vào danh sách\./, flat);
    assert.deepEqual(errors, [], 'no browser errors');
  });

  step('d. with the posting day recorded, complaints after its 30 days are marked late', async () => {
    await page.goto(`/voters?election=${electionId}`);
    await waitForHydration(page);
    const status = page.locator('#posting-status');
    assert.match(squash(await status.innerText()), /^Chưa ghi ngày niêm yết\. Phải niêm yết chậm nhất vào ngày 03\/02\/2026$/);
    const form = page.locator('#posting-form');
    await form.locator('input[name="posted_on"]').fill('03/02/2026');
    await submitAndCheck(form, () => status.filter({ hasText: 'Đã niêm yết ngày' }).waitFor({ state: 'visible' }));
    assert.equal(
      squash(await status.innerText()),
      'Đã niêm yết ngày 03/02/2026 · nhận khiếu nại đến hết ngày 05/03/2026',
    );
    await screenshot(page, 'complaints-03-posting-day');

    await page.goto(`/voters/complaints?election=${electionId}`);
    await waitForHydration(page);
    const rows = await registerRows();
    const LATE = '⚠ Nhận sau thời hạn khiếu nại (30 ngày kể từ ngày niêm yết)';
    assert.equal(rows[0].cells[0], `${vnDate(0)}${LATE}`, 'received today: long after 05/03/2026');
    assert.equal(rows[1].cells[0], '03/02/2026', 'received on the posting day: in time');
    assert.deepEqual(errors, [], 'no browser errors');
  });
});
