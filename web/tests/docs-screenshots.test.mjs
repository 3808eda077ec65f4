// The pictures of the README and the book (docs/images/): a consultant's week as a grid and the
// trust dashboard, at a fixed window of 1280 × 800, as `docs-<name>.png` in target/screenshots/.
// After a change to these pages, copy the pictures that changed to docs/images/<name>.png.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { screenshotDir, signIn, useServerAndBrowser, withPage } from './lib.mjs';

const WINDOW = { width: 1280, height: 800 };

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

/** Saves what the window shows (not the whole page) as target/screenshots/docs-<name>.png. */
async function picture(page, name) {
  const path = join(screenshotDir, `docs-${name}.png`);
  await page.screenshot({ path, fullPage: false });
  assert.ok(statSync(path).size > 10_000, `${path} holds a picture`);
}

test("the picture of a consultant's job plan shows the week as a grid", () =>
  withPage(browser, server.url, async (page) => {
    await page.setViewportSize(WINDOW);
    await signIn(page, server.url, 'consultant');
    await page.goto('/plans');
    await page.locator('table a[href^="/plans/"]').first().click();
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /^Job plan of /);
    const grid = page.locator('table.tenpa-week');
    await grid.waitFor();
    assert.ok((await grid.locator('.tenpa-slot').count()) > 0, 'activities are placed in the grid');
    // The grid fills the window, with its heading above it.
    await grid.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 60));
    await picture(page, 'plan');
  }, 'docs-plan'));

test('the picture of the trust dashboard shows every department', () =>
  withPage(browser, server.url, async (page) => {
    await page.setViewportSize(WINDOW);
    await signIn(page, server.url, 'medical.director');
    await page.goto('/trust');
    assert.match(await page.locator('main').innerText(), /Surgery[\s\S]*Medicine[\s\S]*Anaesthetics/);
    await picture(page, 'trust');
  }, 'docs-trust'));
