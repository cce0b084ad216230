// The page of `raming serve`: the scenario's assumptions and B's options
// as fields; every edit recomputes (debounced; a newer request cancels the
// older one) through the API (docs/serve.md); the figures on screen are
// always those of the last answered request, and marked as old while a
// newer one is computed.

import { fanChart, tornado } from './charts.js';

const $ = (sel) => document.querySelector(sel);
const mln = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const thousand = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 0 });
const fmtMln = (x) => (x === null || x === undefined || Number.isNaN(x) ? '—' : mln.format(x / 1e6));
const fmtMlnPlain = (x) => mln.format(x);
const fmtRho = (r) => new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(r);
const num = (s) => (s === null || s === undefined || s === '' ? null : Number(s));
// The comparison's amounts: € mln with two decimals, a difference with its sign.
const mln2 = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const mln2Signed = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });
const percent = new Intl.NumberFormat('nl-NL', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const fmtMln2 = (x) => (x === null || Number.isNaN(x) ? '—' : mln2.format(x / 1e6));
const fmtDiff = (x) => (x === null || Number.isNaN(x) ? '—' : mln2Signed.format(x / 1e6));
// A figure the small-cell rule hides reads "suppressed" (or "<10") in the
// JSON: the page says "niet getoond" (docs/methodology.md, "Small cells").
const hidden = (s) => typeof s === 'string' && (s === 'suppressed' || s.startsWith('<'));
const shown = (s, fmt) => (hidden(s) ? 'niet getoond' : fmt(num(s)));

// The token: the server put it in a cookie when the page was opened with
// ?token=...; every API call carries it as Authorization: Bearer.
function token() {
  const name = 'raming_token_' + location.port + '=';
  for (const part of document.cookie.split(';')) {
    const c = part.trim();
    if (c.startsWith(name)) return c.slice(name.length);
  }
  return '';
}

const session = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');

async function api(path, { body, type = 'application/json', headers = {}, signal } = {}) {
  const h = { Authorization: 'Bearer ' + token(), ...headers };
  const init = { method: body === undefined ? 'GET' : 'POST', headers: h, signal, credentials: 'omit' };
  if (body !== undefined) {
    h['Content-Type'] = type;
    init.body = type === 'application/json' ? JSON.stringify(body) : body;
  }
  const resp = await fetch(path, init);
  if (!resp.ok) {
    let msg = resp.statusText;
    let key = '';
    try {
      const j = await resp.json();
      msg = j.error || msg;
      key = j.key || '';
    } catch { /* not JSON */ }
    const err = new Error(msg);
    err.status = resp.status;
    err.key = key;
    throw err;
  }
  return resp;
}

// The page's state: the start (from /api/state), the fields' current
// texts, and what is on screen.
const page = {
  state: null,
  fields: new Map(), // assumption id -> input element
  options: new Map(), // option key -> select element
  shown: null, // {request, json, text}: the figures on screen and the request they answer
  pending: null, // AbortController of the request being computed
  compared: null, // {request, json, text}: the comparison with the start on screen
  comparing: null, // AbortController of the comparison being computed
  generation: 0,
  timer: 0,
};

function setStatus(text, kind = '') {
  const s = $('#status');
  s.textContent = text;
  s.dataset.kind = kind;
}

function showError(msg) {
  const f = $('#fout');
  f.hidden = !msg;
  f.textContent = msg ? 'Fout: ' + msg : '';
}

// The request of the fields as they are: only what differs from the start.
function currentRequest() {
  const set = {};
  for (const [key, sel] of page.options) {
    if (sel.value !== sel.dataset.start) set['b.' + key] = sel.value;
  }
  for (const [id, input] of page.fields) {
    if (input.value.trim() !== input.dataset.start) set[id] = input.value.trim();
  }
  const req = { set, iterations: Number($('#iteraties').value), seed: Number($('#seed').value) };
  const c = $('#geval').value;
  if (c && !isCentral(c)) req.budget_case = c;
  return req;
}

function isCentral(caseID) {
  return !page.shown || page.shown.json.variants.some((v) => v.central_case === caseID);
}

function markChanged() {
  for (const input of [...page.fields.values(), ...page.options.values()]) {
    const changed = input.value.trim() !== input.dataset.start;
    input.classList.toggle('gewijzigd', changed);
    input.closest('.veld')?.classList.toggle('gewijzigd', changed);
    input.removeAttribute('aria-invalid');
  }
  renderReasons();
}

// Every edit: mark the figures as old at once, compute after a pause.
function edited() {
  markChanged();
  markStale();
  clearTimeout(page.timer);
  page.timer = setTimeout(recompute, 250);
}

function markStale() {
  const r = $('#resultaten');
  r.setAttribute('aria-busy', 'true');
  r.dataset.state = 'stale';
  $('#verouderd').hidden = page.shown === null;
  for (const b of document.querySelectorAll('.knoppen button, #download-scenario, #download-vergelijking')) b.disabled = true;
  const v = $('#vergelijking');
  v.dataset.state = 'stale';
  v.setAttribute('aria-busy', 'true');
  $('#vergelijking-status').textContent = page.compared ? 'De vergelijking wordt berekend; wat hieronder staat hoort bij de vorige invoer.' : 'De vergelijking wordt berekend…';
  setStatus('Bezig met rekenen…', 'bezig');
}

async function recompute() {
  const req = currentRequest();
  if (!Number.isInteger(req.seed) || req.seed < 0) {
    $('#seed').setAttribute('aria-invalid', 'true');
    setStatus('Geen berekening: het startgetal is geen geheel getal.', 'fout');
    return;
  }
  page.pending?.abort();
  const ctl = new AbortController();
  page.pending = ctl;
  const gen = ++page.generation;
  markStale();
  recompare(req, gen);
  const started = performance.now();
  try {
    const resp = await api('/api/run', { body: req, headers: { 'X-Raming-Session': session }, signal: ctl.signal });
    const text = await resp.text();
    if (gen !== page.generation) return; // a newer request is under way
    page.shown = { request: req, json: JSON.parse(text), text };
    showError('');
    render();
    const r = $('#resultaten');
    r.dataset.state = 'current';
    r.removeAttribute('aria-busy');
    $('#verouderd').hidden = true;
    for (const b of document.querySelectorAll('.knoppen button, #download-scenario')) b.disabled = false;
    const it = req.iterations ? `${thousand.format(req.iterations)} iteraties, seed ${req.seed}` : 'alleen de puntraming';
    setStatus(`Bijgewerkt (${it}; ${Math.round(performance.now() - started)} ms).`, 'klaar');
  } catch (err) {
    if (err.name === 'AbortError' || err.status === 409 || gen !== page.generation) return;
    $('#resultaten').dataset.state = 'error';
    $('#verouderd').hidden = page.shown === null;
    if (err.key) {
      const input = page.fields.get(err.key) || page.options.get(err.key.replace(/^b\./, ''));
      input?.setAttribute('aria-invalid', 'true');
    }
    showError(err.message);
    setStatus('Niet berekend: verbeter de invoer. De getoonde cijfers horen bij de vorige invoer.', 'fout');
  }
}

// recompare compares the request with the start (the scenario and the
// extract the page began with), beside the run: a newer edit cancels it
// as it cancels the run, and its figures are shown only while they belong
// to the newest request.
async function recompare(req, gen) {
  page.comparing?.abort();
  page.comparing = null;
  const body = { set: req.set, iterations: req.iterations, seed: req.seed };
  if (Object.keys(req.set).length === 0) {
    showComparison({ request: body, json: null, text: '' });
    return;
  }
  const ctl = new AbortController();
  page.comparing = ctl;
  try {
    const resp = await api('/api/compare', { body, headers: { 'X-Raming-Session': session }, signal: ctl.signal });
    const text = await resp.text();
    if (gen !== page.generation) return; // a newer request is under way
    showComparison({ request: body, json: JSON.parse(text), text });
  } catch (err) {
    if (err.name === 'AbortError' || err.status === 409 || gen !== page.generation) return;
    const v = $('#vergelijking');
    v.dataset.state = 'error';
    v.removeAttribute('aria-busy');
    $('#vergelijking-status').textContent = 'Niet vergeleken: ' + err.message + (page.compared ? ' Wat hieronder staat hoort bij de vorige invoer.' : '');
  }
}

function showComparison(compared) {
  page.compared = compared;
  renderComparison(compared.json);
  const v = $('#vergelijking');
  v.dataset.state = 'current';
  v.removeAttribute('aria-busy');
  $('#vergelijking-status').textContent = '';
  $('#download-vergelijking').disabled = !compared.json?.differences.length;
}

// --- Building the fields --------------------------------------------------

function field(id, labelText, control, extra) {
  const div = document.createElement('div');
  div.className = 'veld';
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = labelText;
  div.append(label, control);
  if (extra) div.append(extra);
  return div;
}

function buildOptions(st) {
  const box = $('#opties');
  box.replaceChildren();
  if (!st.options?.length) {
    $('#opties-sectie').hidden = true;
    return;
  }
  const extract = st.population.extract;
  for (const op of st.options) {
    const sel = document.createElement('select');
    sel.id = 'optie-' + op.key;
    for (const v of op.values) {
      const o = document.createElement('option');
      o.value = v.text;
      o.textContent = v.label;
      sel.append(o);
    }
    sel.value = op.value;
    sel.dataset.start = op.value;
    let note;
    if (op.record && !extract) {
      sel.disabled = true;
      note = document.createElement('p');
      note.className = 'noot';
      note.textContent = 'Werkt per record: alleen met een extract.';
    }
    sel.addEventListener('change', edited);
    page.options.set(op.key, sel);
    box.append(field(sel.id, op.label, sel, note));
  }
}

function buildAssumptions(st) {
  const box = $('#aannames');
  box.replaceChildren();
  for (const g of st.groups) {
    const det = document.createElement('details');
    det.open = g.id === 'funnel';
    const sum = document.createElement('summary');
    sum.textContent = g.label;
    det.append(sum);
    for (const a of g.assumptions) {
      const input = document.createElement('input');
      input.id = 'aanname-' + a.id.replace(/[^A-Za-z0-9_-]/g, '_');
      input.value = a.text;
      input.dataset.start = a.text;
      input.inputMode = 'decimal';
      input.autocomplete = 'off';
      input.addEventListener('input', edited);
      page.fields.set(a.id, input);
      const info = document.createElement('div');
      info.className = 'bron';
      const unit = document.createElement('span');
      unit.className = 'eenheid';
      unit.textContent = a.unit_label;
      const box = document.createElement('div');
      box.className = 'met-eenheid';
      box.append(input, unit);
      const src = document.createElement('p');
      src.textContent = 'Bron: ' + a.source;
      info.append(src);
      if (a.uncertainty) {
        const u = document.createElement('p');
        u.textContent = 'Onzekerheid: ' + a.uncertainty.distribution + (a.uncertainty.range ? '; bereik ' + a.uncertainty.range : '') + '.';
        info.append(u);
      }
      input.setAttribute('aria-describedby', (info.id = input.id + '-info'));
      const f = field(input.id, a.label, box, info);
      f.dataset.id = a.id;
      det.append(f);
    }
    box.append(det);
  }
}

// markUnused says beside the base population that a run on an extract
// counts the extract's rows instead (the command line warns the same).
function markUnused(p) {
  const input = page.fields.get('funnel.base_population');
  const info = input && document.getElementById(input.id + '-info');
  if (!info) return;
  let note = info.querySelector('.niet-gebruikt');
  if (!p.extract) {
    note?.remove();
    return;
  }
  if (!note) {
    note = document.createElement('p');
    note.className = 'niet-gebruikt';
    info.prepend(note);
  }
  note.textContent = 'Niet gebruikt met een extract: de berekening telt de rijen van het extract.';
}

function describePopulation(p) {
  const s = $('#extract-samenvatting');
  const rej = $('#extract-afgewezen');
  rej.replaceChildren();
  if (!p.extract) {
    s.textContent = `Geen extract: de basispopulatie van het scenario (${thousand.format(Number(p.base_population))} ex-partners).`;
    return;
  }
  s.textContent = `${p.source}${p.sheet ? ', blad ' + p.sheet : ''}: ${thousand.format(p.rows_read)} rijen gelezen, ` +
    `${thousand.format(p.rows_used)} gebruikt, ${thousand.format(p.rows_rejected)} afgewezen.`;
  if (p.rejected?.length) {
    const t = document.createElement('table');
    t.className = 'klein';
    t.innerHTML = '<caption>Afgewezen rijen (per kolom en reden; geen waarden)</caption><thead><tr><th scope="col">Kolom</th><th scope="col">Reden</th><th scope="col" class="getal">Aantal</th><th scope="col">Eerste regels</th></tr></thead>';
    const body = document.createElement('tbody');
    for (const g of p.rejected) {
      const tr = document.createElement('tr');
      for (const [v, cls] of [[g.column || '(de rij)', ''], [g.reason, ''], [thousand.format(g.count), 'getal'], [g.lines.join(', '), '']]) {
        const td = document.createElement('td');
        td.textContent = v;
        if (cls) td.className = cls;
        tr.append(td);
      }
      body.append(tr);
    }
    t.append(body);
    rej.append(t);
  }
  for (const w of p.warnings_nl || p.warnings || []) {
    const n = document.createElement('p');
    n.className = 'noot';
    n.textContent = 'Let op: ' + w;
    rej.append(n);
  }
}

// buildCases lists the cases of the figures on screen (with an extract,
// variant B has its case per record, B-opties), keeping the choice.
function buildCases(json) {
  const sel = $('#geval');
  const ids = json.variants.flatMap((v) => v.cases.map((c) => c.id)).join(' ');
  if (sel.dataset.ids === ids) return;
  sel.dataset.ids = ids;
  const was = sel.value;
  sel.replaceChildren();
  for (const v of json.variants) {
    const grp = document.createElement('optgroup');
    grp.label = `Variant ${v.id}: ${v.name}`;
    for (const c of v.cases) {
      const o = document.createElement('option');
      o.value = c.id;
      o.textContent = `${c.id} (${c.label})` + (c.id === v.central_case ? ', centraal' : '');
      grp.append(o);
    }
    sel.append(grp);
  }
  const b = json.variants.find((v) => v.id === 'B') || json.variants[0];
  sel.value = ids.split(' ').includes(was) ? was : b?.central_case || '';
}

// --- Rendering the figures ------------------------------------------------

function cell(tr, text, { cls = '', value, header = false } = {}) {
  const td = document.createElement(header ? 'th' : 'td');
  if (header) td.scope = 'row';
  td.textContent = text;
  if (cls) td.className = cls;
  if (value !== undefined) td.dataset.value = value;
  tr.append(td);
  return td;
}

function findCase(json, id) {
  for (const v of json.variants) for (const c of v.cases) if (c.id === id) return { variant: v, kase: c };
  return null;
}

function render() {
  const json = page.shown.json;
  buildCases(json);
  renderOverview(json);
  renderBudget(json);
}

function renderOverview(json) {
  const body = $('#overzicht tbody');
  body.replaceChildren();
  for (const v of json.variants) {
    const c = v.cases.find((x) => x.id === v.central_case);
    const mc = v.monte_carlo;
    const tr = document.createElement('tr');
    tr.dataset.variant = v.id;
    cell(tr, `${v.id}: ${v.name}`, { header: true });
    cell(tr, c.id);
    cell(tr, shown(c.total, fmtMln), { cls: 'getal raming', value: c.total });
    cell(tr, mc ? fmtMln(num(mc.p50)) : '—', { cls: 'getal', value: mc?.p50 });
    cell(tr, mc ? `${fmtMln(num(mc.p5))} – ${fmtMln(num(mc.p95))}` : '—', { cls: 'getal' });
    cell(tr, mc ? 'P' + mc.point_percentile.replace('.', ',') : '—', { cls: 'getal' });
    body.append(tr);
  }
  $('#overzicht-noot').textContent = 'Bedragen in € mln, excl. uitvoering. ' + (json.monte_carlo
    ? `Monte Carlo: ${thousand.format(json.monte_carlo.iterations)} iteraties, seed ${json.monte_carlo.seed}.`
    : 'Zonder Monte Carlo (0 iteraties): geen band.');
  const ul = $('#waarschuwingen');
  ul.replaceChildren();
  for (const w of json.warnings_nl || json.warnings || []) {
    const li = document.createElement('li');
    li.textContent = w;
    ul.append(li);
  }
}

// renderComparison shows the comparison with the start: per case both
// ramingen, the difference with its band, P(goedkoper) and the changes it
// is attributed to, the largest first; without a change, says so.
function renderComparison(json) {
  const table = $('#vergelijk');
  const body = table.querySelector('tbody');
  body.replaceChildren();
  const none = !json || json.differences.length === 0;
  $('#vergelijking-geen').hidden = !none;
  table.hidden = none;
  $('#vergelijking-noot').textContent = '';
  if (none) return;
  // A label that two keys share (the CWS's damage in A and in B) gets
  // the key's variant or group.
  const labels = new Map();
  const count = new Map();
  for (const d of json.differences) count.set(d.label, (count.get(d.label) || 0) + 1);
  for (const d of json.differences) labels.set(d.key, count.get(d.label) > 1 ? `${d.label} (${d.key.split('.')[0]})` : d.label);
  for (const c of json.cases) {
    const tr = document.createElement('tr');
    tr.dataset.case = c.id;
    if (c.central) tr.className = 'centraal';
    cell(tr, c.id + (c.central ? ' (centraal)' : ''), { header: true });
    if (c.suppressed) {
      for (let i = 0; i < 6; i++) cell(tr, 'niet getoond', { cls: i < 5 ? 'getal noot' : 'toerekening noot' });
      body.append(tr);
      continue;
    }
    cell(tr, fmtMln2(num(c.base.total)), { cls: 'getal', value: c.base.total });
    cell(tr, fmtMln2(num(c.other.total)), { cls: 'getal', value: c.other.total });
    cell(tr, fmtDiff(num(c.difference.point)), { cls: 'getal verschil', value: c.difference.point });
    cell(tr, c.difference.p5 === null ? '—' : `${fmtDiff(num(c.difference.p5))} – ${fmtDiff(num(c.difference.p95))}`, { cls: 'getal' });
    cell(tr, c.p_other_cheaper === null ? '—' : percent.format(num(c.p_other_cheaper)), { cls: 'getal', value: c.p_other_cheaper ?? '' });
    const td = cell(tr, '', { cls: 'toerekening' });
    const parts = c.attribution.filter((a) => num(a.contribution) !== 0)
      .sort((a, b) => Math.abs(num(b.contribution)) - Math.abs(num(a.contribution)));
    if (parts.length === 0) {
      td.textContent = num(c.difference.point) === 0 ? 'geen effect op de raming' : '—';
    } else {
      const ul = document.createElement('ul');
      for (const a of parts) {
        const li = document.createElement('li');
        li.dataset.key = a.key;
        li.dataset.value = a.contribution;
        const name = a.kind === 'residual' || a.key === '' ? 'overig/interactie' : labels.get(a.key) || a.key;
        li.textContent = `${name}: ${fmtDiff(num(a.contribution))}`;
        ul.append(li);
      }
      td.append(ul);
    }
    body.append(tr);
  }
  const method = {
    shapley: 'elke wijziging krijgt haar gemiddelde effect over alle volgordes van wijzigen (Shapley-waarden); de bijdragen tellen op tot het verschil.',
    sequential: 'de wijzigingen één voor één in de volgorde van de scenarioreferentie (meer dan tien wijzigingen); de bijdragen tellen op tot het verschil, maar hangen af van die volgorde.',
    none: 'geen toerekening' + (json.attribution.note ? ': ' + json.attribution.note : '.'),
  }[json.attribution.method] || json.attribution.method;
  $('#vergelijking-noot').textContent = 'Bedragen in € mln, excl. uitvoering. Begin: het scenario met het extract waarmee de pagina begon (of het laatst gekozen extract). ' +
    (json.monte_carlo
      ? `Beide op dezelfde trekkingen (${thousand.format(json.monte_carlo.iterations)} iteraties, seed ${json.monte_carlo.seed}): de band van het verschil toont alleen wat verschilt. ` +
        'P(goedkoper): het aandeel trekkingen waarin de huidige invoer minder kost dan het begin. '
      : 'Zonder Monte Carlo (0 iteraties): geen band en geen kans. ') +
    'Toerekening: ' + method;
}

// percentileOf returns the year band's value at percentile p (null when
// the run has none).
function percentileOf(band, p) {
  const x = band?.percentiles?.find((q) => q.p === p);
  return x ? num(x.value) : null;
}

// dutchDate is a moment's date in the Netherlands, written out: 7 december 2026.
const dutchDate = (iso) => new Date(iso).toLocaleDateString('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' });

