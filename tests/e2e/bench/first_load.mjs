// First load, measured in headless Chromium against a built site (scripts/first-load.sh builds
// the release site and runs this). Prints, for every page, the code the browser downloads on a
// first visit (wasm + JavaScript, as transferred: compressed) against its budget, and the time to
// interactive of the check-in desk and the results page on a slow link (1,6 Mbit/s, 150 ms
// round trip, CPU slowed 4×) cold and warm, median of 5. Exits 1 when a page is over budget.
//
//   CUTRI_BIN=target/release/cutri CUTRI_SITE_ROOT=site node tests/e2e/bench/first_load.mjs [--runs 5]

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  callApi,
  startWard,
  uploadVoterFile,
  vnToday,
  waitForHydration,
} from '../harness.mjs';

const KB = 1000;
const DESK_BUDGET = 400 * KB;
const PAGE_BUDGET = 600 * KB;
const SLOW_LINK = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8 };
const CPU_SLOWDOWN = 4;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (bytes) => `${(bytes / KB).toFixed(0)} KB`;
const ms = (t) => `${(t / 1000).toFixed(2).replace('.', ',')} s`;

function sql(dataDir, statement, ...params) {
  const script = [
    'import json, sqlite3, sys',
    'db = sqlite3.connect(sys.argv[1], timeout=10)',
    'rows = db.execute(sys.argv[2], sys.argv[3:]).fetchall()',
    'db.commit()',
    'print(json.dumps(rows))',
  ].join('\n');
  return JSON.parse(
    execFileSync('python3', ['-c', script, path.join(dataDir, 'cutri.db'), statement, ...params], { encoding: 'utf8' }),
  );
}

