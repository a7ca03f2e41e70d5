import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, ROOT, startServer, type TestServer } from '../support/server.js';

// The web portal in a real browser against the real `mamori serve`: sign in,
// search, histogram, row details, top values, a bad query, Japanese, sign out.
// Debian's Chromium only; nothing is downloaded.

const CHROMIUM = '/usr/bin/chromium';
const REQUIRED = process.env.MAMORI_BROWSER_TESTS === 'required';
const SCREENSHOTS = path.join(ROOT, 'test', 'browser', 'screenshots');
const HOSTILE = 'browser-test hostile <img src=x onerror="window.__pwned=1"> \u001b[31mred\u001b[0m bell\u0007 evil\u202Egnp.exe';

const LONG_URL = `https://example.test/${'x'.repeat(30_000)}`;

let server: TestServer;
let browser: Browser;
let page: Page;

/** Runs a search from the form and waits until its results are on screen. */
async function search(q: string, matches: number): Promise<void> {
  await page.getByRole('searchbox', { name: 'Query' }).fill(q);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect.poll(() => page.locator('[aria-live=polite]').textContent()).toBe(`${matches} matching events`);
  expect(await page.locator('.event-row').count()).toBe(matches);
}

const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

async function sendEvents(): Promise<void> {
  const now = Date.now();
  // Syslog (RFC 5424 over TCP, newline framed), stamped a few minutes ago.
  const tcp = net.connect(server.syslogPort, '127.0.0.1');
  await new Promise((r) => tcp.once('connect', r));
  let lines = '';
  for (let i = 0; i < 6; i++) {
    lines += `<38>1 ${new Date(now - (i + 1) * 120_000).toISOString()} fw-tokyo-01 sshd 42 - - browser-test syslog ${i} Failed password for root from 10.77.1.${i}\n`;
  }
  tcp.end(lines);
  // HTTP NDJSON with ECS fields, spread over the last hours.
  const records = Array.from({ length: 12 }, (_, i) => ({
    '@timestamp': new Date(now - i * 1_800_000).toISOString(),
    message: `browser-test http ${i}`,
    host: { name: i % 2 ? 'web-01' : 'web-02' },
    source: { ip: `10.77.0.${i % 3}`, port: 50_000 + i },
    destination: { ip: '203.0.113.5', port: 443 },
    event: { action: 'logon', outcome: i % 4 ? 'failure' : 'success' },
  }));
  records.push({ ...records[0], message: HOSTILE, url: { original: LONG_URL } } as (typeof records)[number]);
  const body = records.map((r) => JSON.stringify(r)).join('\n');
  const r = await api(server, server.demoIngestToken, 'POST', '/api/v1/ingest', body, { 'content-type': 'application/x-ndjson' });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  await eventually(
    async () => (await api(server, server.adminToken, 'GET', '/api/v1/events/count?q=browser-test&from=now-1d&to=now%2B1h')).json.count === 19,
    30_000,
    '19 browser-test events',
  );
}

