// Helpers for the browser tests: start the real `cutri` server on a fresh data dir, drive
// Debian's chromium through playwright-core, collect what the browser complains about; and the
// start every scenario shares (`startWard`: server, browser sessions, the first administrator
// signed in) with the steps that run in order (`stepsInOrder`).
//
// Env: CUTRI_BIN (default target/debug/cutri), CUTRI_SITE_ROOT (default site); relative paths
// are taken from the repository root so the tests can be started from any directory.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..');
export const ARTIFACTS_DIR = path.join(HERE, 'artifacts');

const SETUP_PATH_RE = /\/setup\?token=[A-Za-z0-9_-]+/;
// tracing colours its output; the colour codes would only get in the way of reading the log.
const ANSI_RE = /\x1b\[[0-9;]*m/g;

const fromRoot = (p) => path.resolve(REPO_ROOT, p);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Servers still running when node exits (a test threw before stop()) must not outlive us.
const liveChildren = new Set();
process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The built site the servers serve (CUTRI_SITE_ROOT, default site/). */
export const siteRootDir = () => fromRoot(process.env.CUTRI_SITE_ROOT || 'site');

/**
 * Start `cutri serve` on a free port with an empty data dir (so a new SQLite database and a
 * first-run setup link), serving the built site at `siteRoot`. Resolves once /healthz answers
 * 200 and the setup link was logged.
 * @returns {Promise<{baseUrl: string, setupUrl: string, dataDir: string, log: () => string, stop: () => Promise<void>}>}
 */
export async function startServer({ timeoutMs = 60_000, siteRoot = siteRootDir() } = {}) {
  const bin = fromRoot(process.env.CUTRI_BIN || 'target/debug/cutri');
  if (!existsSync(bin)) {
    throw new Error(`server binary not found: ${bin} (build it first: scripts/test.sh does)`);
  }
  const port = await freePort();
  const addr = `127.0.0.1:${port}`;
  const baseUrl = `http://${addr}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutri-e2e-'));

  const env = { ...process.env, CUTRI_SITE_ROOT: siteRoot, NO_COLOR: '1' };
  // The command line decides where the data goes; a stray database URL from the caller's
  // environment (e.g. the PostgreSQL one CI exports) must not redirect the server.
  delete env.CUTRI_DATABASE_URL;
  delete env.CUTRI_DATA_DIR;
  delete env.CUTRI_ADDR;

  const child = spawn(bin, ['serve', '--addr', addr, '--data-dir', dataDir], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);

  let output = '';
  const append = (chunk) => {
    output += chunk.toString('utf8').replace(ANSI_RE, '');
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      liveChildren.delete(child);
      resolve();
    });
  });
  child.on('error', (err) => append(`\n[harness] spawn error: ${err.message}\n`));

  const log = () => output;
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitPromise;
      clearTimeout(timer);
    }
    if (!process.env.CUTRI_E2E_KEEP_DATA) {
      await rm(dataDir, { recursive: true, force: true });
    }
  };
  const fail = async (why) => {
    await stop();
    throw new Error(`${why}\n--- server log (${bin}) ---\n${output}\n--- end of server log ---`);
  };

  // Healthy first: the setup link is logged at start-up, normally before the port opens, but
  // either order is fine because both are waited for within the same deadline.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) return fail(`server exited early (code ${exited.code}, signal ${exited.signal})`);
    if (Date.now() > deadline) return fail(`GET ${baseUrl}/healthz not 200 within ${timeoutMs} ms`);
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  let match;
  while (!(match = SETUP_PATH_RE.exec(output))) {
    if (exited) return fail('server exited before logging the setup link');
    if (Date.now() > deadline) return fail(`no setup link (${SETUP_PATH_RE}) in the log`);
    await sleep(100);
  }
  return { baseUrl, setupUrl: baseUrl + match[0], dataDir, log, stop };
}

/** Debian's chromium, headless. playwright-core gives every context its own profile. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CUTRI_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', // we run as root, where chromium's sandbox refuses to start
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Save a full-page PNG as tests/e2e/artifacts/<name>.png; returns the path. */
export async function screenshot(page, name) {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * At a screen size (by default a tablet's, 800×1280) the page and every table on it fit:
 * nothing scrolls sideways, so no column sits out of sight. Photographs the page there, then
 * restores the viewport.
 */
export async function assertFitsTablet(page, name, size = { width: 800, height: 1280 }) {
  const before = page.viewportSize();
  await page.setViewportSize(size);
  try {
    const tooWide = await page.evaluate(
      () =>
        new Promise((resolve) =>
          // Measured after the browser has laid the page out at the new width.
          requestAnimationFrame(() => {
            const wide = [];
            const doc = document.documentElement;
            if (doc.scrollWidth > doc.clientWidth + 1) wide.push(`page: ${doc.scrollWidth} > ${doc.clientWidth}`);
            for (const box of document.querySelectorAll('.table-wrap')) {
              if (box.offsetParent === null) continue;
              if (box.scrollWidth > box.clientWidth + 1) {
                const id = box.querySelector('table')?.id || 'table';
                wide.push(`#${id}: ${box.scrollWidth} > ${box.clientWidth}`);
              }
            }
            resolve(wide);
          }),
        ),
    );
    await screenshot(page, `${name}-${size.width}`);
    assert.deepEqual(tooWide, [], `${name}: wider than ${size.width} px`);
  } finally {
    await page.setViewportSize(before);
  }
}

