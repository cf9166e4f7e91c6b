// The MseLab results page: a client of the API's /api/sweeps and /api/results* endpoints. No framework; every text that
// comes from the store is inserted with textContent (never innerHTML), so a sweep or metric name cannot inject markup.
'use strict';

const api = {
  sweeps: '/api/sweeps',
  results: '/api/results',
  curves: '/api/results/curves',
  compare: '/api/results/compare',
  download: '/api/results/download',
};
const svgNs = 'http://www.w3.org/2000/svg';
const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const epochMetrics = ['train_loss', 'lr'];

// The page's state lives in the address (?sweep=&where=&groupBy=&metric=), so a view can be bookmarked or shared.
const state = Object.fromEntries(['sweep', 'where', 'groupBy', 'metric'].map(k => [k, new URLSearchParams(location.search).get(k) ?? '']));

const $ = id => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function query(names) {
  const parameters = new URLSearchParams();
  for (const name of names) if (state[name]) parameters.set(name, state[name]);
  return parameters;
}

// A token for an API that closes reads: kept in sessionStorage (this tab only, gone when it closes), sent as a bearer token.
const tokenKey = 'mselab.token';
const authHeaders = () => (sessionStorage.getItem(tokenKey) ? { Authorization: `Bearer ${sessionStorage.getItem(tokenKey)}` } : {});

async function getJson(path, parameters) {
  const response = await fetch(parameters && [...parameters].length ? `${path}?${parameters}` : path, { headers: { Accept: 'application/json', ...authHeaders() } });
  const body = await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, body };
}

// Significant digits (four; two for a std), trailing zeros after the decimal point dropped (0.7700 -> 0.77; 1000 stays).
function number(value, significant = 4) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const [digits, exponent] = Number(value).toPrecision(significant).split('e');
  const trimmed = digits.includes('.') ? digits.replace(/0+$/, '').replace(/\.$/, '') : digits;
  return exponent ? `${trimmed}e${exponent}` : trimmed;
}

const meanStd = (mean, std) => (std === null || std === undefined ? number(mean) : `${number(mean)} ± ${number(std, 2)}`);

// --- sweeps ---------------------------------------------------------------------------------------------------------

async function loadSweeps() {
  const list = $('sweeps');
  const { ok, body } = await getJson(api.sweeps);
  list.replaceChildren();
  if (!ok || !Array.isArray(body)) {
    list.append(el('li', { class: 'muted' }, 'could not load the sweeps'));
    return;
  }

  const entry = (id, title, counts) => {
    const button = el('button', { type: 'button', 'data-sweep': id, 'aria-current': String(state.sweep === id) },
      el('span', { class: 'sweep-id' }, title), el('span', { class: 'sweep-counts' }, counts));
    button.addEventListener('click', () => { state.sweep = id; readForm(); showScope(); refresh(); });
    return el('li', {}, button);
  };
  list.append(entry('', 'All sweeps', `${body.length} sweep${body.length === 1 ? '' : 's'}`));
  for (const s of body) {
    const total = s.queued + s.running + s.succeeded + s.failed + s.cancelledCells + (s.pruned ?? 0);
    const parts = [`${s.succeeded}/${total} done`];
    if (s.running) parts.push(`${s.running} running`);
    if (s.failed) parts.push(`${s.failed} failed`);
    if (s.pruned) parts.push(`${s.pruned} pruned`);
    if (s.cancelled) parts.push('cancelled');
    list.append(entry(s.id, s.id, parts.join(' · ')));
  }
}

function showScope() {
  $('scope').textContent = state.sweep ? `sweep ${state.sweep}` : 'all sweeps';
  for (const button of document.querySelectorAll('#sweeps button')) {
    button.setAttribute('aria-current', String(button.dataset.sweep === state.sweep));
  }
}

// --- filter errors (400 with the position of the problem) ----------------------------------------------------------

function showProblem(problem) {
  const box = $('where-error');
  if (!problem) {
    box.hidden = true;
    return;
  }

  const position = Number.isInteger(problem.position) ? problem.position : null;
  $('where-caret').textContent = position ? `${state.where}\n${' '.repeat(Math.max(0, position - 1))}^` : state.where;
  $('where-problem').textContent = position
    ? `Position ${position}: ${problem.problem ?? problem.detail ?? problem.title}`
    : (problem.detail ?? problem.title ?? 'The request was refused.');
  box.hidden = false;
}

// --- leaderboard ----------------------------------------------------------------------------------------------------

function renderLeaderboard(groups) {
  const table = $('leaderboard');
  table.replaceChildren();
  $('leaderboard-empty').hidden = groups.length > 0;
  if (groups.length === 0) return [];

  const fields = Object.keys(groups[0].fields);
  const metrics = [...new Set(groups.flatMap(g => Object.keys(g.metrics)))];
  table.append(el('thead', {}, el('tr', {},
    ...fields.map(f => el('th', { scope: 'col' }, f)),
    el('th', { scope: 'col', class: 'num' }, 'n'),
    ...metrics.map(m => el('th', { scope: 'col', class: 'num' }, m)))));
  const body = el('tbody');
  for (const group of groups) {
    body.append(el('tr', {},
      ...fields.map(f => el('td', {}, group.fields[f] ?? '')),
      el('td', { class: 'num' }, `${group.n} / ${group.planned}`),
      ...metrics.map(m => el('td', { class: 'num' }, group.metrics[m] ? meanStd(group.metrics[m].mean, group.metrics[m].std) : '–'))));
  }
  table.append(body);
  return metrics;
}