describe.skipIf(!existsSync(CHROMIUM) && !REQUIRED)('web portal in Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`MAMORI_BROWSER_TESTS=required but ${CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium)`);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startServer();
    const index = await fetch(server.url + '/');
    if (index.status !== 200) throw new Error(`the portal is not served (GET / answered ${index.status}): run \`npm run build\` first`);
    await sendEvents();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('refuses a wrong password with the error shown, then signs in', async () => {
    await page.goto(server.url + '/search');
    await page.locator('input[name=login]').fill('admin');
    await page.locator('input[name=password]').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('wrong login or password');
    await shot('01-sign-in-error');

    await page.locator('input[name=password]').fill(server.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.app-header').waitFor();
    expect(await page.locator('.app-header .login').textContent()).toBe('admin');
    expect(await page.locator('.app-header .role').textContent()).toBe('Platform administrator');
    expect(await page.locator('.app-header .header-tenant').textContent()).toContain('All tenants');
  });

  it('searches: events in the table, a histogram chart, top values', async () => {
    await search('"browser-test http"', 12);
    const first = await page.locator('.event-row').first().locator('td').allTextContents();
    expect(first[2]).toBe('demo');
    const flows = await page.locator('.event-row .flow').allTextContents();
    expect(flows).toContain('10.77.0.1:50001 → 203.0.113.5:443');
    expect(await page.locator('.event-row .message').allTextContents()).toContain('browser-test http 3');
    // ECharts drew bars into an SVG.
    await expect.poll(() => page.locator('.histogram svg path').count()).toBeGreaterThan(3);
    await expect.poll(() => page.locator('.top-values li .value').allTextContents()).toEqual(['10.77.0.0', '10.77.0.1', '10.77.0.2']);
    expect(await page.locator('.top-values li .count').allTextContents()).toEqual(['4', '4', '4']);
    await shot('02-search');
  });

  it('shows log data as text: no markup runs, control characters are visible', async () => {
    await search('browser-test', 19);
    const hostile = page.locator('.event-row .message', { hasText: 'browser-test hostile' });
    expect(await hostile.textContent()).toBe('browser-test hostile <img src=x onerror="window.__pwned=1"> ESC[31mredESC[0m bellBEL evilU+202Egnp.exe');
    expect(await hostile.locator('.ctl').allTextContents()).toEqual(['ESC', 'ESC', 'BEL', 'U+202E']);
    expect(await page.locator('img[src=x]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('expands a row into all of its fields', async () => {
    const row = page.locator('.event-row', { hasText: 'browser-test http 3' });
    await row.getByRole('button', { name: 'Show all fields' }).click();
    const detail = page.locator('.event-detail');
    await detail.waitFor();
    const fields = await detail.locator('tbody th').allTextContents();
    expect(fields).toEqual(expect.arrayContaining(['@timestamp', 'event.id', 'tenant.id', 'source.ip', 'source.port', 'destination.port', 'event.outcome', 'host.name', 'message']));
    const value = (field: string) => detail.locator('tr', { has: page.locator('th', { hasText: new RegExp(`^${field.replace('.', '\\.')}$`) }) }).locator('td').textContent();
    expect(await value('source.port')).toBe('50003');
    expect(await value('host.name')).toBe('web-01');
    expect(await value('event.outcome')).toBe('failure');
    await shot('03-row-expanded');
    await row.getByRole('button', { name: 'Hide fields' }).click();
    expect(await page.locator('.event-detail').count()).toBe(0);
  });

  it('clips a 30,000-character value in the expanded row and says how much is left', async () => {
    const row = page.locator('.event-row', { hasText: 'browser-test hostile' });
    await row.click();
    const url = page.locator('.event-detail tr', { has: page.locator('th', { hasText: /^url\.original$/ }) }).locator('td');
    expect(await url.textContent()).toBe(`${LONG_URL.slice(0, 10_000)}… (${LONG_URL.length - 10_000} more characters)`);
    await shot('04-long-value');
    await row.click();
  });

  it('narrows the search with a top value', async () => {
    await page.locator('.top-values li button', { hasText: '10.77.0.2' }).click();
    expect(await page.getByRole('searchbox', { name: 'Query' }).inputValue()).toBe('browser-test AND source.ip:"10.77.0.2"');
    await expect.poll(() => page.locator('[aria-live=polite]').textContent()).toBe('4 matching events');
    expect(await page.locator('.event-row .flow').allTextContents()).toEqual(expect.arrayContaining(['10.77.0.2:50002 → 203.0.113.5:443']));
  });

  it("shows the API's message for a bad query", async () => {
    await page.getByRole('searchbox', { name: 'Query' }).fill('source.port:abc');
    await page.getByRole('button', { name: 'Search' }).click();
    const expected = (await api(server, server.adminToken, 'GET', '/api/v1/events?q=source.port%3Aabc&from=now-24h&to=now%2B1m')).json.error.message;
    expect(expected).toMatch(/source\.port/);
    await expect.poll(() => page.locator('.search-error').textContent()).toBe(expected);
    await shot('05-bad-query');
  });

  it('switches to Japanese, and remembers it across a reload', async () => {
    await search('browser-test', 19);
    await page.getByRole('button', { name: '日本語' }).click();
    await page.getByRole('button', { name: '検索', exact: true }).waitFor();
    expect(await page.locator('#histogram-title').textContent()).toBe('イベント件数の推移');
    expect(await page.locator('.app-header .role').textContent()).toBe('プラットフォーム管理者');
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    await expect.poll(() => page.locator('[aria-live=polite]').textContent()).toBe('該当イベント 19 件');
    await shot('06-japanese');
    await page.reload();
    await page.getByRole('button', { name: 'サインアウト' }).waitFor();
  });

  it('signs out: back to the sign-in form, and the session is gone on the server', async () => {
    await page.getByRole('button', { name: 'サインアウト' }).click();
    await page.getByRole('heading', { name: 'サインイン' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    expect(status).toBe(401);
    await shot('07-signed-out');
  });
});
