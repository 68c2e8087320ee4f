// Every page of the app, with data in its tables, against axe-core's WCAG 2.1 A/AA rules (no
// serious or critical violation) and at a tablet's width (nothing scrolls sideways), signed in
// as the administrator; the login page signed out. The ward: one election today with the three
// ballot levels, two polling areas, voters imported from a CSV file (fourteen of them sharing a
// family name, so that the desk's result list is longer than a laptop's window), a station user,
// a constituency with its candidates, a deputy, a venue, a held meeting with an opinion made a
// petition, and a complaint. On the desk, ↓ down to the last of those results and ↑ back to the
// first keep the highlighted one in the window and the search box's aria-activedescendant on
// it. No browser errors on any page.
//
// The set-up runs as steps in order; each page is a test of its own, so one page's violations
// do not hide the next page's.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  assertAccessible,
  assertFitsTablet,
  callApi,
  createUser,
  startWard,
  startWithTimeLeftInVnDay,
  stepsInOrder,
  uploadVoterFile,
  vnDate,
  vnToday,
  waitForHydration,
} from './harness.mjs';

const WARD = { name: 'Phường Mỹ Thới', province: 'Tỉnh An Giang' };
const ELECTION = 'Bầu cử đại biểu Quốc hội khóa XVI và đại biểu HĐND các cấp nhiệm kỳ 2026–2031';
const AREAS = [
  { number: 1, name: 'Khóm Thới An' },
  { number: 2, name: 'Khóm Đông Thịnh' },
];
const STATION = { username: 'tobaucu1', displayName: 'Tổ bầu cử số 1', password: 'to-bau-cu-so-1-mk' };
const FAMILY = 'Huỳnh';
const GIVEN = ['An', 'Bình', 'Châu', 'Dũng', 'Giang', 'Hạnh', 'Khoa', 'Lan', 'Minh', 'Nga', 'Phúc', 'Quyên', 'Sơn', 'Tâm'];
// [name, birth, gender, CCCD, permanent address, temporary address, since, area]
const VOTERS = [
  ...GIVEN.map((given, i) => [
    `${FAMILY} ${i % 2 ? 'Thị' : 'Văn'} ${given}`,
    `${String((i % 27) + 1).padStart(2, '0')}/0${(i % 9) + 1}/19${60 + i}`,
    i % 2 ? 'Nữ' : 'Nam',
    `089${i % 2}${60 + i}00${1000 + i}`,
    `Số ${i + 1}, khóm Thới An`,
    '',
    '',
    1,
  ]),
  ['Nguyễn Văn An', '12/05/1980', 'Nam', '089080009234', 'Số 12, khóm Thới An', '', '', 1],
  ['Trần Thị Bích Ngọc', '03/11/1985', 'Nữ', '', '', 'Số 34, khóm Thới An', '01/06/2026', 1],
  ['Lê Văn Đức', '1962', 'Nam', '089062003456', 'Số 7, khóm Đông Thịnh', '', '', 2],
  ['Phạm Thị Ửng', '07/1958', 'Nữ', '', 'Số 9, khóm Đông Thịnh', '', '', 2],
  ['Đặng Thùy Dương', '25/12/2000', 'Nữ', '089300004567', 'Số 2, khóm Đông Thịnh', '', '', 2],
];

let ward;
let server;
let page;
let errors;
let electionId;
const areaIds = [];
let voterId;
let meetingId;
let setUp = false;

const step = stepsInOrder(() => ward);
const api = (endpoint, form) => callApi(page, endpoint, form);

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

/** Opens `path`, waits for the hydrated page, and checks it (axe, then the tablet's width). */
async function checkPage(target, name) {
  await page.goto(target);
  await waitForHydration(page);
  await check(name);
}

/**
 * The page as it opens fits a tablet; then, with every fold-out (<details>) opened so that the
 * forms inside are looked at too, axe finds nothing serious.
 */
async function check(name) {
  await assertFitsTablet(page, `a11y-${name}`);
  await page.evaluate(() => {
    for (const details of document.querySelectorAll('details')) details.open = true;
  });
  await assertAccessible(page, `a11y ${name}`);
}

/** A page test: skipped when the set-up failed, independent of the other pages. */
function pageTest(name, fn) {
  test(name, { timeout: 60_000 }, async (t) => {
    if (!setUp) {
      t.skip('the set-up failed');
      return;
    }
    await fn();
  });
}

/** Where the highlighted desk result is, and what the search box says is active. */
async function highlighted() {
  return page.evaluate(() => {
    const item = document.querySelector('#desk-results li.desk-result.highlight');
    const box = item?.getBoundingClientRect();
    return {
      id: item?.id ?? null,
      active: document.querySelector('#desk-search')?.getAttribute('aria-activedescendant') ?? null,
      top: box?.top ?? null,
      bottom: box?.bottom ?? null,
      innerHeight: window.innerHeight,
      count: document.querySelectorAll('#desk-results li.desk-result').length,
    };
  });
}