const AXE_SOURCE = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');

/**
 * axe-core's WCAG 2.1 A and AA rules on the page as it stands: no serious or critical
 * violation. The script is evaluated rather than added as a tag, which the app's
 * Content-Security-Policy would rightly block.
 */
export async function assertAccessible(page, name) {
  await page.evaluate(readFileSync(AXE_SOURCE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, [], `${name}: accessibility`);
}

const isFavicon404 = (e) => /\/favicon\.ico(\?|$)/.test(e.url || '') && /404/.test(e.text);

/**
 * Record console errors and uncaught page errors of `page` (a failed hydration or a panic in
 * the wasm shows up here). Returns the live array: [{kind, text, url}], without favicon 404s.
 */
export function collectErrors(page) {
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const entry = { kind: 'console', text: msg.text(), url: msg.location()?.url || page.url() };
    if (!isFavicon404(entry)) errors.push(entry);
  });
  page.on('pageerror', (err) => {
    errors.push({ kind: 'pageerror', text: String(err?.stack || err), url: page.url() });
  });
  page.on('crash', () => errors.push({ kind: 'crash', text: 'page crashed', url: page.url() }));
  return errors;
}

/** The app sets <html data-hydrated="1"> once the wasm has hydrated the server's HTML. */
export async function waitForHydration(page, { timeout = 30_000 } = {}) {
  await page.waitForSelector('html[data-hydrated="1"]', { state: 'attached', timeout });
}

/** dd/mm/yyyy of today in Vietnam, or of `days` later. */
export function vnDate(days = 0) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Ho_Chi_Minh',
      day: 'numeric',
      month: 'numeric',
      year: 'numeric',
    })
      .formatToParts(new Date())
      .map((p) => [p.type, Number(p.value)]),
  );
  const d = new Date(Date.UTC(parts.year, parts.month - 1, parts.day + days));
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

export const vnToday = () => vnDate();

/**
 * Election-day scenarios hold an election on today's Vietnamese date; one begun in the last
 * minutes of the day (17:00 UTC) would see the server close the day half-way through, so it
 * waits for the new day instead.
 */
export async function startWithTimeLeftInVnDay() {
  const dayMs = 86_400_000;
  const vietnamOffsetMs = 7 * 3_600_000;
  const marginMs = 10 * 60_000;
  const left = dayMs - ((Date.now() + vietnamOffsetMs) % dayMs);
  if (left < marginMs) {
    await new Promise((resolve) => setTimeout(resolve, left + 1_000));
  }
}

// ---- reading and using pages -------------------------------------------------------------

/** Text as a reader sees it: runs of white space (line breaks of a PDF, indentation) as one. */
export const squash = (s) => s.replace(/\s+/g, ' ').trim();

/** For `page.waitForURL`: the address has the path `p` (whatever its query). */
export const pathIs = (p) => (u) => new URL(u).pathname === p;

/** Wait until some element matching `selector` is visible and its text matches `re`. */
export async function waitForText(page, selector, re) {
  await page.locator(selector).filter({ hasText: re }).first().waitFor({ state: 'visible' });
}

/**
 * Submit `form` and wait for `done`; fail with the error line the server's refusal shows
 * instead of a time-out. `errorIn` is where that line appears when it is not inside the form.
 */
