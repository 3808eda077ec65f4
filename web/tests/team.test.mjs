// The clinical director's team view (/team) and the trust dashboard (/trust), with their CSV and
// XLSX downloads.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { checkAxe, pathOf, screenshot, signIn, useServerAndBrowser, withPage } from './lib.mjs';

let server;
let browser;

useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

/** Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into rows of fields. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** Clicks the link named `name` and returns the download's suggested name and bytes. */
async function download(page, name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  const path = await dl.path();
  return { filename: dl.suggestedFilename(), bytes: readFileSync(path) };
}

/** Checks that `bytes` are an XLSX workbook: a zip holding xl/worksheets/sheet1.xml. */
function assertXlsx(bytes) {
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX file is a zip');
  assert.ok(bytes.includes(Buffer.from('xl/worksheets/sheet1.xml')), 'the workbook has a first sheet');
}

/** "£84,341.52" in pence. */
function pence(text) {
  const m = text.replace(/[£,\s]/g, '').match(/^(-?)(\d+)\.(\d\d)$/);
  assert.ok(m, `money: ${text}`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]));
}

const bodyRows = (page) => page.locator('#team-table tbody tr');

async function columnTexts(page, index) {
  return page.locator(`#team-table tbody tr > :nth-child(${index})`).allInnerTexts();
}

test('the clinical director sees the team, sorts and filters it', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'clinical.director');
    await page.getByRole('link', { name: 'Team', exact: true }).click();
    assert.equal(pathOf(page), '/team');
    assert.equal((await page.getByRole('heading', { level: 1 }).innerText()).trim(), 'Surgery team');
    const all = await bodyRows(page).count();
    assert.ok(all >= 5, `the demo's surgery department has consultants (found ${all})`);
    await page.getByRole('heading', { name: 'Department capacity by activity' }).waitFor();
    assert.equal(await page.locator('svg#team-capacity').count(), 1);
    await screenshot(page, 'team');
    await checkAxe(page, 'team');
    // At 1280 px every column is in view: no sideways scrolling of the page or of the table.
    const widths = await page.evaluate(() => {
      const box = document.querySelector('#team-table').closest('.tenpa-table-scroll');
      const last = document.querySelector('#team-table thead th:last-child');
      return { page: document.documentElement.scrollWidth, window: window.innerWidth, lastColumnEnds: last.getBoundingClientRect().right, boxEnds: box.getBoundingClientRect().right };
    });
    assert.ok(widths.page <= widths.window && widths.lastColumnEnds <= widths.boxEnds + 2, `the team table needs ${JSON.stringify(widths)}`);

    // Sorting by total PAs: the sorted header says so, the values run largest first, then smallest first.
    await page.getByRole('link', { name: /^Total PAs/ }).click();
    let th = page.locator('#team-table thead th[aria-sort]');
    assert.match(await th.innerText(), /Total PAs/);
    assert.equal(await th.getAttribute('aria-sort'), 'descending');
    let pas = (await columnTexts(page, 2)).map(Number);
    assert.equal(pas.length, all);
    assert.deepEqual(pas, [...pas].sort((a, b) => b - a));
    assert.ok(pas[0] >= pas[pas.length - 1]);
    await page.getByRole('link', { name: /^Total PAs/ }).click();
    th = page.locator('#team-table thead th[aria-sort]');
    assert.equal(await th.getAttribute('aria-sort'), 'ascending');
    pas = (await columnTexts(page, 2)).map(Number);
    assert.deepEqual(pas, [...pas].sort((a, b) => a - b));

    // Sorting by total pay reorders the rows: the first is the highest paid.
    const namesBefore = await columnTexts(page, 1);
    await page.getByRole('link', { name: /^Total pay/ }).click();
    const pay = (await columnTexts(page, 10)).map(pence);
    assert.equal(pay[0], Math.max(...pay));
    assert.equal(pay[pay.length - 1], Math.min(...pay));
    assert.ok(pay[0] > pay[pay.length - 1]);
    assert.notDeepEqual(await columnTexts(page, 1), namesBefore);

    // Filtering by status keeps only those plans, and the sort.
    await page.getByLabel('Status', { exact: true }).selectOption('signed_off');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    assert.match(page.url(), /status=signed_off/);
    assert.match(page.url(), /sort=pay/);
    const statuses = await columnTexts(page, 8);
    assert.ok(statuses.length > 0 && statuses.length < all, `filtered ${statuses.length} of ${all}`);
    for (const s of statuses) assert.equal(s.trim(), 'Signed off');
    await checkAxe(page, 'team, filtered');

    // Filtering by name.
    await page.getByRole('link', { name: 'Clear filters' }).click();
    assert.equal(await bodyRows(page).count(), all);
    const first = (await columnTexts(page, 1))[0];
    const surname = first.trim().split(/\s+/).pop();
    await page.getByLabel('Name contains').fill(surname.toLowerCase());
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const names = await columnTexts(page, 1);
    assert.ok(names.length >= 1);
    for (const n of names) assert.match(n.toLowerCase(), new RegExp(surname.toLowerCase()));
  }, 'team'));

