// Board competency appraisals (BC-1, BC-2) and professional executive committees (PEC-1 … PEC-4).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAxe, pathOf, screenshot, signIn, useServerAndBrowser, withPage } from './lib.mjs';

let server;
let browser;

useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

/** Starts board.member's own appraisal for 2025 from the board page; returns its path. */
async function startOwnAppraisal(page) {
  await page.goto('/board');
  await page.getByLabel('Director', { exact: true }).selectOption({ label: 'Mr Victor Osei' });
  await page.getByLabel('Year the appraisal starts', { exact: true }).fill('2025');
  const loaded = page.waitForEvent('load');
  await page.getByRole('button', { name: 'Start the appraisal', exact: true }).click();
  await loaded;
  assert.match(pathOf(page), /^\/board\/appraisals\/\d+$/);
  return pathOf(page);
}

test('board.member rates a statement, saves, cannot sign off an incomplete self-assessment, and a stale save keeps their text', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'board.member');
    const path = await startOwnAppraisal(page);
    const h1 = page.getByRole('heading', { level: 1 });
    assert.equal((await h1.innerText()).trim(), 'Appraisal 2025/26 for Mr Victor Osei');

    // Every statement of the framework, on the sliding scale with the data file's labels.
    assert.equal(await page.locator('input[type=radio][name^="rating."]').count(), 24 * 5);
    const first = page.getByRole('group', { name: /^outcomes\.1:/ });
    for (const label of ['Almost always', 'Often', 'Sometimes', 'Rarely', 'No chance to demonstrate']) {
      await first.getByLabel(label, { exact: true }).waitFor();
    }
    await first.getByLabel('Often', { exact: true }).check();
    await page.getByLabel('Evidence for outcomes.1 (optional)').fill('Quality committee minutes, May 2025');
    let loaded = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Save self-assessment', exact: true }).click();
    await loaded;
    assert.equal(pathOf(page), path);
    await page.getByText('Your self-assessment has been saved.').waitFor();
    await page.getByText('1 of 24 statements rated', { exact: true }).waitFor();
    assert.equal(await page.getByRole('group', { name: /^outcomes\.1:/ }).getByLabel('Often', { exact: true }).isChecked(), true);
    assert.equal(await page.getByLabel('Evidence for outcomes.1 (optional)').inputValue(), 'Quality committee minutes, May 2025');

    // Change the rating and save again.
    await page.getByRole('group', { name: /^outcomes\.1:/ }).getByLabel('Almost always', { exact: true }).check();
    loaded = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Save self-assessment', exact: true }).click();
    await loaded;
    assert.equal(await page.getByRole('group', { name: /^outcomes\.1:/ }).getByLabel('Almost always', { exact: true }).isChecked(), true);
    await screenshot(page, 'board-appraisal');
    await checkAxe(page, 'board appraisal');

    // Sign-off is refused while the self-assessment is incomplete.
    loaded = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Sign off as director', exact: true }).click();
    await loaded;
    const summary = page.locator('.nhsuk-error-summary');
    assert.match(await summary.innerText(), /incomplete and cannot be signed off: 23 of 24 statements are not rated/);
    assert.equal(await summary.locator('a').first().getAttribute('href'), '#rating-outcomes-2');
    await screenshot(page, 'board-appraisal-sign-off-refused');
    await checkAxe(page, 'board appraisal sign-off refused');

    // A save against an old version is a clear 409 with the user's text kept.
    await page.goto(path);
    await page.locator('form[action$="/self-assessment"] input[name=version]').evaluate((el) => {
      el.value = '1';
    });
    await page.getByLabel('Evidence for outcomes.2 (optional)').fill('Text typed against an old version');
    await page.getByRole('group', { name: /^outcomes\.2:/ }).getByLabel('Sometimes', { exact: true }).check();
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/self-assessment')),
      page.getByRole('button', { name: 'Save self-assessment', exact: true }).click(),
    ]);
    assert.equal(res.status(), 409);
    await page.waitForLoadState('load');
    await page.getByText('Someone else changed this appraisal').waitFor();
    assert.equal(await page.getByLabel('Evidence for outcomes.2 (optional)').inputValue(), 'Text typed against an old version');
    await checkAxe(page, 'board appraisal conflict');
  }, 'board-appraisal'));

test("board.member cannot open another director's appraisal", () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'board.chair');
    await page.goto('/board');
    const href = await page.getByRole('link', { name: 'Appraisal 2024/25 for Mr Jonathan Reid' }).getAttribute('href');
    await signIn(page, server.url, 'board.member');
    await page.goto('/board');
    assert.equal(await page.getByRole('link', { name: /Mr Jonathan Reid/ }).count(), 0);
    const res = await page.goto(href);
    assert.equal(res.status(), 403);
    assert.equal((await page.getByRole('heading', { level: 1 }).innerText()).trim(), 'You cannot open this page');
    await checkAxe(page, 'board appraisal forbidden');
  }, 'board-forbidden'));

