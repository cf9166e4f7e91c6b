// Opens the Aspire dashboard's resources page in Debian's headless Chromium, waits until every named resource is listed,
// saves a screenshot and prints the page text. Usage: node dashboard-screenshot.mjs URL OUT.png NAME...
import { chromium } from 'playwright-core';

const [url, out, ...names] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  // No sandbox as root; no background connections (this machine's network is closed).
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });
  // The resources grid is rendered by Blazor Server after the page loads: wait for the names, not for the load event.
  let listed = true;
  try {
    await page.waitForFunction(
      expected => expected.every(n => document.body.innerText.includes(n)),
      names, { timeout: 90000, polling: 500 });
    await page.waitForTimeout(1500);   // let the state column settle
  } catch (e) {
    listed = false;   // still save what the page shows, for the test's message and a look
    console.error(`not every resource listed: ${e.message}`);
  }
  await page.screenshot({ path: out, fullPage: true });
  console.log(await page.innerText('body'));
  if (!listed) process.exitCode = 1;
} finally {
  await browser.close();
}
