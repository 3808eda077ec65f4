// Job plans: the plan page with its week and assessment, the editor with its live panel (and
// without JavaScript), the rule pages, and a plan the user may not see.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEMO_PASSWORD,
  checkAxe,
  pathOf,
  screenshot,
  signIn,
  useServerAndBrowser,
  withPage,
} from './lib.mjs';

let server;
let browser;
/** The consultant's own plan (c-surg-01), reopened for editing. */
let ownPlan;
/** Another consultant's plan. */
let otherPlan;

/** Signs in through the JSON API in a fresh context and returns that context's request client. */
async function api(username) {
  const context = await browser.newContext({ baseURL: new URL(server.url).origin });
  const resp = await context.request.post('/api/v1/sessions', {
    data: { username, password: DEMO_PASSWORD },
  });
  assert.ok(resp.ok(), `signing in ${username} through the API: ${resp.status()}`);
  return context;
}

useServerAndBrowser(async (s, b) => {
  server = s;
  browser = b;
  // The consultant's plan is signed off in the demo: the clinical director reopens it for an
  // interim review, so the consultant can edit it.
  const cd = await api('clinical.director');
  const plans = await (await cd.request.get('/api/v1/job-plans')).json();
  const own = plans.find((p) => p.consultant_id === 'c-surg-01');
  assert.ok(own, 'the demo has a plan for c-surg-01');
  if (own.status === 'signed_off') {
    const r = await cd.request.post(`/api/v1/job-plans/${own.id}/transitions`, {
      data: { version: own.version, action: 'reopen', note: 'Interim review for the browser tests' },
    });
    assert.ok(r.ok(), `reopening plan ${own.id}: ${r.status()} ${await r.text()}`);
  }
  ownPlan = own.id;
  await cd.close();
  const md = await api('medical.director');
  const all = await (await md.request.get('/api/v1/job-plans')).json();
  otherPlan = all.find((p) => p.consultant_id !== 'c-surg-01' && p.department !== 'Surgery')?.id;
  assert.ok(otherPlan, 'the demo has plans of other consultants');
  await md.close();
});

test('a consultant opens their job plan: the week, on-call, pay and the assessment', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant');
    await page.goto('/plans');
    await checkAxe(page, 'job plans list');
    const row = page.locator('tbody tr', { has: page.locator(`a[href="/plans/${ownPlan}"]`) });
    assert.match((await row.locator('td').nth(4).innerText()).trim(), /^\d+(\.\d+)?$/, 'the PA total is shown');
    const link = page.locator(`a[href="/plans/${ownPlan}"]`);
    await Promise.all([page.waitForURL(`**/plans/${ownPlan}`), link.click()]);
    const h1 = await page.getByRole('heading', { level: 1 }).innerText();
    assert.match(h1, /^Job plan of /);
    const grid = page.locator('table.tenpa-week');
    await grid.waitFor();
    assert.match(await grid.locator('thead').innerText(), /Monday[\s\S]*Sunday/);
    assert.ok((await grid.locator('td.tenpa-premium').count()) > 0, 'premium time is shaded');
    assert.ok((await grid.locator('.tenpa-slot').count()) > 0, 'activities are placed in the grid');
    await page.getByRole('heading', { name: 'Assessment' }).waitFor();
    assert.match(await page.locator('#pa-total').innerText(), /PAs a week/);
    assert.match(await page.locator('main').innerText(), /£\d{2},\d{3}\.\d{2}/);
    for (const name of ['Edit the plan', 'Workflow and sign-off', 'Version history', 'Print the job plan']) {
      await page.getByRole('link', { name }).waitFor();
    }
    await screenshot(page, 'plan');
    await checkAxe(page, 'job plan');
  }, 'plan'));

