// The browser bundle as a weak link sees it: its files sit under a directory named by their
// content hash, are kept by the browser for good (a revisit fetches none of them) and come
// pre-compressed as the browser asks (brotli, gzip or plain); HTML is never cached. The check-in
// desk's code is in the main module; the office pages come in pieces, one per area of work,
// preloaded on a first visit and fetched once when navigating. After a rebuild with a code change
// the pages link the new bundle while the previous one is still served.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe } from 'node:test';
import {
  REPO_ROOT,
  collectErrors,
  launchBrowser,
  pathIs,
  siteRootDir,
  startServer,
  startWard,
  stepsInOrder,
  waitForHydration,
} from './harness.mjs';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const PIECE_RE = /\/(split_[a-z_]+?)_\d+\.wasm$/;

/** GET with exactly the headers given (fetch would add its own Accept-Encoding and decode). */
function rawGet(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const parts = [];
        res.on('data', (part) => parts.push(part));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }));
      })
      .on('error', reject);
  });
}

const currentBundle = async (siteRoot) => (await readFile(path.join(siteRoot, 'pkg', 'current'), 'utf8')).trim();

/** Requests the page makes, and for /pkg files whether they came from the browser's cache. */
async function recordPkgTraffic(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const seen = [];
  // Chromium tells a memory-cache hit by this event, a disk-cache hit by a flag on the response.
  const fromMemory = new Set();
  cdp.on('Network.requestServedFromCache', ({ requestId }) => fromMemory.add(requestId));
  cdp.on('Network.responseReceived', ({ requestId, response }) => {
    const url = new URL(response.url);
    if (!url.pathname.startsWith('/pkg/')) return;
    seen.push({
      path: url.pathname,
      cached: Boolean(response.fromDiskCache || response.fromMemoryCache || fromMemory.has(requestId)),
      encoding: response.headers['content-encoding'] || response.headers['Content-Encoding'] || '',
    });
  });
  return seen;
}

const pieceName = (p) => PIECE_RE.exec(p)?.[1];

let ward;
let page;
let errors;
let traffic;
let hash;
const siteRoot = siteRootDir();
const step = stepsInOrder(() => ward);

