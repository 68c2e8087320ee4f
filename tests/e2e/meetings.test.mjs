// Deputy–voter meetings in a real browser, as the organizer (Ủy ban MTTQ) does them: register
// two deputies and a venue, schedule a meeting, be refused a second one that overlaps (and read
// which meeting it collides with), record attendance, an opinion and an answer, finalise the
// minutes (after which the forms are gone and the server refuses changes), and download the
// minutes PDF, whose text must hold the Vietnamese exactly as typed; then print a second
// meeting's invitation, edit its plan and cancel it, find both on the month view, and correct
// the finalised minutes into a second version while the first stays printable. The steps share one server,
// page and session, so they run in order and a step is skipped once an earlier one failed.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  assertAccessible,
  assertFitsTablet,
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
const DEPUTIES = [
  { name: 'Nguyễn Văn Ánh', level: 'dbqh', position: 'Phó Trưởng Đoàn ĐBQH tỉnh' },
  { name: 'Trần Thị Hồng Nhung', level: 'hdnd_tinh', position: 'Ủy viên Ban Kinh tế - Ngân sách' },
];
const VENUE = { name: 'Nhà văn hóa khóm Thới Hòa', address: 'Số 12 đường Trần Hưng Đạo' };
const MEETING = {
  title: 'Khóm Thới Hòa',
  term: 'XVI',
  session: '2',
  date: '05/12/2026',
  start: '08:00',
  end: '10:00',
  areas: 'Khóm Thới Hòa, khóm Đông Thịnh',
  chair: 'Lê Thị Mỹ Dung, Chủ tịch Ủy ban MTTQ phường',
  secretary: 'Phạm Quốc Việt',
  invited: '150',
};
const CANCEL_REASON = 'Trùng lịch họp của Thường trực HĐND tỉnh, dời sang tuần sau';
const CORRECTION = 'Ghi nhầm số cử tri có mặt: đúng là 141 người';
const REPORTED = 'Đại biểu Nguyễn Văn Ánh thông báo dự kiến chương trình kỳ họp thứ hai của Quốc hội.';
const SIGNED_IN = [
  { name: 'Trần Thị Bích Thủy', address: 'Tổ 5, khóm Thới Hòa', gender: 'nu' },
  { name: 'Lê Văn Đức', address: 'Khóm Đông Thịnh', gender: 'nam' },
];
const OPINION = {
  speaker: 'Huỳnh Thị Ngọc Hường',
  address: 'Tổ 5, khóm Thới Hòa',
  content:
    'Đề nghị sửa chữa đoạn đường Trần Hưng Đạo bị sụt lún, gây nguy hiểm cho người đi xe máy ở khu vực chợ Mỹ Thới.',
};
const ANSWER = {
  by: 'Nguyễn Văn Ánh',
  content: 'Tiếp thu, chuyển Sở Xây dựng tỉnh xem xét, trả lời cử tri trước ngày 31/12/2026.',
};

let ward;
let page;
let errors;
let meetingPath;
let otherPath;

const step = stepsInOrder(() => ward, { timeout: 180_000 });

/** Fill the new-meeting form; `deputies` are the names to tick. */
async function fillMeeting(m, deputies) {
  await page.goto('/meetings/new');
  await waitForHydration(page);
  const form = page.locator('#meeting-form');
  await form.locator('#meeting-deputies').waitFor({ state: 'visible' });
  await form.locator('input[name="meeting[title]"]').fill(m.title);
  await form.locator('input[name="meeting[term]"]').fill(m.term);
  await form.locator('input[name="meeting[session_number]"]').fill(m.session);
  await form.locator('input[name="meeting[date]"]').fill(m.date);
  await form.locator('input[name="meeting[starts_at]"]').fill(m.start);
  await form.locator('input[name="meeting[ends_at]"]').fill(m.end);
  await form.locator('select[name="meeting[venue_id]"]').selectOption({ label: VENUE.name });
  for (const name of deputies) {
    await form.locator('#meeting-deputies label', { hasText: name }).locator('input').check();
  }
  await form.locator('input[name="meeting[areas]"]').fill(m.areas);
  await form.locator('input[name="meeting[chair]"]').fill(m.chair);
  await form.locator('input[name="meeting[secretary]"]').fill(m.secretary);
  await form.locator('input[name="meeting[invited_count]"]').fill(m.invited);
  return form;
}

