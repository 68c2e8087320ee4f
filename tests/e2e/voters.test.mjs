// The voter-list flow in a real browser: ward, election and polling areas; three imports
// (a file with errors and an unrecognised column, a clean NFD file with BOM, a TCVN3 file);
// the voter counts per area; diacritic-insensitive search and the voter page; the PDF list of
// an area; no browser errors on the way. The fixtures are tests/fixtures/voters/*, written by
// make_fixtures.py there. The steps share one server, one page and one session, so they run in
// order and a step is skipped once an earlier one failed.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import {
  ARTIFACTS_DIR,
  REPO_ROOT,
  fetchPdf,
  pathIs,
  screenshot,
  squash,
  startWard,
  stepsInOrder,
  submitAndCheck,
  uploadVoterFile,
  waitForHydration,
  waitForText,
} from './harness.mjs';

const WARD = { name: 'Phường Mỹ Thới', province: 'Tỉnh An Giang' };
const ELECTION = {
  name: 'Bầu cử đại biểu Quốc hội khóa XVI và đại biểu HĐND các cấp nhiệm kỳ 2026–2031',
  day: '15/03/2026',
};
const AREAS = [
  { number: 1, name: 'Khóm Thới An', address: 'Nhà văn hóa khóm Thới An' },
  { number: 2, name: 'Khóm Đông Thịnh', address: 'Trường Tiểu học Đông Thịnh' },
];

const FIXTURES = path.join(REPO_ROOT, 'tests', 'fixtures', 'voters');
const FIXTURE_A = path.join(FIXTURES, 'loi-cot.csv');
const FIXTURE_B = path.join(FIXTURES, 'sach.csv');
const FIXTURE_C = path.join(FIXTURES, 'tcvn3.csv');

// The TCVN3 file's voters as they must come out: the oracle for the legacy decoding, so written
// here in Unicode rather than decoded by the test. All of them go to area 1 (the default area
// chosen when uploading; the file has no area column).
const TCVN3_VOTERS = [
  { name: 'Trần Thị Hương', gender: 'Nữ' },
  { name: 'Nguyễn Văn Phước', gender: 'Nam' },
  { name: 'Đỗ Thị Lụa', gender: 'Nữ' },
  { name: 'Lương Văn Thắng', gender: 'Nam' },
];

// ---- reading the fixtures the way a spreadsheet would ------------------------------------

/** RFC 4180 records (quoted fields may hold the separator and ""), empty records dropped. */
function parseCsv(text, sep) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === sep) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      field = '';
      records.push(record);
      record = [];
    } else field += c;
  }
  if (field !== '' || record.length) records.push([...record, field]);
  return records.filter((r) => r.some((f) => f.trim() !== ''));
}

/** A UTF-8 fixture as NFC records; `line` is the 1-based file line (no multi-line cells here). */
function readFixture(file, sep) {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').normalize('NFC');
  const lines = text.split(/\r?\n/);
  const records = parseCsv(text, sep);
  const headerIndex = records.findIndex((r) => r.includes('Họ và tên'));
  const header = records[headerIndex];
  const col = (heading) => {
    const index = header.indexOf(heading);
    assert.notEqual(index, -1, `fixture ${path.basename(file)} has a "${heading}" column`);
    return index;
  };
  const [name, birth, gender, cccd, area] = [
    'Họ và tên',
    'Ngày sinh',
    'Giới tính',
    'Số CCCD',
    'Khu vực bỏ phiếu',
  ].map(col);
  const voters = records.slice(headerIndex + 1).map((r) => ({
    name: r[name],
    birth: r[birth],
    gender: r[gender],
    cccd: r[cccd],
    area: areaNumberOf(r[area]),
    line: lines.findIndex((l) => l.includes(r[name])) + 1,
  }));
  return { header, headerLine: lines.findIndex((l) => l.includes('Họ và tên')) + 1, voters };
}

