// The Aspire dashboard in Debian's headless Chromium. Usage: node dashboard-screenshot.mjs URL OUT-PREFIX NAME...
// 1. Resources page: waits until every NAME is listed and none is shown Unhealthy (a health probe can miss once on a
//    loaded machine; one that stays unhealthy fails), saves OUT-PREFIX-resources.png and prints the page text.
// 2. Traces page: waits for a trial attempt's trace ("trial queued"), saves OUT-PREFIX-traces.png, prints "TRACES OK".
// 3. Metrics of each worker replica until one lists mselab.trials.succeeded (60 s each): OUT-PREFIX-metrics.png,
//    "METRICS OK <replica>".
// Exit code 1 when a step fails (the screenshot of what the page showed is still saved).
import { chromium } from 'playwright-core';

const [url, out, ...names] = process.argv.slice(2);
const base = url.replace(/\/$/, '');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  // No sandbox as root; no background connections (this machine's network is closed).
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});

// The dashboard renders with Blazor Server after the page loads: wait for text, not for the load event.
// Texts in ABSENT must not be on the page at that moment.
async function showing(page, address, texts, file, timeout = 90000, absent = []) {
  await page.goto(address, { waitUntil: 'domcontentloaded', timeout: 60000 });
  try {
    await page.waitForFunction(
      ([expected, missing]) => expected.every(t => document.body.innerText.includes(t)) && !missing.some(t => document.body.innerText.includes(t)),
      [texts, absent], { timeout, polling: 500 });
    await page.waitForTimeout(1500);   // let the grid settle
    return true;
  } catch (e) {
    const shown = await page.innerText('body').catch(() => '');
    const unshown = texts.filter(t => !shown.includes(t)), present = absent.filter(t => shown.includes(t));
    console.error(`${address}: not shown: [${unshown.join(', ')}]; shown but should not be: [${present.join(', ')}] (${e.message.split('\n')[0]})`);
    return false;
  } finally {
    await page.screenshot({ path: file, fullPage: true });
  }
}

let ok = true;
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  ok = await showing(page, `${base}/`, names, `${out}-resources.png`, 90000, ['Unhealthy']);
  const resources = await page.innerText('body');
  console.log(resources);

  if (await showing(page, `${base}/traces`, ['trial queued'], `${out}-traces.png`)) console.log('TRACES OK');
  else ok = false;

  const replicas = [...new Set(resources.match(/worker-[a-z0-9]+/g) ?? [])];
  let metrics = false;
  for (const replica of replicas) {
    if (await showing(page, `${base}/metrics/resource/${replica}?meter=MseLab.Trials&instrument=mselab.trials.succeeded`, ['MseLab.Trials', 'mselab.trials.succeeded'], `${out}-metrics.png`, 60000)) {
      console.log(`METRICS OK ${replica}`);
      metrics = true;
      break;
    }
  }
  ok = ok && metrics;
} finally {
  await browser.close();
}
process.exitCode = ok ? 0 : 1;