// --- learning curves ------------------------------------------------------------------------------------------------

function ticks(min, max, count) {
  if (min === max) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map(f => f * magnitude).find(s => s >= raw);
  const result = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) result.push(Number(t.toPrecision(12)));
  return result;
}

function renderCurves(curves) {
  const holder = $('curves');
  const legend = $('legend');
  const message = $('curves-message');
  holder.replaceChildren();
  legend.replaceChildren();
  const groups = (curves?.groups ?? []).filter(g => g.points.length > 0);
  message.hidden = groups.length > 0;
  message.textContent = 'No epochs stored for these trials.';
  if (groups.length === 0) return;

  const width = 960, height = 380, left = 70, right = 20, top = 16, bottom = 52;
  const points = groups.flatMap(g => g.points);
  const xMin = Math.min(...points.map(p => p.epoch)), xMax = Math.max(...points.map(p => p.epoch));
  const lows = points.map(p => p.mean - (p.std ?? 0)), highs = points.map(p => p.mean + (p.std ?? 0));
  let yMin = Math.min(...lows), yMax = Math.max(...highs);
  const pad = (yMax - yMin) * 0.06 || Math.abs(yMax) * 0.1 || 1;
  yMin -= pad;
  yMax += pad;
  const x = e => left + (xMax === xMin ? (width - left - right) / 2 : ((e - xMin) / (xMax - xMin)) * (width - left - right));
  const y = v => top + (1 - (v - yMin) / (yMax - yMin)) * (height - top - bottom);

  const plot = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${curves.axisTitle} per epoch` });
  for (const t of ticks(yMin, yMax, 6)) {
    plot.append(svg('line', { class: 'grid', x1: left, x2: width - right, y1: y(t), y2: y(t) }));
    plot.append(svg('text', { x: left - 8, y: y(t) + 4, 'text-anchor': 'end' }, number(t)));
  }
  for (const t of ticks(xMin, xMax, Math.min(10, Math.max(1, xMax - xMin))).filter(Number.isInteger)) {
    plot.append(svg('text', { x: x(t), y: height - bottom + 18, 'text-anchor': 'middle' }, String(t)));
  }
  plot.append(svg('line', { class: 'axis', x1: left, x2: left, y1: top, y2: height - bottom }));
  plot.append(svg('line', { class: 'axis', x1: left, x2: width - right, y1: height - bottom, y2: height - bottom }));
  plot.append(svg('text', { class: 'axis-title', x: (left + width - right) / 2, y: height - 10, 'text-anchor': 'middle' }, 'epoch'));
  plot.append(svg('text', { class: 'axis-title', x: 16, y: (top + height - bottom) / 2, 'text-anchor': 'middle',
    transform: `rotate(-90 16 ${(top + height - bottom) / 2})` }, curves.axisTitle ?? curves.metric));

  groups.forEach((group, i) => {
    const colour = palette[i % palette.length];
    const sorted = [...group.points].sort((a, b) => a.epoch - b.epoch);
    const upper = sorted.map(p => `${x(p.epoch)},${y(p.mean + (p.std ?? 0))}`);
    const lower = sorted.map(p => `${x(p.epoch)},${y(p.mean - (p.std ?? 0))}`).reverse();
    plot.append(svg('path', { class: 'band', fill: colour, d: `M${upper.join('L')}L${lower.join('L')}Z` }));
    plot.append(svg('path', { class: 'line', stroke: colour, 'data-group': group.label,
      d: `M${sorted.map(p => `${x(p.epoch)},${y(p.mean)}`).join('L')}` }));
    for (const p of sorted) {
      const dot = svg('circle', { cx: x(p.epoch), cy: y(p.mean), r: 3, fill: colour });
      dot.append(svg('title', {}, `${group.label}, epoch ${p.epoch}: ${meanStd(p.mean, p.std)} (n ${p.n})`));
      plot.append(dot);
    }
    // The legend sits under the plot, never over the data.
    legend.append(el('li', {}, el('span', { class: 'swatch', style: `background:${colour}` }), group.label));
  });
  holder.append(plot);
}

function fillMetrics(testMetrics, current) {
  const select = $('metric');
  const names = [...new Set([...epochMetrics, ...testMetrics.map(m => `valid.${m}`), current].filter(Boolean))];
  select.replaceChildren(...names.map(n => el('option', { value: n }, n)));
  select.value = current;
}

// --- beside the paper -----------------------------------------------------------------------------------------------

function renderPaper(report) {
  const section = $('paper');
  const groups = (report?.groups ?? []).filter(g => g.status !== 'NotInPaper');
  section.hidden = groups.length === 0;
  const table = $('paper-table');
  const notes = $('paper-notes');
  table.replaceChildren();
  notes.replaceChildren();
  if (groups.length === 0) return;

  table.append(el('thead', {}, el('tr', {}, ...['family', 'dataset', 'metric', 'ours', 'published', 'difference', 'source']
    .map((h, i) => el('th', { scope: 'col', class: i >= 3 && i <= 5 ? 'num' : '' }, h)))));
  const body = el('tbody');
  for (const group of groups) {
    const source = group.reference ? group.reference.id : 'not published';
    for (const m of group.metrics) {
      body.append(el('tr', {},
        el('td', {}, group.fields.family ?? ''), el('td', {}, group.fields.dataset_name ?? ''), el('td', {}, m.key),
        el('td', { class: 'num' }, m.mean === null ? '–' : `${meanStd(m.mean, m.std)} (${m.n})`),
        el('td', { class: 'num' }, number(m.published)),
        el('td', { class: 'num' }, m.difference === null ? '–' : (m.difference > 0 ? '+' : '') + number(m.difference)),
        el('td', {}, source)));
    }
    for (const note of group.notes) notes.append(el('li', {}, `${group.fields.family} on ${group.fields.dataset_name}: ${note}`));
  }
  table.append(body);
}

// --- downloads ------------------------------------------------------------------------------------------------------

function updateDownloads() {
  const link = (id, format, epochs) => {
    const parameters = query(['sweep', 'where', 'groupBy']);
    parameters.set('format', format);
    if (epochs) parameters.set('epochs', 'true');
    $(id).href = `${api.download}?${parameters}`;
  };
  link('download-csv', 'csv', false);
  link('download-parquet', 'parquet', false);
  link('download-json', 'json', false);
  link('download-epochs', 'csv', true);
}

// A link cannot send a header: with a token, a download is fetched with it and saved from memory.
async function download(event) {
  if (!sessionStorage.getItem(tokenKey)) return;   // reads open: the plain link works
  event.preventDefault();
  const link = event.currentTarget;
  const response = await fetch(link.href, { headers: authHeaders() });
  if (!response.ok) {
    showProblem(await response.json().catch(() => ({ title: `HTTP ${response.status}` })));
    return;
  }

  const name = /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? 'mselab-results';
  const url = URL.createObjectURL(await response.blob());
  const save = el('a', { href: url, download: name });
  document.body.append(save);
  save.click();
  save.remove();
  URL.revokeObjectURL(url);
}

function readForm() {
  state.where = $('where').value.trim();
  state.groupBy = $('group-by').value.replace(/\s+/g, '');
}

// --- one refresh: results, curves and the paper in parallel ---------------------------------------------------------

let generation = 0;

async function refresh() {
  const mine = ++generation;   // a slower earlier answer must not overwrite a newer one
  const address = query(['sweep', 'where', 'groupBy', 'metric']).toString();
  history.replaceState(null, '', address ? `${location.pathname}?${address}` : location.pathname);
  updateDownloads();
  const [results, curves, compare] = await Promise.all([
    getJson(api.results, query(['sweep', 'where', 'groupBy'])),
    getJson(api.curves, query(['sweep', 'where', 'groupBy', 'metric'])),
    getJson(api.compare, query(['sweep', 'where'])),
  ]);
  if (mine !== generation) return;

  if (results.ok) {
    showProblem(null);
    const metrics = renderLeaderboard(results.body);
    if (curves.ok) {
      renderCurves(curves.body);
      fillMetrics(metrics, curves.body.metric);
    } else {
      renderCurves(null);
      fillMetrics(metrics, state.metric);
      $('curves-message').textContent = curves.body?.detail ?? curves.body?.title ?? `curves: HTTP ${curves.status}`;
    }
    renderPaper(compare.ok ? compare.body : null);
  } else {
    showProblem(results.body ?? { title: `HTTP ${results.status}` });   // the last good answer stays, dimmed
  }

  document.body.dataset.state = results.ok ? 'loaded' : 'error';
  document.body.dataset.refreshes = String(mine);   // what the browser test waits on, set once all is drawn
}

document.addEventListener('DOMContentLoaded', () => {
  $('where').value = state.where;
  $('group-by').value = state.groupBy;
  $('query').addEventListener('submit', event => {
    event.preventDefault();
    readForm();
    refresh();
  });
  $('metric').addEventListener('change', () => { state.metric = $('metric').value; refresh(); });
  $('token').value = sessionStorage.getItem(tokenKey) ?? '';
  $('token-form').addEventListener('submit', event => {
    event.preventDefault();
    const token = $('token').value.trim();
    if (token) sessionStorage.setItem(tokenKey, token); else sessionStorage.removeItem(tokenKey);
    loadSweeps().then(showScope);
    refresh();
  });
  for (const id of ['download-csv', 'download-parquet', 'download-json', 'download-epochs']) $(id).addEventListener('click', download);
  showScope();
  loadSweeps().then(showScope);
  refresh();
});