/** "1", "KVBP số 2" or an area's name → the area number; anything else → the raw text. */
function areaNumberOf(cell) {
  const digits = cell.replace(/\D/g, '');
  if (digits) return Number(digits);
  return AREAS.find((a) => a.name === cell)?.number ?? cell;
}

const count = (voters, gender) => voters.filter((v) => v.gender === gender).length;

/** What a Vietnamese reader types without diacritics: đ → d, marks dropped, lower case. */
const fold = (s) =>
  s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();

// ---- the browser session -----------------------------------------------------------------

let ward;
let page;
let errors;
let electionId;
const imported = []; // {name, gender, area} of every voter written to the list

const step = stepsInOrder(() => ward, { timeout: 180_000 });

/** Poll `fn` until it returns a truthy value (returned) or the time is up (last value thrown). */
async function poll(fn, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last?.ok) return last;
    if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Upload `file` on the import page of the election; resolves on the hydrated preview. */
async function upload(file, { defaultAreaLabel } = {}) {
  await uploadVoterFile(page, electionId, file, {
    defaultArea: defaultAreaLabel && { label: defaultAreaLabel },
  });
  const rejected = page.locator('#file-problem');
  if (await rejected.isVisible()) throw new Error(`file rejected: ${await rejected.innerText()}`);
  await page.locator('#import-preview').waitFor({ state: 'visible' });
}

/** The rows of #problems-table as {row, column, level, text}. */
async function problemRows() {
  return page.locator('#problems-table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const [row, column, level, text] = [...tr.querySelectorAll('td')].map((td) =>
        td.textContent.trim(),
      );
      return { row: Number(row), column, level, text };
    }),
  );
}

/** The mapping table: for each file column, its heading, the chosen field and the samples. */
async function mappingRows() {
  return page.locator('#mapping-table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const tds = tr.querySelectorAll('td');
      const select = tr.querySelector('select');
      return {
        heading: tds[1].textContent.trim(),
        select: select.name,
        field: select.value,
        samples: tds[3].textContent.trim(),
      };
    }),
  );
}

async function totalsLine() {
  return squash(await page.locator('#totals-line').innerText());
}

const totalsText = (voters) =>
  `Số cử tri hợp lệ: ${voters.length} · Nam: ${count(voters, 'Nam')} · Nữ: ${count(voters, 'Nữ')}`;

/** Press "Ghi vào danh sách" and wait for the confirmation line. */
async function commit(expectedCount) {
  const button = page.locator('#commit-import');
  assert.ok(await button.isEnabled(), '#commit-import is enabled');
  await button.click();
  const done = page.locator('#import-done');
  const error = page.locator('#import-problems ~ section .form-error');
  await Promise.race([
    done.waitFor({ state: 'visible' }),
    error.waitFor({ state: 'visible' }).then(async () => {
      throw new Error(`commit refused: ${await error.innerText()}`);
    }),
  ]);
  const text = squash(await done.innerText());
  // The wording after the number is reported separately (it reads "… N số cử tri.").
  assert.match(text, new RegExp(`^Đã ghi vào danh sách: ${expectedCount}\\b`), '#import-done');
  assert.ok(await button.isDisabled(), '#commit-import is disabled after the commit');
}

const searchNames = async () =>
  (await page.locator('#search-results tbody tr td:first-child').allInnerTexts().catch(() => []))
    .map((n) => n.trim())
    .sort();