/**
 * The desk scrolls on the next animation frame, smoothly where the reader has not asked for
 * reduced motion: wait until the highlighted result is in the window (or 3 s have passed, and
 * the assertion that follows says where it is).
 */
async function settled() {
  await page
    .waitForFunction(
      () => {
        const box = document.querySelector('#desk-results li.desk-result.highlight')?.getBoundingClientRect();
        // Within a pixel: the browser scrolls by fractions of one.
        return box && box.top >= -1 && box.bottom <= window.innerHeight + 1;
      },
      null,
      { timeout: 3_000 },
    )
    .catch(() => null);
}

function assertInView(h, what) {
  assert.ok(h.top >= -1 && h.bottom <= h.innerHeight + 1, `${what} (#${h.id}) in the window: ${JSON.stringify(h)}`);
  assert.equal(h.active, h.id, `${what}: aria-activedescendant follows`);
}

describe('accessibility of every page', () => {
  before(async () => {
    await startWithTimeLeftInVnDay();
    // A laptop's window: the desk's results must be longer than it.
    ward = await startWard({ suite: 'accessibility', viewport: { width: 1366, height: 768 } });
    ({ server, pages: [page], errors: [errors] } = ward);
  });

  after(() => ward?.stop());

  step('a. ward, election today with three levels, two areas', async () => {
    await api('voters/ward/save', WARD);
    electionId = await api('voters/elections/create', {
      name: ELECTION,
      election_day: vnToday(),
      national_assembly: '1',
      province: '1',
      commune: '1',
    });
    for (const area of AREAS) {
      areaIds.push(
        await api('voters/areas/create', {
          election_id: String(electionId),
          number: String(area.number),
          name: area.name,
          address: `Nhà văn hóa ${area.name.toLowerCase()}`,
        }),
      );
    }
    // The area is open now, whatever the hour (the hours have tests of their own).
    sql("update polling_areas set opens_at = '00:00', closes_at = '23:59' where election_id = ?", String(electionId));
  });

  step('b. voters imported from a CSV file', async () => {
    const header = 'STT,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Số CCCD,Nơi thường trú,Nơi tạm trú,Tạm trú từ ngày,Khu vực bỏ phiếu';
    const lines = VOTERS.map(
      ([name, birth, gender, cccd, permanent, temporary, since, area], i) =>
        `${i + 1},${name},${birth},${gender},Kinh,${cccd},"${permanent}","${temporary}",${since},${area}`,
    );
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cutri-a11y-'));
    const file = path.join(dir, 'danh-sach.csv');
    await writeFile(file, [header, ...lines, ''].join('\r\n'), 'utf8');
    try {
      await uploadVoterFile(page, electionId, file);
      await page.locator('#import-preview').waitFor({ state: 'visible' });
      await page.locator('#commit-import').click();
      await page.locator('#import-done').waitFor({ state: 'visible' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const [[count]] = sql('select count(*) from voters where election_id = ?', String(electionId));
    assert.equal(count, VOTERS.length, 'every voter imported');
    [[voterId]] = sql('select id from voters where full_name = ?', 'Nguyễn Văn An');
  });

  step('c. a station user, a constituency and its candidates', async () => {
    const user = await createUser(page, STATION, 'station');
    await api('admin/users/set-areas', { user_id: String(user.id), 'area_ids[]': String(areaIds[0]) });
    const constituency = await api('constituencies/save', {
      election_id: String(electionId),
      level: 'quoc-hoi',
      number: '1',
      name: 'Gồm phường Mỹ Thới',
      seats: '2',
      'area_ids[0]': String(areaIds[0]),
      'area_ids[1]': String(areaIds[1]),
    });
    await api('constituencies/candidates', {
      constituency_id: String(constituency),
      candidates: 'Trần Thị Ấu; 1968; Nữ\nLê Văn Đức; 12/05/1975; Nam\nNguyễn Thị Ánh; 03/1980; Nữ',
    });
  });

  step('d. a complaint, a deputy, a venue, a held meeting with an opinion, a petition', async () => {
    await api('complaints/record', {
      election_id: String(electionId),
      voter_id: String(voterId),
      complainant: 'Nguyễn Văn An',
      received_on: vnToday(),
      content: 'Sai năm sinh trong danh sách niêm yết',
    });
    const deputy = await api('meetings/deputies/save', {
      deputy_id: '0',
      'deputy[full_name]': 'Nguyễn Văn Ánh',
      'deputy[level]': 'dbqh',
      'deputy[position]': 'Đại biểu chuyên trách',
    });
    const venue = await api('meetings/venues/save', {
      venue_id: '0',
      'venue[name]': 'Nhà văn hóa khóm Thới Hòa',
      'venue[address]': 'Số 12 đường Trần Hưng Đạo',
    });
    meetingId = await api('meetings/create', {
      'meeting[title]': 'Khóm Thới Hòa',
      'meeting[term]': 'XVI',
      'meeting[session_number]': '2',
      'meeting[timing]': 'before',
      'meeting[kind]': 'regular',
      'meeting[format]': 'in_person',
      // Held two days ago, so its attendance and opinions can be recorded whatever the hour.
      'meeting[date]': vnDate(-2),
      'meeting[starts_at]': '08:00',
      'meeting[ends_at]': '10:00',
      'meeting[venue_id]': String(venue),
      'meeting[areas]': 'Khóm Thới Hòa',
      'meeting[deputy_ids][0]': String(deputy),
    });
    await api('meetings/attendance', {
      meeting_id: String(meetingId),
      'attendance[present_count]': '80',
    });
    await api('meetings/opinions/add', {
      meeting_id: String(meetingId),
      'opinion[speaker]': 'Huỳnh Thị Ngọc Hường',
      'opinion[address]': 'Tổ 5, khóm Thới Hòa',
      'opinion[field]': 'giao_thong',
      'opinion[competent_level]': 'tinh',
      'opinion[content]': 'Đề nghị sửa chữa đoạn đường Trần Hưng Đạo bị sụt lún.',
    });
    // The opinion becomes a petition of the round, so the petitions page has a table.
    assert.equal(await api('petitions/collect', { term: 'XVI', session_number: '2', timing: 'before' }), 1);
    setUp = true;
  });

  const PAGES = [
    ['/', 'home'],
    ['/voters', 'voters'],
    [() => `/voters?election=${electionId}`, 'voters-election'],
    [() => `/voters/import?election=${electionId}`, 'voters-import'],
    [() => `/voters/complaints?election=${electionId}`, 'complaints'],
    [() => `/voters/${voterId}`, 'voter'],
    ['/election-day', 'election-day'],
    [() => `/election-day/areas/${areaIds[0]}`, 'desk'],
    ['/results', 'results'],
    ['/results/display', 'results-display'],
    ['/results/counting', 'counting'],
    [() => `/results/counting/${areaIds[0]}/quoc-hoi`, 'counting-entry'],
    ['/results/constituencies', 'constituencies'],
    ['/results/outcome', 'outcome'],
    ['/meetings', 'meetings'],
    ['/meetings/new', 'meeting-new'],
    ['/meetings/registry', 'registry'],
    ['/meetings/petitions?term=XVI&session=2&timing=before', 'petitions'],
    [() => `/meetings/${meetingId}`, 'meeting'],
    [() => `/meetings/${meetingId}/edit`, 'meeting-edit'],
    ['/admin/users', 'users'],
    ['/admin/audit', 'audit'],
    ['/admin/backups', 'backups'],
    ['/account', 'account'],
  ];
  for (const [target, name] of PAGES) {
    pageTest(`page ${name}`, () => checkPage(typeof target === 'function' ? target() : target, name));
  }

  pageTest('the desk with a search result list open; ↓ and ↑ keep the highlight in view', async () => {
    await page.goto(`/election-day/areas/${areaIds[0]}`);
    await waitForHydration(page);
    await page.locator('#desk-search').focus();
    await page.keyboard.type('huynh');
    const items = page.locator('#desk-results li.desk-result');
    await page
      .waitForFunction(
        (n) => document.querySelectorAll('#desk-results li.desk-result').length === n,
        GIVEN.length,
        { timeout: 10_000 },
      )
      .catch(async () => {
        throw new Error(`${GIVEN.length} results for "huynh", ${await items.count()} shown`);
      });
    await check('desk-results');

    const last = items.last();
    const listBottom = await last.evaluate((li) => li.getBoundingClientRect().bottom);
    const first = await highlighted();
    assert.ok(listBottom > first.innerHeight, `the list (${listBottom} px) is longer than the window (${first.innerHeight} px)`);
    assertInView(first, 'the first result');
    assert.equal(first.id, 'desk-result-0');

    for (let i = 1; i < GIVEN.length; i += 1) {
      await page.keyboard.press('ArrowDown');
      await page.waitForFunction(
        (want) => document.querySelector('#desk-results li.desk-result.highlight')?.id === want,
        `desk-result-${i}`,
      );
    }
    await settled();
    const bottom = await highlighted();
    assert.equal(bottom.id, `desk-result-${GIVEN.length - 1}`, 'the last result is highlighted');
    assertInView(bottom, 'the last result after ↓');

    for (let i = GIVEN.length - 2; i >= 0; i -= 1) {
      await page.keyboard.press('ArrowUp');
      await page.waitForFunction(
        (want) => document.querySelector('#desk-results li.desk-result.highlight')?.id === want,
        `desk-result-${i}`,
      );
    }
    await settled();
    const top = await highlighted();
    assert.equal(top.id, 'desk-result-0', 'the first result is highlighted again');
    assertInView(top, 'the first result after ↑');
  });

  pageTest('the login page, signed out', async () => {
    await page.context().clearCookies();
    await checkPage('/login', 'login');
  });

  pageTest('no browser errors on any page', async () => {
    assert.deepEqual(errors, []);
  });
});