test('the team downloads as CSV and XLSX with the rows of the table', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'clinical.director');
    await page.goto('/team?sort=total&dir=desc');
    const shown = await bodyRows(page).count();
    const csv = await download(page, 'Download these consultants as a CSV file');
    assert.match(csv.filename, /\.csv$/);
    const rows = parseCsv(csv.bytes.toString('utf8'));
    assert.equal(rows[0][0], 'Consultant');
    assert.ok(rows[0].includes('Total PAs'));
    assert.ok(rows[0].includes('Total pay'));
    assert.equal(rows.length - 1, shown, 'one row per consultant in the table');
    const names = await columnTexts(page, 1);
    assert.deepEqual(rows.slice(1).map((r) => r[0]), names.map((n) => n.trim()), 'same rows, same order');

    await page.goto('/team?status=signed_off');
    const filtered = await bodyRows(page).count();
    const filteredCsv = parseCsv((await download(page, 'Download these consultants as a CSV file')).bytes.toString('utf8'));
    assert.equal(filteredCsv.length - 1, filtered);

    const xlsx = await download(page, 'Download these consultants as an Excel spreadsheet (XLSX)');
    assert.match(xlsx.filename, /\.xlsx$/);
    assertXlsx(xlsx.bytes);
  }, 'team-downloads'));

test('the medical director may open any department; a clinical director only their own', async () => {
  await withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'medical.director');
    await page.goto('/team');
    const select = page.getByLabel('Department', { exact: true });
    const options = await select.locator('option').allInnerTexts();
    assert.ok(options.includes('Medicine'));
    await select.selectOption({ label: 'Medicine' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    assert.equal((await page.getByRole('heading', { level: 1 }).innerText()).trim(), 'Medicine team');
    await page.getByRole('link', { name: /^Total PAs/ }).click();
    const pas = (await columnTexts(page, 2)).map(Number);
    assert.ok(pas[0] > pas[pas.length - 1], `part-time physicians sort last (${pas.join(', ')})`);
    await checkAxe(page, 'team of another department');
  }, 'team-medical-director');
  await withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'clinical.director');
    const own = await page.goto('/team');
    assert.equal(own.status(), 200);
    assert.equal(await page.locator('#department').count(), 0, 'a clinical director is not offered other departments');
    const other = await page.goto('/team?department=999999');
    assert.equal(other.status(), 403);
    assert.equal((await page.getByRole('heading', { level: 1 }).innerText()).trim(), 'You cannot open this page');
  }, 'team-other-department');
});