test('the editor updates its live panel as an activity changes, then saves a new version', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant');
    await page.goto(`/plans/${ownPlan}`);
    const versionBefore = await page.locator('.nhsuk-summary-list__row', { hasText: 'Version' }).first().innerText();
    await page.getByRole('link', { name: 'Edit the plan' }).click();
    assert.equal(pathOf(page), `/plans/${ownPlan}/edit`);
    const panel = page.locator('#live-panel');
    assert.equal(await panel.getAttribute('aria-live'), 'polite');
    await screenshot(page, 'editor');
    await checkAxe(page, 'editor');

    // Each activity is one line of a list, not a page-high form, and opens in place to a compact
    // block of its fields; times are typed on the 24-hour clock; the assessment stays in view
    // beside the last activity, its labels broken between words.
    const rows = page.locator('details.tenpa-row:has(fieldset.tenpa-activity)');
    const heights = await rows.evaluateAll((ds) => ds.map((d) => d.getBoundingClientRect().height));
    assert.ok(heights.length > 3 && Math.max(...heights) < 100, `activity rows ${heights.join(', ')} px high: a line or two each`);
    assert.equal(await page.locator('fieldset.tenpa-activity').first().isVisible(), false, 'a stored activity is shut');
    await rows.first().locator('summary').click();
    const block = await page.locator('fieldset.tenpa-activity').first().boundingBox();
    assert.ok(block.height < 320, `an open activity is ${block.height} px high`);
    const start = page.locator('fieldset.tenpa-activity').first().getByLabel('Start', { exact: true });
    assert.equal(await start.getAttribute('type'), 'text');
    assert.match(await start.inputValue(), /^([01]\d|2[0-4]):[0-5]\d$/);
    assert.match(await rows.first().locator('summary').innerText(), new RegExp(await start.inputValue()));
    await rows.last().scrollIntoViewIfNeeded();
    const box = await panel.boundingBox();
    assert.ok(box.y < 720 && box.y + box.height > 0, `the panel is in view (top ${box.y}, height ${box.height})`);
    const wrap = await panel.locator('.nhsuk-summary-list__key').first().evaluate((k) => getComputedStyle(k).overflowWrap);
    assert.equal(wrap, 'normal');
    await page.evaluate(() => window.scrollTo(0, 0));

    const total = page.locator('#live-panel #pa-total');
    const totalBefore = await total.innerText();
    const findingsBefore = await panel.locator('.tenpa-findings, .tenpa-assessment > p').allInnerTexts();
    // Shorten the Wednesday SPA (08:00-12:00) to two hours: half a PA less.
    await page.locator('details.tenpa-row', { hasText: 'Teaching of trainees' }).locator('summary').click();
    const spa = page.getByRole('group', { name: /Teaching of trainees/ });
    await spa.getByLabel('End', { exact: true }).fill('10:00');
    let navigated = false;
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigated = true; });
    await page.waitForFunction(
      (before) => document.querySelector('#live-panel #pa-total')?.innerText !== before,
      totalBefore,
    );
    const totalAfter = await total.innerText();
    assert.notEqual(totalAfter, totalBefore);
    assert.match(totalAfter, /9\.5 PAs a week/);
    const findingsAfter = await panel.locator('.tenpa-findings, .tenpa-assessment > p').allInnerTexts();
    assert.notDeepEqual(findingsAfter, findingsBefore, 'the findings change with the timetable');
    assert.match(await panel.locator('.tenpa-findings').innerText(), /Rule WW-9/);
    assert.equal(navigated, false, 'the panel updated without a page load');

    await page.getByLabel('Note for the version history').fill('SPA shortened on Wednesdays');
    await Promise.all([page.waitForURL(`**/plans/${ownPlan}`), page.getByRole('button', { name: 'Save', exact: true }).click()]);
    const versionAfter = await page.locator('.nhsuk-summary-list__row', { hasText: 'Version' }).first().innerText();
    assert.notEqual(versionAfter, versionBefore, 'a new version is saved');
    assert.match(await page.locator('#pa-total').innerText(), /9\.5 PAs a week/);
  }, 'editor'));

test('a finding links to its rule, whose page shows the rule and its parameters', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant');
    await page.goto(`/plans/${ownPlan}`);
    const link = page.locator('.tenpa-findings a[href^="/rules/"]').first();
    const href = await link.getAttribute('href');
    await Promise.all([page.waitForURL(`**${href}`), link.click()]);
    const caption = await page.locator('.nhsuk-caption-l').innerText();
    assert.match(caption, /^Rule [A-Z]+-\d+/);
    await page.getByRole('heading', { name: 'Parameters behind this rule' }).waitFor();
    await screenshot(page, 'rule');
    await checkAxe(page, 'rule');
    await page.goto('/rules/WW-3');
    assert.match(await page.locator('main').innerText(), /08:00/);
    await page.goto('/rules');
    assert.ok((await page.locator('tbody tr').count()) > 40);
    await checkAxe(page, 'rules');
  }, 'rule'));

test("a consultant cannot open another consultant's plan", () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant');
    const resp = await page.goto(`/plans/${otherPlan}`);
    assert.equal(resp.status(), 403);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'You cannot open this page');
    const edit = await page.goto(`/plans/${otherPlan}/edit`);
    assert.equal(edit.status(), 403);
    const unknown = await page.goto('/rules/NO-SUCH-RULE');
    assert.equal(unknown.status(), 404);
  }, 'plan-forbidden'));