// columnLabel is a budget column's heading, as the workbook's.
const columnLabel = (col) => ({ earlier: 'eerdere jaren', later: 'latere jaren' }[col] || col);

// renderBudget shows the budget table of the chosen case as the workbook's
// sheet Budgettaire gevolgen does: the JSON's budget window (eerdere jaren,
// t−2 ... t+5, latere jaren) at prijspeil t, and under it the JSON's band
// per year of the window at prijspeil t (the workbook's block
// Onzekerheid); the fan chart draws every year of the case.
function renderBudget(json) {
  const id = $('#geval').value;
  const found = findCase(json, id);
  const t = $('#begroting');
  const band = $('#band');
  t.replaceChildren();
  band.replaceChildren();
  if (!found) return;
  const c = found.kase;
  const years = c.per_year || [];
  const bud = json.budget;
  const bc = bud.cases.find((x) => x.id === c.id);
  if (!bc) { // small-cell suppressed: no table, no band
    $('#begroting-noot').textContent = `${c.id}: niet getoond, want dit geval rust op minder dan het minimum aantal personen van het extract (docs/methodology.md, 'Small cells').`;
    $('#band-noot').textContent = '';
    $('#waaier').replaceChildren();
    $('#tornado').replaceChildren();
    return;
  }
  const cols = bud.columns;
  const head = (table, caption) => {
    const cap = document.createElement('caption');
    cap.textContent = caption;
    const tr = document.createElement('tr');
    for (const [text, cls] of [['', ''], ...cols.map((col) => [columnLabel(col), 'getal']), ['Struc.', 'getal'], ['Totaal', 'getal']]) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = text;
      th.className = cls;
      tr.append(th);
    }
    const thead = document.createElement('thead');
    thead.append(tr);
    table.append(cap, thead);
    const body = document.createElement('tbody');
    table.append(body);
    return body;
  };
  const row = (body, label, values, { strong = false, total } = {}) => {
    const tr = document.createElement('tr');
    if (strong) tr.className = 'sterk';
    cell(tr, label, { header: true });
    let sum = 0;
    for (const v of values) {
      cell(tr, v === null ? '' : fmtMln(v), { cls: 'getal', value: v ?? '' });
      sum += v ?? 0;
    }
    cell(tr, fmtMln(0), { cls: 'getal' });
    cell(tr, fmtMln(total ?? sum), { cls: 'getal' });
    body.append(tr);
  };
  const tag = (line) => (bud.indexing[line] === 'indexed' ? ' (geïndexeerd)' : ' (nominaal)');
  const body = head(t, `Budgettaire gevolgen ex-partnerregeling, variant ${found.variant.id} ${found.variant.name} (${c.id}) (bedragen x € 1 mln, prijspeil ${bud.price_level})`);
  const amounts = (xs) => xs.map(num);
  row(body, 'Verplichtingen', amounts(bc.commitments.total), { strong: true });
  row(body, 'Uitgaven', amounts(bc.cash.total), { strong: true });
  row(body, '   w.v. tegemoetkoming' + tag('scheme_cost'), amounts(bc.cash.scheme_cost));
  row(body, '   w.v. aanvullende schade CWS' + tag('cws_cost'), amounts(bc.cash.cws_cost));
  if (bc.cash.execution_cost) row(body, 'Uitvoeringskosten (apart)' + tag('execution_cost'), amounts(bc.cash.execution_cost));
  else {
    const tr = document.createElement('tr');
    cell(tr, 'Uitvoeringskosten (apart)', { header: true });
    const td = cell(tr, 'niet geraamd', { cls: 'noot' });
    td.colSpan = cols.length + 2;
    body.append(tr);
  }
  row(body, 'Ontvangsten', cols.map(() => 0));
  const inWindow = cols.filter((col) => col !== 'earlier' && col !== 'later');
  $('#begroting-noot').textContent = `Ten laste van begroting IX, artikel 13 Toeslagen. Stand: ${dutchDate(json.run_time)}. ` +
    `Begroting ${bud.budget_year}: de jaren ${inWindow[0]} tot en met ${inWindow[inWindow.length - 1]} (t−2 tot en met t+5), eerdere en latere jaren elk in één kolom; ` +
    `prijspeil ${bud.price_level}. Uitgaven excl. uitvoeringskosten. Door afronding kunnen totalen afwijken. Struc.: structureel; de regeling is eenmalig.`;

  const mc = c.monte_carlo;
  if (mc && bc.band) {
    // The JSON's band: the workbook's block Onzekerheid, at prijspeil t.
    const bbody = head(band, `Onzekerheid (indicatief, Monte Carlo, n = ${thousand.format(json.monte_carlo.iterations)}): uitgaven per jaar, bedragen x € 1 mln, prijspeil ${bud.price_level}`);
    const at = (b) => b.cash.map((x) => (x === null ? null : num(x)));
    for (const b of bc.band) row(bbody, `Uitgaven P${b.p}`, at(b), { total: num(b.total) });
    const risk = bc.band.find((b) => b.p === bud.risk_level);
    const cash = amounts(bc.cash.total);
    row(bbody, `Indicatie risicoreservering (P${bud.risk_level} − raming)`, at(risk).map((x, i) => (x === null ? null : Math.max(0, x - cash[i]))),
      { strong: true, total: Math.max(0, num(risk.total) - cash.reduce((a, b) => a + b, 0)) });
    $('#band-noot').textContent = `Eerdere en latere jaren hebben geen band: percentielen tellen niet op (de P${bud.risk_level} van het totaal is kleiner dan de som van de P${bud.risk_level}'s per jaar). ` +
      `De indicatie (P${bud.risk_level} − raming, nooit negatief) is geen reservering volgens de Rijksbegrotingsvoorschriften.`;
  } else {
    $('#band-noot').textContent = 'Geen band: de berekening heeft 0 iteraties.';
  }
  const fan = years.map((y) => {
    const b = y.monte_carlo;
    return { year: y.year, point: num(y.total) / 1e6, p5: b ? num(b.p5) / 1e6 : null, p20: b ? percentileOf(b, 20) / 1e6 : null,
      p50: b ? num(b.p50) / 1e6 : null, p80: b ? percentileOf(b, 80) / 1e6 : null, p95: b ? num(b.p95) / 1e6 : null };
  });
  $('#waaier').replaceChildren(fanChart(fan, { title: `Uitgaven per jaar, ${c.id}, € mln, prijspeil ${bud.price_level_from}`, fmt: fmtMlnPlain }));
  const labels = new Map();
  for (const g of page.state.groups) for (const a of g.assumptions) labels.set(a.id, a.label);
  const tor = $('#tornado');
  tor.replaceChildren();
  if (mc?.sensitivity?.length) {
    // A label that two assumptions share (the CWS's damage in A and in B)
    // gets the assumption's variant or group.
    const count = new Map();
    for (const s of mc.sensitivity) count.set(labels.get(s.input), (count.get(labels.get(s.input)) || 0) + 1);
    const label = (id) => {
      const l = labels.get(id) || id;
      return count.get(l) > 1 ? `${l} (${id.split('.')[0]})` : l;
    };
    const bars = mc.sensitivity.map((s) => ({ label: label(s.input), rho: Number(s.rho) }))
      .filter((b) => Math.abs(b.rho) >= 0.03)
      .sort((a, b) => Math.abs(b.rho) - Math.abs(a.rho)).slice(0, 12);
    tor.append(tornado(bars, { title: `Rangcorrelatie (Spearman) van elke onzekere aanname met het totaal van ${c.id}`, fmtRho }));
  } else {
    const p = document.createElement('p');
    p.className = 'noot';
    p.textContent = mc ? 'Geen onzekere aanname raakt dit geval.' : 'Geen gevoeligheid: de berekening heeft 0 iteraties.';
    tor.append(p);
  }
}

