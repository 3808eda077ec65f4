// Objectives and reviews, the review form, pay progression cases and the timeline.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAxe, pathOf, screenshot, signIn, signOut, useServerAndBrowser, withPage } from './lib.mjs';

let server;
let browser;

useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

/** The progression cases the signed-in user may see, from the JSON API. */
async function cases(page) {
  const res = await page.request.get('/api/v1/progression-cases');
  assert.equal(res.status(), 200);
  return res.json();
}

/** Clicks a submit button and waits for the next page. */
async function submit(page, name) {
  const loaded = page.waitForEvent('load');
  await page.getByRole('button', { name, exact: true }).click();
  await loaded;
}

test('a consultant sees their objectives and adds a progress note', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant');
    await page.goto('/objectives');
    assert.equal((await page.getByRole('heading', { level: 1 }).innerText()).trim(), 'Your objectives and reviews');
    for (const heading of ['Activity and efficiency', 'Clinical outcomes', 'Clinical standards', 'Local service objectives', 'Management of resources']) {
      await page.getByRole('heading', { level: 3, name: heading, exact: true }).waitFor();
    }
    const card = page.locator('.nhsuk-card', { hasText: 'Deliver 420 elective procedures' });
    await card.getByText("Outside the consultant's control (A 7.6)", { exact: true }).waitFor();
    await page.getByRole('table', { name: /four criteria of A 9.4/ }).waitFor();
    await page.getByRole('link', { name: 'See your pay progression timeline' }).waitFor();
    await screenshot(page, 'objectives');
    await checkAxe(page, 'objectives');

    await card.getByText('Add a progress note').click();
    await card.getByLabel('Progress note', { exact: true }).fill('Nine months: 330 procedures done.');
    await card.getByLabel(/outside the consultant's control/).check();
    await submit(page, 'Add the note');
    assert.equal(pathOf(page), '/objectives');
    await page.getByText('The progress note has been added.').waitFor();
    const after = page.locator('.nhsuk-card', { hasText: 'Deliver 420 elective procedures' });
    await after.getByText('Nine months: 330 procedures done.').waitFor();
    assert.equal(await after.getByText("Outside the consultant's control (A 7.6)", { exact: true }).count(), 2);
    // A progress note leaves the objective's text, version and agreement as they were (JP-3).
    await after.getByText('Agreed', { exact: true }).waitFor();
    await after.getByText('Version 1', { exact: true }).waitFor();
  }, 'objectives'));

test('a consultant cannot add an empty progress note', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant');
    await page.goto('/objectives');
    const card = page.locator('.nhsuk-card', { hasText: 'Keep the surgical site infection rate' });
    await card.getByText('Add a progress note').click();
    await submit(page, 'Add the note');
    await page.locator('.nhsuk-error-summary').getByText('Enter the progress note').waitFor();
    await checkAxe(page, 'objectives with an error');
  }, 'objectives-error'));

test('the clinical director records an annual review for a consultant in their department', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'clinical.director');
    await page.goto('/objectives?consultant=c-surg-03');
    const loaded = page.waitForEvent('load');
    await page.getByRole('link', { name: 'Record a review' }).click();
    await loaded;
    assert.equal(pathOf(page), '/reviews/new');
    await checkAxe(page, 'review form');

    await submit(page, 'Record the review');
    const summary = page.locator('.nhsuk-error-summary');
    await summary.getByText('Select whether this is an annual or an interim review').waitFor();
    await summary.getByText('Enter the date the year under review ends').waitFor();
    assert.equal(await summary.locator('li').count(), 6);
    await screenshot(page, 'review-form');
    await checkAxe(page, 'review form with errors');

    await page.getByLabel('Annual review', { exact: true }).check();
    await page.getByLabel('Day', { exact: true }).fill('1');
    await page.getByLabel('Month', { exact: true }).fill('11');
    await page.getByLabel('Year', { exact: true }).fill('2005');
    for (const field of ['met_time_and_service', 'met_objectives_or_reasonable_effort', 'took_part_in_appraisal_and_job_planning']) {
      await page.locator(`#${field}`).check();
    }
    await page.locator('#worked_towards_service_changes-2').check();
    await page.getByLabel('Notes (optional)').fill('The day-case unit move was delayed.');
    await submit(page, 'Record the review');
    assert.equal(pathOf(page), '/objectives');
    await page.getByText('The review has been recorded.').waitFor();
    const link = page.getByRole('link', { name: /Open pay progression case \d+/ });
    await link.waitFor();
    await page.getByRole('cell', { name: 'The day-case unit move was delayed.' }).waitFor();
  }, 'review-form'));

