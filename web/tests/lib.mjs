// Helpers for the browser tests (node --test web/tests/*.test.mjs, or scripts/test-browser).
//
// A test file usually does:
//
//   import { test } from 'node:test';
//   import { useServerAndBrowser, withPage, signIn, checkAxe, screenshot } from './lib.mjs';
//   let server, browser;
//   useServerAndBrowser((s, b) => { server = s; browser = b; });
//   test('…', () => withPage(browser, server.url, async (page) => { … }));
//
// withPage fails the test when the page logged a console error, threw, or asked for anything
// outside the server (such requests are blocked: nothing may be fetched from outside).
//
// The server holds the demo data unless the file asks for a trust's first start instead:
//
//   useServerAndBrowser(ready, { demo: false, admin: { username: 'admin', password: '…' } });
//
// starts `tenpa serve` on an empty database after `tenpa init` has made its first administrator
// (see startServer).

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

/** The repository's root (web/tests/../..). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where screenshots go. */
export const screenshotDir = join(repoRoot, 'target', 'screenshots');

/** Every demo account's password. */
export const DEMO_PASSWORD = 'tenpa-demo';

/** The demo accounts and the <h1> of their home page `/`. */
export const DEMO_HOMES = [
  ['consultant', 'Your job plan'],
  ['consultant2', 'Your job plan'],
  ['clinical.director', 'Your department'],
  ['medical.director', 'Trust job planning'],
  ['medical.staffing', 'Trust job planning'],
  ['chief.executive', 'Pay progression decisions'],
  ['board.chair', 'Board appraisals'],
  ['board.member', 'Board appraisals'],
  ['admin', 'Administration'],
];

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const STARTUP_TIMEOUT_MS = 120_000;

function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `tenpa serve --demo` on a fresh SQLite database and a free port, and waits until
 * `/healthz` answers 200. The binary is $TENPA_BIN (default target/debug/tenpa; build it first
 * with `cargo build -p tenpa-cli`). With $TENPA_BASE_URL set, that server is used instead and
 * nothing is started.
 *
 * `{ demo: false, admin: { username, password, displayName } }` starts a trust from nothing
 * instead: `tenpa init --db … --admin USERNAME [--display-name NAME] --password-stdin` makes the
 * first administrator on the fresh database (the password written on its standard input), then
 * `tenpa serve` runs without `--demo`. That needs a database of its own, so $TENPA_BASE_URL is not
 * used: the binary is always started.
 * @param {{demo?: boolean, admin?: {username: string, password: string, displayName?: string}}} [options]
 * @returns {Promise<{url: string, stop: () => Promise<void>}>}
 */
