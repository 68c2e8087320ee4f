// The check-in desk without JavaScript: a station tablet that blocks scripts, or one whose
// wasm has not arrived yet over a weak link. The admin sets up (through the API) a ward whose
// election is today with one polling area open all day, three voters and a station user. In a
// browser context with scripts off, the station user signs in through the login form, searches
// by a name typed without diacritics (Enter sends the search form), confirms the voter with the
// result's own form and sees the outcome, the count and the log; the same voter again is
// refused in Vietnamese, both from a fresh search and from a form loaded before the check-in;
// the database holds one check-in. Then, with scripts, a desk opened at `?q=` hydrates what the
// server rendered without a mismatch and still checks in by keyboard.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  assertAccessible,
  callApi,
  collectErrors,
  createUser,
  pathIs,
  screenshot,
  signIn,
  sqlite,
  squash,
  startWard,
  startWithTimeLeftInVnDay,
  stepsInOrder,
  vnToday,
  waitForHydration,
  waitForText,
} from './harness.mjs';

const STATION = { username: 'tobaucu1', displayName: 'Tổ bầu cử số 1', password: 'to-bau-cu-so-1-mk' };
const AREA = { number: 1, name: 'Khóm Thới An', address: 'Nhà văn hóa khóm Thới An' };
const VOTERS = [
  ['Nguyễn Văn An', '12/05/1980', 'Nam'],
  ['Nguyễn Văn Ánh', '03/03/1979', 'Nam'],
  ['Trần Thị Bích Ngọc', '03/11/1985', 'Nữ'],
];
const TYPED = 'Nguyễn Văn An'; // checked in without script
const HYDRATED = 'Trần Thị Bích Ngọc'; // checked in on a desk opened at ?q=

let ward;
let admin;
let areaId;
let noScript; // the station user's context with JavaScript off
let desk; // its page
let staleDesk; // a second page of it, whose results were loaded before the check-in
let errors; // browser errors of the pages that run scripts

const step = stepsInOrder(() => ward);

function countingCheckIns() {
  const [[count]] = sqlite(ward.server, 'select count(*) from check_ins where undone = 0');
  return count;
}

/** Sends the desk's search form as a browser without script does: Enter in the box. */
async function searchWithoutScript(page, text) {
  const box = page.locator('#desk-search');
  await box.fill(text);
  await Promise.all([
    page.waitForURL((u) => new URL(u).searchParams.get('q') === text),
    box.press('Enter'),
  ]);
}

/** The result of `name` in the desk's list. */
function resultOf(page, name) {
  return page.locator('#desk-results li.desk-result', {
    has: page.locator('strong', { hasText: new RegExp(`^${name}$`) }),
  });
}