test('the clinical director cannot record a review outside their department', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'clinical.director');
    const res = await page.goto('/reviews/new?consultant=c-med-10');
    assert.equal(res.status(), 403);
    await page.getByRole('heading', { level: 1, name: 'You cannot open this page' }).waitFor();
  }, 'review-forbidden'));

test('the medical director recommends and the chief executive decides a case', async () => {
  let id;
  await withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'medical.director');
    const reported = (await cases(page)).filter((c) => c.status === 'reported' && c.consultant_id !== 'c-surg-01');
    assert.ok(reported.length > 0, 'the demo has a reported case');
    id = reported[reported.length - 1].id; // the oldest: one of the demo's, whatever other tests add
    await page.goto(`/progression/${id}`);
    await page.getByRole('heading', { level: 2, name: 'Your recommendation as medical director' }).waitFor();
    await page.getByRole('table', { name: /six criteria of PP-1/ }).waitFor();
    await screenshot(page, 'progression-case');
    await checkAxe(page, 'progression case');

    await submit(page, 'Send the recommendation');
    await page.locator('.nhsuk-error-summary').getByText('Select progress or defer').waitFor();
    await checkAxe(page, 'progression case with an error');

    await page.getByLabel('Progress to the next threshold').check();
    await page.getByLabel('Reasons').fill('All criteria met.');
    await submit(page, 'Send the recommendation');
    await page.getByText("Medical director's recommendation recorded.").waitFor();
    await page.getByText("Waiting for the chief executive's decision").first().waitFor();
    await page.getByText('There is no step for you to take on this case now.').waitFor();
  }, 'progression-recommend');

  await withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'chief.executive');
    await page.goto(`/progression/${id}`);
    await page.getByRole('heading', { level: 2, name: 'Your decision as chief executive' }).waitFor();
    await page.getByLabel('Progress to the next threshold').check();
    await submit(page, 'Record the decision');
    await page.getByText("Chief executive's decision recorded.").waitFor();
    await page.getByRole('rowheader', { name: "Chief executive's decision" }).waitFor();
    await screenshot(page, 'progression-case-decided');
    await checkAxe(page, 'progression case decided');
  }, 'progression-decide');
});

test('progress is refused on a case whose year failed a criterion unless a reason is given', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'medical.director');
    // The demo consultant's 2005 year has no private practice disclosure (PRV-2).
    const mine = (await cases(page)).filter((c) => c.status === 'reported' && c.consultant_id === 'c-surg-01');
    assert.ok(mine.length > 0, 'the demo has a reported case for c-surg-01');
    const id = mine[mine.length - 1].id;
    await page.goto(`/progression/${id}`);
    const callout = page.locator('#criteria-not-met');
    await callout.getByText(/private practice standards \(PRV-2\)/).waitFor();
    await page.getByRole('row', { name: /Private practice standards PRV-2/ }).getByText('Not met').waitFor();
    await page.getByLabel('Progress to the next threshold').check();
    await submit(page, 'Send the recommendation');
    const summary = page.locator('.nhsuk-error-summary');
    await summary.getByText(/employer's discretion and needs a recorded reason/).waitFor();
    const link = summary.getByRole('link');
    assert.equal(await link.getAttribute('href'), '#recommend-reason');
    await screenshot(page, 'progression-case-refused');
    await checkAxe(page, 'progression case refused without discretion');
  }, 'progression-refused'));