// --- Downloads -------------------------------------------------------------

function save(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

async function download(path, body, name) {
  try {
    setStatus('Bestand wordt gemaakt…', 'bezig');
    const resp = await api(path, { body });
    save(await resp.blob(), name);
    setStatus('Bestand gemaakt: ' + name + '.', 'klaar');
  } catch (err) {
    showError(err.message);
    setStatus('Het bestand kon niet worden gemaakt.', 'fout');
  }
}

function renderReasons() {
  const box = $('#redenen');
  const keep = new Map([...box.querySelectorAll('input')].map((i) => [i.dataset.key, i.value]));
  box.replaceChildren();
  for (const key of Object.keys(currentRequest().set)) {
    const input = document.createElement('input');
    input.id = 'reden-' + key.replace(/[^A-Za-z0-9_-]/g, '_');
    input.dataset.key = key;
    input.value = keep.get(key) || '';
    input.autocomplete = 'off';
    box.append(field(input.id, `Waarom ${key}?`, input));
  }
}

function wireDownloads() {
  $('#download-werkmap').addEventListener('click', () => download('/api/workbook', page.shown.request, 'raming.xlsx'));
  $('#download-json').addEventListener('click', () => save(new Blob([page.shown.text], { type: 'application/json' }), 'raming.json'));
  $('#download-vergelijking').addEventListener('click', () => save(new Blob([page.compared.text], { type: 'application/json' }), 'vergelijking.json'));
  $('#download-scenario').addEventListener('click', () => {
    const why = {};
    for (const i of $('#redenen').querySelectorAll('input')) if (i.value.trim()) why[i.dataset.key] = i.value.trim();
    const body = { set: page.shown.request.set, why };
    const name = $('#scenario-naam').value.trim();
    if (name) body.name = name;
    download('/api/scenario', body, 'scenario.toml');
  });
}

// --- The extract -------------------------------------------------------------

async function upload(file) {
  const type = /\.xlsx$/i.test(file.name) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv';
  const limit = page.state.defaults.max_upload_mb;
  if (file.size > limit * 1024 * 1024) {
    showError(`${file.name} is groter dan ${limit} MB, de grens van deze pagina. Gebruik raming run op de opdrachtregel voor zo'n extract.`);
    return;
  }
  markStale();
  setStatus('Extract wordt gelezen…', 'bezig');
  try {
    const resp = await api('/api/population', { body: file, type, headers: { 'X-Raming-Filename': encodeURIComponent(file.name) } });
    const summary = await resp.json();
    page.state.population = summary;
    describePopulation(summary);
    markUnused(summary);
    for (const [key, sel] of page.options) {
      const op = page.state.options.find((o) => o.key === key);
      sel.disabled = false;
      if (op?.record) sel.nextElementSibling?.remove();
    }
    showError('');
    recompute();
  } catch (err) {
    showError(err.message);
    setStatus('Het extract is niet gebruikt; de berekening gaat door op het vorige.', 'fout');
    recompute();
  }
}

// --- Start ---------------------------------------------------------------------

async function start() {
  if (!token()) {
    $('#scenario-regel').textContent = 'Open de pagina met het adres dat raming serve liet zien (met ?token=...).';
    setStatus('Geen toegang: het adres zonder token opent de pagina niet.', 'fout');
    return;
  }
  let st;
  try {
    st = await (await api('/api/state')).json();
  } catch (err) {
    showError(err.message);
    setStatus('De pagina kon de aannames niet laden.', 'fout');
    return;
  }
  page.state = st;
  $('#scenario-regel').textContent = `Scenario "${st.scenario.name}": ${st.scenario.title}`;
  $('#iteraties').value = String(st.defaults.iterations);
  if ($('#iteraties').value !== String(st.defaults.iterations)) {
    const o = document.createElement('option');
    o.value = o.textContent = String(st.defaults.iterations);
    $('#iteraties').append(o);
    $('#iteraties').value = o.value;
  }
  $('#iteraties').dataset.start = $('#iteraties').value;
  $('#seed').value = String(st.defaults.seed);
  $('#seed').dataset.start = $('#seed').value;
  $('#upload-noot').textContent = `Het bestand blijft in het geheugen van dit programma; het wordt niet opgeslagen. Hoogstens ${st.defaults.max_upload_mb} MB.`;
  describePopulation(st.population);
  buildOptions(st);
  buildAssumptions(st);
  markUnused(st.population);
  for (const id of ['#iteraties', '#seed']) $(id).addEventListener('input', edited);
  $('#geval').addEventListener('change', () => {
    if (page.shown) renderBudget(page.shown.json);
    if (page.shown) page.shown.request.budget_case = isCentral($('#geval').value) ? undefined : $('#geval').value;
  });
  $('#herstel').addEventListener('click', () => {
    for (const i of [...page.fields.values(), ...page.options.values(), $('#iteraties'), $('#seed')]) i.value = i.dataset.start;
    edited();
  });
  $('#upload').addEventListener('change', (e) => e.target.files[0] && upload(e.target.files[0]));
  wireDownloads();
  markChanged();
  recompute();
}

start();