describe('deputy–voter meetings', () => {
  before(async () => {
    ward = await startWard({ suite: 'meetings' });
    ({ pages: [page], errors: [errors] } = ward);
  });

  after(() => ward?.stop());

  step('a. first admin creates the organizer account, who logs in', async () => {
    // The account itself is not what this test is about: create it the way the admin page does.
    await createUser(page, ORGANIZER, 'organizer');
    await page.context().clearCookies();
    await signIn(page, ORGANIZER);
    const nav = page.locator('nav.main-nav');
    assert.ok(await nav.locator('a[href="/meetings"]').isVisible(), 'meetings in the menu');
    assert.equal(await nav.locator('a[href="/voters"]').count(), 0, 'no voter lists for MTTQ');
  });

  step('b. deputies and a venue are registered', async () => {
    await page.goto('/meetings/registry');
    await waitForHydration(page);
    for (const d of DEPUTIES) {
      const form = page.locator('#deputy-form');
      await form.locator('input[name="deputy[full_name]"]').fill(d.name);
      await form.locator('select[name="deputy[level]"]').selectOption(d.level);
      await form.locator('input[name="deputy[position]"]').fill(d.position);
      await submitAndCheck(form, () =>
        page.locator('#deputies-table tbody tr', { hasText: d.name }).waitFor({ state: 'visible' }),
      );
    }
    const venue = page.locator('#venue-form');
    await venue.locator('input[name="venue[name]"]').fill(VENUE.name);
    await venue.locator('input[name="venue[address]"]').fill(VENUE.address);
    await venue.locator('input[name="venue[capacity]"]').fill('120');
    await submitAndCheck(venue, () =>
      page.locator('#venues-table tbody tr', { hasText: VENUE.name }).waitFor({ state: 'visible' }),
    );
  });

  step('c. a meeting is scheduled', async () => {
    const form = await fillMeeting(MEETING, [DEPUTIES[0].name]);
    await screenshot(page, 'meetings-01-new');
    await submitAndCheck(form, () =>
      page.waitForURL((u) => /^\/meetings\/\d+$/.test(new URL(u).pathname)),
    );
    meetingPath = new URL(page.url()).pathname;
    await waitForHydration(page);
    await page.locator('#meeting-title', { hasText: MEETING.title }).waitFor({ state: 'visible' });
  });

  step('d. an overlapping meeting of the same deputy is refused, naming the first one', async () => {
    const other = { ...MEETING, title: 'Khóm Đông Thịnh', start: '09:30', end: '11:00' };
    const form = await fillMeeting(other, [DEPUTIES[1].name, DEPUTIES[0].name]);
    await form.locator('select[name="meeting[venue_id]"]').selectOption({ index: 0 });
    await form.locator('button[type="submit"]').click();
    const error = form.locator('.form-error');
    await error.waitFor({ state: 'visible' });
    assert.equal(
      squash(await error.innerText()),
      `Đại biểu ${DEPUTIES[0].name} đã có lịch tiếp xúc cử tri '${MEETING.title}' từ 08:00 đến 10:00 ngày 05/12/2026.`,
    );
    await screenshot(page, 'meetings-02-refused');
    // Nothing was added: the list still has one meeting.
    await page.goto('/meetings');
    await waitForHydration(page);
    const rows = page.locator('#meetings-table tbody tr');
    await rows.first().waitFor({ state: 'visible' });
    assert.equal(await rows.count(), 1);
  });

  step('e. attendance, an opinion and an answer are recorded', async () => {
    await page.goto(meetingPath);
    await waitForHydration(page);
    const attendance = page.locator('#attendance-form');
    await attendance.locator('input[name="attendance[present_count]"]').fill('132');
    await attendance.locator('textarea[name="attendance[content_reported]"]').fill(REPORTED);
    await attendance.locator('input[name="attendance[ended_at]"]').fill('10:15');
    await submitAndCheck(attendance, () =>
      page.locator('dd', { hasText: /^132$/ }).waitFor({ state: 'visible' }),
    );

    // Voters sign in by name; the same voter typed again without diacritics is refused.
    const signIn = page.locator('#attendee-form');
    for (const [index, voter] of SIGNED_IN.entries()) {
      await signIn.locator('input[name="attendee[full_name]"]').fill(voter.name);
      await signIn.locator('input[name="attendee[address]"]').fill(voter.address);
      await signIn.locator('select[name="attendee[gender]"]').selectOption(voter.gender);
      await submitAndCheck(signIn, () =>
        page.locator('#attendees-table tbody tr').nth(index).waitFor({ state: 'visible' }),
      );
    }
    assert.equal(
      await signIn.locator('input[name="attendee[full_name]"]').inputValue(),
      '',
      'the form is emptied for the next name on the sheet',
    );
    await signIn.locator('input[name="attendee[full_name]"]').fill('tran thi bich thuy');
    await signIn.locator('input[name="attendee[address]"]').fill(SIGNED_IN[0].address.toUpperCase());
    await signIn.locator('button[type="submit"]').click();
    const refused = signIn.locator('.form-error');
    await refused.waitFor({ state: 'visible' });
    assert.match(await refused.innerText(), /đã ký tên tham dự hội nghị/);
    assert.equal(await page.locator('#attendees-table tbody tr').count(), 2, 'still two names');
    assert.equal(
      squash(await page.locator('#attendee-composition').innerText()),
      `Đã ký tên: 2 (1 nam, 1 nữ); ${SIGNED_IN[0].address}: 1; ${SIGNED_IN[1].address}: 1`,
    );

    const opinion = page.locator('#opinion-form');
    await opinion.locator('input[name="opinion[speaker]"]').fill(OPINION.speaker);
    await opinion.locator('input[name="opinion[address]"]').fill(OPINION.address);
    await opinion.locator('select[name="opinion[field]"]').selectOption('giao_thong');
    await opinion.locator('select[name="opinion[competent_level]"]').selectOption('tinh');
    await opinion.locator('textarea[name="opinion[content]"]').fill(OPINION.content);
    await submitAndCheck(opinion, () =>
      page.locator('#opinions-table tbody tr', { hasText: OPINION.speaker }).waitFor({ state: 'visible' }),
    );

    const answer = page.locator('#answer-form');
    await answer.waitFor({ state: 'visible' });
    await answer.locator('input[name="answered_by"]').fill(ANSWER.by);
    await answer.locator('textarea[name="content"]').fill(ANSWER.content);
    await submitAndCheck(answer, () =>
      page.locator('#opinions-table ul.answers li', { hasText: ANSWER.content }).waitFor({ state: 'visible' }),
    );
    const row = squash(await page.locator('#opinions-table tbody tr').first().innerText());
    assert.ok(row.includes(OPINION.content), row);
    assert.ok(row.includes('Giao thông') && row.includes('Tỉnh'), row);
    await screenshot(page, 'meetings-03-record');
    await assertFitsTablet(page, 'meetings-record');
    await assertAccessible(page, 'meetings-record');
  });

  step('f. finalising locks the minutes', async () => {
    const finalise = page.locator('#finalise-form');
    await finalise.locator('button[type="submit"]').click();
    await page.locator('#meeting-locked').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#opinion-form').count(), 0, 'no more opinion form');
    // The server refuses too, whatever the page shows.
    const late = await page.request.post('/api/meetings/finalise', {
      form: { meeting_id: meetingPath.split('/').pop() },
    });
    assert.equal(late.status(), 409);
    assert.equal((await late.json()).code, 'MeetingFinalised');
    await screenshot(page, 'meetings-04-locked');
  });

  step('g. the minutes PDF holds the Vietnamese as typed', async () => {
    const href = await page.locator('#minutes-pdf').getAttribute('href');
    assert.equal(href, `${meetingPath}/minutes.pdf`);
    const { file: pdf, text } = await fetchPdf(page, href, 'bien-ban-tiep-xuc-cu-tri');
    // pdftotext breaks lines where the PDF does; compare with whitespace collapsed.
    const flat = squash(text);
    for (const expected of [
      'BIÊN BẢN',
      'HỘI NGHỊ TIẾP XÚC CỬ TRI',
      'Hồi 08 giờ 00 phút, ngày 05 tháng 12 năm 2026',
      VENUE.name,
      DEPUTIES[0].name,
      REPORTED,
      `${OPINION.speaker} (${OPINION.address})`,
      OPINION.content,
      ANSWER.content,
      'số được mời 150 người; số có mặt 132 người',
      'Hội nghị kết thúc vào hồi 10 giờ 15 phút cùng ngày.',
      'Cử tri ký tên tham dự: 2 người (nam 1, nữ 1)',
      `1. ${SIGNED_IN[0].name}, ${SIGNED_IN[0].address}, nữ;`,
      `2. ${SIGNED_IN[1].name}, ${SIGNED_IN[1].address}, nam;`,
    ]) {
      assert.ok(flat.includes(expected), `"${expected}" in pdftotext output of ${pdf}`);
    }
    assert.ok(!flat.includes('DỰ THẢO'), 'the finalised minutes are not marked as a draft');
  });

  step('h. the week view shows the meeting on its day', async () => {
    await page.goto('/meetings?view=week&week=2026-12-05');
    await waitForHydration(page);
    const week = page.locator('#week-view');
    await week.waitFor({ state: 'visible' });
    const saturday = week.locator('section.week-day', { hasText: 'Thứ Bảy 05/12/2026' });
    assert.ok(
      squash(await saturday.innerText()).includes(`08:00–10:00 ${MEETING.title}`),
      await saturday.innerText(),
    );
  });

  step('i. the invitation of a second meeting is printed, its plan edited, then it is cancelled', async () => {
    const other = { ...MEETING, title: 'Khóm Đông Thịnh', start: '13:00', end: '15:00', areas: 'Khóm Đông Thịnh' };
    const form = await fillMeeting(other, [DEPUTIES[1].name]);
    await submitAndCheck(form, () =>
      page.waitForURL((u) => /^\/meetings\/\d+$/.test(new URL(u).pathname) && new URL(u).pathname !== meetingPath),
    );
    otherPath = new URL(page.url()).pathname;
    await waitForHydration(page);

    const href = await page.locator('#invitation-pdf').getAttribute('href');
    assert.equal(href, `${otherPath}/invitation.pdf`);
    const { file: pdf, text } = await fetchPdf(page, href, 'giay-moi');
    const flat = squash(text);
    for (const expected of [
      'GIẤY MỜI',
      // No ward is set up in this scenario: the council is named by its level.
      'Dự hội nghị tiếp xúc cử tri của đại biểu HĐND cấp tỉnh nhiệm kỳ 2026–2031 trước kỳ họp thứ 2',
      'Trân trọng kính mời: cử tri Khóm Đông Thịnh.',
      `${DEPUTIES[1].name}, đại biểu HĐND cấp tỉnh, ${DEPUTIES[1].position}.`,
      'Thời gian: từ 13 giờ 00 phút đến 15 giờ 00 phút, thứ Bảy, ngày 05 tháng 12 năm 2026.',
      `Địa điểm: ${VENUE.name}, ${VENUE.address}.`,
      'TM. BAN THƯỜNG TRỰC',
      'Lê Thị Mỹ Dung',
      'Nơi nhận:',
    ]) {
      assert.ok(flat.includes(expected), `"${expected}" in pdftotext output of ${pdf}`);
    }

    await page.locator('#edit-meeting').click();
    await page.waitForURL(pathIs(`${otherPath}/edit`));
    await waitForHydration(page);
    const edit = page.locator('#meeting-form');
    await edit.locator('#meeting-deputies').waitFor({ state: 'visible' });
    assert.equal(await edit.locator('input[name="meeting[areas]"]').inputValue(), other.areas, 'filled in');
    await edit.locator('input[name="meeting[starts_at]"]').fill('14:00');
    await edit.locator('input[name="meeting[ends_at]"]').fill('16:00');
    await submitAndCheck(edit, () => page.waitForURL(pathIs(otherPath)));
    await waitForHydration(page);
    await page.locator('dd', { hasText: 'từ 14:00 đến 16:00 ngày 05/12/2026' }).waitFor({ state: 'visible' });

    const cancel = page.locator('#cancel-form');
    await cancel.locator('input[name="reason"]').fill(CANCEL_REASON);
    await submitAndCheck(cancel, () => page.locator('#meeting-cancelled').waitFor({ state: 'visible' }));
    assert.ok(squash(await page.locator('#meeting-cancelled').innerText()).includes(CANCEL_REASON));
    assert.equal(await page.locator('#cancel-form').count(), 0, 'nothing left to cancel');
    assert.equal(await page.locator('#invitation-pdf').count(), 0, 'no invitation to a cancelled meeting');
    await screenshot(page, 'meetings-05-cancelled');
  });

  step('j. the month view shows both meetings on their day, the cancelled one struck out', async () => {
    await page.goto('/meetings');
    await waitForHydration(page);
    await page.locator('#month-link').click();
    await page.waitForURL((u) => new URL(u).searchParams.get('view') === 'month');
    await waitForHydration(page);
    await page.locator('#month-view td[aria-current="date"]').waitFor({ state: 'visible' });
    // Walk to December 2026 with the month links, as a person would.
    for (let i = 0; i < 24; i += 1) {
      if ((await page.locator('#month-title').innerText()).includes('12/2026')) break;
      const before = await page.locator('#month-title').innerText();
      const target = before.match(/(\d{2})\/(\d{4})/);
      const later = Number(target[2]) * 12 + Number(target[1]) < 2026 * 12 + 12;
      await page.locator(later ? '#next-month' : '#prev-month').click();
      await page.waitForFunction(
        (was) => document.querySelector('#month-title')?.textContent !== was,
        before,
      );
    }
    assert.equal(squash(await page.locator('#month-title').innerText()), 'Tháng 12/2026');
    const heads = await page.locator('#month-view thead th').allInnerTexts();
    assert.deepEqual(heads.map(squash), ['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật']);
    const day = page.locator('#month-view td[data-date="2026-12-05"]');
    const text = squash(await day.innerText());
    assert.ok(text.includes(`08:00–10:00 ${MEETING.title}`) && text.includes(VENUE.name), text);
    assert.ok(text.includes('14:00–16:00 Khóm Đông Thịnh') && text.includes('Đã hủy'), text);
    assert.equal(await day.locator('li.cancelled').count(), 1);
    await screenshot(page, 'meetings-06-month');
  });

  step('k. a correction of the finalised minutes becomes version 2; version 1 stays printable', async () => {
    await page.goto(meetingPath);
    await waitForHydration(page);
    const correct = page.locator('#correct-form');
    await correct.locator('input[name="reason"]').fill(CORRECTION);
    await submitAndCheck(correct, () => page.locator('#correction-open').waitFor({ state: 'visible' }));
    const attendance = page.locator('#attendance-form');
    await attendance.locator('input[name="attendance[present_count]"]').fill('141');
    await submitAndCheck(attendance, () => page.locator('dd', { hasText: /^141$/ }).waitFor({ state: 'visible' }));
    const finalise = page.locator('#finalise-form');
    assert.equal(squash(await finalise.locator('button').innerText()), 'Chốt bản sửa đổi');
    await finalise.locator('button[type="submit"]').click();
    await page.locator('#meeting-locked').waitFor({ state: 'visible' });
    const versions = page.locator('#minutes-versions li');
    await versions.nth(1).waitFor({ state: 'visible' });
    assert.ok(squash(await versions.first().innerText()).includes(`Bản sửa đổi lần 1 (bản hiện hành)`));
    assert.ok(squash(await versions.first().innerText()).includes(CORRECTION));
    await screenshot(page, 'meetings-07-corrected');

    const latestText = squash((await fetchPdf(page, `${meetingPath}/minutes.pdf`, 'bien-ban-sua-doi')).text);
    for (const expected of ['(Bản sửa đổi lần 1)', 'số có mặt 141 người', CORRECTION]) {
      assert.ok(latestText.includes(expected), `"${expected}" in the corrected minutes`);
    }
    const firstHref = await versions.last().locator('a').getAttribute('href');
    assert.equal(firstHref, `${meetingPath}/minutes.pdf?version=1`);
    const firstText = squash((await fetchPdf(page, firstHref, 'bien-ban-ban-1')).text);
    assert.ok(firstText.includes('số có mặt 132 người') && !firstText.includes('Bản sửa đổi'), firstText);
  });

  step('l. no browser console errors or page errors but the refusals of steps d and e', async () => {
    // Chromium logs every non-2xx response; the 409s of the refused booking (d) and the
    // refused second sign-in (e) are the point of those steps.
    const refusalOf = (endpoint) => (e) =>
      e.kind === 'console' && /status of 409/.test(e.text) && e.url.endsWith(endpoint);
    const booking = refusalOf('/api/meetings/create');
    const signIn = refusalOf('/api/meetings/attendees/add');
    assert.equal(errors.filter(booking).length, 1, 'the refused booking answered 409');
    assert.equal(errors.filter(signIn).length, 1, 'the refused sign-in answered 409');
    assert.deepEqual(
      errors.filter((e) => !booking(e) && !signIn(e)),
      [],
      'browser errors (hydration failures show up here)',
    );
  });
});
