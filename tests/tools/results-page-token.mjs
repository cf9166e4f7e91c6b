// The results page against an API that closes reads, in Debian's headless Chromium. Usage:
// node results-page-token.mjs BASE-URL OUT-PREFIX TOKEN
// Opens BASE-URL/results without a token (the refusal shown, OUT-PREFIX-refused.png), types TOKEN in the token field and
// submits (the sweeps and the table loaded, OUT-PREFIX-token.png), reloads (the token kept for the tab), and prints one
// JSON object of what it saw. Exit code 1 when the page cannot be driven.
import { chromium } from 'playwright-core';

const [url, out, token] = process.argv.slice(2);
const base = url.replace(/\/$/, '');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});

const seen = { console: [] };
let page;
const view = () => page.evaluate(() => ({
  state: document.body.dataset.state,
  sweeps: [...document.querySelectorAll('#sweeps button .sweep-id')].map(s => s.textContent),
  rows: document.querySelectorAll('#leaderboard tbody tr').length,
  problem: document.getElementById('where-problem').textContent,
  stored: sessionStorage.getItem('mselab.token'),
}));

let ok = true;
try {
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', e => seen.console.push(e.message));
  await page.goto(`${base}/results`, { waitUntil: 'domcontentloaded', timeout: 60000 });
  await page.waitForFunction(() => document.body.dataset.state === 'error', null, { timeout: 30000 });
  seen.refused = await view();
  await page.screenshot({ path: `${out}-refused.png`, fullPage: true });

  await page.fill('#token', token);
  await page.press('#token', 'Enter');
  await page.waitForFunction(() => document.body.dataset.state === 'loaded' && document.querySelectorAll('#sweeps button').length > 1, null, { timeout: 30000 });
  seen.withToken = await view();
  await page.screenshot({ path: `${out}-token.png`, fullPage: true });

  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => document.body.dataset.state === 'loaded' && document.querySelectorAll('#sweeps button').length > 1, null, { timeout: 30000 });
  seen.reloaded = await view();
} catch (e) {
  seen.failure = e.message.split('\n')[0];
  ok = false;
  await page?.screenshot({ path: `${out}-failure.png`, fullPage: true }).catch(() => {});
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
process.exitCode = ok ? 0 : 1;
