// Election day in a real browser. The admin sets up a ward whose election is today (Vietnam
// time) with one polling area, imports six voters through the import page and creates a station
// user for the area; the area is opened all day in the database so the test does not depend on
// the hour (the hour rules have unit tests). Then, with two browser contexts side by side:
// the station user checks in one voter by typing a name without diacritics and pressing Enter
// twice, and a second one by "scanning" the voter card (CUTRI:<code> + Enter), keyboard only;
// the same voter again is refused in Vietnamese; the admin's /results page follows every change
// over SSE without reloading; the admin undoes a check-in with a reason and the counts drop. The
// public display and a tablet-sized station are photographed too. No browser errors on the way.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import {
  assertAccessible,
  assertFitsTablet,
  callApi,
  collectErrors,
  createUser,
  fetchPdf,
  pathIs,
  screenshot,
  signIn,
  squash,
  startWard,
  startWithTimeLeftInVnDay,
  stepsInOrder,
  submitAndCheck,
  uploadVoterFile,
  vnToday,
  waitForHydration,
  waitForText,
} from './harness.mjs';

const STATION = { username: 'tobaucu1', displayName: 'Tổ bầu cử số 1', password: 'to-bau-cu-so-1-mk' };
const WARD = { name: 'Phường Mỹ Thới', province: 'Tỉnh An Giang' };
const ELECTION = 'Bầu cử đại biểu Quốc hội khóa XVI và đại biểu HĐND các cấp';
const AREA = { number: 1, name: 'Khóm Thới An', address: 'Nhà văn hóa khóm Thới An' };
// Two names that fold to "nguyen van an…": typing "nguyen van an" must put the exact one first.
const VOTERS = [
  ['Nguyễn Văn An', '12/05/1980', 'Nam', '089080001234', 'Số 12, khóm Thới An'],
  ['Nguyễn Văn Ánh', '03/03/1979', 'Nam', '089079001235', 'Số 14, khóm Thới An'],
  ['Trần Thị Bích Ngọc', '03/11/1985', 'Nữ', '089185002345', 'Số 34, khóm Thới An'],
  ['Lê Văn Đức', '1962', 'Nam', '089062003456', 'Số 7, khóm Thới An'],
  ['Phạm Thị Ửng', '07/1958', 'Nữ', '', 'Số 9, khóm Thới An'],
  ['Đặng Thùy Dương', '25/12/2000', 'Nữ', '089300004567', 'Số 2, khóm Thới An'],
];
const TYPED = 'Nguyễn Văn An'; // checked in by typing
const SCANNED = 'Trần Thị Bích Ngọc'; // checked in by scanning, later undone
const UNDO_REASON = 'Ghi nhầm người, cử tri chưa nhận phiếu';

let ward;
let server;
let admin; // the admin's page: setup, then /results
let desk; // the station user's page
let errors; // [admin page errors, desk page errors]
let electionId;
let areaId;

const step = stepsInOrder(() => ward);

/** Runs SQL on the server's SQLite file (WAL: fine while the server runs); returns rows as JSON. */
function sql(statement, ...params) {
  const script = [
    'import json, sqlite3, sys',
    'db = sqlite3.connect(sys.argv[1], timeout=10)',
    'rows = db.execute(sys.argv[2], sys.argv[3:]).fetchall()',
    'db.commit()',
    'print(json.dumps(rows))',
  ].join('\n');
  const out = execFileSync(
    'python3',
    ['-c', script, path.join(server.dataDir, 'cutri.db'), statement, ...params],
    { encoding: 'utf8' },
  );
  return JSON.parse(out);
}

async function focusedId(page) {
  return page.evaluate(() => document.activeElement?.id ?? '');
}

async function waitForFocus(page, id) {
  await page
    .waitForFunction((want) => document.activeElement?.id === want, id, { timeout: 5_000 })
    .catch(async () => {
      throw new Error(`focus should be on #${id}, is on #${await focusedId(page)}`);
    });
}

