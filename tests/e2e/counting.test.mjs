// Counting and results in a real browser. The admin sets up a ward, an election today with the
// National Assembly ballot, one polling area and two station users (through the server
// functions, as the other suites test those pages), then, by clicking: a constituency with the
// area and its official candidate list. The two station users, each in their own browser
// context, enter the area's counting results from the same paper minutes; the second one
// misreads a candidate's votes, both see the difference field by field, the second corrects it,
// the admin finalises, and the counting minutes PDF carries the Vietnamese text exactly as
// typed. Then the results page shows the constituency's figures, the winner and "còn thiếu 1
// đại biểu", and the result minutes PDF says the same. No browser errors on the way.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  assertAccessible,
  callApi,
  createUser,
  fetchPdf,
  screenshot,
  signIn,
  squash,
  startWard,
  startWithTimeLeftInVnDay,
  stepsInOrder,
  submitAndCheck,
  vnToday,
  waitForHydration,
} from './harness.mjs';

const CLERKS = [
  { username: 'nhaplieu1', displayName: 'Người nhập thứ nhất', password: 'nhap-lieu-so-1-mk' },
  { username: 'nhaplieu2', displayName: 'Người nhập thứ hai', password: 'nhap-lieu-so-2-mk' },
];
const WARD = { name: 'Phường Mỹ Thới', province: 'Tỉnh An Giang' };
const ELECTION = 'Bầu cử đại biểu Quốc hội khóa XVI và đại biểu HĐND các cấp';
const AREA = { number: 4, name: 'Khóm Đông Thịnh' };
const CONSTITUENCY = { number: 2, name: 'Gồm phường Mỹ Thới và xã Mỹ Hòa Hưng', seats: 2 };
const CANDIDATES = 'Trần Thị Ấu; 1968; Nữ\nLê Văn Đức; 12/05/1975; Nam\nNguyễn Thị Ánh; 03/1980; Nữ';
// The official order: Ánh, Ấu, Đức (given name first).
const ORDER = ['Nguyễn Thị Ánh', 'Trần Thị Ấu', 'Lê Văn Đức'];
const PAPER = {
  voters_on_list: '1250',
  voters_voted: '1000',
  ballots_issued: '1000',
  ballots_collected: '1000',
  ballots_valid: '980',
  ballots_invalid: '20',
  members: 'Võ Thị Thu Hà; Tổ trưởng\nLê Quốc Bảo; Thư ký\nHuỳnh Ngọc Ẩn; Ủy viên',
  witness1_name: 'Phạm Thị Lụa',
  witness1_address: 'Số 9, khóm Đông Thịnh, phường Mỹ Thới',
  witness2_name: 'Đỗ Văn Tường',
  witness2_address: 'Số 21, khóm Đông Thịnh, phường Mỹ Thới',
  incidents: 'Cử tri Nguyễn Văn Ẩn khiếu nại thiếu tên trong danh sách; Tổ bầu cử đã giải quyết ngay.',
  complaints: '',
  // The real times as the paper minutes have them, not the area's planned 07:00–19:00.
  ballot_box_checked_at: '06:52',
  voting_closed_at: '16:40',
};
const VOTES = ['600', '450', '400'];

let ward;
let admin;
let clerks = [];
let errors;
let areaId;
let constituencyId;

const step = stepsInOrder(() => ward);

/** Downloads a PDF with the page's session and returns its text, whitespace collapsed. */
async function pdfText(page, href, name) {
  const { text } = await fetchPdf(page, href, name);
  // Every page ends with its provenance line; a sentence running on to the next page is
  // read across it.
  const footer = /Lập lúc \d\d\/\d\d\/\d{4} \d\d:\d\d · Mã dữ liệu [0-9a-f]{12}( · Trang \d+\/\d+)?/;
  const pages = text.split('\f').filter((p) => p.trim() !== '');
  for (const page of pages) assert.match(page, footer, 'time and data hash on every page');
  return squash(text.replace(new RegExp(footer.source, 'g'), ' '));
}

/** A full-page picture from the top (a sticky table head photographed mid-page covers a row). */
async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, name);
}

/** Types the paper minutes into the entry form, with `votes` beside the official list. */
async function enterTally(page, votes) {
  await page.goto(`/results/counting/${areaId}/quoc-hoi`);
  await waitForHydration(page);
  const form = page.locator('#counting-form');
  for (const [field, value] of Object.entries(PAPER)) {
    await form.locator(`[name="form[${field}]"]`).fill(value);
  }
  // The seats and candidates come from the register: no field for them.
  assert.equal(await form.locator('[name="form[seats]"]').count(), 0, 'no seats field');
  assert.equal(await form.locator('[name="form[candidates]"]').count(), 0, 'no candidates field');
  const names = await form.locator('.register-candidates tbody tr td:nth-child(2)').allInnerTexts();
  assert.deepEqual(names, ORDER, 'the register in the official order');
  for (const [i, v] of votes.entries()) {
    await form.locator(`[name="form[votes][${i}]"]`).fill(v);
  }
  await submitAndCheck(form, () =>
    form.locator('[role="status"]', { hasText: 'Đã lưu lần nhập.' }).waitFor({ state: 'visible' }),
  );
}

