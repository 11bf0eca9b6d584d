// Drives Vantage's web pages in Debian's headless Chromium with playwright-core:
// chooses Istanbul and politics in the briefing form, opens the first story,
// checks its lens and SVG map, the place page and the alerts form, and saves
// screenshots. Any failed check exits 1.
//
//   BASE_URL=http://127.0.0.1:8080 OUT_DIR=e2e/out node e2e/drive.mjs
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.BASE_URL || 'http://127.0.0.1:8080';
const out = process.env.OUT_DIR || 'e2e/out';
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
mkdirSync(out, { recursive: true });

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Istanbul', locale: 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));

  // 1. the briefing form
  const home = await page.goto(base + '/');
  check(home && home.status() === 200, `GET / answers 200 (got ${home && home.status()})`);
  check(await page.locator('form#brief-form').count() === 1, 'the root page shows the briefing form');
  check(await page.locator('h1').count() === 1, 'one <h1>');
  // with no remembered place, the time zone (Europe/Istanbul) suggests one
  if ((await page.getAttribute('#brief-form', 'data-source')) === 'none') {
    check((await page.inputValue('#place')) === 'Istanbul', 'the place field is guessed from the time zone');
  }
  await page.screenshot({ path: join(out, '01-form.png'), fullPage: true });

  // keyboard: the first Tab reaches the skip link
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement && document.activeElement.classList.contains('skip')), 'Tab focuses the skip link first');

  // 2. choose Istanbul and politics, submit; typing offers places from /api/v1/places
  await page.fill('#place', '');
  await page.locator('#place').pressSequentially('Istanb', { delay: 40 });
  const offered = await page.waitForFunction(() => document.querySelectorAll('#place-options option').length > 0, null, { timeout: 5000 })
    .then(() => true, () => false);
  const options = await page.$$eval('#place-options option', (os) => os.map((o) => o.value));
  check(offered && options.includes('Istanbul, Turkey'), `typing offers places (${options.slice(0, 4).join(' | ')})`);
  await page.fill('#place', 'Istanbul');
  await page.check('input[name=topics][value=politics]');
  await Promise.all([page.waitForURL(/[?&]place=/), page.click('#brief-form button[type=submit]')]);
  await page.waitForLoadState('load');
  const url = new URL(page.url());
  check(url.searchParams.get('place') === 'Istanbul' && url.searchParams.getAll('topics').includes('politics'), `the form sent place and topics (${url.search})`);
  check(/Briefing for Istanbul/.test(await page.textContent('h1')), 'the heading names Istanbul');
  const stories = page.locator('li.story');
  const n = await stories.count();
  check(n >= 3, `the briefing lists stories (${n})`);
  const lenses = await page.locator('li.story .lens-text').allTextContents();
  check(lenses.length === n && lenses.every((t) => t.trim().length > 30), 'every story has a lens');
  check(await page.locator('li.story .tier').count() === n, 'every story has a tier badge');
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return { ttfb: nav.responseStart - nav.requestStart, response: nav.responseEnd - nav.startTime, fcp: fcp ? fcp.startTime : -1 };
  });
  console.log(`briefing timing: server ${timing.ttfb.toFixed(0)} ms to first byte, response done ${timing.response.toFixed(0)} ms, first contentful paint ${timing.fcp.toFixed(0)} ms`);
  check(timing.fcp > 0 && timing.fcp < 1500, `first paint of the briefing within 1.5 s (${timing.fcp.toFixed(0)} ms; goal 300 ms)`);
  await page.locator('li.story details summary').first().click();
  check(await page.locator('li.story details[open] li').first().isVisible(), 'the evidence opens');
  await page.screenshot({ path: join(out, '02-briefing.png'), fullPage: true });

  // 3. the first story: lens and map
  const first = page.locator('li.story h3 a').first();
  const headline = (await first.textContent()).trim();
  await Promise.all([page.waitForURL(/\/stories\//), first.click()]);
  await page.waitForLoadState('load');
  check((await page.textContent('h1')).trim() === headline, `the story page shows "${headline}"`);
  const lensText = (await page.locator('.lens-card .lens-text').textContent() || '').trim();
  check(lensText.length > 30, 'the story page has the lens for Istanbul');
  check(/What it means for Istanbul/.test(await page.textContent('#lens-h')), 'the lens is for Istanbul');
  const svg = page.locator('figure.map svg[role=img]');
  check(await svg.count() === 1, 'the story page has an inline SVG map with role=img');
  check(await svg.locator('path.vm-shade').count() > 0, 'the map shades a focus country');
  check(await svg.locator('.vm-reader').count() > 0, 'the map marks Istanbul');
  // the map's own style applies (the CSP allows it by hash): the sea is not black
  const sea = await svg.locator('rect.vm-sea').evaluate((el) => getComputedStyle(el).fill);
  check(sea !== 'rgb(0, 0, 0)' && sea !== '', `the map style applies (sea ${sea})`);
  const box = await svg.boundingBox();
  check(box && box.width > 200 && box.height > 100, 'the map is drawn at a readable size');
  await page.screenshot({ path: join(out, '03-story.png'), fullPage: true });

  // 4. a phone: no horizontal scrolling
  await page.setViewportSize({ width: 360, height: 740 });
  await page.reload();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  check(overflow <= 360, `the story fits a 360 px screen (scroll width ${overflow})`);
  await page.screenshot({ path: join(out, '04-story-phone.png'), fullPage: true });

  // 5. the place page
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(base + '/places/745044');
  check(await page.locator('figure.map svg[role=img]').count() === 1, 'the place page has a map');
  check(await page.locator('li.story').count() > 0, 'the place page lists stories touching Istanbul');
  await page.screenshot({ path: join(out, '05-place.png') });

  // 6. the alerts page: the watched places and the form to add a rule
  const alertsResp = await page.goto(base + '/alerts');
  check(alertsResp && alertsResp.status() === 200, `GET /alerts answers 200 (got ${alertsResp && alertsResp.status()})`);
  check(await page.locator('nav a[href="/alerts"][aria-current=page]').count() === 1, 'the nav links the alerts page');
  const alertForm = page.locator('form#alert-form[method=post][action="/alerts/add"]');
  check(await alertForm.count() === 1, 'the alerts page has the add-rule form');
  check(await alertForm.locator('#alert-place, #alert-tier, #alert-hook').count() === 3, 'the form asks for place, tier and webhook');
  await page.screenshot({ path: join(out, '06-alerts.png'), fullPage: true });

  check(problems.length === 0, 'no script errors or CSP violations' + (problems.length ? ': ' + problems.join(' | ') : ''));
} catch (e) {
  console.log('FAIL ' + (e && e.stack ? e.stack : e));
  failures++;
} finally {
  await browser.close();
}
console.log(failures ? `e2e: ${failures} check(s) failed` : 'e2e: all checks passed');
process.exit(failures ? 1 : 0);