test('without JavaScript the editor adds an activity and saves', async () => {
  const origin = new URL(server.url).origin;
  const context = await browser.newContext({ baseURL: origin, locale: 'en-GB', javaScriptEnabled: false });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  try {
    await signIn(page, server.url, 'consultant');
    await page.goto(`/plans/${ownPlan}/edit`);
    const count = await page.locator('fieldset.tenpa-activity').count();
    await page.getByRole('button', { name: 'Add an activity' }).click();
    await page.waitForLoadState('load');
    assert.equal(pathOf(page), `/plans/${ownPlan}/edit`);
    assert.equal(await page.locator('fieldset.tenpa-activity').count(), count + 1);
    const added = page.getByRole('group', { name: `Activity ${count + 1}` });
    await added.getByLabel('Day').selectOption('sat');
    await added.getByLabel('Start', { exact: true }).fill('09:00');
    await added.getByLabel('End', { exact: true }).fill('11:00');
    await added.getByLabel('Category').selectOption('dcc');
    await added.getByLabel('Title').fill('Saturday ward round');
    await added.getByLabel('Location').fill('Main site, Ward 4');
    await page.getByRole('button', { name: 'Check the plan' }).click();
    await page.waitForLoadState('load');
    assert.match(await page.locator('#live-panel').innerText(), /Saturday ward round/);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(`**/plans/${ownPlan}`);
    assert.match(await page.locator('table.tenpa-week').innerText(), /Saturday ward round/);
    await screenshot(page, 'plan-after-no-js-edit');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the editor records a private session and the panel finds it clashing with an NHS session (PRV-3)', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant');
    await page.goto(`/plans/${ownPlan}/edit`);
    await page.getByRole('button', { name: 'Add a private session' }).click();
    await page.waitForLoadState('load');
    const added = page.getByRole('group', { name: 'Private session 1' });
    await added.getByLabel('Day').selectOption('tue');
    await added.getByLabel('Start', { exact: true }).fill('10:00');
    await added.getByLabel('End', { exact: true }).fill('12:00');
    await added.getByLabel('Kind').selectOption('private_practice');
    await added.getByLabel('Title').fill('Private clinic');
    await added.getByLabel('Location').fill('Private hospital');
    await page.getByRole('button', { name: 'Check the plan' }).click();
    await page.waitForLoadState('load');
    const panel = page.locator('#live-panel');
    await panel.getByText('private practice in NHS time', { exact: false }).first().waitFor();
    assert.match(await panel.innerText(), /"Tue 10:00-12:00 Private clinic" overlaps/);
    assert.equal(await page.getByRole('group', { name: /Private session 1/ }).getByLabel('Title').inputValue(), 'Private clinic');
    await checkAxe(page, 'editor with a private session');
  }, 'editor-private-session'));

test('the editor records an existing distinction award and the panel pays it on top of basic salary (CEA-3)', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant');
    await page.goto(`/plans/${ownPlan}/edit`);
    await page.getByLabel('Existing award kept from before the scheme').selectOption('distinction_award');
    await page.getByLabel("Existing award's full-time value a year, pounds").fill('20000');
    await page.getByRole('button', { name: 'Check the plan' }).click();
    await page.waitForLoadState('load');
    const row = page.locator('#live-panel tr', { hasText: 'Existing award' });
    await row.waitFor();
    assert.match(await row.innerText(), /£20,000\.00/);
    assert.equal(await page.getByLabel("Existing award's full-time value a year, pounds").inputValue(), '20000');
    await checkAxe(page, 'editor with an existing award');
  }, 'editor-existing-award'));

test('the editor records leave and the panel asks for its agreement with the employer (WW-8)', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant');
    await page.goto(`/plans/${ownPlan}/edit`);
    await page.getByRole('button', { name: 'Add leave' }).click();
    await page.waitForLoadState('load');
    const added = page.getByRole('group', { name: 'Leave 1' });
    await added.getByLabel('Kind').selectOption('study');
    await added.getByLabel('From').fill('2006-07-03');
    await page.getByRole('button', { name: 'Check the plan' }).click();
    await page.waitForLoadState('load');
    const panel = page.locator('#live-panel');
    await panel.getByText('not recorded as agreed with the employer', { exact: false }).first().waitFor();
    assert.match(await panel.innerText(), /study leave from 2006-07-03/);
    assert.equal(await page.getByRole('group', { name: 'Leave 1' }).getByLabel('From').inputValue(), '2006-07-03');
    await checkAxe(page, 'editor with leave');
  }, 'editor-leave'));

