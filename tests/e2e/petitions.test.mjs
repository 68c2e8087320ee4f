// Voters' petitions across meetings in a real browser, as the organizer (Ủy ban MTTQ) handles
// them: opinions recorded at two meetings of one round become petitions ("Tổng hợp"), the two
// that say the same thing are offered as a duplicate and merged, the petition is routed to a
// competent body, its official answer is recorded, its status shows, and the round's summary
// report PDF holds the Vietnamese exactly as typed. Deputies, the venue and the two meetings
// are set up through the API (the meetings test covers those forms); everything about the
// petitions is done on the pages. Steps share one server, page and session and run in order.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  callApi,
  createUser,
  fetchPdf,
  pathIs,
  screenshot,
  signIn,
  squash,
  startWard,
  stepsInOrder,
  submitAndCheck,
  waitForHydration,
} from './harness.mjs';

const ORGANIZER = { username: 'mttq.mythoi', displayName: 'Võ Thị Thanh Thủy', password: 'mat-khau-mttq-2026' };
const DEPUTY = 'Nguyễn Văn Ánh';
const VENUE = 'Nhà văn hóa khóm Thới Hòa';
const MEETINGS = [
  { title: 'Khóm Thới Hòa', date: '05/12/2026', start: '08:00', end: '10:00' },
  { title: 'Khóm Đông Thịnh', date: '06/12/2026', start: '14:00', end: '16:00' },
];
const OPINIONS = [
  { speaker: 'Huỳnh Thị Ngọc Hường', content: 'Đề nghị sửa chữa đường Trần Hưng Đạo bị xuống cấp' },
  {
    speaker: 'Lâm Văn Sơn',
    content: 'Cử tri kiến nghị sớm sửa chữa tuyến đường Trần Hưng Đạo xuống cấp nghiêm trọng',
  },
];
const BODY = 'Sở Xây dựng tỉnh Vĩnh Long';
const ANSWER = {
  content: 'Sở đã bố trí vốn, sửa chữa xong đường Trần Hưng Đạo trong tháng 12/2026.',
  number: '125/SXD-QLHT',
  date: '20/12/2026',
  signer: 'Nguyễn Thành Đông, Giám đốc Sở',
};

let ward;
let page;
let errors;
const meetingIds = [];
let keptContent;

const step = stepsInOrder(() => ward, { timeout: 180_000 });
const api = (endpoint, form) => callApi(page, endpoint, form);
const rows = () => page.locator('#petitions tbody tr');