describe('counting and results', () => {
  before(async () => {
    await startWithTimeLeftInVnDay();
    ward = await startWard({ suite: 'counting', sessions: ['admin', 'clerk1', 'clerk2'] });
    ({ pages: [admin, ...clerks], errors } = ward);
  });

  after(() => ward?.stop());

  step('a. admin: ward, election today, a polling area, two station users', async () => {
    await callApi(admin, 'voters/ward/save', WARD);
    const electionId = await callApi(admin, 'voters/elections/create', {
      name: ELECTION,
      election_day: vnToday(),
      national_assembly: '1',
    });
    areaId = await callApi(admin, 'voters/areas/create', {
      election_id: String(electionId),
      number: String(AREA.number),
      name: AREA.name,
      address: '',
    });
    for (const clerk of CLERKS) {
      const user = await createUser(admin, clerk, 'station');
      await callApi(admin, 'admin/users/set-areas', { user_id: String(user.id), 'area_ids[]': String(areaId) });
    }
  });

  step('b. admin: the constituency and its official candidate list, by hand', async () => {
    await admin.goto('/results/constituencies');
    await waitForHydration(admin);
    const section = admin.locator('section[data-level="quoc-hoi"]');
    await section.locator('details > summary', { hasText: 'Thêm đơn vị bầu cử' }).click();
    const form = section.locator('details[open] form.constituency-form');
    await form.locator('input[name="number"]').fill(String(CONSTITUENCY.number));
    await form.locator('input[name="name"]').fill(CONSTITUENCY.name);
    await form.locator('input[name="seats"]').fill(String(CONSTITUENCY.seats));
    await form.locator('label', { hasText: AREA.name }).locator('input[type="checkbox"]').check();
    const card = admin.locator('article.constituency');
    await submitAndCheck(form, () => card.waitFor({ state: 'visible' }));
    assert.match(squash(await card.locator('h3').innerText()), /Đơn vị bầu cử số 2 — Gồm phường Mỹ Thới và xã Mỹ Hòa Hưng — 2 đại biểu/);
    constituencyId = Number((await card.getAttribute('id')).replace('constituency-', ''));
    // The form for the next constituency starts blank again.
    assert.equal(await form.locator('input[name="number"]').inputValue(), '');

    const list = card.locator('form.candidates-form');
    await list.locator('textarea[name="candidates"]').fill(CANDIDATES);
    await submitAndCheck(list, () =>
      admin.locator('article.constituency .candidate-register tbody tr').nth(2).waitFor({ state: 'visible' }),
    );
    const names = await admin.locator('article.constituency .candidate-register tbody tr td:nth-child(2)').allInnerTexts();
    assert.deepEqual(names, ORDER, 'the list in the official order');
    // The text area shows the list as stored, in that order, not as typed.
    assert.equal(
      (await list.locator('textarea[name="candidates"]').inputValue()).split('\n')[0],
      'Nguyễn Thị Ánh; 03/1980; Nữ',
    );
    await shot(admin, 'counting-01-constituency');
  });

  step('c. first clerk enters the paper minutes', async () => {
    await signIn(clerks[0], CLERKS[0]);
    await enterTally(clerks[0], VOTES);
    // The page reloads its data after the save; the state follows.
    await clerks[0].locator('#counting-state', { hasText: /^Đã nhập lần 1$/ }).waitFor({ state: 'visible' });
    await shot(clerks[0], 'counting-02-first-entry');
    await assertAccessible(clerks[0], 'counting-entry');
  });

  step('d. second clerk misreads a candidate; both see the difference field by field', async () => {
    await signIn(clerks[1], CLERKS[1]);
    await enterTally(clerks[1], ['600', '540', '400']);
    const diff = clerks[1].locator('#counting-differences');
    await diff.waitFor({ state: 'visible' });
    const rows = (await diff.locator('tbody tr').allInnerTexts()).map(squash);
    // The candidate by name, not "người ứng cử 2": the Tổ finds the line on the paper by name.
    assert.deepEqual(rows, [`Số phiếu bầu của ${ORDER[1]} 450 540`]);
    // Who entered what, by the person's name rather than the login.
    const entries = squash(await clerks[1].locator('.counting-entries').innerText());
    assert.ok(entries.includes(CLERKS[0].displayName) && entries.includes(CLERKS[1].displayName), entries);
    assert.ok(!entries.includes(CLERKS[0].username), entries);
    assert.equal(squash(await clerks[1].locator('#counting-state').innerText()), 'Hai lần nhập khác nhau');
    await shot(clerks[1], 'counting-03-differences');
    await clerks[0].reload();
    await waitForHydration(clerks[0]);
    await clerks[0].locator('#counting-differences tbody tr', { hasText: '540' }).waitFor({ state: 'visible' });
  });

  step('e. second clerk re-reads the paper; the admin finalises', async () => {
    const form = clerks[1].locator('#counting-form');
    await form.locator('[name="form[votes][1]"]').fill('450');
    await submitAndCheck(form, () =>
      clerks[1].locator('#counting-state', { hasText: 'Hai lần nhập khớp — chờ chốt' }).waitFor({ state: 'visible' }),
    );
    assert.equal(await clerks[1].locator('#counting-differences').count(), 0, 'no differences left');
    // Station staff do not finalise.
    assert.equal(await clerks[1].locator('#counting-finalise').count(), 0);

    await admin.goto(`/results/counting/${areaId}/quoc-hoi`);
    await waitForHydration(admin);
    await admin.locator('#counting-finalise button[type="submit"]').click();
    await admin.locator('#counting-finalised').waitFor({ state: 'visible' });
    assert.equal(squash(await admin.locator('#counting-state').innerText()), 'Đã chốt biên bản');
    await shot(admin, 'counting-04-finalised');
  });

  step('f. the counting minutes PDF carries the text as typed', async () => {
    const href = await admin.locator('a', { hasText: 'Biên bản kiểm phiếu (PDF)' }).first().getAttribute('href');
    assert.equal(href, `/results/counting/${areaId}/quoc-hoi/minutes.pdf`);
    const text = await pdfText(clerks[0], href, 'counting-05-minutes');
    for (const expected of [
      'BIÊN BẢN KẾT QUẢ KIỂM PHIẾU BẦU CỬ ĐẠI BIỂU QUỐC HỘI KHÓA XVI CỦA TỔ BẦU CỬ',
      'Khu vực bỏ phiếu số: 4 (Khóm Đông Thịnh)',
      'Ông/Bà Võ Thị Thu Hà, Tổ trưởng',
      'Ông/Bà Huỳnh Ngọc Ẩn, Ủy viên',
      'Phạm Thị Lụa, nơi ở hiện tại: Số 9, khóm Đông Thịnh, phường Mỹ Thới',
      'Tổng số cử tri của khu vực bỏ phiếu: 1.250 người',
      'so với tổng số cử tri: 80,00%',
      PAPER.incidents,
      'Nguyễn Thị Ánh',
      '61,22%',
      'Đúng 06 giờ 52 phút, ngày',
      'Đúng 16 giờ 40 phút, ngày',
    ]) {
      assert.ok(text.includes(expected), `"${expected}" in the counting minutes:\n${text}`);
    }
    assert.ok(!text.includes('DỰ THẢO'), 'final minutes are no draft');
  });

  step('g. the results page and the result minutes PDF', async () => {
    await clerks[0].goto('/results/outcome');
    await waitForHydration(clerks[0]);
    const card = clerks[0].locator(`#result-${constituencyId}`);
    await card.waitFor({ state: 'visible' });
    const text = squash(await card.innerText());
    for (const expected of ['1.250', '80,00%', '98,00%', '2,00%', '61,22%', '45,92%', '40,82%', 'Trúng cử', 'còn thiếu 1 đại biểu', 'Đề nghị bầu cử thêm.']) {
      assert.ok(text.includes(expected), `"${expected}" on the results page: ${text}`);
    }
    const elected = (await card.locator('tr.elected td:nth-child(2)').allInnerTexts()).map(squash);
    assert.deepEqual(elected, ['Nguyễn Thị Ánh']);
    await shot(clerks[0], 'counting-06-results');

    const href = await card.locator('a', { hasText: 'Biên bản xác định kết quả bầu cử (PDF)' }).getAttribute('href');
    const pdf = await pdfText(clerks[0], href, 'counting-07-result-minutes');
    for (const expected of [
      'XÁC ĐỊNH KẾT QUẢ BẦU CỬ ĐẠI BIỂU QUỐC HỘI KHÓA XVI',
      'Ở ĐƠN VỊ BẦU CỬ SỐ 2',
      'Số 4 (Khóm Đông Thịnh)',
      'Tổng cộng',
      '1. Bà Nguyễn Thị Ánh – số phiếu: 600 – đạt 61,22% tổng số phiếu hợp lệ',
      'nay đã bầu được 1 đại biểu, còn thiếu 1 đại biểu.',
      `Khu vực bỏ phiếu số 4: ${PAPER.incidents}`,
      'Ghi chú: Nhất thiết không được tẩy xóa trên biên bản.',
    ]) {
      assert.ok(pdf.includes(expected), `"${expected}" in the result minutes:\n${pdf}`);
    }
    assert.ok(!pdf.includes('DỰ THẢO'), 'every area is final');
  });

  step('h. no browser errors', async () => {
    assert.deepEqual(errors, [[], [], []]);
  });
});