/** A ward with an election today, one area open all day and a few hundred voters. */
async function prepareWard(ward) {
  const [admin] = ward.pages;
  await callApi(admin, 'voters/ward/save', { name: 'Phường Mỹ Thới', province: 'Tỉnh An Giang' });
  const electionId = await callApi(admin, 'voters/elections/create', {
    name: 'Bầu cử thử',
    election_day: vnToday(),
    national_assembly: 'on',
    province: 'on',
    commune: 'on',
  });
  const areaId = await callApi(admin, 'voters/areas/create', {
    election_id: String(electionId),
    number: '1',
    name: 'Khóm Thới An',
    address: 'Nhà văn hóa khóm Thới An',
  });
  const families = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Võ', 'Đặng', 'Bùi'];
  const given = ['An', 'Bình', 'Cường', 'Dũng', 'Hà', 'Lan', 'Minh', 'Ngọc', 'Phúc', 'Thảo'];
  const rows = ['STT,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Số CCCD,Nơi thường trú'];
  for (let i = 0; i < 400; i++) {
    const name = `${families[i % 8]} Văn ${given[(i * 7) % 10]} ${String.fromCharCode(65 + (i % 26))}`;
    rows.push(`${i + 1},${name},01/01/${1950 + (i % 50)},Nam,Kinh,,"Số ${i}, khóm Thới An"`);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cutri-bench-'));
  const file = path.join(dir, 'danh-sach.csv');
  await writeFile(file, rows.join('\r\n') + '\r\n', 'utf8');
  try {
    await uploadVoterFile(admin, electionId, file, { defaultArea: { label: '1 — Khóm Thới An' } });
    await admin.locator('#commit-import').click();
    await admin.locator('#import-done').waitFor();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  sql(ward.server.dataDir, "update polling_areas set opens_at = '00:00', closes_at = '23:59' where id = ?", String(areaId));
  return { electionId, areaId };
}

/** A new context (empty cache) signed in as the admin; with the slow link and CPU if asked. */
async function freshPage(ward, storageState, { slow }) {
  const context = await ward.browser.newContext({ baseURL: ward.server.baseUrl, locale: 'vi-VN', storageState });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (slow) {
    await cdp.send('Network.emulateNetworkConditions', SLOW_LINK);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  }
  const code = new Map(); // requestId -> url
  const transferred = { code: 0, css: 0, files: 0 };
  cdp.on('Network.responseReceived', ({ requestId, response }) => {
    if (new URL(response.url).pathname.startsWith('/pkg/')) code.set(requestId, response.url);
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const url = code.get(requestId);
    if (!url) return;
    if (url.endsWith('.css')) transferred.css += encodedDataLength;
    else {
      transferred.code += encodedDataLength;
      transferred.files += 1;
    }
  });
  return { context, page, transferred };
}

/** Navigation start to: the desk shows the results for a name typed as soon as the box exists. */
async function deskTimeToInteractive(page, areaId) {
  const started = Date.now();
  await page.goto(`/election-day/areas/${areaId}`, { waitUntil: 'commit' });
  const box = page.locator('#desk-search');
  await box.waitFor({ state: 'attached', timeout: 60_000 });
  await box.fill('nguyen van an');
  await page.locator('#desk-results li').first().waitFor({ state: 'visible', timeout: 60_000 });
  return Date.now() - started;
}

/** Navigation start to: the results page shows a check-in made after it hydrated. */
async function resultsTimeToLive(page, electionId, checkIn) {
  const started = Date.now();
  await page.goto(`/results?election=${electionId}`, { waitUntil: 'commit' });
  await waitForHydration(page, { timeout: 60_000 });
  const hydrated = Date.now() - started;
  const before = await page.locator('#ward-turnout').innerText();
  await checkIn();
  await page.waitForFunction((text) => document.querySelector('#ward-turnout')?.innerText !== text, before, { timeout: 60_000 });
  return { hydrated, live: Date.now() - started };
}

const PAGES = (electionId, areaId) => [
  ['/login', false],
  ['/', true],
  [`/election-day/areas/${areaId}`, true],
  ['/election-day', true],
  [`/results?election=${electionId}`, true],
  [`/results/display?election=${electionId}`, true],
  [`/results/counting?election=${electionId}`, true],
  [`/results/constituencies?election=${electionId}`, true],
  [`/results/outcome?election=${electionId}`, true],
  [`/voters?election=${electionId}`, true],
  [`/voters/import?election=${electionId}`, true],
  [`/voters/complaints?election=${electionId}`, true],
  ['/meetings', true],
  ['/meetings/new', true],
  ['/meetings/registry', true],
  ['/meetings/petitions', true],
  ['/admin/users', true],
  ['/admin/audit', true],
  ['/admin/backups', true],
  ['/account', true],
];

const ward = await startWard({ suite: 'bench-first-load' });
let failed = false;
try {
  const { electionId, areaId } = await prepareWard(ward);
  const signedIn = await ward.pages[0].context().storageState();

  console.log('\n| page | code downloaded (wasm + JS) | files | CSS | budget |');
  console.log('|---|---|---|---|---|');
  for (const [url, needsSession] of PAGES(electionId, areaId)) {
    const { context, page, transferred } = await freshPage(ward, needsSession ? signedIn : undefined, { slow: false });
    await page.goto(url);
    await waitForHydration(page);
    await page.waitForLoadState('networkidle');
    const budget = url.startsWith('/election-day/areas/') ? DESK_BUDGET : PAGE_BUDGET;
    const over = transferred.code > budget;
    failed ||= over;
    console.log(`| ${url.replace(/\?.*/, '')} | ${kb(transferred.code)} | ${transferred.files} | ${kb(transferred.css)} | ${kb(budget)} ${over ? '**over**' : 'ok'} |`);
    await context.close();
  }

  let voterNumber = 0;
  const voterIds = sql(ward.server.dataDir, 'select id from voters where polling_area_id = ? order by id', String(areaId)).map(([id]) => id);
  const checkIn = () =>
    ward.pages[0].request
      .post('/api/checkin/record', {
        data: { request: { request_id: `bench-${Date.now()}-${voterNumber}`, area_id: areaId, voter_id: voterIds[voterNumber++], mobile_box: false, hours_override: false } },
      })
      .then((r) => {
        if (r.status() !== 200) throw new Error(`check-in: ${r.status()}`);
      });

  const desk = { cold: [], warm: [] };
  const results = { coldHydrated: [], coldLive: [], warmHydrated: [], warmLive: [] };
  for (let run = 0; run < RUNS; run++) {
    const { context, page } = await freshPage(ward, signedIn, { slow: true });
    desk.cold.push(await deskTimeToInteractive(page, areaId));
    desk.warm.push(await deskTimeToInteractive(page, areaId));
    await context.close();
    const second = await freshPage(ward, signedIn, { slow: true });
    const cold = await resultsTimeToLive(second.page, electionId, checkIn);
    const warm = await resultsTimeToLive(second.page, electionId, checkIn);
    results.coldHydrated.push(cold.hydrated);
    results.coldLive.push(cold.live);
    results.warmHydrated.push(warm.hydrated);
    results.warmLive.push(warm.live);
    await second.context.close();
  }
  console.log(`\nSlow link: 1,6 Mbit/s, 150 ms, CPU ÷${CPU_SLOWDOWN}; median of ${RUNS} (all runs in brackets)\n`);
  console.log('| page | cold | warm |');
  console.log('|---|---|---|');
  const all = (xs) => xs.map(ms).join(' · ');
  console.log(`| desk: typed name shows results | ${ms(median(desk.cold))} (${all(desk.cold)}) | ${ms(median(desk.warm))} (${all(desk.warm)}) |`);
  console.log(`| results: hydrated | ${ms(median(results.coldHydrated))} (${all(results.coldHydrated)}) | ${ms(median(results.warmHydrated))} (${all(results.warmHydrated)}) |`);
  console.log(`| results: first live update shown | ${ms(median(results.coldLive))} (${all(results.coldLive)}) | ${ms(median(results.warmLive))} (${all(results.warmLive)}) |`);
} finally {
  await ward.stop();
}
if (failed) {
  console.error('\nA page downloads more code than its budget.');
  process.exit(1);
}
