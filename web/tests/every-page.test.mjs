// The axe-core check on every page: for each demo account, every page it can reach by links from its
// home page (one of each kind: /plans/3 and /plans/7, /rules/OC-6 and /rules/WW-1 are the same
// page), with JavaScript on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAxe, DEMO_HOMES, signIn, useServerAndBrowser, withPage } from './lib.mjs';

let server;
let browser;

useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

/** The kind of page a path is: numbers and consultant ids replaced, the query's keys kept. */
function kindOf(path) {
  const url = new URL(path, 'http://x');
  const shape = url.pathname.replace(/\/rules\/[A-Z]+-\d+$/, '/rules/{rule}').replace(/\/\d+/g, '/{n}').replace(/\/c-[a-z]+-\d+/g, '/{consultant}');
  const keys = [...url.searchParams.keys()].sort().join('&');
  return keys ? `${shape}?${keys}` : shape;
}

function followable(href) {
  return href.startsWith('/') && !href.startsWith('//') && !href.startsWith('/api/')
    && !href.startsWith('/assets/') && !href.startsWith('/auth/') && !href.startsWith('/sign-')
    && !/\.(csv|xlsx|pdf|ics)(\?|$)/.test(href) && !href.includes('#');
}

for (const [username] of DEMO_HOMES) {
  test(`every kind of page ${username} can reach passes axe`, { timeout: 600_000 }, () =>
    withPage(browser, server.url, async (page) => {
      await signIn(page, server.url, username);
      const seen = new Set(['/']);
      const kinds = new Set();
      const queue = ['/'];
      const checked = [];
      while (queue.length > 0 && checked.length < 80) {
        const path = queue.shift();
        const kind = kindOf(path);
        if (kinds.has(kind)) continue;
        kinds.add(kind);
        const resp = await page.goto(path);
        assert.ok(resp, `no answer for ${path}`);
        assert.ok(resp.status() < 500, `${username}: ${path} answered ${resp.status()}`);
        await checkAxe(page, `${username} ${path}`);
        checked.push(path);
        const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
        for (const href of hrefs) {
          if (followable(href) && !seen.has(href)) {
            seen.add(href);
            queue.push(href);
          }
        }
      }
      assert.ok(checked.length >= 3, `${username} reached only ${checked.join(', ')}`);
      console.log(`${username}: axe passed on ${checked.length} kinds of page: ${checked.join(' ')}`);
    }, `every-page-${username}`));
}