describe('first load', () => {
  before(async () => {
    ward = await startWard({ suite: 'first-load' });
    ({ pages: [page], errors: [errors] } = ward);
    hash = await currentBundle(siteRoot);
  });

  after(() => ward?.stop());

  step('a. pages link the hashed bundle; its files are immutable and pre-compressed', async () => {
    assert.match(hash, /^[0-9a-f]{16}$/);
    const base = ward.server.baseUrl;
    const html = await rawGet(`${base}/login`);
    assert.equal(html.status, 200);
    assert.equal(html.headers['cache-control'], 'no-store');
    const text = html.body.toString('utf8');
    for (const file of ['cutri.js', 'cutri_bg.wasm', 'cutri.css']) {
      assert.ok(text.includes(`/pkg/${hash}/${file}`), `the login page links /pkg/${hash}/${file}`);
    }

    const wasmUrl = `${base}/pkg/${hash}/cutri_bg.wasm`;
    const onDisk = await readFile(path.join(siteRoot, 'pkg', hash, 'cutri_bg.wasm'));
    const decoders = { br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync, identity: (b) => b };
    for (const [asked, expected] of [
      ['br, gzip', 'br'],
      ['gzip, deflate', 'gzip'],
      ['identity', 'identity'],
    ]) {
      const res = await rawGet(wasmUrl, { 'accept-encoding': asked });
      assert.equal(res.status, 200, asked);
      assert.equal(res.headers['content-encoding'] || 'identity', expected, `Accept-Encoding: ${asked}`);
      assert.equal(res.headers['cache-control'], IMMUTABLE);
      assert.equal(res.headers.vary, 'accept-encoding');
      assert.ok(decoders[expected](res.body).equals(onDisk), `${expected} body is the file`);
      if (expected !== 'identity') assert.ok(res.body.length < onDisk.length / 2, `${expected} compresses`);
    }

    // A browser that still asks gets "not modified", no body.
    const first = await rawGet(`${base}/pkg/${hash}/cutri.js`, { 'accept-encoding': 'br' });
    assert.ok(first.headers['last-modified'], 'Last-Modified is sent');
    const again = await rawGet(`${base}/pkg/${hash}/cutri.js`, {
      'accept-encoding': 'br',
      'if-modified-since': first.headers['last-modified'],
    });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);

    // A bundle that is not there is not cached as if it were.
    const gone = await rawGet(`${base}/pkg/0123456789abcdef/cutri.js`);
    assert.equal(gone.status, 404);
    assert.equal(gone.headers['cache-control'], 'no-cache');
  });

  step('b. the desk is in the main module; a revisit fetches no bundle file', async () => {
    const context = await ward.browser.newContext({ baseURL: ward.server.baseUrl, locale: 'vi-VN' });
    try {
      const visitor = await context.newPage();
      const visitorErrors = collectErrors(visitor);
      const seen = await recordPkgTraffic(visitor);
      await visitor.goto('/login');
      await waitForHydration(visitor);
      const firstVisit = seen.splice(0);
      assert.ok(firstVisit.some((r) => r.path.endsWith('/cutri_bg.wasm') && !r.cached), 'the first visit downloads the main module');
      assert.deepEqual(
        firstVisit.filter((r) => /\/(split_|chunk_)/.test(r.path)).map((r) => r.path),
        [],
        'sign-in needs no piece',
      );
      assert.ok(firstVisit.every((r) => r.encoding === 'br'), 'chromium gets brotli');

      await visitor.goto('/login');
      await waitForHydration(visitor);
      assert.deepEqual(
        seen.filter((r) => !r.cached).map((r) => r.path),
        [],
        'a revisit downloads no bundle file',
      );
      assert.deepEqual(visitorErrors, []);
    } finally {
      await context.close();
    }
  });

  step('c. an office page preloads its piece; navigating fetches each piece once', async () => {
    const html = await (await page.request.get('/voters')).text();
    const preloads = (html.match(/<link [^>]*rel="preload"[^>]*>/g) || []).map((tag) => /href="([^"]+)"/.exec(tag)[1]);
    const pieces = preloads.filter((href) => /\/split_/.test(href));
    assert.equal(pieces.length, 1, `the voters page preloads its piece and no other: ${pieces}`);
    assert.match(pieces[0], new RegExp(`^/pkg/${hash}/split_voter_list_piece_\\d+\\.wasm$`));
    // The desk's page is all in the main module: nothing to preload.
    const desk = await (await page.request.get('/election-day/areas/1')).text();
    assert.doesNotMatch(desk, /rel="preload"[^>]*split_|split_[^>]*rel="preload"/);
    traffic = await recordPkgTraffic(page);
    await page.goto('/voters');
    await waitForHydration(page);
    await page.locator('nav.main-nav a[href="/election-day"]').click();
    await page.waitForURL(pathIs('/election-day'));
    await page.locator('h1').first().waitFor();
    await page.locator('nav.main-nav a[href="/meetings"]').click();
    await page.waitForURL(pathIs('/meetings'));
    await page.locator('h1').first().waitFor();
    await page.locator('nav.main-nav a[href="/voters"]').click();
    await page.waitForURL(pathIs('/voters'));
    await page.locator('h1').first().waitFor();

    const fetched = traffic.filter((r) => !r.cached).map((r) => pieceName(r.path)).filter(Boolean);
    const counts = Object.fromEntries(fetched.map((name) => [name, fetched.filter((n) => n === name).length]));
    assert.deepEqual(counts, {
      split_voter_list_piece: 1,
      split_election_piece: 1,
      split_meetings_piece: 1,
    });
    assert.deepEqual(errors, []);
  });

  step('d. after a rebuild with a code change the pages link the new bundle', async () => {
    const copy = await mkdtemp(path.join(os.tmpdir(), 'cutri-site-'));
    let second;
    try {
      await cp(siteRoot, copy, { recursive: true });
      // The bundle as the build leaves it before packaging, with one line of code changed.
      const staging = path.join(copy, 'staging');
      await cp(path.join(copy, 'pkg', hash), staging, { recursive: true });
      for (const name of await readdir(staging)) {
        if (name.endsWith('.br') || name.endsWith('.gz')) await rm(path.join(staging, name));
      }
      const js = path.join(staging, 'cutri.js');
      await writeFile(js, `${await readFile(js, 'utf8')}\n// rebuilt\n`);
      execFileSync('bash', ['-c', 'source scripts/lib.sh && package_bundle "$1" dev "$2"', '-', staging, copy], {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const rebuilt = await currentBundle(copy);
      assert.match(rebuilt, /^[0-9a-f]{16}$/);
      assert.notEqual(rebuilt, hash);

      second = await startServer({ siteRoot: copy });
      const html = (await rawGet(`${second.baseUrl}/login`)).body.toString('utf8');
      assert.ok(html.includes(`/pkg/${rebuilt}/cutri.js`), 'the page links the new bundle');
      assert.ok(!html.includes(`/pkg/${hash}/`), 'and not the old one');
      // A page opened before the upgrade still gets the files it asks for.
      assert.equal((await rawGet(`${second.baseUrl}/pkg/${hash}/cutri.js`)).status, 200);

      const context = await ward.browser.newContext({ baseURL: second.baseUrl, locale: 'vi-VN' });
      try {
        const visitor = await context.newPage();
        const visitorErrors = collectErrors(visitor);
        const seen = await recordPkgTraffic(visitor);
        await visitor.goto('/login');
        await waitForHydration(visitor);
        assert.ok(seen.some((r) => r.path === `/pkg/${rebuilt}/cutri.js`));
        assert.deepEqual(visitorErrors, []);
      } finally {
        await context.close();
      }
    } finally {
      await second?.stop();
      await rm(copy, { recursive: true, force: true });
    }
  });
});
