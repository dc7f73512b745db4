// Building the page without HTML strings: every text goes in as a text node, so what citizens wrote is shown
// as text, never interpreted as markup. Nothing in the console uses innerHTML (a test checks it).

const SVG_NS = 'http://www.w3.org/2000/svg';
const BOOLEAN_PROPS = new Set(['checked', 'disabled', 'selected', 'required', 'readOnly', 'multiple', 'hidden', 'open']);

/** Appends children: nodes as they are, anything else as text; null, undefined and false are skipped. */
export function append(el, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'object' && 'nodeType' in child ? child : document.createTextNode(String(child)));
  }
  return el;
}

function setProps(el, props) {
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'value') el.value = value;
    else if (BOOLEAN_PROPS.has(key)) el[key] = Boolean(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
}

/** h('a', { href, class }, 'text', child…): an element with attributes, listeners (onClick…) and children. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  return append(el, children);
}

/** The same for SVG elements (charts). */
export function s(tag, props, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    el.setAttribute(key, String(value));
  }
  return append(el, children);
}

/** Replaces everything inside `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** An http(s) URL as given, or undefined: a citizen's "javascript:" link never becomes a live href. */
export function safeUrl(url) {
  return typeof url === 'string' && /^https?:\/\/[^\s]+$/i.test(url) ? url : undefined;
}

/** A <select> with [value, label] options. */
export function select(props, options, selected) {
  return h(
    'select',
    props,
    options.map(([value, label]) => h('option', { value, selected: String(value) === String(selected ?? '') }, label)),
  );
}

/** A labelled form field: <label><span>text</span>control<small>hint</small></label>. */
export function field(label, control, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control, hint ? h('small', { class: 'hint' }, hint) : null);
}

/** A table with a header row; rows are arrays of cells (text or nodes), or <tr> elements. */
export function table(headers, rows, props = {}) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      props,
      h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, rows.map((r) => (Array.isArray(r) ? h('tr', null, r.map((c) => h('td', null, c))) : r))),
    ),
  );
}

/** A titled card. */
export function card(title, ...children) {
  return h('section', { class: 'card' }, title ? h('h2', null, title) : null, children);
}

/** The control of a form for a field the server named ("audience.tag" is the control named "tag"). */
function controlFor(form, name) {
  const named = [...form.querySelectorAll('[name]')];
  for (const n of [name, name.split('.').at(-1)]) {
    const control = named.find((el) => el.getAttribute('name') === n);
    if (control) return control;
  }
  return null;
}

/** Removes what showRefusal put on a form. */
export function clearRefusal(form) {
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/**
 * Shows a refusal of the server on a form: its Vietnamese message in `summary` (after `prefix`), and each field's
 * message under the control of that name. Fields the form has no control for are still in the message.
 */
export function showRefusal(form, summary, err, prefix = '') {
  clearRefusal(form);
  summary.textContent = `${prefix}${err.message}`;
  for (const [name, text] of Object.entries(err.fields ?? {})) {
    const control = controlFor(form, name);
    if (!control) continue;
    control.setAttribute('aria-invalid', 'true');
    control.after(h('small', { class: 'field-error', 'data-field-error': name }, text));
  }
}