/** Type `query` into the search box; wait until the results are the ones for that query. */
async function search(query, mustInclude, mustExclude = []) {
  // Empty the box first, so the results of the previous query cannot pass for these.
  await page.locator('#search-input').fill('');
  await poll(async () => {
    const got = await searchNames();
    return { ok: got.length === 0, got };
  }, 'search results after emptying the search box');
  await page.locator('#search-input').fill(query);
  // Name words are prefixes of the name's words, in order ("ng v an" → Nguyễn Văn An).
  const tokens = fold(query).split(/\s+/).filter(Boolean);
  const matches = (name) => {
    const words = fold(name).split(/\s+/);
    let at = 0;
    for (const token of tokens) {
      while (at < words.length && !words[at].startsWith(token)) at++;
      if (at === words.length) return false;
      at++;
    }
    return true;
  };
  const expected = imported.map((v) => v.name).filter(matches).sort();
  const { names } = await poll(async () => {
    const got = await searchNames();
    return { ok: JSON.stringify(got) === JSON.stringify(expected), query, got, expected, names: got };
  }, `search results for "${query}"`);
  for (const name of mustInclude) assert.ok(names.includes(name), `"${query}" finds ${name}`);
  for (const name of mustExclude) assert.ok(!names.includes(name), `"${query}" not ${name}`);
}

