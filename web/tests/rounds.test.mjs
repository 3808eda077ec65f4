// Job-planning rounds (/rounds) and the share of job plans signed off within 12 months
// (/compliance) with its monthly snapshots, as the medical director and a clinical director.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAxe, pathOf, screenshot, signIn, useServerAndBrowser, withPage } from './lib.mjs';

let server;
let browser;

useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

/** A date `months` from today as YYYY-MM-DD (UTC is near enough for a deadline months away). */
function monthsAhead(months) {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

test('the medical director opens a round with a deadline for Surgery and sees its progress', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'medical.director');
    await page.goto('/rounds');
    // The demo opened this year's round as it loaded.
    assert.match(await page.locator('#rounds').innerText(), /Job planning this year/);
    await checkAxe(page, 'rounds');
    // Opened without a title: the form comes back with the error and the dates kept.
    const deadline = monthsAhead(2);
    await page.getByLabel('Surgery', { exact: true }).fill(deadline);
    let loaded = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Open the round' }).click();
    await loaded;
    assert.match(await page.locator('.nhsuk-error-summary').innerText(), /A round needs a title/);
    assert.equal(await page.getByLabel('Surgery', { exact: true }).inputValue(), deadline);
    await page.getByLabel('Title', { exact: true }).fill('Job planning 2027/28');
    loaded = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Open the round' }).click();
    await loaded;
    assert.match(pathOf(page), /^\/rounds\/\d+$/);
    assert.equal((await page.locator('h1').innerText()).trim(), 'Job planning 2027/28');
    const departments = await page.locator('#round-departments').innerText();
    assert.match(departments, /Surgery/);
    assert.doesNotMatch(departments, /Medicine/);
    const consultants = await page.locator('#round-consultants').innerText();
    assert.match(consultants, /Signed off/);
    assert.match(consultants, /Due by/);
    assert.match(consultants, /in dispute for \d+ days/);
    await screenshot(page, 'round');
    await checkAxe(page, 'round');
  }));

test('the share of plans signed off, its list and the month\'s snapshot', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'medical.director');
    await page.goto('/compliance');
    const total = await page.locator('#compliance-total').innerText();
    assert.match(total, /\d+\.\d%/);
    assert.match(total, /of \d+ consultants had a job plan signed off by both sides within the 12 months/);
    assert.match(await page.locator('#compliance-missing').innerText(), /in dispute/);
    await checkAxe(page, 'compliance');
    // The demo took this month's snapshot: taking it again stores nothing.
    const loaded = page.waitForEvent('load');
    await page.getByRole('button', { name: "Take this month's snapshot" }).click();
    await loaded;
    assert.match(await page.locator('.nhsuk-notification-banner--success').innerText(), /had a snapshot already/);
    await page.locator('#compliance-snapshots a').first().click();
    await page.waitForLoadState('load');
    assert.match(await page.locator('#snapshot-intact').innerText(), /Intact/);
    assert.match(await page.locator('#compliance-total').innerText(), /\d+\.\d%/);
    await checkAxe(page, 'compliance-snapshot');
  }));

test('a clinical director sees their department\'s share and round, not the trust\'s', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'clinical.director');
    await page.goto('/compliance');
    assert.match(await page.locator('h1').innerText(), /Job plans signed off: Surgery/);
    assert.equal(await page.locator('#compliance-snapshots').count(), 0);
    await page.goto('/');
    // The latest round Surgery is in (the demo's, or the one the test above opened).
    assert.match(await page.locator('#home-round').innerText(), /Job planning [^:]+: \d+ of \d+ signed off/);
    await page.goto('/rounds');
    assert.equal(await page.getByRole('button', { name: 'Open the round' }).count(), 0);
  }));
