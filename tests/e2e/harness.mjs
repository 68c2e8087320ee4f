// Helpers for the browser tests: start the real `cutri` server on a fresh data dir, drive
// Debian's chromium through playwright-core, collect what the browser complains about.
//
// Env: CUTRI_BIN (default target/debug/cutri), CUTRI_SITE_ROOT (default site); relative paths
// are taken from the repository root so the tests can be started from any directory.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
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

/**
 * Start `cutri serve` on a free port with an empty data dir (so a new SQLite database and a
 * first-run setup link). Resolves once /healthz answers 200 and the setup link was logged.
 * @returns {Promise<{baseUrl: string, setupUrl: string, dataDir: string, log: () => string, stop: () => Promise<void>}>}
 */
export async function startServer({ timeoutMs = 60_000 } = {}) {
  const bin = fromRoot(process.env.CUTRI_BIN || 'target/debug/cutri');
  if (!existsSync(bin)) {
    throw new Error(`server binary not found: ${bin} (build it first: scripts/test.sh does)`);
  }
  const siteRoot = fromRoot(process.env.CUTRI_SITE_ROOT || 'site');
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