/** Waits until #ward-turnout on the admin's /results page reads `text`. */
async function wardTurnoutIs(text) {
  await admin
    .locator('#ward-turnout', { hasText: text })
    .waitFor({ state: 'visible', timeout: 5_000 })
    .catch(async () => {
      throw new Error(
        `#ward-turnout should read "${text}", reads "${await admin.locator('#ward-turnout').innerText()}"`,
      );
    });
}

/** The station's outcome line once it shows something for the latest action. */
async function outcomeText() {
  const outcome = desk.locator('#desk-outcome > p');
  await outcome.first().waitFor({ state: 'visible' });
  return squash(await outcome.first().innerText());
}

describe('election day', () => {
  before(async () => {
    await startWithTimeLeftInVnDay();
    ward = await startWard({
      suite: 'checkin',
      sessions: ['admin', 'desk'],
      viewport: { width: 1280, height: 800 },
    });
    // One live array of errors per page; the last step looks at all of them.
    ({ server, pages: [admin, desk], errors } = ward);
  });

  after(() => ward?.stop());

  step('a. admin: ward, election today, one polling area', async () => {
    await admin.goto('/voters');
    await waitForHydration(admin);
    const wardForm = admin.locator('#ward-form');
    await wardForm.locator('input[name="name"]').fill(WARD.name);
    await wardForm.locator('input[name="province"]').fill(WARD.province);
    await submitAndCheck(wardForm, () =>
      admin.locator('.notice', { hasText: 'Hãy nhập tên phường/xã' }).waitFor({ state: 'detached' }),
    );

    const election = admin.locator('#election-form');
    await election.locator('input[name="name"]').fill(ELECTION);
    await election.locator('input[name="election_day"]').fill(vnToday());
    const link = admin.locator('ul.election-list a', { hasText: ELECTION });
    await submitAndCheck(election, () => link.waitFor({ state: 'visible' }));
    await link.click();
    await admin.waitForURL((u) => /[?&]election=\d+/.test(u));
    electionId = Number(new URL(admin.url()).searchParams.get('election'));
    await admin.goto(`/voters?election=${electionId}`);
    await waitForHydration(admin);

    const area = admin.locator('#area-form');
    await area.locator('input[name="number"]').fill(String(AREA.number));
    await area.locator('input[name="name"]').fill(AREA.name);
    await area.locator('input[name="address"]').fill(AREA.address);
    await submitAndCheck(area, () => waitForText(admin, '#areas-table tbody tr', AREA.name));
    [[areaId]] = sql('select id from polling_areas where election_id = ?', String(electionId));
    assert.ok(areaId > 0, 'the area is in the database');
  });

  step('b. admin: six voters imported from a CSV file', async () => {
    const header = 'STT,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Số CCCD,Nơi thường trú';
    const lines = VOTERS.map(
      ([name, birth, gender, cccd, address], i) =>
        `${i + 1},${name},${birth},${gender},Kinh,${cccd},"${address}, phường Mỹ Thới"`,
    );
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cutri-checkin-'));
    const file = path.join(dir, 'danh-sach-kvbp-1.csv');
    await writeFile(file, [header, ...lines, ''].join('\r\n'), 'utf8');
    try {
      await uploadVoterFile(admin, electionId, file, {
        defaultArea: { label: `${AREA.number} — ${AREA.name}` },
      });
      await admin.locator('#import-preview').waitFor({ state: 'visible' });
      await admin.locator('#commit-import').click();
      await waitForText(admin, '#import-done', new RegExp(`^Đã ghi vào danh sách: ${VOTERS.length}\\b`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const [[listed]] = sql('select count(*) from voters where polling_area_id = ?', String(areaId));
    assert.equal(listed, VOTERS.length, 'voters in the database');
  });

  step('c. admin: a station user for the area; the area open all day', async () => {
    const user = await createUser(admin, STATION, 'station');
    assert.deepEqual(
      await callApi(admin, 'admin/users/set-areas', { user_id: String(user.id), 'area_ids[]': String(areaId) }),
      [areaId],
    );
    // The real hours (07:00–19:00 by default) are unit-tested; here the area is open now.
    sql("update polling_areas set opens_at = '00:00', closes_at = '23:59' where id = ?", String(areaId));
  });

  step('d. station user logs in and opens the desk of the area', async () => {
    await signIn(desk, STATION);

    await desk.goto('/election-day');
    await waitForHydration(desk);
    const rows = desk.locator('#desk-areas tbody tr');
    assert.equal(await rows.count(), 1, 'the station user sees only the assigned area');
    assert.match(squash(await rows.first().innerText()), /^1 Khóm Thới An .* 00:00 – 23:59 6 /);
    await screenshot(desk, 'checkin-01-choose-area');
    await rows.first().locator('a', { hasText: AREA.name }).click();
    await desk.waitForURL(pathIs(`/election-day/areas/${areaId}`));
    await waitForHydration(desk);
    await waitForText(desk, '.station-header h1', `KVBP số ${AREA.number} — ${AREA.name}`);
    assert.equal(squash(await desk.locator('#station-count').innerText()), '0/6 = 0,00%');
    await desk.locator('#desk-search').click();
    await screenshot(desk, 'checkin-02-station-empty');
  });

  step('e. admin opens /results: 0 of 6', async () => {
    await admin.goto('/results');
    await waitForHydration(admin);
    await wardTurnoutIs('0/6 = 0,00%');
    // Set on this document: still there later means the page was never reloaded.
    await admin.evaluate(() => {
      window.__sameResultsPage = true;
    });
  });

  step('f. check-in by typing a name without diacritics, Enter, Enter', async () => {
    await desk.locator('#desk-search').focus();
    await desk.keyboard.type('nguyen van an');
    assert.equal(await desk.locator('#desk-search').inputValue(), 'nguyen van an', 'every key typed');
    const results = desk.locator('#desk-results li.desk-result');
    // "nguyen van an" also begins "Nguyễn Văn Ánh"; the exact name comes first and is selected.
    await waitForText(desk, '#desk-results li.desk-result.highlight', TYPED);
    assert.equal(squash(await results.first().locator('strong').innerText()), TYPED);
    assert.ok((await results.count()) >= 2, 'both "nguyen van an…" voters are offered');
    // A screen reader hears the highlighted voter: the box points at it as a combobox.
    assert.equal(await desk.locator('#desk-results').getAttribute('role'), 'listbox');
    assert.equal(
      await desk.locator('#desk-search').getAttribute('aria-activedescendant'),
      await desk.locator('#desk-results li.desk-result.highlight').getAttribute('id'),
    );
    await screenshot(desk, 'checkin-03-search');

    await desk.keyboard.press('Enter');
    const confirm = desk.locator('#desk-confirm');
    await confirm.waitFor({ state: 'visible' });
    assert.equal(squash(await confirm.locator('h2').innerText()), TYPED);
    await waitForFocus(desk, 'desk-confirm-button');
    const facts = squash(await confirm.locator('dl.facts').innerText());
    assert.match(facts, /12\/05\/1980/);
    assert.match(facts, /Quốc hội/);
    await screenshot(desk, 'checkin-04-confirm');

    await desk.keyboard.press('Enter');
    await desk.locator('#desk-outcome .desk-ok').waitFor({ state: 'visible' });
    const text = squash(await desk.locator('#desk-outcome .desk-ok').innerText());
    assert.match(text, new RegExp(`^✔ ${TYPED} — đã ghi nhận đi bầu, lượt #1\\b`), text);
    assert.match(text, /Khu vực đã bỏ phiếu: 1\/6 = 16,67%/, text);
    await confirm.waitFor({ state: 'detached' });
    await waitForFocus(desk, 'desk-search');
    assert.equal(await desk.locator('#desk-search').inputValue(), '', 'the search box is empty again');
    await waitForText(desk, '#station-count', '1/6 = 16,67%');
    await waitForText(desk, '#station-log tbody tr', TYPED);
    await screenshot(desk, 'checkin-05-checked-in');
  });

  step('g. /results follows without reloading: 1 of 6', async () => {
    await wardTurnoutIs('1/6 = 16,67%');
    const row = admin.locator('#turnout-table tbody tr', { hasText: AREA.name });
    assert.match(squash(await row.innerText()), /^KVBP số 1 — Khóm Thới An 1 6 16,67%/);
    assert.equal(await admin.evaluate(() => window.__sameResultsPage), true, 'no reload');
    await screenshot(admin, 'checkin-06-results-1');
  });

  step('h. check-in by scanning the voter card: CUTRI:<code>, Enter, Enter', async () => {
    const [[code]] = sql(
      'select card_code from voters where polling_area_id = ? and full_name = ?',
      String(areaId),
      SCANNED,
    );
    assert.ok(code, 'the voter has a card code');
    await waitForFocus(desk, 'desk-search');
    // Someone else is on the confirmation when the card is scanned: the typing must go back to
    // the search box, so the final Enter cannot confirm the voter on screen.
    await desk.keyboard.type('duc');
    await waitForText(desk, '#desk-results li.desk-result.highlight', 'Lê Văn Đức');
    await desk.keyboard.press('Enter');
    await waitForFocus(desk, 'desk-confirm-button');
    // A keyboard-wedge scanner types fast and ends with Enter straight away: the desk must wait
    // for the lookup of the whole code, not act on results of a shorter prefix.
    await desk.keyboard.type(`CUTRI:${code}`, { delay: 5 });
    await desk.keyboard.press('Enter');
    const confirm = desk.locator('#desk-confirm');
    await confirm.waitFor({ state: 'visible' });
    assert.equal(squash(await confirm.locator('h2').innerText()), SCANNED);
    await waitForFocus(desk, 'desk-confirm-button');
    assert.equal(await desk.locator('#desk-search').inputValue(), `CUTRI:${code}`);
    await desk.keyboard.press('Enter');
    await waitForText(desk, '#desk-outcome .desk-ok', `${SCANNED} — đã ghi nhận đi bầu, lượt #2`);
    assert.match(await outcomeText(), /Khu vực đã bỏ phiếu: 2\/6 = 33,33%/);
    await waitForFocus(desk, 'desk-search');
    await wardTurnoutIs('2/6 = 33,33%');
    assert.equal(await admin.evaluate(() => window.__sameResultsPage), true, 'no reload');
  });

  step('i. the first voter again: marked in the results, refused in Vietnamese', async () => {
    await desk.keyboard.type('nguyen van an');
    const first = desk.locator('#desk-results li.desk-result.highlight');
    await waitForText(desk, '#desk-results li.desk-result.highlight', TYPED);
    await first.locator('.tag', { hasText: 'Đã bỏ phiếu, lượt #1' }).waitFor({ state: 'visible' });
    await screenshot(desk, 'checkin-07-search-already-voted');
    // The search already shows the earlier check-in: Enter says no at once, with nothing to
    // confirm.
    await desk.keyboard.press('Enter');
    const refused = desk.locator('#desk-outcome .desk-refused');
    await refused.waitFor({ state: 'visible' });
    const text = squash(await refused.innerText());
    assert.match(text, /^✖ KHÔNG PHÁT PHIẾU BẦU /, text);
    assert.match(
      text,
      new RegExp(
        `Cử tri này đã bỏ phiếu: lượt #1 lúc ${vnToday()} \\d\\d:\\d\\d tại khu vực bỏ phiếu số 1, ` +
          `do ${STATION.displayName} ghi nhận\\.$`,
      ),
      text,
    );
    await waitForFocus(desk, 'desk-search');
    assert.equal(await desk.locator('#desk-confirm').count(), 0, 'no confirmation offered');
    await screenshot(desk, 'checkin-08-refused');
    // Nothing changed anywhere.
    await waitForText(desk, '#station-count', '2/6 = 33,33%');
    await wardTurnoutIs('2/6 = 33,33%');
    // The desk may take back only its own latest check-in (for two minutes): the scanned one.
    const undoable = desk.locator('#station-log tbody tr', { has: desk.locator('.undo') });
    assert.equal(await undoable.count(), 1, 'one undo offered to the desk');
    assert.match(squash(await undoable.innerText()), new RegExp(`^2 .*${SCANNED}`));
  });

  step('j. the admin undoes the scanned check-in with a reason; the counts drop', async () => {
    const station = await admin.context().newPage();
    const stationErrors = collectErrors(station);
    await station.goto(`/election-day/areas/${areaId}`);
    await waitForHydration(station);
    const row = station.locator('#station-log tbody tr', { hasText: SCANNED });
    await row.waitFor({ state: 'visible' });
    await row.locator('.undo button', { hasText: 'Hủy lượt này' }).click();
    await row.locator('.undo-reason').fill(UNDO_REASON);
    await screenshot(station, 'checkin-09-undo');
    await row.locator('.undo-confirm').click();
    await waitForText(station, '#station-log tbody tr', `Đã hủy: ${UNDO_REASON}`);
    await waitForText(station, '#station-count', '1/6 = 16,67%');
    await screenshot(station, 'checkin-10-undone');
    assert.deepEqual(stationErrors, [], 'browser errors on the admin station tab');
    await station.close();

    // The station user's desk follows too, without reloading: count and log.
    await waitForText(desk, '#station-count', '1/6 = 16,67%');
    await waitForText(desk, '#station-log tbody tr', `Đã hủy: ${UNDO_REASON}`);

    await admin.bringToFront();
    await wardTurnoutIs('1/6 = 16,67%');
    assert.equal(await admin.evaluate(() => window.__sameResultsPage), true, 'no reload');
    await screenshot(admin, 'checkin-11-results-after-undo');
  });

  step('k. public display on a TV; the desk on a tablet', async () => {
    const tv = await admin.context().newPage();
    const tvErrors = collectErrors(tv);
    await tv.setViewportSize({ width: 1920, height: 1080 });
    await tv.goto('/results/display');
    await waitForHydration(tv);
    await waitForText(tv, '#big-display .giant', '16,67%');
    assert.match(squash(await tv.locator('#big-display .large').innerText()), /^1 \/ 6 cử tri$/);
    // Full page and exactly what the TV shows.
    const shot = await screenshot(tv, 'checkin-12-display');
    await tv.screenshot({ path: shot.replace(/\.png$/, '-viewport.png') });
    assert.deepEqual(tvErrors, [], 'browser errors on the display');
    await tv.close();

    await desk.setViewportSize({ width: 820, height: 1180 });
    await desk.locator('#desk-search').fill('');
    await desk.locator('#desk-search').focus();
    await desk.keyboard.type('nguyen');
    await waitForText(desk, '#desk-results li.desk-result.highlight', TYPED);
    await desk.keyboard.press('ArrowDown');
    await waitForText(desk, '#desk-results li.desk-result.highlight', 'Nguyễn Văn Ánh');
    await screenshot(desk, 'checkin-13-tablet');
    await desk.keyboard.press('Escape');
    await assertFitsTablet(desk, 'checkin-desk');
    await assertAccessible(desk, 'checkin-desk');
  });

  step('l. no browser console errors or page errors', async () => {
    assert.deepEqual(errors.flat(), [], 'browser errors (hydration failures show up here)');
  });

  step('m. turnout reports: the admin sets report times, takes the figures now, sees table, chart and PDF', async () => {
    const page = await admin.context().newPage();
    const pageErrors = collectErrors(page);
    await page.goto('/results');
    await waitForHydration(page);
    await page.locator('#report-table').waitFor({ state: 'visible' });
    // Defaults until a manager sets others.
    await waitForText(page, '#report-table tbody tr', '09:00');
    const form = page.locator('#report-times-form');
    await form.locator('input[name="times"]').fill('21:00, 05:00');
    await form.locator('button[type="submit"]').click();
    await waitForText(page, '#turnout-reports [role="status"]', 'Đã lưu giờ báo cáo.');
    const rows = page.locator('#report-table tbody tr th');
    await waitForText(page, '#report-table tbody tr th', '05:00');
    // Snapshots the server already took at default times that have passed stay as rows.
    const times = await rows.allInnerTexts();
    assert.ok(times.includes('05:00') && times.includes('21:00'), times.join(', '));
    assert.deepEqual(times, [...times].sort(), 'in time order');
    const vnHour = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', hour12: false }).format(new Date()),
    );
    if (vnHour >= 5) {
      // 05:00 has passed today: "Chốt số liệu ngay" (or the server's own round) freezes 1/6.
      await page.locator('#snapshot-now-form button').click();
      const row = page.locator('#report-table tbody tr', { hasText: '05:00' });
      await row.filter({ hasText: '16,67%' }).waitFor({ state: 'visible' });
      assert.match(squash(await row.innerText()), /^05:00 1 6 16,67% /);
      assert.ok((await page.locator('#turnout-chart svg circle').count()) >= 1, 'a point on the chart');
    }
    assert.equal(
      await page.locator('#turnout-chart svg title').first().textContent(),
      'Tỷ lệ cử tri đi bầu toàn phường/xã theo giờ báo cáo',
    );
    await screenshot(page, 'checkin-14-reports');
    // The office's laptop screen and a tablet show every column of the board.
    await assertFitsTablet(page, 'checkin-results', { width: 1366, height: 768 });
    await assertFitsTablet(page, 'checkin-results');
    await assertAccessible(page, 'checkin-results');
    const pdf = page.locator('#turnout-reports a', { hasText: 'Báo cáo tình hình cử tri đi bầu (PDF)' });
    const href = await pdf.getAttribute('href');
    assert.equal(href, `/results/${electionId}/report.pdf`);
    const { text } = await fetchPdf(page, href, 'checkin-16-report', { layout: true });
    assert.match(text, /BÁO CÁO TÌNH HÌNH CỬ TRI ĐI BẦU/);
    if (vnHour >= 5) assert.match(text, /Toàn phường.*16,67%/);
    assert.deepEqual(pageErrors, [], 'browser errors on the reports page');
    await page.close();
  });

  step('n. a voter of another area, scanned at this desk: name, birth year and area only, nothing to confirm', async () => {
    const otherArea = await callApi(admin, 'voters/areas/create', {
      election_id: String(electionId),
      number: '2',
      name: 'Khóm Đông Thịnh',
      address: '',
    });
    const code = 'otherAreaCard0001';
    sql(
      'insert into voters (election_id, polling_area_id, stt, full_name, name_folded, birth_year, gender, ' +
        "levels, status, card_code, cccd, permanent_address, created_at_ms, updated_at_ms) values (?, ?, 1, 'Võ Văn Tám', " +
        "'vo van tam', 1975, 'nam', 7, 'active', ?, '089075009999', 'Số 99, khóm Đông Thịnh', 0, 0)",
      String(electionId),
      String(otherArea),
      code,
    );
    await desk.locator('#desk-search').fill('');
    await desk.locator('#desk-search').focus();
    await desk.keyboard.type(`CUTRI:${code}`);
    const found = desk.locator('#desk-results li.desk-result.other-area');
    await waitForText(desk, '#desk-results li.desk-result.other-area', 'Võ Văn Tám');
    const text = squash(await found.first().innerText());
    assert.equal(text, 'Võ Văn Tám sinh năm 1975 thuộc khu vực bỏ phiếu số 2', text);
    await screenshot(desk, 'checkin-15-other-area');
    // Enter offers no check-in for this voter.
    await desk.keyboard.press('Enter');
    await desk.waitForTimeout(300);
    assert.equal(await desk.locator('#desk-confirm').count(), 0, 'no confirmation for another area');
    await desk.keyboard.press('Escape');
    assert.deepEqual(errors.flat(), [], 'browser errors');
  });

  step('o. the board sets the hours on the election-day page; the desk applies them to the next voter', async () => {
    await admin.goto('/election-day');
    await waitForHydration(admin);
    const row = admin.locator('#desk-areas tbody tr').first();
    assert.match(squash(await row.innerText()), /00:00 – 23:59/);
    await row.locator('.hours-edit summary').click();
    // Closing early is refused in words (Điều 71), and nothing changes.
    await row.locator('input[name="opens"]').fill('07:00');
    await row.locator('input[name="closes"]').fill('17:00');
    await row.getByRole('button', { name: 'Lưu giờ bỏ phiếu' }).click();
    await waitForText(admin, '#desk-areas .hours-edit .form-error', 'không kết thúc trước 19:00');
    assert.deepEqual(sql('select opens_at, closes_at from polling_areas where id = ?', String(areaId)), [['00:00', '23:59']]);
    // A lawful change: an earlier start and a later end.
    await row.locator('input[name="opens"]').fill('06:00');
    await row.locator('input[name="closes"]').fill('20:30');
    await row.getByRole('button', { name: 'Lưu giờ bỏ phiếu' }).click();
    await waitForText(admin, '#desk-areas .hours-edit .form-ok', 'Đã lưu giờ bỏ phiếu');
    await waitForText(admin, '#desk-areas .hours-shown', '06:00 – 20:30');
    await screenshot(admin, 'checkin-16-hours-set');
    // The open fold-out stays inside its cell on a laptop and on a tablet.
    await assertFitsTablet(admin, 'checkin-areas', { width: 1280, height: 800 });
    await assertFitsTablet(admin, 'checkin-areas');
    await assertAccessible(admin, 'checkin-areas');

    await desk.reload();
    await waitForHydration(desk);
    await waitForText(desk, '.station-header', '06:00 – 20:30');
    await desk.locator('#desk-search').focus();
    await desk.keyboard.type('le van duc');
    await waitForText(desk, '#desk-results li.desk-result.highlight', 'Lê Văn Đức');
    await desk.keyboard.press('Enter');
    await waitForFocus(desk, 'desk-confirm-button');
    // Keyboard only: Space ticks "Hòm phiếu phụ" and the confirmation stays open.
    await desk.keyboard.press('Shift+Tab');
    await waitForFocus(desk, 'desk-mobile-box');
    await desk.keyboard.press('Space');
    assert.ok(await desk.locator('#desk-mobile-box').isChecked(), 'Space ticks the box');
    assert.equal(await desk.locator('#desk-confirm').count(), 1, 'the confirmation stays open');
    await desk.keyboard.press('Tab');
    await waitForFocus(desk, 'desk-confirm-button');
    await desk.keyboard.press('Enter');
    // The desk follows the new hours, whatever the hour the test runs at.
    const now = new Date();
    const vnMinute = (((now.getUTCHours() + 7) % 24) * 60) + now.getUTCMinutes();
    if (vnMinute >= 6 * 60 && vnMinute < 20 * 60 + 30) {
      await desk.locator('#desk-outcome .desk-ok').waitFor({ state: 'visible' });
      assert.match(squash(await desk.locator('#desk-outcome .desk-ok').innerText()), /Lê Văn Đức .* Hòm phiếu phụ/);
    } else {
      const refused = desk.locator('#desk-outcome .desk-refused');
      await refused.waitFor({ state: 'visible' });
      assert.match(squash(await refused.innerText()), /giờ bỏ phiếu \(06:00 – 20:30 /);
    }
    await screenshot(desk, 'checkin-17-new-hours');
    assert.deepEqual(
      errors.flat().filter((e) => !/status of 422/.test(e.text)),
      [],
      'browser errors (the refused hours answer 422)',
    );
  });

  step('p. a name typed while the desk is still loading is searched once the page is ready', async () => {
    // Hold the browser bundle back so the typing certainly happens before hydration.
    let release;
    const held = new Promise((resolve) => {
      release = resolve;
    });
    await desk.route('**/*.wasm', async (route) => {
      await held;
      await route.continue();
    });
    await desk.goto(`/election-day/areas/${areaId}`, { waitUntil: 'domcontentloaded' });
    await desk.locator('#desk-search').fill('dang thuy');
    assert.equal(await desk.locator('html[data-hydrated]').count(), 0, 'typed before hydration');
    release();
    await waitForHydration(desk);
    await waitForText(desk, '#desk-results li.desk-result.highlight', 'Đặng Thùy Dương');
    await desk.unroute('**/*.wasm');
  });
});
