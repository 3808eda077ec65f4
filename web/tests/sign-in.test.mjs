// Signing in and out, and each role's home page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEMO_HOMES,
  checkAxe,
  pathOf,
  screenshot,
  signIn,
  signOut,
  useServerAndBrowser,
  withPage,
} from './lib.mjs';

let server;
let browser;

useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

test('signed out, / redirects to /sign-in', () =>
  withPage(browser, server.url, async (page) => {
    await page.goto('/');
    assert.equal(pathOf(page), '/sign-in');
  }, 'signed-out-home'));

test('the sign-in page is accessible', () =>
  withPage(browser, server.url, async (page) => {
    await page.goto('/sign-in');
    await page.getByLabel('Username', { exact: true }).waitFor();
    await page.getByLabel('Password', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await screenshot(page, 'sign-in');
    await checkAxe(page, 'sign-in');
  }, 'sign-in'));

test('a wrong password shows the error summary', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant', { password: 'not-the-password', expect: 'failure' });
    const summary = page.locator('.nhsuk-error-summary');
    assert.match(await summary.innerText(), /The username or password is not right/);
    await screenshot(page, 'sign-in-error');
    await checkAxe(page, 'sign-in with an error');
  }, 'sign-in-error'));

for (const [username, heading] of DEMO_HOMES) {
  test(`${username} signs in and sees "${heading}"`, () =>
    withPage(browser, server.url, async (page) => {
      await signIn(page, server.url, username);
      assert.equal(pathOf(page), '/');
      const h1 = page.getByRole('heading', { level: 1 });
      assert.equal((await h1.innerText()).trim(), heading);
      await screenshot(page, `home-${username}`);
      await checkAxe(page, `home of ${username}`);
    }, `home-${username}`));
}

test('signing out returns to sign-in', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant');
    await signOut(page);
    await page.goto('/');
    assert.equal(pathOf(page), '/sign-in');
  }, 'sign-out'));
