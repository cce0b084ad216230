// Charts as SVG, drawn by the page itself: a fan chart of the budget
// years and a tornado of the sensitivity. Each chart has a title and a
// description for screen readers; the figures are in the tables beside.

const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// niceTicks returns about n round ticks from 0 (or lo) to hi.
function niceTicks(lo, hi, n) {
  const span = hi - lo || 1;
  const raw = span / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const ticks = [];
  for (let t = Math.floor(lo / step) * step; t <= hi + step / 2; t += step) ticks.push(t);
  return ticks;
}

function svgFrame(width, height, title, desc) {
  const id = 'g' + Math.random().toString(36).slice(2);
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-t ${id}-d`, class: 'svg' });
  svg.append(el('title', { id: `${id}-t` }, title), el('desc', { id: `${id}-d` }, desc));
  return svg;
}

// fanChart draws per year the point estimate (line), the P50 (dashed) and
// the bands P5-P95 and P20-P80 of a case's cash, in EUR mln. years:
// [{year, point, p5, p20, p50, p80, p95}] (band fields may be null).
export function fanChart(years, { title, fmt }) {
  const W = 720, H = 300, L = 56, R = 16, T = 16, B = 36;
  const hasBand = years.some((y) => y.p95 !== null);
  const top = Math.max(...years.map((y) => Math.max(y.point, hasBand ? y.p95 ?? 0 : 0)), 0.001);
  const ticks = niceTicks(0, top, 5);
  const ymax = ticks[ticks.length - 1];
  const x = (i) => L + (years.length === 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (years.length - 1));
  const y = (v) => T + (H - T - B) * (1 - v / ymax);
  const desc = years.map((d) => `${d.year}: raming ${fmt(d.point)}` + (d.p95 !== null ? `, P5-P95 ${fmt(d.p5)}-${fmt(d.p95)}` : '')).join('; ');
  const svg = svgFrame(W, H, title, desc + ' (€ mln)');
  for (const t of ticks) {
    svg.append(el('line', { x1: L, x2: W - R, y1: y(t), y2: y(t), class: 'as-lijn' }));
    svg.append(el('text', { x: L - 6, y: y(t) + 4, 'text-anchor': 'end', class: 'as-tekst' }, fmt(t)));
  }
  const step = Math.max(1, Math.ceil(years.length / 12));
  years.forEach((d, i) => {
    if (i % step === 0) svg.append(el('text', { x: x(i), y: H - B + 18, 'text-anchor': 'middle', class: 'as-tekst' }, String(d.year)));
  });
  const area = (lo, hi, cls) => {
    const pts = years.map((d, i) => `${x(i)},${y(d[hi])}`).concat(years.map((d, i) => `${x(i)},${y(d[lo])}`).reverse());
    svg.append(el('polygon', { points: pts.join(' '), class: cls }));
  };
  const line = (key, cls) => svg.append(el('polyline', { points: years.map((d, i) => `${x(i)},${y(d[key])}`).join(' '), class: cls }));
  if (hasBand) {
    area('p5', 'p95', 'band-buiten');
    area('p20', 'p80', 'band-binnen');
    line('p50', 'lijn-p50');
  }
  line('point', 'lijn-raming');
  const legend = el('g', { class: 'legenda', transform: `translate(${L + 8},${T + 4})` });
  const items = [['lijn-raming', 'raming']];
  if (hasBand) items.push(['lijn-p50', 'P50'], ['band-binnen', 'P20-P80'], ['band-buiten', 'P5-P95']);
  items.forEach(([cls, label], i) => {
    const g = el('g', { transform: `translate(${i * 100},0)` });
    if (cls.startsWith('band')) g.append(el('rect', { x: 0, y: 0, width: 18, height: 10, class: cls }));
    else g.append(el('line', { x1: 0, x2: 18, y1: 5, y2: 5, class: cls }));
    g.append(el('text', { x: 24, y: 10, class: 'as-tekst' }, label));
    legend.append(g);
  });
  svg.append(legend);
  return svg;
}

// tornado draws each input's rank correlation with a case's total, the
// largest first. bars: [{label, rho}].
export function tornado(bars, { title, fmtRho }) {
  const W = 720, rowH = 24, L = 300, R = 56, T = 8;
  const H = T + rowH * bars.length + 28;
  const desc = bars.map((b) => `${b.label}: ${fmtRho(b.rho)}`).join('; ');
  const svg = svgFrame(W, H, title, desc);
  const mid = L + (W - L - R) / 2, half = (W - L - R) / 2;
  svg.append(el('line', { x1: mid, x2: mid, y1: T, y2: T + rowH * bars.length, class: 'as-lijn-sterk' }));
  bars.forEach((b, i) => {
    const yy = T + i * rowH;
    const w = Math.abs(b.rho) * half;
    svg.append(el('text', { x: L - 8, y: yy + rowH / 2 + 4, 'text-anchor': 'end', class: 'as-tekst' }, b.label.length > 46 ? b.label.slice(0, 45) + '…' : b.label));
    svg.append(el('rect', { x: b.rho >= 0 ? mid : mid - w, y: yy + 4, width: Math.max(w, 1), height: rowH - 8, class: b.rho >= 0 ? 'balk-plus' : 'balk-min' }));
    svg.append(el('text', { x: b.rho >= 0 ? mid + w + 4 : mid - w - 4, y: yy + rowH / 2 + 4, 'text-anchor': b.rho >= 0 ? 'start' : 'end', class: 'as-tekst' }, fmtRho(b.rho)));
  });
  const yy = T + rowH * bars.length + 18;
  for (const t of [-1, -0.5, 0, 0.5, 1]) {
    svg.append(el('text', { x: mid + t * half, y: yy, 'text-anchor': 'middle', class: 'as-tekst' }, fmtRho(t)));
  }
  return svg;
}
