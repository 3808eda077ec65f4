// Job plan workflow: agreement and sign-off across roles, the dispute route, version history and
// differences, and the printable plan with its PDF and calendar downloads.
// Each test starts its own server on fresh demo data.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAxe, pathOf, screenshot, signIn, startServer, useServerAndBrowser, withPage } from './lib.mjs';

let browser;

useServerAndBrowser(
  (_, b) => {
    browser = b;
  },
  { server: false },
);

/** Runs `fn(server)` against a fresh demo server. */
async function withServer(fn) {
  const server = await startServer();
  try {
    await fn(server);
  } finally {
    await server.stop();
  }
}

/** The demo's job plans, as the medical director sees them through the JSON API. */
async function plans(server) {
  let list;
  await withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'medical.director');
    const res = await page.request.get('/api/v1/job-plans');
    assert.equal(res.status(), 200);
    list = await res.json();
  });
  return list;
}

async function planOf(server, consultantId) {
  const plan = (await plans(server)).find((p) => p.consultant_id === consultantId);
  assert.ok(plan, `no demo plan for ${consultantId}`);
  return plan;
}

/** The small form of one workflow step, found by its button. */
function stepForm(page, label) {
  return page.locator('form.tenpa-step', { has: page.getByRole('button', { name: label, exact: true }) });
}

/** Posts a step's form and waits for the next page. */
async function takeStep(page, label, note = '') {
  const form = stepForm(page, label);
  if (note) await form.locator('textarea').fill(note);
  const loaded = page.waitForEvent('load');
  await form.getByRole('button', { name: label, exact: true }).click();
  await loaded;
}

/** Signs in as `username` in a fresh context and takes one step on plan `id`. */
async function step(server, username, id, label, banner, note = '') {
  await withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, username);
    await page.goto(`/plans/${id}/workflow`);
    await takeStep(page, label, note);
    assert.equal(pathOf(page), `/plans/${id}/workflow`);
    const success = page.locator('.nhsuk-notification-banner--success');
    assert.match(await success.innerText(), new RegExp(banner));
  }, `workflow-${username}`);
}

async function statusText(page) {
  return (await page.locator('#plan-status').innerText()).trim();
}

test('a plan is proposed, agreed and signed off across three roles', () =>
  withServer(async (server) => {
    const plan = await planOf(server, 'c-surg-01');
    assert.equal(plan.department, 'Surgery');
    assert.equal(plan.status, 'signed_off');
    const id = plan.id;
    // The clinical director reopens the signed-off plan for an interim review, then proposes it.
    await step(server, 'clinical.director', id, 'Reopen for an interim review', 'You reopened the plan');
    await step(server, 'clinical.director', id, 'Propose the plan', 'You proposed the plan', 'Interim review after the new clinic.');
    // The consultant whose plan it is agrees it.
    await step(server, 'consultant', id, 'Agree the plan', 'You agreed the plan');
    await step(server, 'clinical.director', id, 'Sign off as clinical director', 'You signed off the plan as clinical director');
    await withPage(browser, server.url, async (page) => {
      await signIn(page, server.url, 'medical.director');
      await page.goto(`/plans/${id}/workflow`);
      assert.equal(await statusText(page), 'Signed off by clinical director');
      await takeStep(page, 'Sign off as medical director');
      assert.match(await page.locator('.nhsuk-notification-banner--success').innerText(), /You signed off the plan as medical director/);
      assert.equal(await statusText(page), 'Signed off');
      const history = await page.locator('table.tenpa-history').innerText();
      assert.match(history, /Interim review after the new clinic\./);
      assert.match(history, /Ms Hannah Price/);
      assert.match(history, /Mr Samuel Okafor/);
      assert.match(await page.locator('main').innerText(), /Nothing is waiting for you on this plan|Reopen for an interim review/);
      await screenshot(page, 'workflow');
      await checkAxe(page, 'workflow');
    }, 'workflow-md');
  }));