describe('voter lists', () => {
  const A = readFixture(FIXTURE_A, ';');
  const B = readFixture(FIXTURE_B, ',');
  // The deliberate problems of loi-cot.csv: the rows sach.csv leaves out.
  const inB = new Set(B.voters.map((v) => v.name));
  const problemsA = A.voters.filter((v) => !inB.has(v.name));
  const validA = A.voters.filter((v) => inB.has(v.name));
  const lineOf = (name) => {
    const v = A.voters.find((x) => x.name === name);
    assert.ok(v, `loi-cot.csv has ${name}`);
    return v.line;
  };

  before(async () => {
    ward = await startWard({ suite: 'voters' });
    ({ pages: [page], errors: [errors] } = ward);
  });

  after(() => ward?.stop());

  step('0. the fixtures are what the test expects', async () => {
    assert.equal(problemsA.length, 4, 'loi-cot.csv has four problem rows more than sach.csv');
    const rawB = readFileSync(FIXTURE_B);
    assert.deepEqual([...rawB.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'sach.csv starts with a BOM');
    const textB = rawB.toString('utf8');
    assert.notEqual(textB, textB.normalize('NFC'), 'sach.csv is decomposed (NFD)');
    const rawC = readFileSync(FIXTURE_C);
    assert.ok(rawC.includes(0xad), 'tcvn3.csv has byte 0xAD (ư)');
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(rawC), 'not UTF-8');
    const dataLines = rawC.toString('latin1').split('\r\n').filter(Boolean).length;
    assert.equal(dataLines - 2, TCVN3_VOTERS.length, 'tcvn3.csv: title, header, one line each');
  });

  step('a. ward, election and two polling areas', async () => {
    await page.goto('/voters');
    await waitForHydration(page);

    const wardForm = page.locator('#ward-form');
    await wardForm.locator('input[name="name"]').fill(WARD.name);
    await wardForm.locator('input[name="province"]').fill(WARD.province);
    // The "enter the ward first" notice goes once the ward is saved.
    await submitAndCheck(wardForm, () =>
      page.locator('.notice', { hasText: 'Hãy nhập tên phường/xã' }).waitFor({ state: 'detached' }),
    );
    assert.equal(await page.locator('#ward-form input[name="name"]').inputValue(), WARD.name);

    const election = page.locator('#election-form');
    await election.locator('input[name="name"]').fill(ELECTION.name);
    await election.locator('input[name="election_day"]').fill(ELECTION.day);
    for (const level of ['national_assembly', 'province', 'commune']) {
      assert.ok(await election.locator(`input[name="${level}"]`).isChecked(), `${level} ticked`);
    }
    const link = page.locator('ul.election-list a', { hasText: ELECTION.name });
    await submitAndCheck(election, () => link.waitFor({ state: 'visible' }));
    assert.equal(squash(await link.innerText()), `${ELECTION.name} — ${ELECTION.day}`);
    await link.click();
    await page.waitForURL((u) => /[?&]election=\d+/.test(u));
    electionId = Number(new URL(page.url()).searchParams.get('election'));
    // Load the page afresh: a refetch after the client-side navigation could otherwise replace
    // the area form while it is being filled in.
    await page.goto(`/voters?election=${electionId}`);
    await waitForHydration(page);
    assert.equal(await page.locator('ul.election-list a[aria-current="page"]').count(), 1);

    for (const area of AREAS) {
      const form = page.locator('#area-form');
      await form.locator('input[name="number"]').fill(String(area.number));
      await form.locator('input[name="name"]').fill(area.name);
      await form.locator('input[name="address"]').fill(area.address);
      await submitAndCheck(form, () => waitForText(page, '#areas-table tbody tr', area.name));
    }
    const rows = await page.locator('#areas-table tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent.trim())),
    );
    assert.deepEqual(
      rows,
      AREAS.map((a) => [String(a.number), a.name, a.address, '0']),
      '#areas-table: number, name, address, no voters yet',
    );
    await screenshot(page, 'voters-01-areas');
  });

  step('c. a file with errors and an unrecognised column: problems listed, mapping fixed', async () => {
    await page.goto(`/voters?election=${electionId}`);
    await waitForHydration(page);
    await page.locator('#import-link').click();
    await page.waitForURL(pathIs('/voters/import'));
    assert.equal(new URL(page.url()).searchParams.get('election'), String(electionId));
    await page.locator('#upload-form').waitFor({ state: 'visible' });

    await upload(FIXTURE_A);
    assert.equal(await page.locator('#encoding-select').inputValue(), 'utf-8');
    await waitForText(page, '#mapping-form', `Dòng tiêu đề: ${A.headerLine}`);

    // Every file column has its select; the ethnicity column's heading is not recognised.
    const expectedFields = {
      STT: 'stt',
      'Họ và tên': 'full_name',
      'Ngày sinh': 'birth_date',
      'Giới tính': 'gender',
      'Thành phần dân tộc': '',
      'Số CCCD': 'cccd',
      'Nơi thường trú': 'permanent_address',
      'Khu vực bỏ phiếu': 'polling_area',
    };
    let mapping = await mappingRows();
    assert.deepEqual(
      mapping.map((m) => [m.heading, m.select, m.field]),
      A.header.map((h, i) => [h, `c${i}`, expectedFields[h]]),
      'detected mapping',
    );
    const nameSamples = mapping.find((m) => m.field === 'full_name').samples;
    for (const v of A.voters.slice(0, 3)) assert.ok(nameSamples.includes(v.name), nameSamples);

    const expectProblems = async () => {
      const problems = await problemRows();
      const at = (name) => problems.filter((p) => p.row === lineOf(name));
      const [badDate, under18, dupCccd, unknownArea] = [
        'Bùi Thị Hằng',
        'Châu Gia Bảo',
        'Lâm Văn Sơn',
        'Mai Thị Thu',
      ].map(at);
      const one = (list, what) => {
        assert.equal(list.length, 1, `one problem for ${what}: ${JSON.stringify(problems)}`);
        assert.equal(list[0].level, 'Lỗi', `${what} is an error`);
        return list[0];
      };
      const d = one(badDate, 'the bad birth date');
      assert.equal(d.column, 'Ngày sinh');
      assert.match(d.text, /31\/02\/1990/);
      const u = one(under18, 'the voter under 18');
      assert.match(u.text, /20\/03\/2008.*chưa đủ 18 tuổi/);
      // The copied number is another person's: its own digits (a man born 1980) say so too.
      const c = one(dupCccd.filter((p) => p.level === 'Lỗi'), 'the duplicated CCCD');
      assert.equal(c.column, 'Số CCCD/CMND');
      assert.match(c.text, new RegExp(`trùng với dòng ${lineOf('Nguyễn Văn An')}\\b`));
      const w = dupCccd.filter((p) => p.level === 'Lưu ý');
      assert.equal(w.length, 1, JSON.stringify(dupCccd));
      assert.match(w[0].text, /Số CCCD ghi người nam sinh năm 1980/);
      const k = one(unknownArea, 'the unknown area');
      assert.equal(k.column, 'Khu vực bỏ phiếu');
      assert.match(k.text, /Không có khu vực bỏ phiếu “9”/);
      // Born 15/03/2008: eighteen on election day, so no problem; and nothing else is wrong.
      assert.deepEqual(
        [...new Set(problems.map((p) => p.row))].sort((x, y) => x - y),
        problemsA.map((v) => v.line),
        'only the four deliberate rows have problems',
      );
      assert.equal(await totalsLine(), totalsText(validA), '#totals-line');
      assert.ok(await page.locator('#commit-import').isDisabled(), '#commit-import disabled');
    };
    await expectProblems();

    // Map the unrecognised column by hand and re-read the file.
    const ethnicityIndex = A.header.indexOf('Thành phần dân tộc');
    await page.locator(`#mapping-table select[name="c${ethnicityIndex}"]`).selectOption('ethnicity');
    await page.locator('#apply-mapping').click();
    await page.waitForURL((u) => new URL(u).searchParams.get(`c${ethnicityIndex}`) === 'ethnicity');
    await waitForHydration(page);
    await page.locator('#import-preview').waitFor({ state: 'visible' });
    mapping = await mappingRows();
    assert.deepEqual(
      mapping.map((m) => m.field),
      A.header.map((h) => expectedFields[h] || 'ethnicity'),
      'the mapping after "Áp dụng và đọc lại" keeps the manual choice',
    );
    assert.equal(await page.locator('#encoding-select').inputValue(), 'utf-8');
    await expectProblems();
    await screenshot(page, 'voters-02-import-errors');
  });

  step('d. a clean UTF-8 file (BOM, NFD, commas) is committed', async () => {
    await upload(FIXTURE_B);
    assert.equal(await page.locator('#encoding-select').inputValue(), 'utf-8');
    const mapping = await mappingRows();
    // NFD on disk, NFC on screen.
    assert.deepEqual(
      mapping.map((m) => m.heading),
      B.header,
      'headings shown in NFC',
    );
    const nameSamples = mapping.find((m) => m.field === 'full_name').samples;
    assert.equal(nameSamples, B.voters.slice(0, 3).map((v) => v.name).join(' · '));
    assert.equal(mapping.find((m) => m.heading === 'Dân tộc').field, 'ethnicity');

    assert.deepEqual(await problemRows(), [], 'no problems');
    await waitForText(page, '#import-problems', 'Không phát hiện vấn đề nào.');
    assert.equal(await totalsLine(), totalsText(B.voters), '#totals-line');
    const perArea = await page.locator('#import-totals tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())),
    );
    assert.deepEqual(
      perArea,
      AREAS.map((a) => {
        const vs = B.voters.filter((v) => v.area === a.number);
        return [`${a.number} — ${a.name}`, ...[vs, ...['Nam', 'Nữ'].map((g) => vs.filter((v) => v.gender === g))].map((x) => String(x.length))];
      }),
      'control totals per area',
    );
    await commit(B.voters.length);
    await screenshot(page, 'voters-03-import-clean');
    imported.push(...B.voters.map(({ name, gender, area }) => ({ name, gender, area })));
  });

  step('e. a TCVN3 file is detected, shown in Unicode and committed', async () => {
    await upload(FIXTURE_C, { defaultAreaLabel: `${AREAS[0].number} — ${AREAS[0].name}` });
    assert.equal(await page.locator('#encoding-select').inputValue(), 'tcvn3');
    // Title row ("danh sách cử tri bổ sung", lower-case codes) above the header.
    await waitForText(page, '#mapping-form', 'Dòng tiêu đề: 2');
    const mapping = await mappingRows();
    assert.deepEqual(
      mapping.map((m) => [m.heading, m.field]),
      [
        ['STT', 'stt'],
        ['Họ và tên', 'full_name'],
        ['Ngày sinh', 'birth_date'],
        ['Giới tính', 'gender'],
        ['Dân tộc', 'ethnicity'],
        ['Số CCCD', 'cccd'],
        ['Nơi thường trú', 'permanent_address'],
      ],
      'TCVN3 headings decoded and recognised',
    );
    const nameSamples = mapping.find((m) => m.field === 'full_name').samples;
    assert.equal(nameSamples, TCVN3_VOTERS.slice(0, 3).map((v) => v.name).join(' · '));
    assert.equal(
      mapping.find((m) => m.field === 'permanent_address').samples.split(' · ')[0],
      'Số 44, khóm Thới An',
    );
    assert.deepEqual(await problemRows(), [], 'no problems');
    assert.equal(await totalsLine(), totalsText(TCVN3_VOTERS), '#totals-line');
    await commit(TCVN3_VOTERS.length);
    await screenshot(page, 'voters-04-import-tcvn3');
    imported.push(...TCVN3_VOTERS.map((v) => ({ ...v, area: AREAS[0].number })));
  });

  step('f. voter counts per area, search without diacritics, the voter page', async () => {
    await page.goto(`/voters?election=${electionId}`);
    await waitForHydration(page);
    const counts = await page.locator('#areas-table tbody tr').evaluateAll((trs) =>
      trs.map((tr) => {
        const tds = tr.querySelectorAll('td');
        return [tds[0].textContent.trim(), tds[3].textContent.trim()];
      }),
    );
    assert.deepEqual(
      counts,
      AREAS.map((a) => [String(a.number), String(imported.filter((v) => v.area === a.number).length)]),
      'voters per area in #areas-table',
    );

    await search('nguyen', ['Nguyễn Văn An', 'Nguyễn Thị Ánh Tuyết', 'Nguyễn Văn Phước']);
    await search('ng v an', ['Nguyễn Văn An'], ['Nguyễn Thị Ánh Tuyết', 'Nguyễn Văn Phước']);
    await search('huong', ['Trần Thị Hương']);
    await search('dang thuy', ['Đặng Thùy Dương']);
    await search('duc', ['Lê Văn Đức']);
    await search('Đặng Thùy', ['Đặng Thùy Dương']);
    await search('nguyen van an', ['Nguyễn Văn An']);
    await screenshot(page, 'voters-05-search');

    await page.locator('#search-results a', { hasText: 'Nguyễn Văn An' }).click();
    await page.waitForURL((u) => /^\/voters\/\d+$/.test(new URL(u).pathname));
    await waitForHydration(page);
    const h1 = page.locator('h1#voter-name');
    await h1.waitFor({ state: 'visible' });
    const name = await h1.innerText();
    assert.equal(name, 'Nguyễn Văn An', 'h1#voter-name');
    assert.equal(name, name.normalize('NFC'), 'the name is stored in NFC (the file was NFD)');
    const fields = squash(await page.locator('dl.fields').innerText());
    for (const part of ['12/05/1980', 'Nam', 'Kinh', '089080001234', 'Số 12, khóm Thới An']) {
      assert.ok(fields.includes(part), `voter page shows ${part}: ${fields}`);
    }
    await screenshot(page, 'voters-06-voter');

    // A voter from the TCVN3 file, reached the same way.
    await page.goto(`/voters?election=${electionId}`);
    await waitForHydration(page);
    await search('tran thi huong', ['Trần Thị Hương']);
    await page.locator('#search-results a', { hasText: 'Trần Thị Hương' }).click();
    await page.waitForURL((u) => /^\/voters\/\d+$/.test(new URL(u).pathname));
    await waitForHydration(page);
    assert.equal(await page.locator('h1#voter-name').innerText(), 'Trần Thị Hương');
  });

  step('g. the list PDF of area 1 holds its voters', async () => {
    await page.goto(`/voters?election=${electionId}`);
    await waitForHydration(page);
    const row = page.locator('#areas-table tbody tr').filter({ hasText: AREAS[0].name });
    const link = row.locator('a', { hasText: 'Danh sách (PDF)' });
    const href = await link.getAttribute('href');
    assert.match(href, /^\/voters\/areas\/\d+\/list\.pdf$/);

    const { file: pdf, text } = await fetchPdf(page, href, 'danh-sach-kvbp-1', { layout: true });
    assert.ok(text.includes('DANH SÁCH CỬ TRI'), 'the PDF says DANH SÁCH CỬ TRI');
    const area1Voters = imported.filter((v) => v.area === AREAS[0].number);
    const area1 = area1Voters.map((v) => v.name);
    const missing = area1.filter((n) => !text.includes(n));
    assert.deepEqual(missing, [], `names of area 1 not found (NFC) in pdftotext output of ${pdf}`);
    const others = imported.filter((v) => v.area !== AREAS[0].number).map((v) => v.name);
    assert.deepEqual(others.filter((n) => text.includes(n)), [], 'no voter of area 2');
    const totals =
      `${area1.length} người; trong đó có: ${count(area1Voters, 'Nam')} Nam; ` +
      `${count(area1Voters, 'Nữ')} Nữ`;
    assert.ok(text.includes(totals), `the PDF's totals say "${totals}"`);
  });

  step('g2. a large upload shows how much has gone up, then its dry run', async () => {
    // 20.000 rows (≈ 1,3 MB) sent at 256 KB/s: several seconds of upload to watch.
    const lines = ['Họ và tên;Ngày sinh;Giới tính;Khu vực bỏ phiếu'];
    for (let i = 0; i < 20000; i++) {
      // Distinct birth dates, so no row looks like a duplicate of another.
      const [day, month, year] = [1 + (i % 28), 1 + (Math.floor(i / 28) % 12), 1940 + Math.floor(i / 336)];
      lines.push(`Nguyễn Văn Thử;${day}/${month}/${year};Nam;1`);
    }
    const file = path.join(ARTIFACTS_DIR, 'tai-len-lon.csv');
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await writeFile(file, lines.join('\n'));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 256 * 1024,
    });
    try {
      await page.goto(`/voters/import?election=${electionId}`);
      await waitForHydration(page);
      const form = page.locator('#upload-form');
      await form.locator('input[type="file"][name="file"]').setInputFiles(file);
      await form.locator('button[type="submit"]').click();
      const progress = page.locator('#upload-progress');
      await progress.waitFor({ state: 'visible' });
      assert.match(squash(await progress.innerText()), /^Đang tải tệp lên: \d+%$/);
      assert.ok(await form.locator('button[type="submit"]').isDisabled(), 'no second upload meanwhile');
      // The bar moves while the file goes up.
      await progress.filter({ hasText: /: [1-9]\d?%$/ }).waitFor({ state: 'visible' });
      await screenshot(page, 'voters-07-upload-progress');
      // Once the file is up, the page says the dry run is reading it until the preview arrives.
      // Playwright waits for the next page once it is asked for, so the upload page writes down
      // what it showed (session storage outlives the page).
      await page.evaluate(() => {
        new MutationObserver(() => {
          const shown = document.querySelector('#dry-run-progress');
          if (shown) sessionStorage.setItem('dry-run-progress', shown.innerText);
        }).observe(document.body, { childList: true, subtree: true, characterData: true });
      });
      await page.waitForURL((u) => new URL(u).pathname === '/voters/import' && /[?&]token=/.test(u), { timeout: 60_000 });
    } finally {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1,
      });
    }
    await waitForHydration(page);
    await page.locator('#import-preview').waitFor({ state: 'visible' });
    await waitForText(page, '#totals-line', 'Số cử tri hợp lệ: 20.000');
    const dryRunShown = await page.evaluate(() => sessionStorage.getItem('dry-run-progress'));
    assert.match(squash(dryRunShown ?? ''), /^Đang đọc thử và kiểm tra tệp/);
  });

  step('h. no browser console errors or page errors', async () => {
    assert.deepEqual(errors, [], 'browser errors (hydration failures show up here)');
  });
});
