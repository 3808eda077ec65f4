// Notifications by email: a consultant gives their address on /notifications (a bad one refused
// with the error by the field), and the administrator sees the outbox at /admin/email.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAxe, signIn, useServerAndBrowser, withPage } from './lib.mjs';

let server;
let browser;

useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

test('a consultant gives the address their notifications are emailed to', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'consultant');
    await page.goto('/notifications');
    // The demo server sends no email: the page says so.
    assert.match(await page.locator('#email-not-sent').innerText(), /does not send email/);
    await checkAxe(page, 'notifications');
    const field = page.getByLabel('Email address', { exact: true });
    await field.fill('not an address');
    let loaded = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Save the email address' }).click();
    await loaded;
    assert.match(await page.locator('.nhsuk-error-summary').innerText(), /one email address/);
    assert.equal(await field.inputValue(), 'not an address');
    await checkAxe(page, 'notifications-error');
    await field.fill('sam.consultant@trust.nhs.uk');
    loaded = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Save the email address' }).click();
    await loaded;
    assert.match(await page.locator('.nhsuk-notification-banner--success').innerText(), /Your email address has been saved/);
    assert.equal(await field.inputValue(), 'sam.consultant@trust.nhs.uk');
  }));

test('the administrator sees the email outbox', () =>
  withPage(browser, server.url, async (page) => {
    await signIn(page, server.url, 'admin');
    await page.goto('/admin');
    await page.getByRole('link', { name: 'Email: the outbox of notifications' }).click();
    await page.waitForURL(/\/admin\/email$/);
    assert.match(await page.locator('#outbox-counts').innerText(), /Waiting/);
    await checkAxe(page, 'email-outbox');
  }));