test('a dispute: not agreed with reasons, then referred to the medical director', () =>
  withServer(async (server) => {
    const { id } = await planOf(server, 'c-surg-01');
    await step(server, 'clinical.director', id, 'Reopen for an interim review', 'You reopened the plan');
    await step(server, 'clinical.director', id, 'Propose the plan', 'You proposed the plan');
    const reasons = 'Two SPAs are needed for my audit and teaching.';
    await withPage(browser, server.url, async (page) => {
      await signIn(page, server.url, 'consultant');
      await page.goto(`/plans/${id}/workflow`);
      // Without reasons the form comes back with an error summary naming the field.
      await takeStep(page, 'Record that the plan is not agreed');
      const summary = page.locator('.nhsuk-error-summary');
      assert.match(await summary.innerText(), /Enter your reasons for not agreeing the plan/);
      assert.equal(await statusText(page), 'Proposed');
      await checkAxe(page, 'workflow with an error');
      await screenshot(page, 'workflow-error');
      await takeStep(page, 'Record that the plan is not agreed', reasons);
      assert.match(await page.locator('.nhsuk-notification-banner--success').innerText(), /You recorded that the plan is not agreed/);
      assert.equal(await statusText(page), 'Not agreed');
      // The dispute route is explained.
      assert.match(await page.locator('main').innerText(), /local appeals panel/);
    }, 'dispute-consultant');
    await step(server, 'clinical.director', id, 'Refer to the medical director', 'You referred the plan to the medical director', 'We could not agree the SPAs.');
    await withPage(browser, server.url, async (page) => {
      await signIn(page, server.url, 'medical.director');
      await page.goto(`/plans/${id}/workflow`);
      assert.equal(await statusText(page), 'Referred to medical director');
      await stepForm(page, 'Record the outcome of the referral').waitFor();
      await page.goto(`/plans/${id}/history`);
      const history = await page.locator('table.tenpa-history').innerText();
      assert.ok(history.includes(reasons), 'the reasons are in the history');
      assert.match(history, /Referred to the medical director/);
    }, 'dispute-md');
  }));

test('a stale form gives the conflict page', () =>
  withServer(async (server) => {
    const { id } = await planOf(server, 'c-surg-01');
    await withPage(browser, server.url, async (page) => {
      await signIn(page, server.url, 'clinical.director');
      await page.goto(`/plans/${id}/workflow`);
      // Another tab takes the step first.
      const other = await page.context().newPage();
      await other.goto(`/plans/${id}/workflow`);
      await takeStep(other, 'Reopen for an interim review');
      await other.close();
      await takeStep(page, 'Reopen for an interim review');
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Someone else has changed this record');
      await checkAxe(page, 'conflict');
    }, 'workflow-conflict');
  }));

test("a clinical director cannot open another department's plan", () =>
  withServer(async (server) => {
    const medicine = (await plans(server)).find((p) => p.department === 'Medicine');
    assert.ok(medicine, 'a Medicine plan');
    await withPage(browser, server.url, async (page) => {
      await signIn(page, server.url, 'clinical.director');
      const res = await page.goto(`/plans/${medicine.id}/workflow`);
      assert.equal(res.status(), 403);
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'You cannot open this page');
      const text = await page.locator('main').innerText();
      assert.doesNotMatch(text, /panicked|stack backtrace|at src\//);
      await checkAxe(page, 'forbidden workflow');
      for (const path of ['history', 'print', 'job-plan.pdf', 'timetable.ics', 'diff?from=1&to=2']) {
        const r = await page.request.get(`/plans/${medicine.id}/${path}`);
        assert.equal(r.status(), 403, path);
      }
    }, 'workflow-forbidden');
  }));