describe('the desk without JavaScript', () => {
  before(async () => {
    await startWithTimeLeftInVnDay();
    ward = await startWard({ suite: 'nojs_desk', sessions: ['admin'] });
    [admin] = ward.pages;
    errors = [...ward.errors];
  });

  after(async () => {
    await noScript?.close();
    await ward?.stop();
  });

  step('a. admin: ward, election today, an area open all day, three voters, a station user', async () => {
    await callApi(admin, 'voters/ward/save', { name: 'Phường Mỹ Thới', province: 'Tỉnh An Giang' });
    const electionId = await callApi(admin, 'voters/elections/create', {
      name: 'Bầu cử đại biểu Quốc hội khóa XVI và đại biểu HĐND các cấp',
      election_day: vnToday(),
      national_assembly: '1',
      province: '1',
      commune: '1',
    });
    areaId = await callApi(admin, 'voters/areas/create', {
      election_id: String(electionId),
      number: String(AREA.number),
      name: AREA.name,
      address: AREA.address,
    });
    for (const [name, birth, gender] of VOTERS) {
      await callApi(admin, 'voters/add', {
        area_id: String(areaId),
        'voter[full_name]': name,
        'voter[birth_date]': birth,
        'voter[gender]': gender,
        reason: 'Bổ sung danh sách',
      });
    }
    const user = await createUser(admin, STATION, 'station');
    await callApi(admin, 'admin/users/set-areas', { user_id: String(user.id), 'area_ids[]': String(areaId) });
    // The real hours (07:00–19:00 by default) are unit-tested; here the area is open now.
    sqlite(ward.server, "update polling_areas set opens_at = '00:00', closes_at = '23:59' where id = ?", areaId);
  });

  step('b. without script: the desk sends to the login form, which refuses a wrong password, signs in and comes back', async () => {
    noScript = await ward.browser.newContext({
      baseURL: ward.server.baseUrl,
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      viewport: { width: 1280, height: 900 },
      javaScriptEnabled: false,
    });
    desk = await noScript.newPage();
    await desk.goto(`/election-day/areas/${areaId}`);
    await desk.waitForURL(pathIs('/login'));
    const form = desk.locator('#login-form');
    // A mistyped password: back to the form, which says why.
    await form.locator('input[name="username"]').fill(STATION.username);
    await form.locator('input[name="password"]').fill('sai-mat-khau');
    await Promise.all([
      desk.waitForURL((u) => pathIs('/login')(u) && new URL(u).searchParams.has('__err')),
      form.locator('button[type="submit"]').click(),
    ]);
    await form.locator('.form-error').waitFor({ state: 'visible' });
    await form.locator('input[name="username"]').fill(STATION.username);
    await form.locator('input[name="password"]').fill(STATION.password);
    await Promise.all([
      desk.waitForURL(pathIs(`/election-day/areas/${areaId}`)),
      form.locator('button[type="submit"]').click(),
    ]);
    await waitForText(desk, '.station-header h1', `KVBP số ${AREA.number} — ${AREA.name}`);
    assert.equal(squash(await desk.locator('#station-count').innerText()), '0/3 = 0,00%');
    assert.equal(await desk.locator('html[data-hydrated]').count(), 0, 'no script ran');
  });

  step('c. without script: a name without diacritics, Enter, the result\'s own confirm button', async () => {
    await searchWithoutScript(desk, 'nguyen van an');
    const first = desk.locator('#desk-results li.desk-result').first();
    assert.equal(squash(await first.locator('strong').innerText()), TYPED, 'the exact name first');
    assert.ok((await desk.locator('#desk-results li.desk-result').count()) >= 2, 'both "nguyen van an…" voters');
    assert.equal(await desk.locator('#desk-search').inputValue(), 'nguyen van an', 'the search stays in the box');
    // A second tab of the same desk shows the same results now, and is confirmed later.
    staleDesk = await noScript.newPage();
    await staleDesk.goto(desk.url());
    await screenshot(desk, 'nojs-01-search');

    const confirm = resultOf(desk, TYPED).getByRole('button', { name: 'Xác nhận đã phát phiếu bầu' });
    await Promise.all([
      desk.waitForURL((u) => pathIs(`/election-day/areas/${areaId}`)(u) && new URL(u).searchParams.has('outcome')),
      confirm.click(),
    ]);
    const text = squash(await desk.locator('#desk-outcome .desk-ok').innerText());
    assert.match(text, new RegExp(`^✔ ${TYPED} — đã ghi nhận đi bầu, lượt #1\\b`), text);
    assert.match(text, /Khu vực đã bỏ phiếu: 1\/3 = 33,33%/, text);
    assert.equal(squash(await desk.locator('#station-count').innerText()), '1/3 = 33,33%');
    assert.match(squash(await desk.locator('#station-log tbody tr').first().innerText()), new RegExp(`^1 .*${TYPED}`));
    assert.equal(await desk.locator('#desk-search').inputValue(), '', 'the box is empty for the next voter');
    await screenshot(desk, 'nojs-02-checked-in');
    assert.equal(countingCheckIns(), 1);
  });

  step('d. without script: the same voter again is refused in Vietnamese', async () => {
    const refusal = new RegExp(
      `Cử tri này đã bỏ phiếu: lượt #1 lúc ${vnToday()} \\d\\d:\\d\\d tại khu vực bỏ phiếu số 1, ` +
        `do ${STATION.displayName} ghi nhận\\.$`,
    );
    // A fresh search: the result says why at once and offers nothing to confirm.
    await searchWithoutScript(desk, 'nguyen van an');
    const again = resultOf(desk, TYPED);
    await again.locator('.tag', { hasText: 'Đã bỏ phiếu, lượt #1' }).waitFor({ state: 'visible' });
    const said = squash(await again.locator('.desk-refused').innerText());
    assert.match(said, /^✖ KHÔNG PHÁT PHIẾU BẦU /, said);
    assert.match(said, refusal, said);
    assert.equal(await again.locator('button').count(), 0, 'no confirmation offered');
    await screenshot(desk, 'nojs-03-search-already-voted');

    // The tab loaded before the check-in still offers it: the server refuses, in words.
    await Promise.all([
      staleDesk.waitForURL((u) => new URL(u).searchParams.has('outcome')),
      resultOf(staleDesk, TYPED).getByRole('button', { name: 'Xác nhận đã phát phiếu bầu' }).click(),
    ]);
    const refused = squash(await staleDesk.locator('#desk-outcome .desk-refused').innerText());
    assert.match(refused, /^✖ KHÔNG PHÁT PHIẾU BẦU /, refused);
    assert.match(refused, refusal, refused);
    await screenshot(staleDesk, 'nojs-04-refused');
    assert.equal(squash(await staleDesk.locator('#station-count').innerText()), '1/3 = 33,33%');
    assert.equal(countingCheckIns(), 1, 'one check-in in the database');
    const station = await callApi(admin, 'checkin/station', { area_id: String(areaId) });
    assert.equal(station.voted, 1, 'one voter counted');
  });

  step('e. with script: a desk opened at ?q= hydrates what the server rendered, then works by keyboard', async () => {
    const context = await ward.browser.newContext({
      baseURL: ward.server.baseUrl,
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = await context.newPage();
      errors.push(collectErrors(page));
      await signIn(page, STATION);
      const address = `/election-day/areas/${areaId}?q=${encodeURIComponent('tran thi')}`;
      // As the page stands before its wasm arrives (here: never), forms and all.
      const waiting = await context.newPage();
      await waiting.route(/\.wasm$/, (route) => route.abort());
      await waiting.goto(address);
      await resultOf(waiting, HYDRATED).locator('form').waitFor({ state: 'visible' });
      await assertAccessible(waiting, 'the desk before its script runs');
      await waiting.close();
      // The server renders the results with their forms (what the script must hydrate)...
      const html = await (await page.request.get(address)).text();
      assert.ok(html.includes(HYDRATED), 'the server rendered the result');
      assert.match(html, /action="\/api\/checkin\/record-form"/, 'with its confirmation form');
      await page.goto(address);
      await waitForHydration(page);
      // ...and the hydrated desk replaces it with its own (no forms: it confirms by keyboard).
      await page.locator('#desk-results form').first().waitFor({ state: 'detached' });
      await waitForText(page, '#desk-results li.desk-result.highlight', HYDRATED);
      await page.locator('#desk-search').focus();
      await page.keyboard.press('Enter');
      const confirm = page.locator('#desk-confirm');
      await confirm.waitFor({ state: 'visible' });
      assert.equal(squash(await confirm.locator('h2').innerText()), HYDRATED);
      await page.keyboard.press('Enter');
      await waitForText(page, '#desk-outcome .desk-ok', `${HYDRATED} — đã ghi nhận đi bầu, lượt #2`);
      await waitForText(page, '#station-count', '2/3 = 66,67%');
      assert.equal(countingCheckIns(), 2);
    } finally {
      await context.close();
    }
  });

  step('f. no browser console errors or page errors (a hydration mismatch shows up here)', async () => {
    assert.deepEqual(errors.flat(), [], 'browser errors');
  });
});