describe("voters' petitions", () => {
  before(async () => {
    ward = await startWard({ suite: 'petitions' });
    ({ pages: [page], errors: [errors] } = ward);
  });

  after(() => ward?.stop());

  step('a. the organizer signs in; a deputy, a venue and two held meetings of one round exist', async () => {
    await createUser(page, ORGANIZER, 'organizer');
    await page.context().clearCookies();
    await signIn(page, ORGANIZER);

    const deputy = await api('meetings/deputies/save', {
      deputy_id: '0',
      'deputy[full_name]': DEPUTY,
      'deputy[level]': 'dbqh',
    });
    const venue = await api('meetings/venues/save', { venue_id: '0', 'venue[name]': VENUE });
    for (const m of MEETINGS) {
      const id = await api('meetings/create', {
        'meeting[title]': m.title,
        'meeting[term]': 'XVI',
        'meeting[session_number]': '2',
        'meeting[timing]': 'before',
        'meeting[kind]': 'regular',
        'meeting[format]': 'in_person',
        'meeting[date]': m.date,
        'meeting[starts_at]': m.start,
        'meeting[ends_at]': m.end,
        'meeting[venue_id]': String(venue),
        'meeting[areas]': m.title,
        'meeting[deputy_ids][0]': String(deputy),
      });
      await api('meetings/attendance', {
        meeting_id: String(id),
        'attendance[present_count]': '80',
      });
      meetingIds.push(id);
    }
  });

  step('b. one opinion is recorded at each meeting', async () => {
    for (const [i, id] of meetingIds.entries()) {
      await page.goto(`/meetings/${id}`);
      await waitForHydration(page);
      const form = page.locator('#opinion-form');
      await form.locator('input[name="opinion[speaker]"]').fill(OPINIONS[i].speaker);
      await form.locator('select[name="opinion[field]"]').selectOption('giao_thong');
      await form.locator('select[name="opinion[competent_level]"]').selectOption('tinh');
      await form.locator('textarea[name="opinion[content]"]').fill(OPINIONS[i].content);
      await submitAndCheck(form, () =>
        page.locator('#opinions-table tbody tr', { hasText: OPINIONS[i].speaker }).waitFor({ state: 'visible' }),
      );
    }
  });

  step('c. collecting makes two petitions and suggests them as duplicates', async () => {
    await page.goto('/meetings');
    await waitForHydration(page);
    await page.locator('#petitions-link').click();
    await page.waitForURL(pathIs('/meetings/petitions'));
    await waitForHydration(page);
    const filter = page.locator('#round-filter');
    await filter.locator('input[name="term"]').fill('XVI');
    await filter.locator('input[name="session"]').fill('2');
    await filter.locator('select[name="timing"]').selectOption('before');
    await filter.locator('button[type="submit"]').click();
    await page.waitForURL((u) => new URL(u).search.includes('session=2'));
    await waitForHydration(page);
    const collect = page.locator('#collect-form');
    await collect.waitFor({ state: 'visible' });
    await submitAndCheck(collect, () => rows().nth(1).waitFor({ state: 'visible' }));
    assert.equal(await rows().count(), 2);
    const suggestion = page.locator('#merge-suggestions li.suggestion');
    await suggestion.first().waitFor({ state: 'visible' });
    assert.equal(await suggestion.count(), 1, 'one duplicate pair');
    const text = squash(await suggestion.innerText());
    for (const o of OPINIONS) assert.ok(text.includes(o.content), text);
    await screenshot(page, 'petitions-01-suggestion');
  });

  step('d. merging leaves one petition with both meetings as its sources', async () => {
    const merge = page.locator('#merge-suggestions li.suggestion form');
    await submitAndCheck(
      merge,
      async () => {
        await page.locator('#merge-suggestions li.suggestion').waitFor({ state: 'detached' });
        await page.waitForFunction(() => document.querySelectorAll('#petitions tbody tr').length === 1);
      },
      page.locator('#merge-suggestions').locator('..'),
    );
    const row = squash(await rows().first().innerText());
    for (const m of MEETINGS) assert.ok(row.includes(m.title), `${m.title} in ${row}`);
    for (const o of OPINIONS) assert.ok(row.includes(o.speaker), `${o.speaker} in ${row}`);
    keptContent = OPINIONS.map((o) => o.content).find((c) => row.includes(c));
    assert.ok(keptContent, `the kept wording shows: ${row}`);
    assert.ok(row.includes('Đã tổng hợp'), row);
  });

  step('e. the petition is routed to the competent body', async () => {
    const route = rows().first().locator('form.inline-form');
    await route.locator('select[name="competent_level"]').selectOption('tinh');
    await route.locator('input[name="competent_body"]').fill(BODY);
    await submitAndCheck(
      route,
      () => rows().first().getByText('Đã chuyển cơ quan có thẩm quyền').waitFor({ state: 'visible' }),
      page.locator('#petitions').locator('..').locator('..'),
    );
    assert.ok(squash(await rows().first().innerText()).includes(BODY));
  });

  step('f. the official answer is recorded and the status shows it', async () => {
    const row = rows().first();
    await row.locator('details summary').click();
    const form = row.locator('details form');
    await form.locator('select[name="answer[outcome]"]').selectOption('resolved');
    await form.locator('textarea[name="answer[content]"]').fill(ANSWER.content);
    await form.locator('input[name="answer[document_number]"]').fill(ANSWER.number);
    await form.locator('input[name="answer[document_date]"]').fill(ANSWER.date);
    await form.locator('input[name="answer[signer]"]').fill(ANSWER.signer);
    await submitAndCheck(
      form,
      () => rows().first().locator('ul.answers li', { hasText: ANSWER.number }).waitFor({ state: 'visible' }),
      page.locator('#petitions').locator('..').locator('..'),
    );
    const text = squash(await rows().first().innerText());
    assert.ok(text.includes('Đã trả lời'), text);
    assert.ok(
      text.includes(`Đã giải quyết — văn bản số ${ANSWER.number} ngày ${ANSWER.date}, ${ANSWER.signer}: ${ANSWER.content}`),
      text,
    );
    await screenshot(page, 'petitions-02-answered');
  });

  step('g. the summary report PDF holds the Vietnamese as typed', async () => {
    const link = page.getByRole('link', { name: 'Báo cáo tổng hợp (PDF)' });
    const href = await link.getAttribute('href');
    assert.equal(href, '/meetings/petitions/summary.pdf?term=XVI&session=2&timing=before');
    const { file: pdf, text } = await fetchPdf(page, href, 'tong-hop-kien-nghi');
    const flat = squash(text);
    for (const expected of [
      'TỔNG HỢP Ý KIẾN, KIẾN NGHỊ CỦA CỬ TRI',
      'TRƯỚC KỲ HỌP THỨ 2, KHÓA XVI',
      'Tổng số: 1 kiến nghị, tổng hợp từ 2 ý kiến của cử tri',
      'Giao thông: 1 kiến nghị (cấp xã 0, cấp tỉnh 1, cấp trung ương 0)',
      keptContent,
      BODY,
      `Đã trả lời (Đã giải quyết), văn bản số ${ANSWER.number} ngày ${ANSWER.date}, ${ANSWER.signer} ký: ${ANSWER.content}`,
      `cử tri ${OPINIONS[0].speaker} tại hội nghị "${MEETINGS[0].title}" ngày ${MEETINGS[0].date}`,
      `cử tri ${OPINIONS[1].speaker} tại hội nghị "${MEETINGS[1].title}" ngày ${MEETINGS[1].date}`,
    ]) {
      assert.ok(flat.includes(expected), `"${expected}" in pdftotext output of ${pdf}:\n${flat}`);
    }
  });

  step('h. no browser console errors or page errors', async () => {
    assert.deepEqual(errors, [], 'browser errors (hydration failures show up here)');
  });
});