test('a bad time re-shows the editor with an error naming the field and the values kept', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant');
    await page.goto(`/plans/${ownPlan}/edit`);
    await page.getByLabel('Contracted PAs a week').fill('eleven');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForLoadState('load');
    const summary = page.locator('.nhsuk-error-summary');
    assert.match(await summary.innerText(), /contracted PAs/i);
    assert.equal(await page.getByLabel('Contracted PAs a week').inputValue(), 'eleven');
    await checkAxe(page, 'editor with an error');
  }, 'editor-error'));


test('on a phone each activity of the editor fits the screen, a line shut and its fields two to a line open', () =>
  withPage(browser, server.url, async (page) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, server.url, 'consultant');
    await page.goto(`/plans/${ownPlan}/edit`);
    const rows = page.locator('details.tenpa-row');
    assert.ok((await rows.count()) > 3);
    for (const summary of await rows.locator('summary').all()) await summary.click();
    const blocks = await page.locator('fieldset.tenpa-activity').evaluateAll((fs) => fs.map((f) => ({
      right: f.getBoundingClientRect().right,
      overflow: f.scrollWidth - f.clientWidth,
      height: f.getBoundingClientRect().height,
    })));
    assert.ok(blocks.length > 3);
    for (const b of blocks) {
      assert.ok(b.right <= 390 && b.overflow <= 0, `an activity block reaches ${b.right} px, ${b.overflow} px cut off`);
      assert.ok(b.height < 520, `an activity block is ${b.height} px high on a phone`);
    }
    await screenshot(page, 'editor-phone');
    await checkAxe(page, 'editor on a phone');
  }, 'editor-phone'));

test('on a phone the plan shows its week as a list by day, not a grid of seven columns', () =>
  withPage(browser, server.url, async (page) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, server.url, 'consultant');
    await page.goto(`/plans/${ownPlan}`);
    assert.equal(await page.locator('.tenpa-week-scroll').first().isVisible(), false, 'the grid is hidden');
    const list = page.locator('.tenpa-week-list').first();
    assert.ok(await list.isVisible(), 'the list is shown');
    const text = await list.innerText();
    assert.match(text, /Monday/);
    assert.match(text, /\d\d:\d\d to \d\d:\d\d/);
    const right = await list.evaluate((l) => l.getBoundingClientRect().right);
    assert.ok(right <= 390, `the list reaches ${right} px`);
    await screenshot(page, 'plan-phone');
    await checkAxe(page, 'plan on a phone');
  }, 'plan-phone'));

test('a plan across two employers names each activity\'s employer, the lead and the totals by employer (JP-5)', () =>
  withPage(browser, server.url, async (page) => {
    const md = await api('medical.director');
    const all = await (await md.request.get('/api/v1/job-plans')).json();
    await md.close();
    const plan = all.find((p) => p.consultant_id === 'c-med-17');
    assert.ok(plan, 'the demo has the multi-employer plan of c-med-17');
    await signIn(page, server.url, 'medical.director');
    await page.goto(`/plans/${plan.id}?week=2`);
    const employers = page.locator('#employers');
    assert.match(await employers.innerText(), /Tenpa Demo NHS Foundation Trust\s*Lead employer/);
    assert.match(await employers.innerText(), /Tenpa Demo Community Health NHS Trust/);
    assert.match(await page.locator('table.tenpa-week').innerText(), /Employer: Tenpa Demo Community Health NHS Trust/);
    const totals = page.locator('#employer-totals');
    assert.match(await totals.innerText(), /Tenpa Demo NHS Foundation Trust \(lead\)/);
    assert.equal(await totals.locator('tbody tr').count(), 2);
    assert.equal(await page.locator('#lead-employer-warning').count(), 0, 'the plan and the record agree');
    await checkAxe(page, 'plan across employers');
    await page.getByRole('link', { name: 'Edit the plan' }).click();
    await page.locator('details.tenpa-row').first().locator('summary').click();
    const select = page.locator('select[name="a0-employer"]');
    await select.waitFor();
    const options = await select.locator('option').allInnerTexts();
    assert.ok(options.some((o) => /Community Health/.test(o)), `employer options: ${options}`);
    await checkAxe(page, 'editor across employers');
  }, 'plan-employers'));
