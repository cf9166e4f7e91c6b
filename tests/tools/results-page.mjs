// The results page in Debian's headless Chromium. Usage: node results-page.mjs BASE-URL OUT-PREFIX GOOD-FILTER BAD-FILTER SWEEP
// Opens BASE-URL/results and walks the page as a user does, printing one JSON object of what it saw:
// 1. loaded: the sweeps listed, the table's header and rows, the curves' line paths and legend, the paper table
//    (screenshot OUT-PREFIX-all.png);
// 2. filtered: GOOD-FILTER typed in the filter box, the rows, paths and download links after it (OUT-PREFIX-filtered.png);
// 3. metric: train_loss picked in the metric selector, the y-axis title after it;
// 4. scoped: the sweep SWEEP clicked in the list, the rows and the page's scope (OUT-PREFIX-sweep.png);
// 5. error: BAD-FILTER typed, the caret block and the problem under the box (OUT-PREFIX-error.png).
// Exit code 1 when the page cannot be driven (the screenshot of what it showed is still saved).
import { chromium } from 'playwright-core';

const [url, out, goodFilter, badFilter, sweep] = process.argv.slice(2);
const base = url.replace(/\/$/, '');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  // No sandbox as root; no background connections (this machine's network is closed).
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});

const seen = { console: [] };
let page;
let shot = `${out}-all.png`;

// The page counts its refreshes in <body data-refreshes>; each action waits for the next one to finish.
async function refreshed(action) {
  const before = Number(await page.getAttribute('body', 'data-refreshes') ?? 0);
  await action();
  await page.waitForFunction(n => Number(document.body.dataset.refreshes ?? 0) > n, before, { timeout: 20000 });
}

async function view() {
  return page.evaluate(() => ({
    state: document.body.dataset.state,
    scope: document.getElementById('scope').textContent,
    address: location.pathname + location.search,
    header: [...document.querySelectorAll('#leaderboard thead th')].map(th => th.textContent),
    rows: [...document.querySelectorAll('#leaderboard tbody tr')].map(tr => [...tr.cells].map(td => td.textContent)),
    linePaths: document.querySelectorAll('#curves svg path.line').length,
    bandPaths: document.querySelectorAll('#curves svg path.band').length,
    legend: [...document.querySelectorAll('#legend li')].map(li => li.textContent),
    axisTitles: [...document.querySelectorAll('#curves .axis-title')].map(t => t.textContent),
    metric: document.getElementById('metric').value,
    metrics: [...document.getElementById('metric').options].map(o => o.value),
    downloads: Object.fromEntries([...document.querySelectorAll('.downloads a')].map(a => [a.id, a.getAttribute('href')])),
    paperShown: !document.getElementById('paper').hidden,
    paperRows: [...document.querySelectorAll('#paper-table tbody tr')].map(tr => [...tr.cells].map(td => td.textContent)),
    errorShown: !document.getElementById('where-error').hidden,
    caret: document.getElementById('where-caret').textContent,
    problem: document.getElementById('where-problem').textContent,
    // The legend must sit outside the plot: its box starts below the SVG's.
    legendBelowPlot: (() => {
      const plot = document.querySelector('#curves svg')?.getBoundingClientRect();
      const legend = document.getElementById('legend').getBoundingClientRect();
      return plot ? legend.top >= plot.bottom : null;
    })(),
  }));
}

let ok = true;
try {
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // Script errors only: the browser also logs every 4xx answer (the bad filter's 400 is expected) as a console error.
  page.on('console', m => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) seen.console.push(m.text()); });
  page.on('pageerror', e => seen.console.push(e.message));
  const response = await page.goto(`${base}/results`, { waitUntil: 'domcontentloaded', timeout: 60000 });
  seen.status = response.status();
  seen.url = page.url();
  await page.waitForFunction(() => document.body.dataset.state === 'loaded' && document.querySelectorAll('#sweeps button').length > 1, null, { timeout: 30000 });
  seen.sweeps = await page.$$eval('#sweeps button .sweep-id', spans => spans.map(s => s.textContent));
  seen.sweepMarkup = await page.$$eval('#sweeps img', imgs => imgs.length);   // an HTML sweep name must not become an element
  seen.loaded = await view();
  await page.screenshot({ path: shot, fullPage: true });

  shot = `${out}-filtered.png`;
  await page.fill('#where', goodFilter);
  await refreshed(() => page.press('#where', 'Enter'));
  seen.filtered = await view();
  await page.screenshot({ path: shot, fullPage: true });

  await refreshed(() => page.selectOption('#metric', 'train_loss'));
  seen.metric = await view();

  shot = `${out}-sweep.png`;
  await page.fill('#where', '');
  await refreshed(() => page.click(`#sweeps button[data-sweep="${sweep}"]`));
  seen.scoped = await view();
  await page.screenshot({ path: shot, fullPage: true });

  shot = `${out}-error.png`;
  await page.fill('#where', badFilter);
  await refreshed(() => page.press('#where', 'Enter'));
  seen.error = await view();
  await page.screenshot({ path: shot, fullPage: true });
} catch (e) {
  seen.failure = e.message.split('\n')[0];
  ok = false;
  await page?.screenshot({ path: shot, fullPage: true }).catch(() => {});
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
process.exitCode = ok ? 0 : 1;