test('the version history and the difference between two versions', () =>
  withServer(async (server) => {
    // A draft plan in Surgery, edited by the clinical director (a new version with changes).
    const draft = (await plans(server)).find((p) => p.department === 'Surgery' && p.status === 'draft');
    assert.ok(draft, 'a Surgery draft');
    await withPage(browser, server.url, async (page) => {
      await signIn(page, server.url, 'clinical.director');
      const res = await page.request.get(`/api/v1/job-plans/${draft.id}`);
      assert.equal(res.status(), 200);
      const current = await res.json();
      const doc = structuredClone(current.document);
      doc.activity[0].title = 'Fracture clinic (moved)';
      doc.activity[0].location = 'Outpatients B';
      const put = await page.request.put(`/api/v1/job-plans/${draft.id}`, {
        data: { version: current.version, document: doc, note: 'Clinic moved to Outpatients B.' },
      });
      assert.equal(put.status(), 200, await put.text());

      await page.goto(`/plans/${draft.id}/history`);
      assert.match(await page.locator('table.tenpa-history').innerText(), /Clinic moved to Outpatients B\./);
      assert.equal(await page.getByLabel('Earlier version').inputValue(), String(current.version));
      assert.equal(await page.getByLabel('Later version').inputValue(), String(current.version + 1));
      await screenshot(page, 'history');
      await checkAxe(page, 'history');

      const loaded = page.waitForEvent('load');
      await page.getByRole('button', { name: 'Show the differences' }).click();
      await loaded;
      assert.equal(pathOf(page), `/plans/${draft.id}/diff`);
      const main = await page.locator('main').innerText();
      assert.match(main, /Outpatients B/);
      assert.match(main, /Total programmed activities/);
      await screenshot(page, 'diff');
      await checkAxe(page, 'diff');

      for (const [query, status] of [['from=x&to=1', 400], ['to=1', 400], ['from=1&to=99', 404]]) {
        const r = await page.goto(`/plans/${draft.id}/diff?${query}`);
        assert.equal(r.status(), status, query);
        assert.doesNotMatch(await page.locator('main').innerText(), /panicked/);
      }
    }, 'history');
  }));

test('the printable plan, its PDF and its calendar', () =>
  withServer(async (server) => {
    const plan = await planOf(server, 'c-surg-01');
    await withPage(browser, server.url, async (page) => {
      await signIn(page, server.url, 'consultant');
      const api = await (await page.request.get(`/api/v1/job-plans/${plan.id}`)).json();
      await page.goto(`/plans/${plan.id}/print`);
      const main = await page.locator('main').innerText();
      assert.match(main, /Job plan: Mr Samuel Okafor/);
      assert.match(main, /Signed off by the medical director/);
      assert.ok(main.includes('c-surg-01'));
      await page.locator('button[data-print]').waitFor();
      assert.equal(await page.locator('.tenpa-signatures').count(), 1);
      const rows = await page.locator('table:has(caption:text("Timetabled activities")) tbody tr').count();
      assert.equal(rows, api.document.activity.length);
      await screenshot(page, 'print');
      await checkAxe(page, 'print');

      const pdf = await page.request.get(`/plans/${plan.id}/job-plan.pdf`);
      assert.equal(pdf.status(), 200);
      assert.equal(pdf.headers()['content-type'], 'application/pdf');
      assert.equal(
        pdf.headers()['content-disposition'],
        `attachment; filename="job-plan-c-surg-01-v${plan.version}.pdf"`,
      );
      const bytes = await pdf.body();
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.match(bytes.subarray(-32).toString('latin1'), /%%EOF\s*$/);
      assert.ok(bytes.toString('latin1').includes('c-surg-01'), 'the PDF names the consultant');

      const ics = await page.request.get(`/plans/${plan.id}/timetable.ics`);
      assert.equal(ics.status(), 200);
      assert.equal(ics.headers()['content-type'], 'text/calendar; charset=utf-8');
      assert.equal(ics.headers()['content-disposition'], 'attachment; filename="timetable-c-surg-01.ics"');
      const text = await ics.text();
      assert.match(text, /^BEGIN:VCALENDAR\r\n/);
      assert.match(text, /END:VCALENDAR\r\n$/);
      const expected = api.document.activity.reduce(
        (n, a) => n + (api.document.job_plan.cycle_weeks > 1 && a.weeks?.length > 1 ? a.weeks.length : 1),
        0,
      );
      assert.equal(text.match(/^BEGIN:VEVENT\r$/gm)?.length ?? 0, expected);
    }, 'print');
  }));