test('board.chair sees the board, a profile and the report, and downloads it', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'board.chair');
    await page.getByRole('link', { name: 'Board', exact: true }).click();
    assert.equal(pathOf(page), '/board');
    const table = page.getByRole('table', { name: /Directors of Tenpa Demo NHS Foundation Trust/ });
    for (const name of ['Dame Alison Ford', 'Mr Jonathan Reid', 'Dr Ruth Adeyemi', 'Ms Laura Bennett', 'Mr Victor Osei']) {
      await table.getByText(name, { exact: true }).first().waitFor();
    }
    const bennett = table.getByRole('row', { name: /Ms Laura Bennett/ });
    assert.match(await bennett.innerText(), /does not include 2 of the six domains/);
    assert.equal(await bennett.getByRole('link', { name: 'BC-2' }).getAttribute('href'), '/rules/BC-2');
    assert.match(await bennett.innerText(), /in progress: 10 of 24 statements rated/);
    await screenshot(page, 'board');
    await checkAxe(page, 'board');

    await page.getByRole('link', { name: 'Mr Jonathan Reid', exact: true }).click();
    assert.match(pathOf(page), /^\/board\/directors\/\d+$/);
    await page.getByRole('table', { name: 'Mean score by domain and year' }).waitFor();
    await page.locator('svg.tenpa-chart').waitFor();
    await screenshot(page, 'board-director');
    await checkAxe(page, 'board director profile');

    await page.goto('/board');
    await page.getByRole('link', { name: /^Board report for / }).click();
    assert.match(pathOf(page), /^\/board\/organisations\/\d+\/report$/);
    await page.getByRole('heading', { name: 'Where the board is weakest' }).waitFor();
    const nd = page.getByRole('table', { name: /no chance to demonstrate" by many/ });
    assert.match(await nd.innerText(), /equality\.3/);
    await screenshot(page, 'board-report');
    await checkAxe(page, 'board report');

    const csvHref = await page.getByRole('link', { name: 'Board report as CSV' }).getAttribute('href');
    const csv = await page.request.get(csvHref);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'], /^text\/csv/);
    assert.match(csv.headers()['content-disposition'], /^attachment; filename="board-report-\d+-2024\.csv"$/);
    const text = await csv.text();
    assert.match(text.split(/\r?\n/)[0], /^Domain,Mean score \(of 4\),Almost always,Often,Sometimes,Rarely,No chance to demonstrate,Weakest$/);
    assert.equal(text.trim().split(/\r?\n/).length, 7);

    const xlsxHref = await page.getByRole('link', { name: /as a spreadsheet/ }).getAttribute('href');
    const xlsx = await page.request.get(xlsxHref);
    assert.equal(xlsx.status(), 200);
    assert.equal((await xlsx.body()).subarray(0, 2).toString('latin1'), 'PK');

    const pdfHref = await page.getByRole('link', { name: 'Board report as PDF' }).getAttribute('href');
    const pdf = await page.request.get(pdfHref);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');
  }, 'board-chair'));

test('board.member cannot open the board report', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'board.chair');
    await page.goto('/board');
    const href = await page.getByRole('link', { name: /^Board report for / }).getAttribute('href');
    await signIn(page, server.url, 'board.member');
    const res = await page.goto(href);
    assert.equal(res.status(), 403);
    const csv = await page.request.get(`${href}.csv`);
    assert.equal(csv.status(), 403);
  }, 'board-report-forbidden'));

test('the PEC pages show a compliant and a non-compliant committee', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'board.chair');
    await page.getByRole('link', { name: 'PECs', exact: true }).click();
    assert.equal(pathOf(page), '/pecs');
    const north = page.locator('section', { has: page.getByRole('heading', { name: 'Northshire Primary Care Trust' }) });
    const south = page.locator('section', { has: page.getByRole('heading', { name: 'Southvale Primary Care Trust' }) });
    await north.getByText('Compliant', { exact: true }).first().waitFor();
    await south.getByText('Not compliant', { exact: true }).first().waitFor();
    assert.match(await south.innerText(), /gps hold 3 of 4 clinical seats/i);
    assert.equal(await south.getByRole('link', { name: 'PEC-3' }).first().getAttribute('href'), '/rules/PEC-3');
    await screenshot(page, 'pecs');
    await checkAxe(page, 'pecs');

    await page.getByRole('link', { name: /oversight report/ }).click();
    assert.equal(pathOf(page), '/pecs/oversight');
    const southRow = page.getByRole('row', { name: /Southvale Primary Care Trust/ });
    assert.match(await southRow.innerText(), /2007-11-12/);
    assert.match(await southRow.innerText(), /Not compliant/);
    const northRow = page.getByRole('row', { name: /Northshire Primary Care Trust/ });
    assert.match(await northRow.innerText(), /Yes/);
    await screenshot(page, 'pec-oversight');
    await checkAxe(page, 'pec oversight');
  }, 'pecs'));

test('a consultant cannot open the PEC pages', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant');
    const res = await page.goto('/pecs');
    assert.equal(res.status(), 403);
    assert.equal(await page.getByRole('link', { name: 'PECs', exact: true }).count(), 0);
  }, 'pecs-forbidden'));