test('the medical director sees the trust dashboard and downloads it', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'medical.director');
    await page.getByRole('link', { name: 'Trust dashboard', exact: true }).click();
    assert.equal(pathOf(page), '/trust');
    assert.equal((await page.getByRole('heading', { level: 1 }).innerText()).trim(), 'Trust dashboard');
    for (const h of [
      'Completion of job planning by department',
      'Overdue reviews',
      'High-frequency rotas',
      'Availability supplements against the funding target',
      'Pay bill by component',
    ]) {
      await page.getByRole('heading', { level: 2, name: h }).waitFor();
    }
    // Completion: the table's "All" row counts every current plan.
    const allRow = page.locator('#completion-table tbody tr').last();
    const plans = Number((await allRow.locator('td').last().innerText()).trim());
    assert.ok(plans >= 20, `current plans: ${plans}`);
    assert.equal(await page.locator('svg#trust-completion').count(), 1);
    // Overdue reviews: the demo's review dates are in the past.
    assert.ok((await page.locator('#overdue-table tbody tr').count()) > 0);
    // High-frequency rotas with reasons and action plans.
    const rotas = page.locator('#rotas-table tbody tr');
    assert.ok((await rotas.count()) > 0);
    assert.match(await page.locator('#rotas-table').innerText(), /1 in [1-4]/);
    // Supplements against the 3.48% target, cited.
    const supplements = await page.locator('#supplements ~ p').first().innerText();
    assert.match(supplements, /3\.48% of the pay bill \(F 4\(g\)/);
    assert.equal(await page.locator('svg#trust-supplements').count(), 1);
    // Pay bill: components add up to the total, to the penny.
    const payRows = page.locator('#pay-table tbody tr');
    const amounts = (await payRows.locator('td').allInnerTexts()).map(pence);
    const total = amounts.pop();
    assert.equal(amounts.length, 7, 'basic, extra PAs, supplement, premium, awards, existing awards, premia');
    assert.equal(amounts.reduce((a, b) => a + b, 0), total);
    assert.equal(await page.locator('svg#trust-pay-bill').count(), 1);
    await screenshot(page, 'trust');
    await checkAxe(page, 'trust');

    const csv = await download(page, /pay bill by consultant .* as a CSV file/);
    const rows = parseCsv(csv.bytes.toString('utf8'));
    assert.deepEqual(rows[0].slice(0, 4), ['Department', 'Consultant', 'Consultant id', 'Status']);
    assert.equal(rows.length - 1, plans, 'one row per current plan');
    const totalCol = rows[0].indexOf('Total pay');
    assert.ok(totalCol > 0);
    const sum = rows.slice(1).reduce((s, r) => s + pence(r[totalCol]), 0);
    assert.equal(sum, total, 'the CSV adds up to the pay bill');

    const xlsx = await download(page, /pay bill by consultant .* as an Excel spreadsheet/);
    assert.match(xlsx.filename, /\.xlsx$/);
    assertXlsx(xlsx.bytes);
  }, 'trust'));

test('the chief executive sees the trust dashboard', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'chief.executive');
    const res = await page.goto('/trust');
    assert.equal(res.status(), 200);
  }, 'trust-chief-executive'));

test('a consultant gets the 403 page on /team and /trust', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant');
    for (const path of ['/team', '/trust', '/team.csv', '/trust.xlsx']) {
      const res = await page.goto(path);
      assert.equal(res.status(), 403, path);
      assert.equal((await page.getByRole('heading', { level: 1 }).innerText()).trim(), 'You cannot open this page');
    }
    await checkAxe(page, 'forbidden');
  }, 'team-forbidden'));

test('the clinical director brings a plan edited by hand back into line with its rota', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'clinical.director');
    await page.getByRole('link', { name: 'On-call rotas' }).first().click();
    assert.equal(pathOf(page), '/rotas');
    await page.getByRole('link', { name: 'Vascular surgery on-call' }).click();
    assert.match(await page.locator('#rota-members').innerText(), /Agrees/);
    assert.equal(await page.locator('#mismatch').count(), 0, 'the demo plans agree with the demo rotas');
    await checkAxe(page, 'rota');
    const rotaPath = pathOf(page);
    // c-surg-09's plan (a draft) is edited by hand to another rota size.
    const plans = await (await page.request.get('/api/v1/job-plans')).json();
    const id = plans.find((p) => p.consultant_id === 'c-surg-09').id;
    const plan = await (await page.request.get(`/api/v1/job-plans/${id}`)).json();
    const document = { ...plan.document, on_call: { ...plan.document.on_call, rota_size: 7 } };
    const put = await page.request.put(`/api/v1/job-plans/${id}`, { data: { version: plan.version, document, note: 'by hand' } });
    assert.equal(put.status(), 200);
    await page.goto(rotaPath);
    assert.match(await page.locator('#mismatch').innerText(), /do not agree with the rota/);
    assert.match(await page.locator('#rota-members').innerText(), /Does not agree/);
    await checkAxe(page, 'rota with a plan that disagrees');
    await page.getByRole('button', { name: 'Bring the plans into line' }).click();
    await page.waitForURL(/aligned=1/);
    assert.match(await page.locator('#aligned').innerText(), /1 job plan brought into line/);
    assert.equal(await page.locator('#mismatch').count(), 0);
    // The plan page links the rota its on-call comes from.
    await page.goto(`/plans/${id}`);
    await page.locator('#plan-rotas').getByRole('link', { name: 'Vascular surgery on-call' }).click();
    assert.equal(pathOf(page), rotaPath);
  }, 'rota-bring-into-line'));