test('a consultant answers an extra-PA offer and sees it answered', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'clinical.director');
    const res = await page.request.post('/api/v1/extra-pa-offers', {
      data: { consultant_id: 'c-surg-01', offer: { offered_on: '2025-01-06', starts_on: '2025-04-07', pas: 1 } },
    });
    assert.equal(res.status(), 201);
    const { id } = await res.json();
    await signOut(page);
    await signIn(page, server.url, 'consultant');
    await page.goto('/objectives');
    const loaded = page.waitForEvent('load');
    await page.getByRole('link', { name: 'See the extra PAs offered to you' }).click();
    await loaded;
    assert.equal(pathOf(page), '/extra-pa-offers');
    const card = page.locator(`#offer-${id}`);
    await card.getByText('Awaiting an answer').waitFor();
    await checkAxe(page, 'extra-PA offers');
    await card.getByRole('button', { name: 'Record the answer' }).click();
    await page.locator('.nhsuk-error-summary').getByText('Select accept or decline').waitFor();
    await checkAxe(page, 'extra-PA offers with errors');
    await page.locator(`#offer-${id}-response-2`).check();
    await page.locator(`#offer-${id}-responded_on-day`).fill('20');
    await page.locator(`#offer-${id}-responded_on-month`).fill('1');
    await page.locator(`#offer-${id}-responded_on-year`).fill('2025');
    const answered = page.waitForEvent('load');
    await page.locator(`#offer-${id}`).getByRole('button', { name: 'Record the answer' }).click();
    await answered;
    await page.getByText('The answer has been recorded.').waitFor();
    await page.locator(`#offer-${id}`).getByText('Declined on 20 January 2025').waitFor();
    assert.equal(await page.locator(`#offer-${id}`).getByRole('button', { name: 'Record the answer' }).count(), 0);
    await screenshot(page, 'extra-pa-offers');
  }, 'extra-pa-offers'));

test('the progression list filters by status', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'medical.director');
    await page.goto('/progression');
    await page.getByRole('table', { name: /All cases you may see/ }).waitFor();
    await screenshot(page, 'progression');
    await checkAxe(page, 'progression');
    await page.getByLabel('Show cases').selectOption('appealed');
    await submit(page, 'Show');
    assert.match(page.url(), /status=appealed/);
    const rows = page.locator('tbody tr');
    assert.ok((await rows.count()) > 0);
    for (const row of await rows.all()) {
      assert.match(await row.innerText(), /Appealed by the consultant/);
    }
  }, 'progression'));

test("a consultant sees their pay progression timeline", () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant');
    await page.goto('/objectives');
    const loaded = page.waitForEvent('load');
    await page.getByRole('link', { name: 'See your pay progression timeline' }).click();
    await loaded;
    assert.equal(pathOf(page), '/consultants/c-surg-01/timeline');
    assert.equal((await page.getByRole('heading', { level: 1 }).innerText()).trim(), 'Your pay progression timeline');
    await page.locator('svg[role="img"]').first().waitFor();
    await page.getByRole('table', { name: 'Events of the timeline' }).waitFor();
    await page.getByRole('cell', { name: /Transfer to the contract/ }).waitFor();
    await screenshot(page, 'timeline');
    await checkAxe(page, 'timeline');
  }, 'timeline'));

test("a consultant cannot open another consultant's case or timeline", () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'medical.director');
    const other = (await cases(page)).find((c) => c.consultant_id !== 'c-surg-01');
    await signOut(page);
    await signIn(page, server.url, 'consultant');
    let res = await page.goto(`/progression/${other.id}`);
    assert.equal(res.status(), 403);
    await page.getByRole('heading', { level: 1, name: 'You cannot open this page' }).waitFor();
    res = await page.goto('/consultants/c-med-10/timeline');
    assert.equal(res.status(), 403);
    await page.getByRole('heading', { level: 1, name: 'You cannot open this page' }).waitFor();
    await checkAxe(page, 'forbidden');
  }, 'forbidden'));