test('a sign-off acknowledges each warning, and only the medical director signs off an error, with a reason', () =>
  withServer(async (server) => {
    // A new plan of c-surg-01 from the demo's: 8 PAs contracted (a WW-9 warning) and an activity in
    // a week the cycle does not have (a WW-5 error), made through the API as the clinical director.
    const demo = await planOf(server, 'c-surg-01');
    let id;
    await withPage(browser, server.url, async (page) => {
      await signIn(page, server.url, 'clinical.director');
      const doc = (await (await page.request.get(`/api/v1/job-plans/${demo.id}`)).json()).document;
      doc.job_plan.contracted_pas = 8;
      doc.activity[0].weeks = [(doc.job_plan.cycle_weeks ?? 1) + 1];
      const made = await page.request.post('/api/v1/job-plans', { data: { document: doc } });
      assert.equal(made.status(), 201, await made.text());
      const plan = await made.json();
      id = plan.id;
      const severities = plan.assessment.findings.map((f) => f.severity);
      assert.ok(severities.includes('warning') && severities.includes('error'), JSON.stringify(plan.assessment.findings));
    }, 'ack-setup');
    await step(server, 'clinical.director', id, 'Propose the plan', 'You proposed the plan');
    await step(server, 'consultant', id, 'Agree the plan', 'You agreed the plan');

    const tickAll = async (form) => {
      for (const box of await form.getByRole('checkbox').all()) await box.check();
    };
    await withPage(browser, server.url, async (page) => {
      await signIn(page, server.url, 'clinical.director');
      await page.goto(`/plans/${id}/workflow`);
      const form = stepForm(page, 'Sign off as clinical director');
      assert.match(await form.innerText(), /Findings to acknowledge before signing off/);
      await checkAxe(page, 'sign-off-checklist');
      // Signed off without ticking: the form comes back with the error, nothing taken.
      await takeStep(page, 'Sign off as clinical director');
      assert.match(await page.locator('.nhsuk-error-summary').innerText(), /must be acknowledged before the plan is signed off/);
      assert.equal(await statusText(page), 'Agreed by consultant');
      await checkAxe(page, 'sign-off-checklist-error');
      const again = stepForm(page, 'Sign off as clinical director');
      await tickAll(again);
      await again.getByRole('textbox').first().fill('Clinic moves to week 1 in May.');
      await takeStep(page, 'Sign off as clinical director');
      assert.match(await page.locator('.nhsuk-notification-banner--success').innerText(), /You signed off the plan as clinical director/);
      assert.match(await page.locator('table.tenpa-history').innerText(), /Clinic moves to week 1 in May\./);
    }, 'ack-cd');
    await withPage(browser, server.url, async (page) => {
      await signIn(page, server.url, 'medical.director');
      await page.goto(`/plans/${id}/workflow`);
      let form = stepForm(page, 'Sign off as medical director');
      await tickAll(form);
      await takeStep(page, 'Sign off as medical director');
      assert.match(await page.locator('.nhsuk-error-summary').innerText(), /only the medical director may sign it off, overriding it with a reason/);
      form = stepForm(page, 'Sign off as medical director');
      // What was ticked is kept; the reason is given.
      for (const box of await form.getByRole('checkbox').all()) assert.ok(await box.isChecked());
      const reason = 'The cycle is redesigned in May; signed off so that pay starts.';
      await form.getByLabel('Why you sign off the plan despite its error').fill(reason);
      await takeStep(page, 'Sign off as medical director');
      assert.equal(await statusText(page), 'Signed off');
      assert.match(await page.locator('table.tenpa-history').innerText(), /Signed off despite an error: The cycle is redesigned in May/);
      await page.goto(`/plans/${id}`);
      assert.match(await page.locator('#sign-off-override').innerText(), /The cycle is redesigned in May/);
      await checkAxe(page, 'plan-with-override');
    }, 'ack-md');
  }));
