// Small charts drawn as inline SVG: nothing loaded from elsewhere, readable on a phone, labels as text nodes.
// Colours are SVG attributes and CSS classes (.c0…): the page's CSP allows no inline style attribute.

import { h, s } from './dom.js';

const COLORS = ['#1d4ed8', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#be185d', '#4b5563'];

/** A round upper bound for an axis whose four steps are whole numbers. */
function niceMax(value) {
  if (value <= 4) return 4;
  const step = value / 4;
  const magnitude = 10 ** Math.floor(Math.log10(step));
  const nice = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((m) => m >= step);
  return Math.ceil(nice) * 4;
}

/** An SVG that scales down on a phone but never up past its drawn size (text stays its real size). */
function svgBox(width, height, title) {
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': title });
  svg.style.maxWidth = `${width}px`; // CSSOM, which the page's CSP allows (a style attribute would not be)
  return svg;
}

/** Vertical bars by category, one or more series: { labels, series: [{ name, values }] }. */
export function barChart({ title, labels, series, height = 220 }) {
  const width = Math.max(420, labels.length * (series.length * 24 + 24) + 60);
  const max = niceMax(Math.max(0, ...series.flatMap((x) => x.values)));
  const top = 16;
  const bottom = 28;
  const left = 40;
  const plot = height - top - bottom;
  const group = (width - left - 10) / labels.length;
  const bar = Math.min(28, (group - 10) / series.length);
  const svg = svgBox(width, height, title);
  for (let i = 0; i <= 4; i += 1) {
    const y = top + plot - (plot * i) / 4;
    svg.append(s('line', { x1: left, x2: width - 6, y1: y, y2: y, class: 'grid' }));
    svg.append(s('text', { x: left - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' }, String(Math.round((max * i) / 4))));
  }
  labels.forEach((lab, i) => {
    const x0 = left + i * group + (group - bar * series.length) / 2;
    series.forEach((serie, j) => {
      const v = serie.values[i] ?? 0;
      const barHeight = (plot * v) / max;
      svg.append(
        s('rect', { x: x0 + j * bar, y: top + plot - barHeight, width: Math.max(1, bar - 2), height: barHeight, fill: COLORS[j % COLORS.length] }, s('title', null, `${serie.name} — ${lab}: ${v}`)),
      );
    });
    svg.append(s('text', { x: left + i * group + group / 2, y: height - 8, class: 'axis', 'text-anchor': 'middle' }, lab));
  });
  return h('figure', { class: 'chart-box' }, h('figcaption', null, title), svg, legend(series.map((x) => x.name)));
}

/** Horizontal bars (rankings): [{ label, value }]. */
export function rankChart({ title, items }) {
  const rowHeight = 26;
  const width = 640;
  const labelWidth = 300;
  const height = Math.max(rowHeight, items.length * rowHeight) + 8;
  const max = Math.max(1, ...items.map((x) => x.value));
  if (items.length === 0) return h('figure', { class: 'chart-box' }, h('figcaption', null, title), h('p', { class: 'muted' }, 'Chưa có dữ liệu.'));
  const svg = svgBox(width, height, title);
  items.forEach((item, i) => {
    const y = 4 + i * rowHeight;
    const w = ((width - labelWidth - 50) * item.value) / max;
    const text = item.label.length > 44 ? `${item.label.slice(0, 43)}…` : item.label;
    svg.append(s('text', { x: labelWidth - 8, y: y + 16, class: 'axis', 'text-anchor': 'end' }, s('title', null, item.label), text));
    svg.append(s('rect', { x: labelWidth, y: y + 3, width: Math.max(1, w), height: rowHeight - 8, fill: COLORS[0] }));
    svg.append(s('text', { x: labelWidth + w + 6, y: y + 16, class: 'value' }, String(item.value)));
  });
  return h('figure', { class: 'chart-box' }, h('figcaption', null, title), svg);
}

/** One bar split into parts (answered vs not): [{ label, value }]. */
export function splitBar({ title, parts }) {
  const total = parts.reduce((sum, p) => sum + p.value, 0);
  const width = 600;
  const svg = svgBox(width, 34, title);
  let x = 0;
  parts.forEach((p, i) => {
    const w = total === 0 ? 0 : (width * p.value) / total;
    svg.append(s('rect', { x, y: 2, width: w, height: 30, fill: COLORS[i % COLORS.length] }, s('title', null, `${p.label}: ${p.value}`)));
    if (w > 40) svg.append(s('text', { x: x + w / 2, y: 22, class: 'on-bar', 'text-anchor': 'middle' }, `${Math.round((p.value / total) * 100)}%`));
    x += w;
  });
  if (total === 0) svg.append(s('rect', { x: 0, y: 2, width, height: 30, class: 'empty' }));
  return h('figure', { class: 'chart-box' }, h('figcaption', null, title), svg, legend(parts.map((p) => `${p.label}: ${p.value}`)));
}

function legend(names) {
  return h(
    'div',
    { class: 'legend' },
    names.map((name, i) => h('span', null, h('i', { class: `swatch c${i % COLORS.length}` }), name)),
  );
}