export async function submitAndCheck(form, done, errorIn = form) {
  await form.locator('button[type="submit"]').click();
  const error = errorIn.locator('.form-error').first();
  await Promise.race([
    done(),
    error.waitFor({ state: 'visible' }).then(async () => {
      throw new Error(`form refused: ${await error.innerText()}`);
    }),
  ]);
}

/** A server function called with the page's session, as a form post would; fails unless 200. */
export async function callApi(page, endpoint, form) {
  const response = await page.request.post(`/api/${endpoint}`, { form });
  const text = await response.text();
  assert.equal(response.status(), 200, `${endpoint}: ${text}`);
  return JSON.parse(text);
}

/**
 * Download the PDF at `href` with the page's session and keep it as artifacts/<name>.pdf, with
 * its text (<name>.txt) and its first page as a picture (<name>.png) beside it for a person to
 * look at. Returns the file and its text as pdftotext reads it; `layout` keeps the columns.
 */
export async function fetchPdf(page, href, name, { layout = false } = {}) {
  const response = await page.request.get(href);
  assert.equal(response.status(), 200, `GET ${href}: ${await response.text().catch(() => '')}`);
  assert.equal(response.headers()['content-type'], 'application/pdf', `content type of ${href}`);
  const body = await response.body();
  assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-', `${href} is a PDF`);
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.pdf`);
  await writeFile(file, body);
  const text = execFileSync('pdftotext', [...(layout ? ['-layout'] : []), file, '-'], {
    encoding: 'utf8',
  });
  await writeFile(path.join(ARTIFACTS_DIR, `${name}.txt`), text);
  execFileSync('pdftoppm', [
    '-r', '60', '-png', '-f', '1', '-l', '1', '-singlefile', file, path.join(ARTIFACTS_DIR, name),
  ]);
  return { file, text };
}

/**
 * Upload `file` through the voter import form of the election; resolves on the hydrated page
 * that answers it (the preview, or the reason the file was refused). `defaultArea` is what to
 * choose in "default area": a value, or `{ label }`.
 */
export async function uploadVoterFile(page, electionId, file, { defaultArea } = {}) {
  await page.goto(`/voters/import?election=${electionId}`);
  await waitForHydration(page);
  const form = page.locator('#upload-form');
  await form.waitFor({ state: 'visible' });
  if (defaultArea) await form.locator('select[name="default_area"]').selectOption(defaultArea);
  await form.locator('input[type="file"][name="file"]').setInputFiles(file);
  await form.locator('button[type="submit"]').click();
  await page.waitForURL((u) => pathIs('/voters/import')(u) && /[?&]token=/.test(u));
  await waitForHydration(page);
}

// ---- people ------------------------------------------------------------------------------

/** The administrator every scenario starts with, created through the one-time setup link. */
export const FIRST_ADMIN = {
  username: 'quantri',
  displayName: 'Quản trị viên',
  password: 'mat-khau-rat-dai-1',
};

/** Create the first administrator on the setup page; resolves once they are signed in at /. */
async function createFirstAdmin(page, setupUrl) {
  await page.goto(setupUrl);
  await waitForHydration(page);
  const form = page.locator('#setup-form');
  await form.locator('input[name="username"]').fill(FIRST_ADMIN.username);
  await form.locator('input[name="display_name"]').fill(FIRST_ADMIN.displayName);
  await form.locator('input[name="password"]').fill(FIRST_ADMIN.password);
  await form.locator('input[name="password_confirm"]').fill(FIRST_ADMIN.password);
  await form.locator('button[type="submit"]').click();
  await page.waitForURL(pathIs('/'));
  await waitForHydration(page);
  await waitForText(page, '#user-menu', FIRST_ADMIN.displayName);
}

/**
 * An account made the way the user administration page makes it, by an administrator signed
 * in on `page`. `user` is `{ username, displayName, password }`; returns the created user.
 */
export async function createUser(page, user, role) {
  return callApi(page, 'admin/users/create', {
    username: user.username,
    display_name: user.displayName,
    role,
    password: user.password,
  });
}

/** Sign `user` in on the login page; resolves on the hydrated home page showing their name. */
export async function signIn(page, user) {
  await page.goto('/login');
  await waitForHydration(page);
  const form = page.locator('#login-form');
  await form.locator('input[name="username"]').fill(user.username);
  await form.locator('input[name="password"]').fill(user.password);
  await form.locator('button[type="submit"]').click();
  await page.waitForURL(pathIs('/'));
  await waitForHydration(page);
  await waitForText(page, '#user-menu', user.displayName);
}

// ---- a scenario: one ward's server, its browser sessions, steps in order -----------------

/**
 * The start of every scenario: a fresh server, chromium, and one browser session (a context of
 * its own, so its own sign-in) per name in `sessions`, each with one page whose browser errors
 * are recorded from the first load on. Pages take paths relative to the server. The first
 * session is the first administrator's, created through the setup link and signed in.
 * `suite` names the artifacts of a failure.
 * @returns {Promise<{suite: string, server: object, browser: object, sessions: string[],
 *   pages: object[], errors: object[][], stop: () => Promise<void>}>}
 */
export async function startWard({
  suite,
  sessions = ['admin'],
  viewport = { width: 1280, height: 900 },
}) {
  const server = await startServer();
  let browser;
  const pages = [];
  try {
    browser = await launchBrowser();
    for (const _ of sessions) {
      // Vietnamese is the app's language; a real user's browser says so too.
      const context = await browser.newContext({
        baseURL: server.baseUrl,
        locale: 'vi-VN',
        timezoneId: 'Asia/Ho_Chi_Minh',
        viewport,
      });
      pages.push(await context.newPage());
    }
    const errors = pages.map(collectErrors);
    await createFirstAdmin(pages[0], server.setupUrl);
    const stop = async () => {
      await browser.close();
      await server.stop();
    };
    return { suite, server, browser, sessions, pages, errors, stop };
  } catch (err) {
    const shot = pages[0] && (await screenshot(pages[0], `FAILED-${suite}-start`).catch(() => null));
    const log = server.log();
    await browser?.close();
    await server.stop();
    throw new Error(
      `${suite}: the ward did not start: ${err.message}` +
        (shot ? `\n--- screenshot ${shot}` : '') +
        `\n--- server log ---\n${log}\n--- end of server log ---`,
    );
  }
}

/**
 * `step(name, fn)` for a scenario whose steps share one server and its pages, so they run in
 * order and a step is skipped once an earlier one failed (that failure is the one worth
 * reading). A failing step leaves a screenshot of every session's page and the whole server
 * log in the artifacts, and prints the browser errors and the end of the log.
 * `currentWard` returns what `startWard` gave (it is started in a `before` hook, later than
 * the steps are declared).
 */
export function stepsInOrder(currentWard, { timeout = 120_000 } = {}) {
  let failedStep = null;
  return function step(name, fn) {
    test(name, { timeout }, async (t) => {
      if (failedStep) {
        t.skip(`earlier step failed: ${failedStep}`);
        return;
      }
      try {
        await fn();
      } catch (err) {
        failedStep = name;
        await reportFailedStep(currentWard(), name);
        throw err;
      }
    });
  };
}

async function reportFailedStep(ward, name) {
  const slug = name.replace(/\W+/g, '-');
  const places = [];
  for (const [i, page] of ward.pages.entries()) {
    const who = ward.sessions[i];
    const suffix = ward.pages.length > 1 ? `-${who}` : '';
    const shot = await screenshot(page, `FAILED-${ward.suite}-${slug}${suffix}`).catch(() => null);
    places.push(`${who} at ${page.url()}` + (shot ? `, screenshot ${shot}` : ''));
  }
  const log = ward.server.log();
  await writeFile(path.join(ARTIFACTS_DIR, `FAILED-${ward.suite}-server.log`), log).catch(() => null);
  const tail = log.split('\n').slice(-100).join('\n');
  console.error(
    `\n--- step "${name}" failed; ${places.join('; ')}` +
      `\n--- browser errors so far:\n${JSON.stringify(ward.errors, null, 2)}` +
      `\n--- last server log lines:\n${tail}\n---`,
  );
}

// ---- the database behind the page -----------------------------------------------------------

/**
 * Runs SQL on the SQLite file of `server` (as `startServer` gave it; WAL: fine while the server
 * runs) and returns the rows as arrays.
 */
export function sqlite(server, statement, ...params) {
  const script = [
    'import json, sqlite3, sys',
    'db = sqlite3.connect(sys.argv[1], timeout=10)',
    'rows = db.execute(sys.argv[2], sys.argv[3:]).fetchall()',
    'db.commit()',
    'print(json.dumps(rows))',
  ].join('\n');
  const out = execFileSync(
    'python3',
    ['-c', script, path.join(server.dataDir, 'cutri.db'), statement, ...params.map(String)],
    { encoding: 'utf8' },
  );
  return JSON.parse(out);
}