export async function startServer({ demo = true, admin } = {}) {
  if (!demo && !admin) {
    throw new Error('startServer({ demo: false }) needs admin: { username, password } for `tenpa init`');
  }
  if (demo && process.env.TENPA_BASE_URL) {
    const url = process.env.TENPA_BASE_URL.replace(/\/+$/, '');
    return { url, stop: async () => {} };
  }
  let bin = process.env.TENPA_BIN || 'target/debug/tenpa';
  if (!isAbsolute(bin)) bin = join(repoRoot, bin);
  if (!existsSync(bin)) {
    throw new Error(`no tenpa binary at ${bin}: build it with \`cargo build -p tenpa-cli\` or set TENPA_BIN`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'tenpa-browser-'));
  const db = `sqlite://${join(dir, 'tenpa.db')}`;
  if (!demo) {
    try {
      await init(bin, db, admin);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }
  const port = await freePort();
  const addr = `127.0.0.1:${port}`;
  const url = `http://${addr}`;
  const args = ['serve', ...(demo ? ['--demo'] : []), '--db', db, '--addr', addr];
  const child = spawn(bin, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk) => {
    log = (log + chunk).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exit = new Promise((r) => child.on('exit', (code, signal) => r((exited = { code, signal }))));
  child.on('error', (e) => keep(`\n${e}`));

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const tail = () => log.split('\n').slice(-30).join('\n');

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`tenpa serve exited (${exited.code ?? exited.signal}) before answering on ${url}:\n${tail()}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return { url, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`tenpa serve did not answer 200 at ${url}/healthz within ${STARTUP_TIMEOUT_MS / 1000} s:\n${tail()}`);
    }
    await sleep(200);
  }
}

/**
 * `tenpa init --db DB --admin USERNAME [--display-name NAME] --password-stdin`, the password on
 * its standard input; throws with its output unless it exits 0.
 */
async function init(bin, db, { username, password, displayName }) {
  const args = ['init', '--db', db, '--admin', username, '--password-stdin'];
  if (displayName) args.push('--display-name', displayName);
  const child = spawn(bin, args, { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const exited = once(child, 'close'); // after its output is read
  const failed = once(child, 'error').then(([e]) => {
    throw new Error(`tenpa init could not be started (${bin}): ${e.message}`);
  });
  child.stdin.on('error', () => {}); // it may exit before reading: its output says why
  child.stdin.end(`${password}\n`);
  const [code, signal] = await Promise.race([exited, failed]);
  if (code !== 0) {
    throw new Error(`tenpa init --admin ${username} exited ${code ?? signal}:\n${out.trim()}`);
  }
}

/**
 * Registers the file's `before` and `after` hooks: starts a server (unless `server: false`; a demo
 * one unless `demo: false` and `admin` are given, passed on to startServer) and launches the
 * browser once for the file, hands them to `ready(server, browser)` (awaited: the file's own
 * set-up goes there, since Node runs a file's `before` hooks concurrently), and stops both when
 * the file's tests are done.
 */
export function useServerAndBrowser(ready, { server: start = true, ...serverOptions } = {}) {
  let server;
  let browser;
  before(async () => {
    if (start) server = await startServer(serverOptions);
    browser = await launch();
    await ready(server, browser);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
}

/** Launches headless Chromium ($CHROMIUM, default /usr/bin/chromium) with no outside network use. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Opens a page in a fresh browser context (its own cookies) that records problems: console
 * errors, uncaught exceptions, failed requests, and any request outside `baseUrl` (blocked).
 * Call `assertNoProblems(page)` when done, or use `withPage`.
 */
export async function newPage(browser, baseUrl) {
  const origin = new URL(baseUrl).origin;
  const context = await browser.newContext({ baseURL: origin, locale: 'en-GB' });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  const problems = [];
  page.problems = problems;
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith('data:') || u.startsWith('blob:') || new URL(u).origin === origin) {
      return route.continue();
    }
    problems.push(`request outside the server: ${route.request().method()} ${u}`);
    return route.abort('blockedbyclient');
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      // A page answered with a 4xx status and a body (a form re-shown with its errors, a clear
      // "you cannot open this page") is a page, not a fault; Chromium still logs its status.
      const documentStatus = /^Failed to load resource: the server responded with a status of 4\d\d/;
      if (documentStatus.test(msg.text()) && loc?.url && loc.url === page.url()) return;
      problems.push(`console error on ${page.url()}: ${msg.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`uncaught exception on ${page.url()}: ${err.message}`));
  page.on('requestfailed', (req) => {
    const failure = req.failure()?.errorText ?? 'failed';
    if (new URL(req.url()).origin !== origin) return; // already recorded by the route
    // A navigation started while a request was still loading cancels it: not a fault.
    if (failure === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${req.method()} ${req.url()}: ${failure}`);
  });
  return page;
}

/** Throws listing every problem `newPage` recorded on this page. */
export function assertNoProblems(page) {
  if (page.problems.length) {
    throw new Error(`the page had ${page.problems.length} problem(s):\n  ${page.problems.join('\n  ')}`);
  }
}

/**
 * Runs `fn(page)` on a fresh page and context, then fails if the page recorded problems. On
 * failure a screenshot `failure-<name>` is kept when `name` is given.
 */
export async function withPage(browser, baseUrl, fn, name) {
  const page = await newPage(browser, baseUrl);
  try {
    await fn(page);
    assertNoProblems(page);
  } catch (e) {
    if (name) await screenshot(page, `failure-${name}`).catch(() => {});
    throw e;
  } finally {
    await page.context().close();
  }
}

/** The path part of the page's URL. */
export function pathOf(page) {
  return new URL(page.url()).pathname;
}

/**
 * Signs in at /sign-in through the form. By default expects success (leaving /sign-in) and throws
 * with the page's error summary otherwise; `{ expect: 'failure' }` expects to stay on /sign-in.
 */
export async function signIn(page, baseUrl, username, { password = DEMO_PASSWORD, expect = 'success' } = {}) {
  await page.goto(new URL('/sign-in', baseUrl).href);
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  const loaded = page.waitForEvent('load');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await loaded;
  const stayed = pathOf(page) === '/sign-in';
  if (expect === 'success' && stayed) {
    const summary = await page.locator('.nhsuk-error-summary').innerText({ timeout: 1000 }).catch(() => '');
    throw new Error(`signing in as ${username} stayed on /sign-in${summary ? `: ${summary}` : ''}`);
  }
  if (expect === 'failure' && !stayed) {
    throw new Error(`signing in as ${username} was expected to fail but went to ${page.url()}`);
  }
}

/** Signs out with the header's "Sign out" button and waits for the next page. */
export async function signOut(page) {
  const loaded = page.waitForEvent('load');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await loaded;
}

let axeSource;

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA, 2.2 AA) on the page and throws listing every serious or
 * critical violation. The script is evaluated through the DevTools protocol, so the page's
 * Content-Security-Policy stays in force (and its violations still show as console errors).
 * @returns the axe results
 */
export async function checkAxe(page, name = pathOf(page)) {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(`${axeSource}\n;void 0`);
  }
  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    const lines = bad.map(
      (v) => `  ${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `      ${n.target.join(' ')}`).join('\n')}`,
    );
    throw new Error(`axe on ${name} (${page.url()}): ${bad.length} serious or critical violation(s):\n${lines.join('\n')}`);
  }
  return results;
}

/** Saves a full-page PNG at target/screenshots/<name>.png; returns its path. */
export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
