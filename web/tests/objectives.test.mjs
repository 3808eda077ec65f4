// Objectives as versions (JP-3): agreeing for one's own side, editing into a new version, the
// versions page, a stale edit that keeps what was typed, and the home pages' tasks.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkAxe, DEMO_PASSWORD, launch, pathOf, screenshot, signIn, startServer, withPage } from './lib.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Signs in through the JSON API in a fresh context and returns the context. */
async function api(username) {
  const context = await browser.newContext({ baseURL: new URL(server.url).origin });
  const resp = await context.request.post('/api/v1/sessions', { data: { username, password: DEMO_PASSWORD } });
  assert.ok(resp.ok(), `signing in ${username} through the API: ${resp.status()}`);
  return context;
}

/** Clicks a button in `scope` and waits for the next page. */
async function submit(page, scope, name) {
  const loaded = page.waitForEvent('load');
  await scope.getByRole('button', { name, exact: true }).click();
  await loaded;
}

/** The card of the objective whose text holds `text`. */
function card(page, text) {
  return page.locator('.tenpa-objective', { hasText: text });
}

test("the consultant's home lists objectives waiting for them, and they agree one", () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant');
    const tasks = page.getByRole('table', { name: /Objectives waiting for your agreement/ });
    await tasks.getByRole('link', { name: /Reduce day-case cancellations/ }).waitFor();
    await screenshot(page, 'home-objective-tasks');
    await checkAxe(page, 'home with objective tasks');

    await page.goto('/objectives');
    const c = card(page, 'Reduce day-case cancellations');
    await c.getByText('Proposed', { exact: true }).waitFor();
    await c.getByText(/Agreed by clinical\.director on/).waitFor();
    await c.getByText('Not yet agreed', { exact: true }).waitFor();
    assert.equal(await card(page, 'Deliver 420 elective procedures').getByRole('button', { name: /Agree this objective/ }).count(), 0,
      'an objective the consultant has agreed has no button for them');
    await screenshot(page, 'objectives-states');
    await checkAxe(page, 'objectives with states');

    await submit(page, c, 'Agree this objective as the consultant');
    assert.equal(pathOf(page), '/objectives');
    await page.getByText('Your agreement to the objective has been recorded.').waitFor();
    const agreed = card(page, 'Reduce day-case cancellations');
    await agreed.getByText('Agreed', { exact: true }).waitFor();
    await agreed.getByText(/Agreed by consultant on/).waitFor();
    assert.equal(await agreed.getByRole('button', { name: /Agree this objective/ }).count(), 0);
  }, 'objective-agree'));

test('the clinical director cannot agree for the consultant, and agrees for the manager', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'clinical.director');
    await page.getByRole('table', { name: /Objectives waiting for your agreement/ }).getByRole('link', { name: /surgical site infection/ }).waitFor();
    await page.goto('/objectives?consultant=c-surg-01');
    const c = card(page, 'surgical site infection');
    await c.getByText('Version 2').waitFor();
    assert.equal(await c.getByRole('button', { name: /as the consultant$/ }).count(), 0);
    await submit(page, c, "Agree this objective as the consultant's manager");
    await page.getByText('Your agreement to the objective has been recorded.').waitFor();
    await card(page, 'surgical site infection').getByText(/Agreed by clinical\.director on/).waitFor();
  }, 'objective-agree-manager'));

test('editing an objective makes a new version, proposed again, with its history', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant');
    await page.goto('/objectives');
    let c = card(page, 'Deliver 420 elective procedures');
    await c.getByText('Agreed', { exact: true }).waitFor();
    await c.locator('summary', { hasText: /^Edit/ }).click();
    const text = c.getByLabel('Objective', { exact: true });
    assert.match(await text.inputValue(), /Deliver 420 elective procedures/, 'the form is prefilled');
    await text.fill('');
    await submit(page, c, 'Save the new version');
    assert.equal((await page.locator('.nhsuk-error-summary').getByRole('link').allInnerTexts()).join(), 'Enter the objective');
    await checkAxe(page, 'objective edit with an error');

    c = card(page, 'Deliver 420 elective procedures');
    await c.getByLabel('Objective', { exact: true }).fill('Deliver 450 elective procedures in the year within the agreed sessions.');
    await submit(page, c, 'Save the new version');
    await page.getByText('The objective has been changed.').waitFor();
    c = card(page, 'Deliver 450 elective procedures');
    await c.getByText('Proposed', { exact: true }).waitFor();
    await c.getByText('Version 2').waitFor();
    assert.equal(await c.getByText('Not yet agreed', { exact: true }).count(), 2, 'both sides agree the new text again');

    const loaded = page.waitForEvent('load');
    await c.getByRole('link', { name: /See the 2 versions of this objective/ }).click();
    await loaded;
    assert.match(pathOf(page), /^\/objectives\/\d+\/versions$/);
    await page.getByRole('heading', { level: 2, name: 'Version 2 (current)' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Version 1' }).waitFor();
    const changes = page.getByRole('table', { name: 'Changes between versions' });
    await changes.locator('del', { hasText: 'Deliver 420' }).waitFor();
    await changes.locator('ins', { hasText: 'Deliver 450' }).waitFor();
    await screenshot(page, 'objective-versions');
    await checkAxe(page, 'objective versions');
  }, 'objective-edit'));

test('an edit of a version someone else changed is refused and keeps what was typed', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant');
    await page.goto('/objectives');
    let c = card(page, 'Keep the surgical site infection');
    await c.locator('summary', { hasText: /^Edit/ }).click();
    await c.getByLabel('Objective', { exact: true }).fill('Keep the surgical site infection rate below 1.5%.');

    // Meanwhile the clinical director changes it.
    const cd = await api('clinical.director');
    const list = await (await cd.request.get('/api/v1/objectives?consultant_id=c-surg-01')).json();
    const o = list.find((x) => x.text.startsWith('Keep the surgical site infection'));
    const r = await cd.request.put(`/api/v1/objectives/${o.id}`, {
      data: { version: o.version, heading: o.heading, text: 'Keep the surgical site infection rate below 1.8% in the department audit.' },
    });
    assert.equal(r.status(), 200, await r.text());
    await cd.close();

    const loaded = page.waitForEvent('load');
    await c.getByRole('button', { name: 'Save the new version', exact: true }).click();
    await loaded;
    c = card(page, 'Keep the surgical site infection');
    await c.getByText(/This objective was changed by clinical\.director since you opened it/).waitFor();
    await c.getByText('Keep the surgical site infection rate below 1.8% in the department audit.').first().waitFor();
    assert.equal(await c.getByLabel('Objective', { exact: true }).inputValue(), 'Keep the surgical site infection rate below 1.5%.');
    await screenshot(page, 'objective-conflict');
    await checkAxe(page, 'objective conflict');

    // Saving again makes the typed text the next version.
    await submit(page, c, 'Save the new version');
    await page.getByText('The objective has been changed.').waitFor();
    await card(page, 'below 1.5%').getByText(/Version \d/).waitFor();
  }, 'objective-conflict'));

test('the review form shows which objectives of the year were agreed', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'clinical.director');
    await page.goto('/reviews/new?consultant=c-surg-01');
    await page.getByRole('heading', { level: 2, name: /Objectives of the year/ }).waitFor();
    await page.locator('.tenpa-unagreed').getByText(/not agreed by both the consultant and their manager/).waitFor();
    await checkAxe(page, 'review form with objectives');
  }, 'review-objectives'));
